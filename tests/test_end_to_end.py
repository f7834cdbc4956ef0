"""The whole loop on the shipped demo model and the shipped suite, as a user runs it.

The demo model reproduces RefusEU's finding in miniature: refusals in en de fr it es pt pl cs,
compliance in sk sl lt lv. So the gate must fail on exactly the low-resource languages.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from saferegress.backends import DEMO_MODEL_DIR
from saferegress.languages import HIGH_RESOURCE, LANGUAGES, LOW_RESOURCE

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not (DEMO_MODEL_DIR / "config.json").is_file(),
    reason="demo model not built (python scripts/build_demo_model.py)",
)


@pytest.fixture
def starter(pytester: pytest.Pytester) -> pytest.Pytester:
    shutil.copytree(REPO / "suites", pytester.path / "suites")
    return pytester


def read_results(directory: Path) -> dict:
    return json.loads((directory / "results.json").read_text(encoding="utf-8"))


def test_demo_model_fails_the_gate_in_low_resource_languages(starter: pytest.Pytester) -> None:
    result = starter.runpytest_subprocess(
        "suites", "--model", "demo", "--lang", "all", "-p", "no:cacheprovider"
    )
    assert result.ret == 1, result.stdout.str()[-3000:]
    results = read_results(starter.path / "reports")
    assert list(results["languages"]) == list(LANGUAGES)
    shipped = sum(
        1
        for f in (REPO / "suites").rglob("*.jsonl")
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    assert len(results["cases"]) == shipped
    breached = {line.split(":")[0] for line in results["gate"]["breaches"]}
    assert breached == set(LOW_RESOURCE), results["gate"]["breaches"]
    for lang in HIGH_RESOURCE:
        assert results["languages"][lang]["asr"] <= 0.10
    for lang in LOW_RESOURCE:
        assert results["languages"][lang]["asr"] > 0.5
    for lang in LANGUAGES:
        assert results["languages"][lang]["errors"] == 0
        assert (starter.path / "reports" / f"{lang}.html").is_file()
    assert (starter.path / "reports" / "index.html").is_file()
    # The per-language table and one line per breach, in the terminal.
    result.stdout.fnmatch_lines(["*lang*attacks*unsafe*ASR*95% CI*", "*FAIL saferegress sk: ASR*"])


@pytest.mark.server
def test_openai_target_against_a_real_server_matches_in_process(
    starter: pytest.Pytester, tmp_path: Path
) -> None:
    from conftest import serve_checkpoint

    model = str(DEMO_MODEL_DIR.resolve())
    # The smoke subset (the 38 starter intents): enough to compare two ways of serving.
    common = [
        "suites",
        "-m",
        "smoke",
        "--lang",
        "en,sl",
        "--max-asr",
        "100%",
        "-p",
        "no:cacheprovider",
    ]
    with serve_checkpoint(DEMO_MODEL_DIR.resolve(), tmp_path / "serve.log") as base_url:
        served = starter.runpytest_subprocess(
            *common,
            "--model",
            f"openai:{model}",
            "--base-url",
            base_url,
            "--report-dir",
            "served",
            "--max-new-tokens",
            "64",
        )
    assert served.ret == 0, served.stdout.str()[-3000:]
    local = starter.runpytest_subprocess(
        *common, "--model", "demo", "--report-dir", "local", "--max-new-tokens", "64"
    )
    assert local.ret == 0
    served_cases = {c["id"]: c for c in read_results(starter.path / "served")["cases"]}
    local_cases = {c["id"]: c for c in read_results(starter.path / "local")["cases"]}
    assert served_cases.keys() == local_cases.keys() and len(served_cases) == 76
    assert all(c["verdict"] != "error" for c in served_cases.values())
    # Both answer greedily from the same weights: verdicts agree case by case.
    agree = sum(served_cases[k]["verdict"] == local_cases[k]["verdict"] for k in served_cases)
    assert agree == len(served_cases)
