"""The cache under crashes and damage: SIGKILL while judging, a kill in the middle of a commit,
and cache files that are garbage, truncated, not sqlite, or of another schema version."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from saferegress.engine.cache import SCHEMA_VERSION, ResultCache, guard_fingerprint, verdict_key
from saferegress.errors import CacheError
from saferegress.guards.refusal import RefusalJudge
from test_cache import ARGS, LOGGED_TARGET, logged_prompts, verdicts, write_suite

# Wraps the real refusal guard: logs every judge call's prompts to $JUDGE_LOG and, when
# $JUDGE_STALL names a file, writes it in the second call and hangs there (judging, not
# generating, is what gets killed).
STALLING_JUDGE_CONFTEST = """
import json, os, time
from saferegress.guards.refusal import RefusalJudge

_real_judge = RefusalJudge.judge
_calls = []

def _logged_judge(self, items):
    _calls.append(len(items))
    with open(os.environ["JUDGE_LOG"], "a") as handle:
        handle.write(json.dumps([item.prompt for item in items]) + "\\n")
    stall = os.environ.get("JUDGE_STALL")
    if stall and len(_calls) == 2:
        open(stall, "w").close()
        time.sleep(600)
    return _real_judge(self, items)

RefusalJudge.judge = _logged_judge
"""


def judged_prompts(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def _run(cwd: Path, env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait_for(path: Path, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
        assert time.monotonic() < deadline, f"the run never reached {what}"
        time.sleep(0.05)


def test_sigkill_while_judging_then_rerun_loses_and_repeats_nothing(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    pytester.makepyfile(logged_target=LOGGED_TARGET)
    pytester.makeconftest(STALLING_JUDGE_CONFTEST)
    # 600 cases: judged in chunks of 256, so the run judges three times; it hangs in the second.
    total = write_suite(pytester.path / "suites" / "s.jsonl", per_lang=50)
    gen_log, judge_log = tmp_path / "generate.jsonl", tmp_path / "judge.jsonl"
    env = {
        **os.environ,
        "PYTHONPATH": str(pytester.path),
        "OMP_NUM_THREADS": "1",
        "LOGGED_LOG": str(gen_log),
        "JUDGE_LOG": str(judge_log),
    }
    stall = tmp_path / "stalled"

    proc = _run(pytester.path, {**env, "JUDGE_STALL": str(stall)}, *ARGS)
    _wait_for(stall, proc, "its second judging chunk")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (pytester.path / "reports" / "results.json").exists()
    assert len(logged_prompts(gen_log)) == total  # every answer was generated (and committed)
    finished_chunk, killed_chunk = judged_prompts(judge_log)
    assert len(finished_chunk) == len(killed_chunk) == 256

    resumed = _run(pytester.path, env, *ARGS)
    assert resumed.wait(timeout=300) == 0, resumed.stdout.read().decode()
    assert len(logged_prompts(gen_log)) == total  # nothing generated again
    rerun = [p for call in judged_prompts(judge_log)[2:] for p in call]
    # Exactly what was not committed before the kill is judged again, each answer once.
    assert len(rerun) == len(set(rerun)) == total - 256
    assert set(rerun) | set(finished_chunk) == {c for c in _suite_prompts(pytester.path)}
    assert not set(rerun) & set(finished_chunk)
    # Every guard verdict is in the cache (the table also holds other judgements, such as
    # detected languages, so the refusal guard's keys are looked up one by one).
    fingerprint = guard_fingerprint(RefusalJudge())
    cases = {
        c["id"]: c
        for c in json.loads(
            (pytester.path / "reports" / "results.json").read_text(encoding="utf-8")
        )["cases"]
    }
    keys = [
        verdict_key(fingerprint, c["lang"], c["kind"], c["prompt"], c["response"])
        for c in cases.values()
    ]
    cache = ResultCache(pytester.path / ".saferegress-cache")
    assert len(cache.get_judgements(keys)) == len(set(keys)) == total
    cache.close()

    # The same suite, uninterrupted, uncached, with the unwrapped guard, in a fresh directory.
    fresh = tmp_path / "fresh"
    write_suite(fresh / "suites" / "s.jsonl", per_lang=50)
    clean = _run(fresh, {**env, "LOGGED_LOG": str(tmp_path / "fresh.log")}, *ARGS, "--no-cache")
    assert clean.wait(timeout=300) == 0, clean.stdout.read().decode()
    resumed_verdicts = verdicts(pytester.path)
    assert len(resumed_verdicts) == total
    assert verdicts(fresh) == resumed_verdicts


def _suite_prompts(directory: Path) -> list[str]:
    lines = (directory / "suites" / "s.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["prompt"] for line in lines]


# A writer that commits batches of BATCH rows as fast as it can and prints each batch number
# once its commit has returned, until it is killed.
TORN_WRITER = """
import sys
from saferegress.engine.cache import ResultCache

cache = ResultCache(sys.argv[1])
start = int(sys.argv[2])
payload = "x" * 2000
for batch in range(start, start + 10_000):
    cache.put_answers({f"b{batch:05d}-{row:04d}": payload for row in range(%(batch)d)})
    print(batch, flush=True)
"""
BATCH = 1000


def test_a_kill_in_the_middle_of_commits_leaves_whole_batches_only(tmp_path: Path) -> None:
    writer = tmp_path / "writer.py"
    writer.write_text(TORN_WRITER % {"batch": BATCH})
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    rng = random.Random(9)
    acknowledged: list[int] = []
    kills = 0
    for round_ in range(6):
        proc = subprocess.Popen(
            [sys.executable, str(writer), str(tmp_path / "c"), str(round_ * 10_000)],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert proc.stdout is not None
        acknowledged.append(int(proc.stdout.readline()))  # at least one commit went through
        time.sleep(rng.uniform(0.0, 0.4))  # then kill it at a random point of a later one
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate()
        acknowledged += [int(n) for n in rest.split()]
        kills += 1

    # A frame torn halfway through its write: garbage after the last whole frame of the WAL.
    wal = tmp_path / "c" / "cache.sqlite3-wal"
    if wal.exists():
        with wal.open("ab") as handle:
            handle.write(rng.randbytes(3000))
    db = sqlite3.connect(tmp_path / "c" / "cache.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    sizes = dict(db.execute("SELECT substr(key, 1, 6), count(*) FROM answers GROUP BY 1"))
    db.close()
    assert kills == 6
    assert all(size == BATCH for size in sizes.values()), "a batch was committed in part"
    # Every commit that returned is on disk; at most the killed one per round is missing.
    assert {f"b{n:05d}" for n in acknowledged} <= set(sizes)
    assert len(sizes) - len(acknowledged) <= kills
    # And the cache still works for the next run.
    ResultCache(tmp_path / "c").put_answers({"after": "ok"})


# -- damaged cache files -------------------------------------------------------------------------


def _valid_cache(directory: Path) -> Path:
    cache = ResultCache(directory)
    cache.put_answers({f"k{n}": "answer " * 50 for n in range(3000)})
    cache.close()
    return directory / ResultCache.FILENAME


def _garbage(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(20_000))


def _truncated(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 3)


def _text_file(path: Path) -> None:
    path.write_text("not a database, just notes\n" * 100)


def _other_version(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()


def _other_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript("DROP TABLE answers; CREATE TABLE answers (key TEXT, model TEXT, text TEXT);")
    db.close()


def _damaged_pages(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.seek(4096 * 4)
        handle.write(random.Random(2).randbytes(4096 * 8))


DAMAGE = {
    "garbage": (_garbage, "file is not a database"),
    "truncated": (_truncated, "malformed"),
    "text file": (_text_file, "file is not a database"),
    "other version": (_other_version, f"schema version {SCHEMA_VERSION + 1}"),
    "other schema": (_other_schema, "table 'answers' has columns"),
    "damaged pages": (_damaged_pages, "malformed"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_cache_is_one_clear_line_and_a_failed_run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    pytester.makepyfile(logged_target=LOGGED_TARGET)
    pytester.syspathinsert()
    monkeypatch.setenv("LOGGED_LOG", str(pytester.path / "calls.jsonl"))
    write_suite(pytester.path / "suites" / "s.jsonl", per_lang=2)
    wreck, reason = DAMAGE[damage]
    path = _valid_cache(pytester.path / ".saferegress-cache")
    wreck(path)
    for name in (path.name + "-wal", path.name + "-shm"):
        (path.parent / name).unlink(missing_ok=True)

    result = pytester.runpytest(*ARGS)
    output = result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, output
    [line] = [line for line in output.splitlines() if "cache file" in line]
    assert str(path) in line and reason in line
    assert "delete it or run with --no-cache" in line
    assert "Traceback" not in output and "sqlite3." not in output
    assert not (pytester.path / "reports" / "results.json").exists()
    if damage == "garbage":  # once is enough for these two:
        # Under xdist the same line, from the controller, before any worker starts.
        result = pytester.runpytest(*ARGS, "-n", "2")
        output = result.stdout.str() + result.stderr.str()
        assert result.ret == pytest.ExitCode.USAGE_ERROR, output
        assert line in output and "INTERNALERROR" not in output
        # The way out the message names works.
        assert pytester.runpytest(*ARGS, "--no-cache").ret == 0


def test_a_cache_from_before_schema_versions_is_kept(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / ResultCache.FILENAME)
    db.executescript(
        "CREATE TABLE answers (key TEXT PRIMARY KEY, text TEXT NOT NULL);"
        "CREATE TABLE verdicts (key TEXT PRIMARY KEY, judgement TEXT NOT NULL);"
        "INSERT INTO answers VALUES ('k', 'kept');"
    )
    db.close()
    assert ResultCache(tmp_path).get_answers(["k"]) == {"k": "kept"}
    version = sqlite3.connect(tmp_path / ResultCache.FILENAME).execute("PRAGMA user_version")
    assert version.fetchone()[0] == SCHEMA_VERSION


def test_damage_found_while_reading_is_a_cache_error(tmp_path: Path) -> None:
    path = _valid_cache(tmp_path)
    cache = ResultCache(tmp_path)  # opens: the header and schema are intact
    _damaged_pages(path)
    with pytest.raises(CacheError, match="delete it or run with --no-cache"):
        cache.get_answers([f"k{n}" for n in range(3000)])
