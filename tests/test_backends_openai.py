"""OpenAITarget: a real `transformers serve` process, and a stub server for fault injection."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import openai  # noqa: F401  (the dev extra has it: missing fails, never skips)
import pytest

from saferegress.backends.base import Generation, Target, TargetOptions, conversation
from saferegress.backends.openai import OpenAITarget  # noqa: E402

SECRET = "sk-test-DO-NOT-LEAK-0123456789abcdef"
FAST = {"backoff_base_s": 0.01, "backoff_max_s": 0.05}

# -- a stub OpenAI-compatible server ----------------------------------------------------------


def completion(content: str | None, finish_reason: str = "stop") -> dict:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 0,
        "model": "stub",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
            }
        ],
    }


@dataclass
class Reply:
    status: int = 200
    body: dict = field(default_factory=lambda: completion("stub answer"))
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


#: Answers request number n (1-based), given its JSON body and its (case-insensitive) headers.
Script = Callable[[int, dict, Message], Reply]


@dataclass
class Stub:
    """A running stub: its URL, and every request it received (for counting attempts)."""

    script: Script
    base_url: str = ""
    requests: list[dict] = field(default_factory=list)
    auth_headers: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def count(self) -> int:
        return len(self.requests)


@pytest.fixture
def stub() -> Iterator[Callable[[Script], Stub]]:
    servers: list[ThreadingHTTPServer] = []

    def start(script: Script) -> Stub:
        state = Stub(script)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with state.lock:
                    state.requests.append(payload)
                    state.auth_headers.append(self.headers.get("Authorization", ""))
                    n = state.count
                reply = state.script(n, payload, self.headers)
                time.sleep(reply.delay_s)
                data = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        state.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        return state

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def make_target(stub: Stub, **options: object) -> OpenAITarget:
    return OpenAITarget("stub-model", TargetOptions(base_url=stub.base_url, **options), **FAST)


def error_body(message: str) -> dict:
    return {"error": {"message": message, "type": "stub_error", "code": None}}


# -- against the stub: the request, and fail-closed behaviour ---------------------------------


def test_sends_a_greedy_chat_request_and_returns_the_text(stub) -> None:
    server = stub(lambda n, req, headers: Reply(body=completion("  Hello there.\n")))
    target = make_target(server, max_new_tokens=7)
    assert isinstance(target, Target)

    assert target.generate([conversation("Hi")]) == [Generation(text="Hello there.")]
    request = server.requests[0]
    assert request["model"] == "stub-model"
    assert request["messages"] == [{"role": "user", "content": "Hi"}]
    assert request["temperature"] == 0
    assert request["max_tokens"] == 7
    assert target.name == f"openai:stub-model@{server.base_url}"


def test_order_is_kept_under_concurrency(stub) -> None:
    def echo_slowly(n: int, req: dict, headers: Message) -> Reply:
        prompt = req["messages"][-1]["content"]
        # Earlier prompts answer later, so completion order is the reverse of request order.
        return Reply(body=completion(f"re: {prompt}"), delay_s=0.02 * (10 - int(prompt[1:])))

    server = stub(echo_slowly)
    prompts = [f"p{i}" for i in range(8)]
    answers = make_target(server, concurrency=8).generate([conversation(p) for p in prompts])
    assert [a.text for a in answers] == [f"re: {p}" for p in prompts]


def test_persistent_500_becomes_an_error_after_all_retries(stub) -> None:
    server = stub(lambda n, req, headers: Reply(500, error_body("model crashed")))
    [answer] = make_target(server, max_retries=2).generate([conversation("Hi")])

    assert answer.text is None
    assert "500" in answer.error and "gave up after 3 attempts" in answer.error
    assert server.count == 3


def test_429_is_retried_until_success(stub) -> None:
    def busy_twice(n: int, req: dict, headers: Message) -> Reply:
        if n <= 2:
            return Reply(429, error_body("slow down"), headers={"Retry-After": "0"})
        return Reply(body=completion("finally"))

    server = stub(busy_twice)
    assert make_target(server, max_retries=3).generate([conversation("Hi")]) == [
        Generation(text="finally")
    ]
    assert server.count == 3


def test_a_timeout_becomes_an_error(stub) -> None:
    server = stub(lambda n, req, headers: Reply(body=completion("too late"), delay_s=1.5))
    [answer] = make_target(server, timeout_s=0.3, max_retries=1).generate([conversation("Hi")])

    assert answer.text is None and "timeout" in answer.error
    assert server.count == 2
    # Each attempt gave up after its 0.3 s, not when the 1.5 s reply came.
    assert "timeout after 0.3s (gave up after 2 attempts)" in answer.error


@pytest.mark.parametrize("status", [400, 401, 404])
def test_a_client_error_is_not_retried(stub, status: int) -> None:
    server = stub(lambda n, req, headers: Reply(status, error_body("no such thing")))
    [answer] = make_target(server, max_retries=3).generate([conversation("Hi")])

    assert answer.text is None and str(status) in answer.error
    assert server.count == 1


@pytest.mark.parametrize("content", [None, "", "  \n "])
def test_an_empty_completion_is_an_error(stub, content: str | None) -> None:
    server = stub(lambda n, req, headers: Reply(body=completion(content, "length")))
    [answer] = make_target(server).generate([conversation("Hi")])
    assert answer.text is None and "empty completion" in answer.error


def test_an_unreachable_server_is_an_error() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    target = OpenAITarget(
        "m", TargetOptions(base_url=f"http://127.0.0.1:{port}/v1", max_retries=1), **FAST
    )
    [answer] = target.generate([conversation("Hi")])
    assert answer.text is None and "connection error" in answer.error


def test_one_failure_does_not_spoil_the_batch(stub) -> None:
    def fail_one(n: int, req: dict, headers: Message) -> Reply:
        if req["messages"][-1]["content"] == "bad":
            return Reply(400, error_body("rejected"))
        return Reply(body=completion("ok"))

    server = stub(fail_one)
    answers = make_target(server).generate([conversation(p) for p in ["a", "bad", "c"]])
    assert [a.text for a in answers] == ["ok", None, "ok"]
    assert "400" in answers[1].error


def test_the_api_key_never_leaks(stub, monkeypatch, caplog) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)

    def echo_credentials(n: int, req: dict, headers: Message) -> Reply:
        # A careless server echoes the request headers in its error body.
        body = error_body(f"bad credentials: {headers.get('Authorization')}")
        return Reply(401 if n == 1 else 503, body)

    server = stub(echo_credentials)
    caplog.set_level(logging.DEBUG)
    target = make_target(server, max_retries=1)
    answers = target.generate([conversation("first"), conversation("second")])

    assert server.auth_headers[0] == f"Bearer {SECRET}"  # the key from the env was used...
    assert all(a.error for a in answers)
    assert any("bad credentials: Bearer ***" in a.error for a in answers), answers
    visible = [target.name, repr(target), caplog.text]
    visible += [a.error for a in answers]
    assert not any(SECRET in text for text in visible)  # ...and appears nowhere we show


def test_credentials_in_the_base_url_are_kept_out_of_the_name(stub) -> None:
    server = stub(lambda n, req, headers: Reply(body=completion("ok")))
    host = server.base_url.removeprefix("http://")
    target = OpenAITarget(
        "m", TargetOptions(base_url=f"http://user:{SECRET}@{host}?token={SECRET}"), **FAST
    )
    assert target.name == f"openai:m@{server.base_url}"
    assert SECRET not in repr(target)


def test_base_url_and_key_come_from_the_environment(stub, monkeypatch) -> None:
    server = stub(lambda n, req, headers: Reply(body=completion("ok")))
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    target = OpenAITarget("m", TargetOptions())
    assert target.generate([conversation("Hi")]) == [Generation(text="ok")]
    assert target.name == f"openai:m@{server.base_url}"
    assert server.auth_headers == ["Bearer EMPTY"]


# -- against a real server: `transformers serve` on the tiny model ----------------------------


@pytest.mark.server
def test_real_server_answers_like_the_model_in_process(
    transformers_server: str, tiny_model_dir: Path
) -> None:
    from saferegress.backends.hf import HFTarget

    prompts = [
        "Hello, how are you?",
        "Kako si danes? Ali mi lahko pomagaš?",
        "x",
        "Jak się dziś masz?",
        "Wie geht es dir heute? Kannst du mir helfen?",
        "Kā tu šodien jūties?",
        "Explain photosynthesis.",
        "Děkuji",
    ]
    conversations = [conversation(p) for p in prompts]
    options = TargetOptions(base_url=transformers_server, max_new_tokens=12, concurrency=4)
    # `transformers serve` only accepts the model name it was started with, spelled exactly.
    remote = OpenAITarget(str(tiny_model_dir), options)
    answers = remote.generate(conversations)
    remote.close()

    assert all(a.error is None and a.text for a in answers), answers
    assert len({a.text for a in answers}) >= len(prompts) - 1  # so equality below shows order
    # The server decodes greedily (temperature 0 sets do_sample=False), one request at a time,
    # with the same chat template and skip_special_tokens; measured identical to the in-process
    # batched (left-padded) generation, so we can ask for exact equality.
    local = HFTarget(tiny_model_dir, TargetOptions(max_new_tokens=12, batch_size=8))
    assert answers == local.generate(conversations)


@pytest.mark.server
def test_real_server_rejects_another_model_name_without_retrying(transformers_server: str) -> None:
    target = OpenAITarget("not-the-served-model", TargetOptions(base_url=transformers_server))
    [answer] = target.generate([conversation("Hi")])
    assert answer.text is None and "400" in answer.error
