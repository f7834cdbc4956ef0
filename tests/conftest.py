"""Shared fixtures: a tiny random Llama checkpoint, and a real `transformers serve` process on it.

Nothing here imports torch or transformers at module level: tests that do not ask for these
fixtures pay nothing for them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import functools
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy  # noqa: F401  (see below)
import pytest

pytest_plugins = ["pytester"]

# pytester's in-process runs drop the modules first imported inside them; numpy cannot be
# imported a second time in one process (its C types clash), so it is imported once, here.

# One torch thread per process: on 2 shared cores, two threads made tiny-model generation
# 10-40x slower whenever anything else was running (measured). Set before torch is imported.
os.environ.setdefault("OMP_NUM_THREADS", "1")
# Tests use local paths only; never let transformers reach for the Hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

#: ChatML, as many instruction-tuned checkpoints use it.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

_TOKENIZER_CORPUS = [
    "Hello, how are you today? I am fine, thank you for asking.",
    "Please explain how photosynthesis works in simple words.",
    "I cannot help with that request, but I can suggest something safer.",
    "Sure, here is how to bake bread: mix flour, water, salt and yeast.",
    "The weather is nice, so we are going for a walk in the park.",
    "Kako si danes? Hvala, dobro sem. Ali mi lahko pomagaš?",
    "Žal vam pri tem ne morem pomagati. Lahko pa predlagam kaj drugega.",
    "Kaip sekasi šiandien? Ačiū, gerai. Ar galite man padėti?",
    "Atsiprašau, negaliu padėti su šiuo prašymu.",
    "Kā tu šodien jūties? Paldies, labi. Vai vari man palīdzēt?",
    "Diemžēl es nevaru palīdzēt ar šo pieprasījumu.",
    "Jak se dnes máš? Děkuji, dobře. Můžeš mi pomoci s úkolem?",
    "Bohužel vám s tímto požadavkem nemohu pomoci.",
    "Jak się dziś masz? Dziękuję, dobrze. Czy możesz mi pomóc?",
    "Niestety nie mogę pomóc w tej sprawie, przykro mi.",
    "Wie geht es dir heute? Danke, gut. Kannst du mir helfen?",
    "Leider kann ich bei dieser Anfrage nicht helfen.",
    "Comment allez-vous aujourd'hui ? Très bien, merci beaucoup.",
    "Je ne peux pas vous aider avec cette demande, désolé.",
    "¿Cómo estás hoy? Muy bien, gracias. ¿Puedes ayudarme?",
    "Lo siento, no puedo ayudar con esa solicitud.",
    "Come stai oggi? Bene, grazie. Puoi aiutarmi con questo?",
]


def build_tiny_model(out: Path) -> Path:
    """Write a random-weight tiny Llama and a trained byte-level BPE tokenizer to ``out``.

    Hidden 64, 2 layers, 2 heads (head size 32, which vLLM's CPU kernels also accept),
    intermediate 128, vocabulary ~1000, seeded. initializer_range 0.2 (not the default 0.02)
    makes greedy answers depend on the prompt; at 0.02 every prompt gets the same newlines.
    """
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    special = ["<|pad|>", "<|bos|>", "<|im_start|>", "<|im_end|>"]
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=1000,
        special_tokens=special,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(_TOKENIZER_CORPUS * 10, trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        bos_token="<|bos|>",
        eos_token="<|im_end|>",
        pad_token="<|pad|>",
        padding_side="left",
    )
    tokenizer.chat_template = CHAT_TEMPLATE

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        intermediate_size=128,
        max_position_embeddings=512,
        tie_word_embeddings=True,
        initializer_range=0.2,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    model = LlamaForCausalLM(config).eval()
    model.generation_config.do_sample = False
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch
    import transformers  # noqa: F401

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS") or 1))  # torch may predate us
    return build_tiny_model(tmp_path_factory.mktemp("tiny-llama")).resolve()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"server not healthy after {timeout_s}s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def serve_checkpoint(model_dir: Path | None, log: Path, timeout_s: float = 60) -> Iterator[str]:
    """Run ``transformers serve`` on ``model_dir``; yield the OpenAI base URL (``.../v1``).

    The model name in requests must be exactly ``str(model_dir)``. With no ``model_dir`` the
    server loads whichever local checkpoint a request names by its path.
    """
    port = free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        # The CLI otherwise asks PyPI once a day whether transformers is outdated.
        "HF_HUB_DISABLE_UPDATE_CHECK": "1",
        "OMP_NUM_THREADS": "1",
    }
    command = [
        sys.executable, "-m", "transformers.cli.transformers",
        "serve", *([str(model_dir)] if model_dir is not None else []),
        "--host", "127.0.0.1", "--port", str(port), "--device", "cpu",
    ]  # fmt: skip
    with log.open("wb") as sink:
        proc = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/health", proc, log, timeout_s=timeout_s)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def transformers_server(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """``transformers serve`` on the tiny random model; yields the OpenAI base URL."""
    with serve_checkpoint(tiny_model_dir, tmp_path_factory.mktemp("serve") / "serve.log") as url:
        yield url


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "server: starts a model server process (deselect with -m 'not server')"
    )
    config.addinivalue_line(
        "markers", "unchecked_results: the test writes results files that break the schema"
    )


# --- CI hygiene: a hypothesis profile, and no skip that is not on the allowed list ------------
# (Active in CI, i.e. where the CI environment variable is set, or with --strict-skips.)

#: Skips CI accepts, each with the reason it is acceptable there (see the file's header).
ALLOWED_SKIPS = Path(__file__).with_name("allowed_skips.txt")


def running_in_ci() -> bool:
    """Whether ``CI`` is set to anything but empty/0/false/no (GitHub, GitLab, .ci/run set it)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def register_hypothesis_profiles() -> None:
    """``ci``: no deadline and no too-slow health check (time on 2 loaded cores says nothing
    about the code), derandomised (a failure reproduces on the next run), no example database
    (a clean clone has none). Loaded where ``CI`` is set; ``HYPOTHESIS_PROFILE`` picks another."""
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "ci",
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    profile = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if running_in_ci() else None)
    if profile is not None:
        settings.load_profile(profile)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ci", "the project's own CI checks")
    group.addoption(
        "--strict-skips",
        action="store_true",
        help="fail the run when a test skips for a reason not in the allowed-skips list "
        "(always on where CI is set)",
    )
    group.addoption(
        "--allowed-skips",
        metavar="PATH",
        default=str(ALLOWED_SKIPS),
        help="the allowed-skips list (default: tests/allowed_skips.txt)",
    )


@dataclasses.dataclass(frozen=True)
class AllowedSkip:
    """One line of the list: ``NODE-ID PATTERN | REASON PATTERN | WHY`` (fnmatch patterns)."""

    nodeid: str
    reason: str
    why: str

    def matches(self, nodeid: str, reason: str) -> bool:
        return fnmatch.fnmatchcase(nodeid, self.nodeid) and fnmatch.fnmatchcase(reason, self.reason)


def read_allowed_skips(path: Path) -> list[AllowedSkip]:
    """The entries of an allowed-skips file; a malformed line or one without its why is an
    error (a skip allowed for no stated reason is not allowed)."""
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in line.split("|")]
        if len(fields) != 3 or not all(fields):
            raise pytest.UsageError(
                f"{path}:{number}: expected 'NODE-ID PATTERN | REASON PATTERN | WHY', got {line!r}"
            )
        entries.append(AllowedSkip(*fields))
    return entries


def _skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


class SkipGate:
    """Records every skip (on the controller under xdist: workers send their reports there) and
    fails the run when one matches no entry of the allowed list."""

    def __init__(self, allowed: list[AllowedSkip], source: Path) -> None:
        self.allowed = allowed
        self.source = source
        self.used: set[AllowedSkip] = set()
        self.refused: list[tuple[str, str]] = []

    def record(self, report: pytest.TestReport | pytest.CollectReport) -> None:
        if not report.skipped or hasattr(report, "wasxfail"):  # an xfail is not a skip
            return
        reason = _skip_reason(report)
        entry = next((e for e in self.allowed if e.matches(report.nodeid, reason)), None)
        if entry is None:
            self.refused.append((report.nodeid, reason))
        else:
            self.used.add(entry)

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.record(report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self.record(report)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.refused and session.exitstatus in (
            pytest.ExitCode.OK,
            pytest.ExitCode.NO_TESTS_COLLECTED,
        ):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.refused:
            return
        terminalreporter.section("skips not on the allowed list", sep="=", red=True, bold=True)
        for nodeid, reason in self.refused:
            terminalreporter.line(f"SKIPPED {nodeid}: {reason}", red=True)
        terminalreporter.line(
            f"{len(self.refused)} skip(s) not allowed in CI: make the test run here, or add "
            f"'NODE-ID | REASON | WHY' to {self.source} with the reason it may skip in CI"
        )


def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    if importlib.util.find_spec("hypothesis") is not None:
        register_hypothesis_profiles()
    strict = config.getoption("strict_skips") or running_in_ci()
    if strict and not hasattr(config, "workerinput"):  # the xdist controller, or no xdist
        source = Path(config.getoption("allowed_skips"))
        gate = SkipGate(read_allowed_skips(source), source)
        config.pluginmanager.register(gate, "saferegress-tests-skip-gate")


@pytest.fixture(autouse=True, scope="session")
def _user_cache_dir_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """saferegress memoises checkpoint hashes under $XDG_CACHE_HOME: tests keep out of the
    user's (pytest runs in subprocesses inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


# --- Every results file a test makes is checked against the shipped JSON Schema -------------
#: The results schema's tag; files written by saferegress also carry ``saferegress_version``,
#: which the hand-made (sometimes deliberately broken) results dicts in tests leave out.
RESULTS_TAG = "saferegress/results/v1"


def results_files(root: Path) -> list[Path]:
    """JSON files under ``root`` that saferegress wrote in the results format."""
    import json

    found = []
    for path in sorted(root.rglob("*.json")):
        try:
            with path.open("rb") as handle:
                if RESULTS_TAG.encode() not in handle.read(512):
                    continue
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("schema") == RESULTS_TAG:
            if "saferegress_version" in data:
                found.append(path)
    return found


@functools.cache
def results_validator() -> Any:
    """A validator of results.schema.json as the package ships it."""
    import json
    from importlib.resources import files

    import jsonschema

    schema = json.loads(
        files("saferegress.analysis").joinpath("results.schema.json").read_text("utf-8")
    )
    return jsonschema.Draft202012Validator(schema)


def results_schema_problems(data: Any, where: str = "") -> list[str]:
    """Every place where ``data`` disagrees with results.schema.json (empty: it conforms)."""
    errors = sorted(results_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
    # A nullable field is "anyOf: [thing, null]": name what is wrong deepest inside the thing.
    for index, error in enumerate(errors):
        while error.context:
            error = max(error.context, key=lambda e: len(e.absolute_path))
        errors[index] = error
    return [
        f"{where}{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}"
        for e in errors
    ]


_checked_results: set[tuple[Path, int]] = set()
#: Folders of tests marked ``unchecked_results`` (they make non-conforming files on purpose).
_unchecked_roots: set[Path] = set()


def _check_results_under(roots: list[Path]) -> list[str]:
    import json

    problems: list[str] = []
    for root in roots:
        for path in results_files(root):
            if any(path.is_relative_to(skip) for skip in _unchecked_roots):
                continue
            key = (path, path.stat().st_mtime_ns)
            if key not in _checked_results:
                _checked_results.add(key)
                data = json.loads(path.read_text(encoding="utf-8"))
                problems += results_schema_problems(data, f"{path}: ")
    return problems


@pytest.fixture(autouse=True)
def _results_follow_schema(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """After each test, the results files in the temporary folders it made must match the
    schema (a product-written results.json that does not is a failure of that test)."""
    base = tmp_path_factory.getbasetemp()
    before = set(os.listdir(base))
    yield
    made = [base / name for name in sorted(os.listdir(base)) if name not in before]
    if request.node.get_closest_marker("unchecked_results"):
        _unchecked_roots.update(made)
        return
    problems = _check_results_under(made)
    if problems:
        pytest.fail("results file(s) do not match results.schema.json:\n" + "\n".join(problems))


@pytest.fixture(autouse=True, scope="session")
def _all_results_follow_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """At the end: files written later into an older folder (a module fixture's) as well."""
    yield
    problems = _check_results_under([tmp_path_factory.getbasetemp()])
    if problems:
        pytest.fail("results file(s) do not match results.schema.json:\n" + "\n".join(problems))
