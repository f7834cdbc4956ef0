"""The project's own CI checks in tests/conftest.py: a skip that is not on tests/allowed_skips.txt
fails a CI run (and says which), and hypothesis runs with the ``ci`` profile there.

Each test runs pytest in a subprocess on a copy of the real conftest, so that loading a
hypothesis profile or the CI variable never leaks into this run."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name("conftest.py")
ALLOWED = Path(__file__).with_name("allowed_skips.txt")

SKIPPING = """
import pytest

def test_runs():
    pass

@pytest.mark.skipif(True, reason="chromium not installed")
def test_needs_a_browser():
    pass

@pytest.mark.parametrize("name", ["refusal", "llama-guard"])
def test_per_guard(name):
    if name == "refusal":
        pytest.skip(f"{name} runs no model")

@pytest.mark.xfail(reason="known bug", strict=True)
def test_known_bug():
    assert False
"""

ALLOW_GUARD = (
    "# a comment\n\n"
    "test_skipping.py::test_per_guard* | * runs no model | rule-based guards call no model\n"
)


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A test folder with this project's conftest, outside CI unless a test says otherwise."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("HYPOTHESIS_PROFILE", raising=False)
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(test_skipping=SKIPPING)
    (pytester.path / "allowed_skips.txt").write_text(ALLOW_GUARD, encoding="utf-8")
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # The saferegress plugin plays no part here; leave it out of the inner run.
    return pytester.runpytest_subprocess("-p", "no:saferegress", "-p", "no:cacheprovider", *args)


def test_outside_ci_a_skip_is_only_reported(project: pytest.Pytester) -> None:
    result = run(project, "-ra")
    result.assert_outcomes(passed=2, skipped=2, xfailed=1)
    assert result.ret == 0
    result.stdout.no_fnmatch_line("*skips not on the allowed list*")


def test_in_ci_a_skip_not_on_the_list_fails_the_run_and_is_named(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    result = run(project, "-ra")
    result.assert_outcomes(passed=2, skipped=2, xfailed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*= skips not on the allowed list =*",
            "SKIPPED test_skipping.py::test_needs_a_browser: chromium not installed",
            "1 skip(s) not allowed in CI*allowed_skips.txt*",
        ]
    )
    # The allowed skip (the refusal guard's) and the xfail are not named.
    result.stdout.no_fnmatch_line("SKIPPED test_skipping.py::test_per_guard*: refusal*")
    result.stdout.no_fnmatch_line("SKIPPED*test_known_bug*")


def test_every_skip_on_the_list_passes_in_ci(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    (project.path / "allowed_skips.txt").write_text(
        ALLOW_GUARD + "*::test_needs_a_browser | chromium * | this runner has no browser\n",
        encoding="utf-8",
    )
    result = run(project, "-ra")
    result.assert_outcomes(passed=2, skipped=2, xfailed=1)
    assert result.ret == 0


@pytest.mark.parametrize("ci", ["0", "false"])
def test_the_option_turns_the_check_on_where_ci_is_not_set(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str
) -> None:
    monkeypatch.setenv("CI", ci)
    assert run(project).ret == 0
    result = run(project, "--strict-skips")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*test_needs_a_browser: chromium not installed"])


def test_a_module_skipped_at_collection_is_checked_too(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    project.makepyfile(
        test_skipping="import pytest\n"
        "pytest.importorskip('no_such_module_here')\n"
        "def test_never_collected():\n    pass\n"
    )
    result = run(project, "-ra")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["SKIPPED test_skipping.py: could not import 'no_such_module_here'*"]
    )


def test_under_xdist_the_controller_sees_the_workers_skips(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    result = run(project, "-n", "2", "-ra")
    result.assert_outcomes(passed=2, skipped=2, xfailed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["SKIPPED test_skipping.py::test_needs_a_browser: chromium not installed"]
    )
    assert result.stdout.str().count("skip(s) not allowed in CI") == 1


def test_an_entry_without_its_reason_is_a_usage_error(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    (project.path / "allowed_skips.txt").write_text(
        "*::test_needs_a_browser | chromium *\n", encoding="utf-8"
    )
    result = run(project)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*allowed_skips.txt:1: expected 'NODE-ID PATTERN | REASON*"])


def test_the_shipped_list_is_readable_and_every_entry_gives_its_reason() -> None:
    from conftest import read_allowed_skips

    entries = read_allowed_skips(ALLOWED)
    assert entries, "an empty list would allow no skip at all; then say so in its header"
    assert all(len(entry.why.split()) >= 5 for entry in entries)
    assert not any("chromium" in entry.reason or "demo model" in entry.reason for entry in entries)


PROFILE_PROBE = """
from hypothesis import given, settings, strategies as st

def test_profile():
    print("PROFILE", settings.default.deadline, settings.default.derandomize,
          settings.default.database)

@settings(max_examples=7)
@given(st.integers())
def test_explicit_settings_inherit_the_profile(n):
    assert settings.default.deadline is None or settings.default.deadline.total_seconds() > 0
"""


def test_ci_loads_the_hypothesis_ci_profile(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makepyfile(test_skipping="", test_profile=PROFILE_PROBE)
    local = run(project, "-s")
    local.stdout.fnmatch_lines(["*PROFILE 0:00:00.200000 False *"])
    local.assert_outcomes(passed=2)
    monkeypatch.setenv("CI", "1")
    ci = run(project, "-s")
    ci.stdout.fnmatch_lines(["*PROFILE None True None"])
    ci.assert_outcomes(passed=2)
    # HYPOTHESIS_PROFILE names another profile explicitly.
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "default")
    run(project, "-s").stdout.fnmatch_lines(["*PROFILE 0:00:00.200000 False *"])
