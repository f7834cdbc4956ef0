"""Under xdist each worker batches exactly the cases sent to it: no case is generated twice,
the model loads at most once per process, and the verdicts equal a serial run's."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from saferegress.languages import LANGUAGES
from test_cache import ARGS, LOGGED_TARGET, verdicts, write_suite


def calls(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()]


@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["cache", "no-cache"])
def test_two_workers_generate_each_case_once_and_agree_with_serial(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, cache: list[str]
) -> None:
    pytester.makepyfile(logged_target=LOGGED_TARGET)
    pytester.syspathinsert()
    monkeypatch.setenv("PYTHONPATH", str(pytester.path))
    total = write_suite(pytester.path / "suites" / "s.jsonl", per_lang=40)

    monkeypatch.setenv("LOGGED_LOG", str(pytester.path / "serial.jsonl"))
    assert pytester.runpytest(*ARGS, "--no-cache").ret == 0
    serial = verdicts(pytester.path)

    log = pytester.path / "parallel.jsonl"
    monkeypatch.setenv("LOGGED_LOG", str(log))
    result = pytester.runpytest_subprocess(*ARGS, *cache, "-n", "2", "-p", "xdist")
    assert result.ret == 0, result.stdout.str()
    assert verdicts(pytester.path) == serial

    records = calls(log)
    generated = Counter(p for r in records for p in r["prompts"])
    assert len(generated) == total
    assert generated.most_common(1)[0][1] == 1, "a case was generated twice"
    loads = Counter(r["pid"] for r in records if r.get("loaded"))
    assert len(loads) == 2 and set(loads.values()) == {1}
    # Batched, not one call per case: each worker's queue arrives in a handful of chunks.
    batches = [r for r in records if r["prompts"]]
    assert len(batches) <= total // 10


def test_a_model_that_cannot_load_fails_the_gate_clearly_under_xdist(
    pytester: pytest.Pytester,
) -> None:
    # pytest.exit inside a worker would be an INTERNALERROR with the reason lost.
    result = run_unloadable(pytester)
    result.stdout.fnmatch_lines(
        ["*FAIL saferegress errors: * case(s) have no verdict*cannot import 'nosuchmodule'*"]
    )


def run_unloadable(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """A run under ``-n 2`` whose model cannot be loaded."""
    write_suite(pytester.path / "suites" / "s.jsonl", per_lang=4)
    result = pytester.runpytest_subprocess(
        "suites",
        "--model",
        "py:nosuchmodule:make",
        *args,
        "-n",
        "2",
        "-p",
        "xdist",
        "-p",
        "no:cacheprovider",
    )
    output = result.stdout.str() + result.stderr.str()
    assert result.ret == 1, output[-2000:]
    assert "INTERNALERROR" not in output
    assert "Interrupted" not in output  # no pytest.exit in a worker
    return result


def test_cross_language_items_become_errors_with_the_reason_under_xdist(
    pytester: pytest.Pytester,
) -> None:
    result = run_unloadable(pytester, "--cross-language")
    # Groups g1..g3 hold attacks in every language (g0 is benign): each group item fails closed,
    # naming the reason; every plain case ends without a verdict, none is lost.
    assert result.parseoutcomes().get("failed") == 3
    result.stdout.fnmatch_lines([f"*= 3 failed, {4 * len(LANGUAGES)} no verdict in *"])
    for group in ("g1", "g2", "g3"):
        result.stdout.fnmatch_lines(
            [
                f"group {group} (S*): no verdict in en * (first: *: saferegress: target spec "
                "'py:nosuchmodule:make': cannot import 'nosuchmodule'*"
            ]
        )


def test_mutation_items_become_errors_with_the_reason_under_xdist(
    pytester: pytest.Pytester,
) -> None:
    result = run_unloadable(pytester, "--mutate", "2")
    attacks = 3 * len(LANGUAGES)
    result.stdout.fnmatch_lines([f"*= {attacks} failed, {4 * len(LANGUAGES)} no verdict in *"])
    lines = result.stdout.lines
    reason = (
        "no verdict: saferegress: target spec 'py:nosuchmodule:make': cannot import 'nosuchmodule'"
    )
    assert sum(line.startswith(reason) for line in lines) == attacks, result.stdout.str()[-3000:]
