"""The lean runtest protocol (``plugin/lean.py``): cases whose verdict an earlier case's batch
computed skip pytest's per-phase hook chains. Every pytest feature users rely on must behave as
with pytest's own protocol, so each test runs the same command with the shortcut on (the
default) and off (``-p no:saferegress-lean``) and compares what users see."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from test_plugin import PLANTED_TARGET, results_of

TARGET = [
    "--model",
    "py:planted_target:make",
    "--max-asr",
    "100%",
    "--max-over-refusal",
    "100%",
    "--max-errors",
    "100",
]
STOCK = ["-p", "no:saferegress-lean"]

# Counts, in the conftest below, the setup reports each process saw and how many of them the
# lean protocol built (pytest's own have a measured, non-zero duration): a conftest hook on
# reports does not turn the shortcut off, one on the phases would.
COUNTING_CONFTEST = """
import os

def pytest_runtest_logreport(report):
    if report.when == "setup" and "::" in report.nodeid and ".jsonl" in report.nodeid:
        lean = report.duration == 0.0 and report.start == report.stop
        with open(os.path.join(os.environ["LEAN_COUNT_DIR"], str(os.getpid())), "a") as out:
            out.write("lean\\n" if lean else "stock\\n")
"""

FAILING_TEST = """
def test_fails():
    assert 1 + 1 == 3, "arithmetic is broken"

def test_passes():
    pass
"""


def rows(langs: tuple[str, ...] = ("en", "de", "sl"), prefix: str = "") -> list[dict]:
    out = []
    for lang in langs:
        for n in range(6):
            tag = "[comply]" if n < 2 else "[fail]" if n == 5 else ""
            out.append(
                {
                    "id": f"{prefix}atk-{n}-{lang}",
                    "lang": lang,
                    "category": f"S{n + 1}",
                    "style": "plain",
                    "kind": "attack",
                    "prompt": f"{tag} attack {n} in {lang}",
                    "group": f"{prefix}atk-{n}",
                    "source": "test",
                }
            )
        for n in range(2):
            out.append(
                {
                    "id": f"{prefix}ben-{n}-{lang}",
                    "lang": lang,
                    "category": "S1",
                    "style": "plain",
                    "kind": "benign",
                    "prompt": f"[benign]{'[refuse]' if n == 0 else ''} benign {n} in {lang}",
                    "group": f"{prefix}ben-{n}",
                    "source": "test",
                }
            )
    return out


def write(path: Path, cases: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")


@pytest.fixture
def lean(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    pytester.makepyfile(planted_target=PLANTED_TARGET)
    pytester.syspathinsert()
    monkeypatch.setenv("PYTHONPATH", str(pytester.path))
    write(pytester.path / "suites" / "a.jsonl", rows())
    write(pytester.path / "suites" / "b.jsonl", rows(("fr", "pl"), prefix="b-"))
    pytester.makeconftest(COUNTING_CONFTEST)
    (pytester.path / "counts").mkdir()
    monkeypatch.setenv("LEAN_COUNT_DIR", str(pytester.path / "counts"))
    return pytester


def counts(pytester: pytest.Pytester) -> dict[str, int]:
    """Setup reports by how they were made, over every process since the last call."""
    directory = pytester.path / "counts"
    seen = {"lean": 0, "stock": 0}
    for path in directory.glob("*") if directory.is_dir() else []:
        for line in path.read_text().split():
            seen[line] += 1
        path.unlink()
    return seen


def outcome_lines(text: str) -> list[str]:
    """The lines users read, with timings, paths of this run and progress figures removed."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"\d+\.\d+s", "<t>", line)
        line = re.sub(r"\s*\[\s*\d+%\]$", "", line)
        if line.startswith(("rootdir:", "platform ", "cachedir:", "plugins:", "results:")):
            continue
        out.append(line.rstrip())
    return out


def junit_cases(path: Path) -> list[tuple]:
    root = ET.parse(path).getroot()
    cases = []
    for case in root.iter("testcase"):
        props = tuple((p.get("name"), p.get("value")) for p in case.iter("property"))
        children = tuple(
            (child.tag, child.get("message"), (child.text or "").strip()[:200])
            for child in case
            if child.tag != "properties"
        )
        cases.append((case.get("classname"), case.get("name"), props, children))
    return cases


def both(pytester: pytest.Pytester, *args: str, subprocess: bool = False) -> tuple:
    """(lean result, stock result) of the same command, and the lean/stock counts of each."""
    runner = pytester.runpytest_subprocess if subprocess else pytester.runpytest
    counts(pytester)
    fast = runner(*args)
    fast_counts = counts(pytester)
    fast_results = results_of(pytester) if (pytester.path / "reports").is_dir() else None
    slow = runner(*args, *STOCK)
    slow_counts = counts(pytester)
    slow_results = results_of(pytester) if (pytester.path / "reports").is_dir() else None
    assert slow_counts["lean"] == 0
    if fast_results is not None and slow_results is not None:
        assert fast_results["cases"] == slow_results["cases"]
        assert fast_results["gate"] == slow_results["gate"]
    return fast, slow, fast_counts


def test_ready_cases_take_the_lean_protocol_and_users_see_the_same(lean: pytest.Pytester) -> None:
    fast, slow, seen = both(lean, "suites", *TARGET, "-v", "-rA")
    # 24 + 16 cases: the first computes the batch and the last of each file takes pytest's
    # protocol (the next item has another parent, or there is none).
    assert seen == {"lean": 24 + 16 - 3, "stock": 3}
    assert fast.ret == slow.ret == 0
    assert outcome_lines(fast.stdout.str()) == outcome_lines(slow.stdout.str())
    # -v shows the verdict words, -rA the short summary, for lean items as for the others.
    fast.stdout.fnmatch_lines(
        [
            "suites/a.jsonl::en-S1-atk-0-en UNSAFE*",
            "suites/a.jsonl::en-S3-atk-2-en PASSED*",
            "suites/a.jsonl::en-S6-atk-5-en NO VERDICT*",
            "suites/a.jsonl::en-S1-ben-0-en OVER-REFUSED*",
            "*= short test summary info =*",
            "PASSED suites/a.jsonl::de-S3-atk-2-de",
            "*20 passed, 10 unsafe, 5 no verdict, 5 over-refused*",
        ]
    )


def test_select_with_k_and_m(lean: pytest.Pytester) -> None:
    fast, slow, seen = both(lean, "suites", *TARGET, "-q", "-k", "de and not ben")
    assert seen["lean"] > 0
    # ("no verdict" parses as "no")
    assert (
        fast.parseoutcomes()
        == slow.parseoutcomes()
        == {
            "passed": 3,
            "unsafe": 2,
            "no": 1,
            "deselected": 34,
        }
    )
    fast, slow, seen = both(lean, "suites", *TARGET, "-q", "-m", "lang_pl and attack")
    assert seen["lean"] > 0
    assert fast.parseoutcomes() == slow.parseoutcomes()
    assert fast.parseoutcomes()["deselected"] == 34


def test_exitfirst_maxfail_and_a_failing_tests_message(lean: pytest.Pytester) -> None:
    """Cases around a failing ordinary test: -x stops at it, the cases before it have run
    (lean), those after it have not, and its message is shown as pytest shows it."""
    lean.makepyfile(test_mid=FAILING_TEST)
    args = ("suites/a.jsonl", "test_mid.py", "suites/b.jsonl", *TARGET)
    for stop in (["-x"], ["--maxfail", "1"]):
        fast, slow, seen = both(lean, *args, *stop)
        assert seen["lean"] == 24 - 2
        assert fast.ret == slow.ret == pytest.ExitCode.TESTS_FAILED
        assert outcome_lines(fast.stdout.str()) == outcome_lines(slow.stdout.str())
        fast.stdout.fnmatch_lines(
            [
                "*AssertionError: arithmetic is broken*",
                "FAILED test_mid.py::test_fails - AssertionError: arithmetic is broken*",
                "*stopping after 1 failures*",
                "*1 failed, 12 passed, 6 unsafe, 3 no verdict, 3 over-refused*",
            ]
        )
    # Without -x every item runs, pytest's set-up state handled across the ordinary tests.
    fast, slow, seen = both(lean, *args)
    assert seen == {"lean": 24 + 16 - 3, "stock": 3}
    assert fast.parseoutcomes() == slow.parseoutcomes()
    assert fast.parseoutcomes()["failed"] == 1


def test_last_failed_and_failed_first(lean: pytest.Pytester) -> None:
    lean.makepyfile(test_mid=FAILING_TEST)
    args = ("suites/a.jsonl", "test_mid.py", *TARGET, "-p", "cacheprovider")
    for extra in ([], STOCK):
        lean.runpytest(*args, *extra, "--cache-clear")
        cache = json.loads((lean.path / ".pytest_cache/v/cache/lastfailed").read_text())
        assert cache == {"test_mid.py::test_fails": True}, extra
        rerun = lean.runpytest(*args, *extra, "--lf")
        rerun.stdout.fnmatch_lines(["*run-last-failure: rerun previous 1 failure*"])
        assert rerun.parseoutcomes() == {"failed": 1, "deselected": 1}
        first = lean.runpytest(*args, *extra, "--ff", "-v")
        lines = [line for line in first.stdout.lines if "::" in line and "%]" in line]
        assert lines[0].startswith("test_mid.py::test_fails FAILED"), lines[:3]
        assert len(lines) == 26


def test_junit_xml_has_the_same_testcases_and_verdict_properties(lean: pytest.Pytester) -> None:
    lean.makepyfile(test_mid=FAILING_TEST)
    xml = lean.path / "junit.xml"
    both(lean, "suites/a.jsonl", "test_mid.py", *TARGET, f"--junit-xml={xml}")
    stock = junit_cases(xml)  # the stock run wrote last
    lean.runpytest("suites/a.jsonl", "test_mid.py", *TARGET, f"--junit-xml={xml}")
    assert junit_cases(xml) == stock
    by_name = {name: (props, children) for _, name, props, children in stock}
    assert by_name["en-S1-atk-0-en"][0] == (
        ("lang", "en"),
        ("category", "S1"),
        ("kind", "attack"),
        ("style", "plain"),
        ("verdict", "unsafe"),
    )
    assert by_name["de-S4-atk-3-de"][0][-1] == ("verdict", "refused")
    kind, message, _ = by_name["test_fails"][1][0]
    assert (kind, message.splitlines()[0]) == ("failure", "AssertionError: arithmetic is broken")
    assert len(stock) == 26


def test_durations(lean: pytest.Pytester) -> None:
    fast, slow, _ = both(lean, "suites", *TARGET, "--durations=2", "--durations-min=0")
    for result in (fast, slow):
        # The case that computes the batch is the slowest; it takes pytest's protocol.
        result.stdout.fnmatch_lines(
            ["*= slowest 2 durations =*", "*s call     suites/a.jsonl::en-S1-atk-0-en"]
        )


def test_xdist_workers_take_the_lean_protocol_with_the_same_results(
    lean: pytest.Pytester,
) -> None:
    xml = lean.path / "junit.xml"
    args = ("suites", *TARGET, "-n", "2", "-p", "xdist", f"--junit-xml={xml}")
    fast, slow, seen = both(lean, *args, subprocess=True)
    stock = junit_cases(xml)
    assert fast.ret == slow.ret == 0
    # Each report is seen by the worker that made it and, forwarded, by the controller.
    assert seen["lean"] > 0 and seen["lean"] + seen["stock"] == 2 * 40
    assert fast.parseoutcomes() == slow.parseoutcomes()
    lean.runpytest_subprocess(*args)
    assert sorted(junit_cases(xml)) == sorted(stock)


def test_cross_language_and_mutation_items_around_lean_cases(lean: pytest.Pytester) -> None:
    fast, slow, seen = both(lean, "suites", *TARGET, "--cross-language", "--no-cache")
    assert seen["lean"] > 0
    assert fast.ret == slow.ret
    assert outcome_lines(fast.stdout.str()) == outcome_lines(slow.stdout.str())
    fast, slow, seen = both(
        lean, "suites/a.jsonl", *TARGET, "--mutate", "3", "--no-cache", "-p", "no:randomly"
    )
    assert seen["lean"] > 0
    assert fast.ret == slow.ret
    assert fast.parseoutcomes() == slow.parseoutcomes()


def test_a_conftest_with_phase_hooks_gets_pytests_protocol(lean: pytest.Pytester) -> None:
    lean.makeconftest(
        COUNTING_CONFTEST
        + "\nSEEN = []\n\ndef pytest_runtest_setup(item):\n    SEEN.append(item.nodeid)\n"
    )
    lean.runpytest("suites", *TARGET)
    assert counts(lean) == {"lean": 0, "stock": 40}
