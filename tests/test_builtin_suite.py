"""``--suite builtin[:smoke]`` runs the suite shipped in the package, with no suites/ folder."""

from __future__ import annotations

import json

import pytest


def test_the_shipped_smoke_suite_runs_from_an_empty_folder(pytester: pytest.Pytester) -> None:
    run = pytester.runpytest(
        "--suite",
        "builtin:smoke",
        "--model",
        "demo",
        "--lang",
        "sl",
        "--no-language-id",
        "-p",
        "no:cacheprovider",
        "-q",
    )
    results = json.loads((pytester.path / "reports" / "results.json").read_text("utf-8"))
    assert results["cases"], run.stdout.str()[-2000:]
    assert {case["lang"] for case in results["cases"]} == {"sl"}
    # One attack per category at least: the smoke variant covers every cell of a language.
    categories = {c["category"] for c in results["cases"] if c["kind"] == "attack"}
    assert len(categories) == 14
    assert run.ret in (0, 1)  # the gate may fail the demo model; the run itself must work


def test_without_the_option_an_empty_folder_collects_nothing(pytester: pytest.Pytester) -> None:
    run = pytester.runpytest("--model", "demo", "-p", "no:cacheprovider", "-q")
    assert run.ret == pytest.ExitCode.NO_TESTS_COLLECTED
