"""Capability measured for real with lm-eval on the demo model, offline, and on a changed model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import lm_eval  # noqa: F401  (the dev extra has it: missing fails, never skips)
import pytest
import transformers  # noqa: F401  (the dev extra has it: missing fails, never skips)

from saferegress.capability import (
    CapabilityResult,
    compare_capability,
    measure_capability,
)
from saferegress.capability.tasks import LOCAL_DATA_DIR
from saferegress.cli import main
from saferegress.errors import ConfigError, MissingExtraError, TargetError
from saferegress.languages import LANGUAGES

DEMO_DIR = Path(__file__).resolve().parents[1] / "src" / "saferegress" / "demo_model"


def answers(lang: str) -> dict[str, str]:
    rows = [
        json.loads(line)
        for line in (LOCAL_DATA_DIR / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    return {row["sample_id"]: row["answer"] for row in rows}


@pytest.fixture(scope="module")
def demo_result() -> CapabilityResult:
    return measure_capability("demo", LANGUAGES, batch_size=64)


@pytest.fixture(scope="module")
def always_a_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo model with its final norm zeroed: every logit is 0, every option ties, and
    lm-eval's argmax picks the first one: the model answers "A" to everything."""
    import torch
    from transformers import AutoModelForCausalLM

    out = tmp_path_factory.mktemp("always-a")
    shutil.copytree(DEMO_DIR, out, dirs_exist_ok=True)
    model = AutoModelForCausalLM.from_pretrained(out)
    with torch.no_grad():
        model.model.norm.weight.zero_()
    model.save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def always_a_result(always_a_model: Path) -> CapabilityResult:
    return measure_capability(str(always_a_model), LANGUAGES, batch_size=64)


def test_demo_model_is_measured_in_every_language_near_chance(
    demo_result: CapabilityResult,
) -> None:
    assert list(demo_result.languages) == list(LANGUAGES)
    for lang, cap in demo_result.languages.items():
        assert cap.n == len(answers(lang)) == 24, lang
        assert set(cap.outcomes) == set(answers(lang))
        low, high = cap.ci95
        assert low <= cap.accuracy <= high
    # A 3 MB toy knows no facts: pooled over 288 questions it scores about chance (25%).
    pooled = sum(c.correct for c in demo_result.languages.values()) / (24 * len(LANGUAGES))
    assert 0.1 <= pooled <= 0.45
    assert demo_result.lm_eval_version.startswith("0.")
    assert len(demo_result.task_hash) == 16


def test_each_question_is_scored_against_its_answer(always_a_result: CapabilityResult) -> None:
    """A model that always answers A is right exactly on the questions whose answer is A."""
    for lang, cap in always_a_result.languages.items():
        expected = {qid: letter == "A" for qid, letter in answers(lang).items()}
        assert cap.outcomes == expected, lang
        assert cap.accuracy == pytest.approx(0.25)


def test_a_changed_model_changes_the_numbers_and_the_delta_follows(
    demo_result: CapabilityResult, always_a_result: CapabilityResult
) -> None:
    assert any(
        demo_result.languages[lang].outcomes != always_a_result.languages[lang].outcomes
        for lang in LANGUAGES
    )
    comparison = compare_capability(demo_result, always_a_result, max_drop="2pp")
    for lang in LANGUAGES:
        old, new = demo_result.languages[lang], always_a_result.languages[lang]
        delta = comparison.languages[lang]
        assert delta.delta == pytest.approx((new.correct - old.correct) / 24)
        assert delta.newly_wrong == sum(
            old.outcomes[q] and not new.outcomes[q] for q in old.outcomes
        )
        assert delta.failed == (new.correct - old.correct < -0.02 * 24), lang
    assert comparison.failed == bool(comparison.breaches)
    # Against itself nothing moves.
    assert not compare_capability(demo_result, demo_result, max_drop=0).failed


def test_global_mmlu_files_in_its_own_layout_measure_the_same(
    tmp_path: Path, demo_result: CapabilityResult
) -> None:
    """Global-MMLU as downloaded (DIR/<lang>/test-*.parquet, with its extra columns)."""
    import pyarrow
    import pyarrow.parquet as pq

    rows = [
        json.loads(line)
        for line in (LOCAL_DATA_DIR / "cs.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    for row in rows:
        row.update(
            required_knowledge="none",
            time_sensitive="No",
            cultural_sensitivity_label="CA",
            is_annotated=False,
        )
    (tmp_path / "cs").mkdir()
    pq.write_table(pyarrow.Table.from_pylist(rows), tmp_path / "cs" / "test-00000-of-00001.parquet")
    result = measure_capability(
        "demo", ["cs"], tasks=f"global-mmlu:{tmp_path}", limit=8, batch_size=64
    )
    cap = result.languages["cs"]
    assert cap.task == "saferegress_global_mmlu_cs" and cap.n == 8
    local = demo_result.languages["cs"].outcomes
    assert cap.outcomes == {qid: local[qid] for qid in cap.outcomes}
    assert result.tasks == f"global-mmlu:{tmp_path}"


def test_runs_offline_from_the_command_line(tmp_path: Path) -> None:
    """No Hub, no datasets cache, and any network access would fail: it still measures."""
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf-home"),
        "OMP_NUM_THREADS": "1",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "",
        "no_proxy": "",
    }
    saved = tmp_path / "lv.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "saferegress.cli",
            "capability",
            "--model",
            "demo",
            "--lang",
            "lv",
            "--limit",
            "4",
            "--json",
            "--save",
            str(saved),
        ],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    printed = json.loads(proc.stdout)
    assert printed["languages"]["lv"]["n"] == 4
    assert CapabilityResult.from_dict(json.loads(saved.read_text())).to_dict() == printed


def test_command_line_fails_on_a_drop_against_a_baseline(
    tmp_path: Path, demo_result: CapabilityResult, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = demo_result.to_dict()
    # A baseline that knew every answer: the demo model is far below it.
    for entry in baseline["languages"].values():
        entry["outcomes"] = {qid: True for qid in entry["outcomes"]}
        entry["correct"] = entry["n"]
    path = tmp_path / "before.json"
    path.write_text(json.dumps(baseline))
    code = main(
        [
            "capability",
            "--model",
            "demo",
            "--lang",
            "sl",
            "--baseline",
            str(path),
            "--max-drop",
            "5pp",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL saferegress sl: capability 100.0% →" in out
    assert "DROP" in out and "en" not in out.split()  # only the language asked for
    assert (
        main(
            [
                "capability",
                "--model",
                "demo",
                "--lang",
                "sl",
                "--baseline",
                str(path),
                "--max-drop",
                "100pp",
            ]
        )
        == 0
    )


def test_setup_errors_are_messages_not_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["capability", "--model", str(tmp_path)]) == 2
    assert "not a Hugging Face checkpoint folder (no config.json)" in capsys.readouterr().err
    assert (
        main(["capability", "--model", "demo", "--tasks", f"global-mmlu:{tmp_path / 'missing'}"])
        == 2
    )
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "base.json").write_text("{")
    assert main(["capability", "--model", "demo", "--baseline", str(tmp_path / "base.json")]) == 2
    assert "base.json:1: invalid JSON" in capsys.readouterr().err
    with pytest.raises(ConfigError, match="local Hugging Face checkpoint"):
        measure_capability("openai:gpt-4o-mini", ["en"])
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{}")
    with pytest.raises(TargetError, match="lm-eval could not measure"):
        measure_capability(str(broken), ["en"], limit=1)
    monkeypatch.setitem(sys.modules, "lm_eval", None)  # as if lm-eval were not installed
    with pytest.raises(MissingExtraError, match=r"pip install 'saferegress\[fix\]'"):
        measure_capability("demo", ["en"])
