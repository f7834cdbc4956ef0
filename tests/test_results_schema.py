"""results.json follows the JSON Schema shipped in the package (docs/results.md).

Real runs of the demo model on the shipped suite write the files checked here: a plain run that
saves a baseline, a run compared with that baseline and with cross-language tests, and a
mutation run. Besides, every results file any test makes is checked by an autouse fixture in
conftest.py; the last tests here show that fixture failing a test whose file does not conform.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import typing
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import results_files, results_schema_problems
from saferegress.guards.base import Kind, Verdict
from saferegress.languages import CATEGORIES, LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
DEMO = ["--model", "demo", "-q", "-p", "no:cacheprovider"]


def shipped_schema() -> dict[str, Any]:
    return json.loads(
        files("saferegress.analysis").joinpath("results.schema.json").read_text("utf-8")
    )


def run_pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "SAFEREGRESS_NO_PROGRESS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "suites", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo model on the en and sl cases of three categories (enough paired attacks for
    per-cell baseline tests): saved as a baseline, then compared with it and checked across
    languages (the second run is served from the answer cache)."""
    root = tmp_path_factory.mktemp("schema-runs")
    (root / "suites").mkdir()
    for suite in (ROOT / "suites").glob("*.jsonl"):
        shutil.copy(suite, root / "suites")
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    lang = ["--lang", "en,sl", "--category", "S1,S2,S9"]
    plain = run_pytest(
        root, *DEMO, *lang, "--report-dir", "plain", "--save-baseline", "baseline.json"
    )
    # The demo model complies in Slovenian: the gate fails, and says so.
    assert plain.returncode == 1, plain.stdout[-3000:] + plain.stderr[-3000:]
    assert "FAIL saferegress sl: ASR" in plain.stdout
    compared = run_pytest(
        root,
        *DEMO,
        *lang,
        "--report-dir",
        "compared",
        "--baseline",
        "baseline.json",
        "--cross-language",
    )
    assert compared.returncode == 1, compared.stdout[-3000:] + compared.stderr[-3000:]
    return root


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = shipped_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"] == {"const": "saferegress/results/v1"}


def test_the_schema_names_the_languages_categories_and_verdicts_the_code_knows() -> None:
    defs = shipped_schema()["$defs"]
    assert defs["lang"]["enum"] == list(LANGUAGES)
    assert defs["category"]["enum"] == list(CATEGORIES)
    assert defs["verdict"]["enum"] == list(typing.get_args(Verdict))
    assert defs["kind"]["enum"] == list(typing.get_args(Kind))


def test_a_plain_run_and_its_saved_baseline_match_the_schema(demo_runs: Path) -> None:
    for path in (demo_runs / "plain" / "results.json", demo_runs / "baseline.json"):
        results = load(path)
        assert results_schema_problems(results) == []
        assert set(results["languages"]) == {"en", "sl"}
        assert results["baseline"] is None
        assert results["gate"]["passed"] is False


def test_a_run_compared_with_a_baseline_across_languages_matches_the_schema(
    demo_runs: Path,
) -> None:
    results = load(demo_runs / "compared" / "results.json")
    assert results_schema_problems(results) == []
    # The optional sections are there and filled, so the schema checked them too.
    assert set(results["baseline"]["languages"]) == {"en", "sl"}
    assert results["baseline"]["cells"]
    assert results["cross_language"]["inconsistent_groups"] > 0
    assert results["cross_language"]["complied_while_others_refused"]["sl"] > 0


def test_a_mutation_run_matches_the_schema(tmp_path: Path) -> None:
    (tmp_path / "suites").mkdir()
    shutil.copy(ROOT / "suites" / "starter.jsonl", tmp_path / "suites")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    run = run_pytest(
        tmp_path,
        *DEMO,
        "-m",
        "smoke",
        "--lang",
        "cs",
        "--category",
        "S1,S2",
        "--mutate",
        "2",
        "--mutate-seed",
        "0",
        "--mutation-file",
        "mutations.jsonl",
    )
    assert run.returncode in (0, 1), run.stdout[-3000:] + run.stderr[-3000:]
    results = load(tmp_path / "reports" / "results.json")
    assert results_schema_problems(results) == []
    assert results["mutations"], run.stdout[-3000:]
    assert any("mutation" in case for case in results["cases"])


def _set(path: str, value: Any) -> Any:
    def tamper(results: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = results
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is _DELETE:
            del node[last]
        else:
            node[int(last) if isinstance(node, list) else last] = value

    return tamper


_DELETE = object()

TAMPERED = {
    "asr as a string": ("languages/sl/asr", "81%"),
    "asr above 1": ("languages/sl/asr", 81.2),
    "a count below 0": ("totals/errors", -1),
    "a count as a float": ("languages/en/n", 2.5),
    "an unknown verdict": ("cases/0/verdict", "maybe"),
    "an unknown language": ("cases/0/lang", "xx"),
    "a case without its answer": ("cases/0/response", _DELETE),
    "an interval of one number": ("cells/0/ci95", [0.1]),
    "the gate as a string": ("gate/passed", "no"),
    "no gate at all": ("gate", _DELETE),
    "another schema tag": ("schema", "saferegress/results/v2"),
    "a baseline test without p": ("baseline/languages/sl/p_adjusted", _DELETE),
    "cross-language languages as a string": ("cross_language/inconsistent/0/complied", "sl"),
    "an undated start": ("started", "yesterday"),
}


@pytest.mark.parametrize("where, value", TAMPERED.values(), ids=list(TAMPERED))
def test_a_tampered_results_file_fails(demo_runs: Path, where: str, value: Any) -> None:
    results = load(demo_runs / "compared" / "results.json")
    assert results_schema_problems(results) == []
    tampered = copy.deepcopy(results)
    _set(where, value)(tampered)
    problems = results_schema_problems(tampered)
    assert problems, f"{where} = {value!r} was accepted"
    parent = where.rsplit("/", 1)[0] if value is _DELETE else where
    assert any(p.startswith(parent) or p.startswith("(top)") for p in problems), problems


def test_results_files_are_told_from_hand_made_ones(demo_runs: Path, tmp_path: Path) -> None:
    shutil.copy(demo_runs / "plain" / "results.json", tmp_path / "results.json")
    hand_made = {"schema": "saferegress/results/v1", "cases": [{"id": "a"}]}
    (tmp_path / "hand-made.json").write_text(json.dumps(hand_made), encoding="utf-8")
    (tmp_path / "other.json").write_text('{"schema": "saferegress/fix/v1"}', encoding="utf-8")
    assert results_files(tmp_path) == [tmp_path / "results.json"]


@pytest.mark.unchecked_results  # its inner run's bad file must not fail this test too
def test_the_autouse_check_fails_a_test_whose_results_file_does_not_conform(
    demo_runs: Path, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    # The copied conftest also holds CI's allowed-skips gate, whose list is not copied here.
    monkeypatch.delenv("CI", raising=False)
    good = load(demo_runs / "plain" / "results.json")
    bad = copy.deepcopy(good)
    bad["languages"]["sl"]["asr"] = "81%"
    pytester.makepyfile(
        test_writes=f"""
        import json

        def test_good(tmp_path):
            (tmp_path / "results.json").write_text(json.dumps({good!r}))

        def test_bad(tmp_path):
            (tmp_path / "reports").mkdir()
            (tmp_path / "reports" / "results.json").write_text(json.dumps({bad!r}))
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        ["*ERROR at teardown of test_bad*", "*results.json: languages/sl/asr: '81%' is not*"]
    )
