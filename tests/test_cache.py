"""The answer/verdict cache: keys, crash safety, and what a rerun does (and does not) redo."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from saferegress.backends.base import Generation
from saferegress.engine.cache import ResultCache, answer_key, guard_fingerprint, spec_fingerprint
from saferegress.engine.runner import CaseRunner
from saferegress.guards.base import JudgeInput, Judgement
from saferegress.guards.refusal import RefusalJudge
from saferegress.languages import LANGUAGES
from saferegress.suite.cases import Case

# A target whose answers depend on the prompt only; it logs its loading and every generate call
# (pid, prompts) to $LOGGED_LOG and, when $LOGGED_STALL names a file, writes it after its first call
# and then hangs in the second, so a test can kill the run in the middle.
LOGGED_TARGET = """
import json, os, time
from saferegress.backends.base import Generation

class Logged:
    name = "logged"
    fingerprint = "logged-v1"

    def __init__(self, options):
        self.calls = 0
        with open(os.environ["LOGGED_LOG"], "a") as handle:
            handle.write(json.dumps({"pid": os.getpid(), "loaded": True, "prompts": []}) + "\\n")

    def generate(self, conversations):
        prompts = [c[-1]["content"] for c in conversations]
        self.calls += 1
        with open(os.environ["LOGGED_LOG"], "a") as handle:
            handle.write(json.dumps({"pid": os.getpid(), "prompts": prompts}) + "\\n")
        stall = os.environ.get("LOGGED_STALL")
        if stall and self.calls == 2:
            open(stall, "w").close()
            time.sleep(600)
        return [Generation("Sure, here is how: " + p) if int(p.split()[-1]) % 3 == 0
                else Generation("I can't help with that.") for p in prompts]

    def close(self):
        pass

def make(options):
    return Logged(options)
"""


def write_suite(path: Path, per_lang: int) -> int:
    rows = []
    for lang in LANGUAGES:
        for n in range(per_lang):
            rows.append(
                {
                    "id": f"c{n:04d}-{lang}",
                    "lang": lang,
                    "category": f"S{n % 14 + 1}",
                    "style": "plain",
                    "kind": "attack" if n % 5 else "benign",
                    "prompt": f"request {lang} {n}",
                    "group": f"g{n}",
                    "source": "test",
                }
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def logged_prompts(log: Path) -> list[str]:
    if not log.exists():
        return []
    return [p for line in log.read_text().splitlines() for p in json.loads(line)["prompts"]]


def verdicts(directory: Path) -> dict[str, tuple[str, str]]:
    results = json.loads((directory / "reports" / "results.json").read_text(encoding="utf-8"))
    return {c["id"]: (c["verdict"], c["response"]) for c in results["cases"]}


@pytest.fixture
def logged(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    pytester.makepyfile(logged_target=LOGGED_TARGET)
    pytester.syspathinsert()
    monkeypatch.setenv("LOGGED_LOG", str(pytester.path / "calls.jsonl"))
    return pytester


ARGS = [
    "suites",
    "--model",
    "py:logged_target:make",
    "--max-asr",
    "100%",
    "--max-over-refusal",
    "100%",
    "-p",
    "no:cacheprovider",
]


# -- the store -------------------------------------------------------------------------------


def test_store_survives_reopening_and_runs_in_wal_mode(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c")
    cache.put_answers({"k1": "answer one"})
    cache.put_judgements({"v1": {"refused": True}})
    cache.close()
    again = ResultCache(tmp_path / "c")
    assert again.get_answers(["k1", "missing"]) == {"k1": "answer one"}
    assert again.get_judgements(["v1"]) == {"v1": {"refused": True}}
    mode = sqlite3.connect(again.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    # The cache keeps itself out of git.
    assert (tmp_path / "c" / ".gitignore").read_text().strip().endswith("*")


def _open_cache_at_once(directory: str, barrier: Any, failures: Any) -> None:
    barrier.wait()
    try:
        ResultCache(directory).close()
    except Exception as exc:  # reported to the parent, which names it
        failures.put(f"{type(exc).__name__}: {exc}")


def test_workers_opening_a_new_cache_at_the_same_moment_all_get_it(tmp_path: Path) -> None:
    """xdist workers start together and each opens the (new) cache: switching a new file to WAL
    takes a lock SQLite does not wait for, so before the retry about one open in twenty failed
    ("database is locked") and that worker ran uncached."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    failures = context.Queue()
    for attempt in range(25):
        directory = str(tmp_path / str(attempt))
        barrier = context.Barrier(4)
        workers = [
            context.Process(target=_open_cache_at_once, args=(directory, barrier, failures))
            for _ in range(4)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
    found = []
    while not failures.empty():
        found.append(failures.get())
    assert found == []


def test_answer_key_depends_on_model_messages_and_parameters() -> None:
    messages = [{"role": "user", "content": "hi"}]
    base = answer_key("m1", messages, {"max_new_tokens": 64})
    assert base == answer_key("m1", [dict(messages[0])], {"max_new_tokens": 64})
    assert base != answer_key("m2", messages, {"max_new_tokens": 64})
    assert base != answer_key("m1", [{"role": "user", "content": "hi!"}], {"max_new_tokens": 64})
    assert base != answer_key("m1", messages, {"max_new_tokens": 32})


def test_fingerprints_hash_weights_and_never_hold_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkpoint = tmp_path / "ckpt"
    checkpoint.mkdir()
    (checkpoint / "config.json").write_text("{}")
    (checkpoint / "model.safetensors").write_bytes(b"weights-1")
    first = spec_fingerprint(str(checkpoint))
    assert first is not None and first.startswith("hf:sha256:")
    assert spec_fingerprint(f"vllm:{checkpoint}") != first  # another engine, other answers
    (checkpoint / "README.md").write_text("notes")
    assert spec_fingerprint(f"hf:{checkpoint}") == first  # docs do not change answers
    (checkpoint / "model.safetensors").write_bytes(b"weights-2")
    assert spec_fingerprint(str(checkpoint)) != first

    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret-key")
    url = "https://user:hunter2pass@gateway.example/v1?api_key=sk-query-secret"
    endpoint = spec_fingerprint("openai:gpt-x", url)
    assert endpoint == "openai:gpt-x@https://gateway.example/v1"
    assert spec_fingerprint("py:module:factory") is None


def test_code_guards_get_a_source_fingerprint_model_guards_must_bring_one() -> None:
    assert guard_fingerprint(RefusalJudge()).startswith("refusal@")

    class ModelGuard:
        name = "llama-guard:/models/lg"

    assert guard_fingerprint(ModelGuard()) is None
    ModelGuard.fingerprint = "lg@sha256:abc"  # type: ignore[attr-defined]
    assert guard_fingerprint(ModelGuard()) == "lg@sha256:abc"


def test_the_default_judge_is_imported_only_when_a_verdict_is_missing(tmp_path: Path) -> None:
    """The run's judge when it is the built-in ``refusal`` alone is built on its first judging
    call, under the fingerprint the built guard has: a fully cached rerun never imports it."""
    from saferegress.engine.runner import DeferredGuard, runner_for
    from saferegress.settings import settings_from

    default = settings_from({"model": "demo"}, {}, "pyproject.toml")
    runner = runner_for(default, cache=ResultCache(tmp_path), target_fingerprint="t-v1")
    (guard,) = runner.guards
    assert isinstance(guard, DeferredGuard) and not guard.built
    assert guard.name == RefusalJudge.name
    assert guard_fingerprint(guard) == guard_fingerprint(RefusalJudge())
    target = CountingTarget()
    runner._load_target = lambda: target
    first = runner.run(make_cases(4))
    assert guard.built  # the cache was empty
    assert isinstance(guard.guard(), RefusalJudge)
    runner.close()

    again = runner_for(default, cache=ResultCache(tmp_path), target_fingerprint="t-v1")
    again._load_target = lambda: target
    assert again.run(make_cases(4)) == first
    assert not again.guards[0].built  # type: ignore[attr-defined]
    again.close()

    # Anything else is built as before: a guard trusted in some languages, a policy.
    for table in ({"guard_languages": "refusal=en"}, {"guard_policy": "any"}):
        other = settings_from({"model": "demo"}, table, "pyproject.toml")
        built = runner_for(other)
        assert not isinstance(built.guards[0], DeferredGuard)
        built.close()


# -- the runner through the cache ------------------------------------------------------------


class CountingTarget:
    name = "counting"
    fingerprint = "counting-v1"

    def __init__(self, fail: set[str] = frozenset()) -> None:
        self.generated: list[str] = []
        self.fail = fail

    def generate(self, conversations):  # type: ignore[no-untyped-def]
        prompts = [c[-1]["content"] for c in conversations]
        self.generated += prompts
        return [
            Generation(None, "HTTP 503") if p in self.fail else Generation(f"Sure: {p}")
            for p in prompts
        ]

    def close(self) -> None:
        pass


class CountingGuard:
    name = "counting-guard"
    fingerprint = "counting-guard-v1"

    def __init__(self) -> None:
        self.judged: list[str] = []

    def judge(self, items: list[JudgeInput]) -> list[Judgement]:
        self.judged += [i.response for i in items]
        return [Judgement(refused=False, unsafe=True, categories=("S1",)) for _ in items]


def make_cases(n: int, lang: str = "de") -> list[Case]:
    return [
        Case(
            id=f"c{i}",
            lang=lang,
            category="S1",
            style="plain",
            kind="attack",
            prompt=f"prompt {i}",
            group=f"g{i}",
            source="t",
            path="s.jsonl",
            line=i + 1,
        )
        for i in range(n)
    ]


def test_unchanged_rerun_neither_generates_nor_judges(tmp_path: Path) -> None:
    cases = make_cases(30)
    target, guard = CountingTarget(fail={"prompt 7"}), CountingGuard()
    first = CaseRunner(
        lambda: target,
        [guard],
        cache=ResultCache(tmp_path),
        chunk_size=8,
        generation_params={"max_new_tokens": 64},
    )
    before = [o.to_record() for o in first.run(cases)]
    first.close()
    assert len(target.generated) == 30 and len(guard.judged) == 29

    target2, guard2 = CountingTarget(), CountingGuard()
    again = CaseRunner(
        lambda: target2,
        [guard2],
        cache=ResultCache(tmp_path),
        chunk_size=8,
        generation_params={"max_new_tokens": 64},
    )
    after = [o.to_record() for o in again.run(cases)]
    # Only the failed answer is asked again (failures are never cached), and judged.
    assert target2.generated == ["prompt 7"]
    assert guard2.judged == ["Sure: prompt 7"]
    assert [r for r in after if r["id"] != "c7"] == [r for r in before if r["id"] != "c7"]
    assert before[7]["verdict"] == "error" and after[7]["verdict"] == "unsafe"

    target3 = CountingTarget()
    other_params = CaseRunner(
        lambda: target3,
        [CountingGuard()],
        cache=ResultCache(tmp_path),
        generation_params={"max_new_tokens": 32},
    )
    other_params.run(cases)
    assert len(target3.generated) == 30


def test_targets_without_a_fingerprint_are_not_cached(tmp_path: Path) -> None:
    class Anonymous(CountingTarget):
        fingerprint = None  # type: ignore[assignment]

    target = Anonymous()
    for _ in range(2):
        CaseRunner(lambda: target, [CountingGuard()], cache=ResultCache(tmp_path)).run(
            make_cases(5)
        )
    assert len(target.generated) == 10


# -- the plugin --------------------------------------------------------------------------------


def test_rerun_through_pytest_uses_the_cache_and_no_cache_bypasses_it(
    logged: pytest.Pytester,
) -> None:
    total = write_suite(logged.path / "suites" / "s.jsonl", per_lang=5)
    log = logged.path / "calls.jsonl"
    assert logged.runpytest(*ARGS).ret == 0
    first = verdicts(logged.path)
    assert len(logged_prompts(log)) == total
    assert (logged.path / ".saferegress-cache" / "cache.sqlite3").is_file()

    assert logged.runpytest(*ARGS).ret == 0
    assert len(logged_prompts(log)) == total  # nothing generated the second time
    assert verdicts(logged.path) == first

    assert logged.runpytest(*ARGS, "--no-cache").ret == 0
    assert len(logged_prompts(log)) == 2 * total
    assert logged.runpytest(*ARGS, "--cache-dir", "elsewhere").ret == 0
    assert len(logged_prompts(log)) == 3 * total
    assert (logged.path / "elsewhere" / "cache.sqlite3").is_file()


def _pytest_subprocess(cwd: Path, env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_sigkill_halfway_then_rerun_gives_the_uninterrupted_results(
    logged: pytest.Pytester, tmp_path: Path
) -> None:
    # 1200 cases: generate is called per chunk of 256, so a run has five calls.
    total = write_suite(logged.path / "suites" / "s.jsonl", per_lang=100)
    env = {**os.environ, "PYTHONPATH": str(logged.path), "OMP_NUM_THREADS": "1"}
    log = Path(env["LOGGED_LOG"])

    stall = tmp_path / "stalled"
    proc = _pytest_subprocess(logged.path, {**env, "LOGGED_STALL": str(stall)}, *ARGS)
    deadline = time.monotonic() + 120
    while not stall.exists():
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
        assert time.monotonic() < deadline, "the run never reached its second chunk"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)  # no cleanup, no atexit: as if the machine lost power
    proc.wait()
    assert not (logged.path / "reports" / "results.json").exists()
    done_before_kill = len(logged_prompts(log)) - 256  # the stalled chunk never finished

    resumed = _pytest_subprocess(logged.path, env, *ARGS)
    assert resumed.wait(timeout=300) == 0
    regenerated = len(logged_prompts(log)) - done_before_kill - 256
    assert regenerated == total - done_before_kill  # the first chunk was not generated again
    resumed_verdicts = verdicts(logged.path)

    # The same suite, uninterrupted and uncached, in a fresh directory.
    fresh = tmp_path / "fresh"
    write_suite(fresh / "suites" / "s.jsonl", per_lang=100)
    clean = _pytest_subprocess(
        fresh, {**env, "LOGGED_LOG": str(tmp_path / "fresh.log")}, *ARGS, "--no-cache"
    )
    assert clean.wait(timeout=300) == 0
    assert verdicts(fresh) == resumed_verdicts
    assert len(resumed_verdicts) == total


def test_a_fully_cached_rerun_does_not_load_the_model(pytester: pytest.Pytester) -> None:
    """Nor the guard, its lexicons, the language detector, numpy (which only the detector
    needs) or tqdm (no progress bar is drawn to a pipe): a no-change rerun reads answers,
    verdicts and detected languages from the cache and imports none of them."""
    from saferegress.backends import DEMO_MODEL_DIR

    if not (DEMO_MODEL_DIR / "config.json").is_file():
        pytest.skip("demo model not built")
    write_suite(pytester.path / "suites" / "s.jsonl", per_lang=3)
    pytester.makeconftest(
        "import json, sys\n"
        "HEAVY = ('torch', 'transformers', 'saferegress.guards.refusal',\n"
        "         'saferegress.guards.lexicons', 'lingua', 'numpy', 'tqdm')\n"
        "def pytest_unconfigure(config):\n"
        "    with open('loaded.txt', 'a') as fh:\n"
        "        fh.write(str('torch' in sys.modules) + '\\n')\n"
        "    with open('heavy.jsonl', 'a') as fh:\n"
        "        fh.write(json.dumps([m for m in HEAVY if m in sys.modules]) + '\\n')\n"
    )
    args = [
        "suites",
        "--model",
        "demo",
        "--max-asr",
        "100%",
        "--max-over-refusal",
        "100%",
        "-p",
        "no:cacheprovider",
    ]
    first = pytester.runpytest_subprocess(*args)
    assert first.ret == 0, first.stdout.str()
    results = (pytester.path / "reports" / "results.json").read_text(encoding="utf-8")
    again = pytester.runpytest_subprocess(*args)
    assert again.ret == 0, again.stdout.str()
    assert (pytester.path / "loaded.txt").read_text().split() == ["True", "False"]
    loaded = [json.loads(line) for line in (pytester.path / "heavy.jsonl").read_text().splitlines()]
    # The first run used the model and the judge, so the check can see them (lingua only where
    # the detector needs it).
    assert set(loaded[0]) >= {
        "torch",
        "transformers",
        "saferegress.guards.refusal",
        "saferegress.guards.lexicons",
        "numpy",
    }
    assert loaded[1] == []
    rerun = (pytester.path / "reports" / "results.json").read_text(encoding="utf-8")
    strip = lambda text: {c["id"]: c for c in json.loads(text)["cases"]}  # noqa: E731
    assert strip(rerun) == strip(results)
