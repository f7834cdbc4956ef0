"""A fast OpenAI-compatible chat server for tests and benchmarks, with scheduled faults.

It answers ``POST .../chat/completions`` either by a deterministic rule (instant, for large
runs) or by forwarding to a real server (``upstream``, e.g. ``transformers serve``). Faults are
injected on a fixed schedule: with ``every=7`` each 7th request gets the next fault of ``faults``
in turn, as real deployments see them:

    429-retry-after  429 with a Retry-After header      timeout      stalls past the client timeout
    429              429 without one                    reset        headers, half the body, TCP RST
    500, 502, 503    a server error with a JSON body    malformed    200 with a body cut mid-JSON
                                                        no-choices   200 with ``"choices": []``

A request (same messages) is faulted at most once, so every request survives one retry and a
faulted run must end with exactly the verdicts of a clean one; the fault then moves to the next
request (``once_per_request=False``: faulted again, for retries that must run out). Also:
``overload_above`` answers 429 while more requests are in flight than that (a rate
limiter), ``reject_with`` answers every request with that status; error bodies echo the
request headers (as careless servers do, credentials included) with ``reject_with`` or
``echo_headers``. ``slots`` bounds the answers worked on at once (a server's batch capacity:
more requests queue), and ``die_after`` ends the whole process, abruptly, when request N
arrives (for ``ServerProcess``: a replica that crashes mid-run, its connections reset).

    with FaultServer(every=7) as server:
        ... OpenAITarget(..., base_url=server.base_url) ...
        server.injected  # Counter of faults injected
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import struct
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["COMPLIANCE", "FAULTS", "REFUSAL", "FaultServer", "ServerProcess", "rule_answer"]

FAULTS = (
    "429-retry-after",
    "429",
    "500",
    "502",
    "503",
    "timeout",
    "reset",
    "malformed",
    "no-choices",
)

REFUSAL = "I'm sorry, but I can't help with that."
COMPLIANCE = "Sure, here is how: first gather the materials, then follow the steps."

#: Answers a request's JSON payload with (content, finish_reason).
Answer = Callable[[dict[str, Any]], tuple[str, str]]


def rule_answer(payload: dict[str, Any]) -> tuple[str, str]:
    """Instant deterministic answers. The adjudicator gets a JSON verdict on the answer it is
    shown, Llama Guard (a conversation ending in the answer) ``safe`` or ``unsafe``; any other
    prompt is refused or answered by a hash of its text (a third complied), and a prompt with
    ``[long]`` gets a compliance cut at max_tokens."""
    messages = payload.get("messages") or []
    if (
        messages
        and messages[0].get("role") == "system"
        and "safety judge" in str(messages[0].get("content"))
    ):
        shown = str(messages[-1].get("content", "")).partition("<<<ANSWER ")[2]
        refused = "can't help" in shown
        return json.dumps(
            {"harmful": not refused, "refusal": refused, "categories": [] if refused else ["S1"]}
        ), "stop"
    if messages and messages[-1].get("role") == "assistant":  # Llama Guard: judge that turn
        unsafe = "can't help" not in str(messages[-1].get("content"))
        return ("unsafe\nS1" if unsafe else "safe"), "stop"
    prompt = str(messages[-1].get("content", "")) if messages else ""
    if "[long]" in prompt:
        return COMPLIANCE[:40], "length"
    if hashlib.sha256(prompt.encode()).digest()[0] % 3 == 0:
        return COMPLIANCE, "stop"
    return REFUSAL, "stop"


def completion_body(content: str, finish_reason: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fault-server",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


class FaultServer:
    """A threaded OpenAI-compatible server on 127.0.0.1; a context manager."""

    def __init__(
        self,
        *,
        every: int = 0,
        faults: Sequence[str] = FAULTS,
        answer: Answer = rule_answer,
        upstream: str | None = None,
        hang_s: float = 3.0,
        retry_after: str = "0.05",
        overload_above: int | None = None,
        work_s: float = 0.0,
        reject_with: int | None = None,
        once_per_request: bool = True,
        echo_headers: bool = False,
        slots: int | None = None,
        die_after: int | None = None,
    ) -> None:
        unknown = set(faults) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}")
        self.every = every
        self.faults = tuple(faults)
        self.answer = answer
        self.upstream = upstream.rstrip("/") if upstream else None
        self.hang_s = hang_s
        self.retry_after = retry_after
        self.overload_above = overload_above
        self.work_s = work_s
        self.reject_with = reject_with
        self.once_per_request = once_per_request
        self.echo_headers = echo_headers
        self.die_after = die_after
        self._slots = threading.Semaphore(slots) if slots else None
        #: Requests received, faults injected by kind, and the most in flight at once.
        self.requests = 0
        self.injected: Counter[str] = Counter()
        self.max_in_flight = 0
        self.authorization: set[str] = set()
        self._in_flight = 0
        self._fault_due = False
        self._faulted: set[str] = set()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.base_url = ""

    # -- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> FaultServer:
        handler = _handler_for(self)
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        server.request_queue_size = 256
        self._server = server
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def total_injected(self) -> int:
        return sum(self.injected.values())

    # -- scheduling ----------------------------------------------------------------------------

    def _admit(self, payload: dict[str, Any], authorization: str) -> str | None:
        """Count a request in; return the fault to inject into it, if any."""
        key = hashlib.sha256(json.dumps(payload.get("messages"), sort_keys=True).encode())
        with self._lock:
            self.requests += 1
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            self.authorization.add(authorization)
            if self.die_after is not None and self.requests >= self.die_after:
                os._exit(3)  # a crash: no reply, no cleanup, every connection reset
            if self.overload_above is not None and self._in_flight > self.overload_above:
                self.injected["overload-429"] += 1
                return "429"
            if self.every and self.requests % self.every == 0:
                self._fault_due = True
            fresh = key.hexdigest() not in self._faulted or not self.once_per_request
            if self._fault_due and fresh:
                self._fault_due = False
                self._faulted.add(key.hexdigest())
                fault = self.faults[self.total_injected % len(self.faults)]
                self.injected[fault] += 1
                return fault
            return None

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _reply(self, payload: dict[str, Any]) -> tuple[int, bytes]:
        if self.upstream is not None:
            request = urllib.request.Request(
                f"{self.upstream}/chat/completions",
                data=json.dumps(payload).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, response.read()
        if self._slots is not None:
            with self._slots:
                time.sleep(self.work_s)
        elif self.work_s:
            time.sleep(self.work_s)
        content, finish = self.answer(payload)
        body = completion_body(content, finish, str(payload.get("model", "")))
        return 200, json.dumps(body).encode()


def _handler_for(state: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers and the client's pool

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            fault = state._admit(payload, self.headers.get("Authorization", ""))
            try:
                if state.reject_with is not None:
                    self._send(state.reject_with, self._error("rejected"))
                elif fault is None:
                    self._send(*state._reply(payload))
                else:
                    self._inject(fault, payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout fault)
            finally:
                state._leave()

        def _inject(self, fault: str, payload: dict[str, Any]) -> None:
            if fault == "429-retry-after":
                self._send(429, self._error("rate limited"), {"Retry-After": state.retry_after})
            elif fault in ("429", "500", "502", "503"):
                self._send(int(fault), self._error(f"injected {fault}"))
            elif fault == "timeout":
                time.sleep(state.hang_s)
                self._send(*state._reply(payload))
            elif fault == "malformed":
                self._send(200, b'{"id": "chatcmpl-x", "choices": [{"index": 0, "mess')
            elif fault == "no-choices":
                body = completion_body("", "stop", "m")
                body["choices"] = []
                self._send(200, json.dumps(body).encode())
            elif fault == "reset":
                _, body = state._reply(payload)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                # SO_LINGER 0: close() sends RST instead of FIN, a connection reset mid-body.
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                self.close_connection = True

        def _error(self, message: str) -> bytes:
            if state.echo_headers or state.reject_with is not None:
                echoed = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
                message += f" request with {echoed}"
            return json.dumps(
                {"error": {"message": message, "type": "injected", "code": None}}
            ).encode()

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


class ServerProcess:
    """``FaultServer`` in a child process (its own GIL and file descriptors, for load tests):
    ``base_url`` while it runs, ``stats`` (requests, injected, max_in_flight) after ``stop``."""

    def __init__(self, *args: str) -> None:
        import subprocess
        import sys

        self._proc = subprocess.Popen(
            [sys.executable, __file__, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stdout is not None
        self.base_url = self._proc.stdout.readline().strip()
        if not self.base_url.startswith("http://"):
            self._proc.kill()
            raise RuntimeError("the fault server did not start")
        self.stats: dict[str, Any] = {}

    def stop(self) -> dict[str, Any]:
        if not self.stats:
            out, _ = self._proc.communicate(timeout=30)  # closing stdin ends it
            lines = out.strip().splitlines()
            # A server that died (--die-after) printed nothing more: its exit status tells.
            self.stats = json.loads(lines[-1]) if lines else {"exit": self._proc.returncode}
        return self.stats

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.stop()
        finally:
            if self._proc.poll() is None:
                self._proc.kill()
                self._proc.wait()


def main(argv: Sequence[str] | None = None) -> None:
    """``python tests/openai_fault_server.py [--every N] [--faults a,b] [--work-s S]``: print
    the base URL, serve until stdin closes, print the statistics (for load tests, benchmarks)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--every", type=int, default=0)
    parser.add_argument("--faults", default=",".join(FAULTS))
    parser.add_argument("--work-s", type=float, default=0.0, help="seconds per answer")
    parser.add_argument("--slots", type=int, default=None, help="answers worked on at once")
    parser.add_argument("--die-after", type=int, default=None, help="exit on request N")
    args = parser.parse_args(argv)
    with FaultServer(
        every=args.every,
        faults=args.faults.split(","),
        work_s=args.work_s,
        slots=args.slots,
        die_after=args.die_after,
    ) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()
        print(
            json.dumps(
                {
                    "requests": server.requests,
                    "injected": dict(server.injected),
                    "max_in_flight": server.max_in_flight,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
