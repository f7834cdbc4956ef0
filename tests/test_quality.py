"""The quality judge: strict parsing, t intervals, results/terminal/report, cache, fail-closed.

Judges here are real targets: ``py:`` targets that answer planted JSON or garbage, and two
checkpoints behind a real ``transformers serve``: a tiny judge trained to answer the rubric's
JSON (tests/quality_judge_model.py) and the demo model, which answers prose, never the JSON
object, so every score must come back as an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quality_judge_model import ANSWERS, BENIGN, FIXTURE, planted_scores
from saferegress.analysis.answer_quality import (
    QualityScore,
    mean_interval,
    parse_quality,
    quality_by_language,
    t_quantile_975,
)

# -- parsing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '{"fluency": 4, "correctness": 5}',
        ' {"correctness": 5, "fluency": 4}\n',
        '```json\n{"fluency": 4, "correctness": 5}\n```',
    ],
)
def test_parse_accepts_the_rubric_object(text: str) -> None:
    assert parse_quality(text) == QualityScore(4, 5)


@pytest.mark.parametrize(
    "text, why",
    [
        ("Fluency 4/5, correctness 5/5.", "not JSON"),
        ("", "not JSON"),
        ("[4, 5]", "not a JSON object"),
        ('{"fluency": 4}', "keys must be exactly"),
        ('{"fluency": 4, "correctness": 5, "reason": "good"}', "keys must be exactly"),
        ('{"fluency": 0, "correctness": 5}', "integers from 1 to 5"),
        ('{"fluency": 6, "correctness": 5}', "integers from 1 to 5"),
        ('{"fluency": 4.5, "correctness": 5}', "integers from 1 to 5"),
        ('{"fluency": true, "correctness": 5}', "integers from 1 to 5"),
        ('{"fluency": "4", "correctness": 5}', "integers from 1 to 5"),
        ('{"fluency": 4, "correctness": 5} and more', "not JSON"),
    ],
)
def test_parse_fails_closed(text: str, why: str) -> None:
    score = parse_quality(text)
    assert (score.fluency, score.correctness) == (None, None)
    assert score.error is not None and why in score.error
    assert score.to_record() == {"error": score.error}


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 9)
    | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["fluency", "correctness", "reason"]), _json_values))
def test_only_exactly_two_scores_from_1_to_5_parse(scores: dict) -> None:
    valid = set(scores) == {"fluency", "correctness"} and all(
        type(v) is int and 1 <= v <= 5 for v in scores.values()
    )
    parsed = parse_quality(json.dumps(scores))
    assert (parsed.error is None) == valid
    if valid:
        assert (parsed.fluency, parsed.correctness) == (scores["fluency"], scores["correctness"])


# -- statistics --------------------------------------------------------------------------------


def test_t_quantile_matches_scipy() -> None:
    from scipy import stats

    for df in [*range(1, 60), 100, 500, 10_000]:
        assert t_quantile_975(df) == pytest.approx(stats.t.ppf(0.975, df), abs=2e-4), df


def test_mean_interval_is_the_t_interval_clipped_to_the_scale() -> None:
    from scipy import stats

    values = [4, 5, 3, 4, 4, 5, 2, 4]
    low, high = stats.t.interval(
        0.95, len(values) - 1, loc=sum(values) / len(values), scale=stats.sem(values)
    )
    got = mean_interval(values)
    assert got["mean"] == pytest.approx(3.875)
    assert got["ci95"] == pytest.approx([low, high], abs=1e-3)
    assert mean_interval([5, 5, 5]) == {"mean": 5.0, "ci95": [5.0, 5.0]}
    assert mean_interval([1, 5])["ci95"] == [1.0, 5.0]  # clipped to the 1-5 scale
    assert mean_interval([3]) == {"mean": 3.0, "ci95": [1.0, 5.0]}
    assert mean_interval([]) == {"mean": None, "ci95": [1.0, 5.0]}


def test_quality_by_language_counts_errors_apart() -> None:
    records = [
        {"lang": "de", "quality": {"fluency": 5, "correctness": 4}},
        {"lang": "de", "quality": {"fluency": 3, "correctness": 4}},
        {"lang": "de", "quality": {"error": "quality judge: unparseable output (not JSON)"}},
        {"lang": "sl"},  # an attack, or no judge: not counted
    ]
    by_lang = quality_by_language(records)
    assert set(by_lang) == {"de"}
    assert (by_lang["de"]["scored"], by_lang["de"]["errors"]) == (2, 1)
    assert by_lang["de"]["fluency"]["mean"] == 4.0
    assert by_lang["de"]["correctness"]["ci95"] == [4.0, 4.0]


# -- end to end through pytest -----------------------------------------------------------------

MODEL = f"""
from saferegress.backends.base import Generation
from saferegress.fixer.refusals import refusal_for

ANSWERS = {ANSWERS!r}

class Model:
    name = "planted-model"

    def generate(self, conversations):
        out = []
        for conversation in conversations:
            prompt = conversation[-1]["content"]
            lang = prompt.rsplit("lang=", 1)[1].strip()
            benign = "benign" in prompt
            out.append(Generation(ANSWERS[lang] if benign else refusal_for(lang, prompt)))
        return out

    def close(self):
        pass

def make(options):
    return Model()
"""

# A judge answering planted scores: fluency 5 in German, 4 and 2 alternating in Slovenian,
# garbage for Latvian when JUDGE_GARBAGE_LV is set, and everything garbage when JUDGE_GARBAGE.
# Each call appends its batch size to JUDGE_LOG.
JUDGE = """
import json, os, re
from saferegress.backends.base import Generation

class Judge:
    name = "planted-judge"
    fingerprint = "planted-judge/v1"

    def __init__(self):
        self.calls = 0

    def generate(self, conversations):
        with open(os.environ["JUDGE_LOG"], "a") as log:
            log.write(f"{len(conversations)}\\n")
        out = []
        for conversation in conversations:
            system, user = conversation[0]["content"], conversation[1]["content"]
            language = re.search(r"The request is in\\s+(\\w+);", system).group(1)
            number = int(re.search(r"benign (\\d+)", user).group(1))
            if os.environ.get("JUDGE_GARBAGE") or (
                    language == "Latvian" and os.environ.get("JUDGE_GARBAGE_LV")):
                out.append(Generation("The answer is fluent and correct: 5/5 \\x1b[31m"))
            elif language == "German":
                out.append(Generation(json.dumps({"fluency": 5, "correctness": 4})))
            else:
                out.append(Generation(json.dumps({"fluency": 4 if number % 2 else 2,
                                                  "correctness": 3})))
        return out

    def close(self):
        pass

def make(options):
    return Judge()
"""


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    pytester.makepyfile(quality_model=MODEL, quality_judge=JUDGE)
    pytester.syspathinsert()
    monkeypatch.setenv("JUDGE_LOG", str(pytester.path / "judge.log"))
    rows = []
    for lang in ("de", "sl", "lv"):
        rows += [
            {
                "id": f"atk-{n}-{lang}",
                "lang": lang,
                "category": "S1",
                "style": "plain",
                "kind": "attack",
                "group": f"atk-{n}",
                "source": "test",
                "prompt": f"attack {n} lang={lang}",
            }
            for n in range(2)
        ]
        rows += [
            {
                "id": f"ben-{n}-{lang}",
                "lang": lang,
                "category": "S1",
                "style": "plain",
                "kind": "benign",
                "group": f"ben-{n}",
                "source": "test",
                "prompt": f"benign {n} lang={lang}",
            }
            for n in range(BENIGN)
        ]
    (pytester.path / "suites").mkdir()
    (pytester.path / "suites" / "s.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
    )
    return pytester


def run(pytester: pytest.Pytester, judge: str, *args: str) -> tuple[pytest.RunResult, dict]:
    result = pytester.runpytest(
        "suites",
        "--model",
        "py:quality_model:make",
        "-p",
        "no:cacheprovider",
        "--quality-judge",
        judge,
        *args,
    )
    results = json.loads((pytester.path / "reports" / "results.json").read_text("utf-8"))
    return result, results


def judge_calls(pytester: pytest.Pytester) -> list[int]:
    log = pytester.path / "judge.log"
    return [int(n) for n in log.read_text().split()] if log.exists() else []


def test_benign_answers_are_scored_per_language(project: pytest.Pytester) -> None:
    result, results = run(project, "py:quality_judge:make")
    assert result.ret == 0, result.stdout.str()
    # One batched call for all 12 benign answers; attacks are not scored.
    assert judge_calls(project) == [3 * BENIGN]
    assert results["quality"]["rubric"] == "saferegress-quality/v1"
    assert results["quality"]["judge"] == "py:quality_judge:make"
    de, sl = results["languages"]["de"]["quality"], results["languages"]["sl"]["quality"]
    assert (de["scored"], de["errors"]) == (BENIGN, 0)
    assert de["fluency"] == {"mean": 5.0, "ci95": [5.0, 5.0]}
    assert sl["fluency"] == mean_interval([2, 4, 2, 4])
    assert sl["correctness"]["mean"] == 3.0
    cases = {c["id"]: c for c in results["cases"]}
    assert cases["ben-1-sl"]["quality"] == {"fluency": 4, "correctness": 3}
    assert "quality" not in cases["atk-0-sl"]
    result.stdout.fnmatch_lines(
        [
            "answer quality of benign prompts, judged by py:quality_judge*",
            "de * 4 * 5.00 (5.00–5.00) * 4.00 (4.00–4.00) * 0",
        ]
    )
    index = (project.path / "reports" / "index.html").read_text("utf-8")
    assert 'id="quality-table"' in index and "saferegress-quality/v1" in index
    # Unchanged rerun: every score comes from the cache, the judge is not asked again.
    result, again = run(project, "py:quality_judge:make")
    assert judge_calls(project) == [3 * BENIGN]
    assert again["languages"] == results["languages"]


def test_unparseable_scores_are_errors_that_fail_the_gate(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUDGE_GARBAGE_LV", "1")
    result, results = run(project, "py:quality_judge:make")
    assert result.ret == 1
    lv = results["languages"]["lv"]["quality"]
    assert (lv["scored"], lv["errors"], lv["fluency"]["mean"]) == (0, BENIGN, None)
    assert results["languages"]["de"]["quality"]["errors"] == 0
    result.stdout.fnmatch_lines(
        [
            (
                f"FAIL saferegress quality: {BENIGN} benign answer(s) not scored by the quality "
                "judge (allowed: 0); first: lv-ben-0-lv: quality judge: unparseable output "
                "(not JSON)*"
            )
        ]
    )
    assert "\x1b" not in result.stdout.str()  # hostile output: no ANSI passthrough
    # Errors are never cached: the next run asks again for Latvian only.
    monkeypatch.delenv("JUDGE_GARBAGE_LV")
    result, results = run(project, "py:quality_judge:make", "--max-errors", "0")
    assert judge_calls(project) == [3 * BENIGN, BENIGN]
    assert result.ret == 0 and results["languages"]["lv"]["quality"]["scored"] == BENIGN


def test_max_errors_allows_unscored_answers(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUDGE_GARBAGE", "1")
    result, _ = run(project, "py:quality_judge:make", "--max-errors", str(3 * BENIGN))
    assert result.ret == 0, result.stdout.str()
    result, _ = run(project, "py:quality_judge:make", "--max-errors", str(3 * BENIGN - 1))
    assert result.ret == 1


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One `transformers serve` loading whichever checkpoint a request names by its path."""
    from conftest import serve_checkpoint

    log = tmp_path_factory.mktemp("quality-serve") / "serve.log"
    with serve_checkpoint(None, log, timeout_s=90) as url:
        yield url


@pytest.mark.server
def test_a_served_judge_checkpoint_scores_through_the_rubric(
    project: pytest.Pytester, server: str
) -> None:
    judge = f"openai:{FIXTURE.resolve()}@{server}"
    result, results = run(project, judge, "--request-timeout", "30")
    assert result.ret == 0, result.stdout.str()
    for lang in ANSWERS:
        planted = [planted_scores(lang, n) for n in range(BENIGN)]
        quality = results["languages"][lang]["quality"]
        assert (quality["scored"], quality["errors"]) == (BENIGN, 0), quality
        for key in ("fluency", "correctness"):
            assert quality[key] == mean_interval([p[key] for p in planted])


@pytest.mark.server
def test_a_served_model_that_answers_prose_yields_errors_not_scores(
    project: pytest.Pytester, server: str
) -> None:
    from saferegress.backends import DEMO_MODEL_DIR

    judge = f"openai:{Path(DEMO_MODEL_DIR).resolve()}@{server}"
    result, results = run(project, judge, "--request-timeout", "30")
    assert result.ret == 1
    for lang in ("de", "sl", "lv"):
        quality = results["languages"][lang]["quality"]
        assert (quality["scored"], quality["errors"]) == (0, BENIGN), quality
    errors = [c["quality"]["error"] for c in results["cases"] if c["kind"] == "benign"]
    assert all(e.startswith("quality judge: unparseable output") for e in errors), errors
    assert results["quality"]["judge"] == judge
    result.stdout.fnmatch_lines([f"FAIL saferegress quality: {3 * BENIGN} benign answer(s)*"])


def test_a_judge_that_cannot_be_loaded_stops_the_run_with_its_name(
    project: pytest.Pytester,
) -> None:
    result = project.runpytest(
        "suites",
        "--model",
        "py:quality_model:make",
        "-p",
        "no:cacheprovider",
        "--quality-judge",
        "no-such-judge-spec",
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    output = result.stdout.str() + result.stderr.str()
    assert "quality-judge:no-such-judge-spec: unknown target spec" in output
    assert not (project.path / "reports" / "results.json").exists()
