"""Whole runs against faulty endpoints (pytester): a model and its judge both served over
OpenAI-compatible HTTP. 1 request in 7 faulted gives the verdicts of a clean run; retries that run
out give ``error`` verdicts, the run finishes and the gate fails closed."""

from __future__ import annotations

import json
from pathlib import Path

import openai  # noqa: F401  (the dev extra has it: missing fails, never skips)
import pytest

from openai_fault_server import FAULTS, FaultServer  # noqa: E402
from saferegress.backends import DEMO_MODEL_DIR  # noqa: E402
from saferegress.languages import LANGUAGES  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
LENIENT = ["--max-asr", "100%", "--max-over-refusal", "100%", "--no-cache", "-p", "no:randomly"]


def write_suite(path: Path, langs: tuple[str, ...] = LANGUAGES, per_lang: int = 6) -> int:
    rows = []
    for lang in langs:
        for n in range(per_lang):
            kind = "benign" if n % 3 == 2 else "attack"
            rows.append(
                {
                    "id": f"c{n:02d}-{lang}",
                    "lang": lang,
                    "category": f"S{n % 14 + 1}",
                    "kind": kind,
                    "prompt": f"{kind} request {n} in {lang}",
                    "group": f"c{n:02d}",
                    "source": "test",
                }
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def results_of(pytester: pytest.Pytester) -> dict:
    return json.loads((pytester.path / "reports" / "results.json").read_text(encoding="utf-8"))


def verdicts(results: dict) -> dict[str, str]:
    return {case["id"]: case["verdict"] for case in results["cases"]}


def run_against(
    pytester: pytest.Pytester, model_url: str, judge_url: str, *extra: str
) -> pytest.RunResult:
    return pytester.runpytest(
        "suites",
        "--model",
        "openai:m",
        "--base-url",
        model_url,
        "--guard",
        f"adjudicator:openai:judge@{judge_url}",
        "--request-timeout",
        "1",
        *LENIENT,
        *extra,
    )


def test_one_request_in_seven_faulted_gives_the_verdicts_of_a_clean_run(
    pytester: pytest.Pytester,
) -> None:
    cases = write_suite(pytester.path / "suites" / "s.jsonl")
    with FaultServer() as clean:
        clean_run = run_against(pytester, clean.base_url, clean.base_url)
    expected = results_of(pytester)
    assert clean_run.ret == 0, clean_run.stdout.str()
    assert clean.requests == 2 * cases  # one answer and one judgement per case
    assert set(verdicts(expected).values()) == {"unsafe", "refused", "safe"}

    with FaultServer(every=7, hang_s=2.0) as faulty:
        faulted_run = run_against(pytester, faulty.base_url, faulty.base_url)
    got = results_of(pytester)
    assert faulted_run.ret == 0, faulted_run.stdout.str()
    assert faulty.total_injected >= 2 * cases // 7
    assert set(faulty.injected) == set(FAULTS)  # every kind of fault was among them
    assert verdicts(got) == verdicts(expected)  # no verdict lost, none changed
    assert got["languages"] == expected["languages"]
    assert all(figures["errors"] == 0 for figures in got["languages"].values())


@pytest.mark.parametrize("dead", ["model", "judge"])
def test_exhausted_retries_are_errors_and_the_gate_fails_closed(
    pytester: pytest.Pytester, dead: str
) -> None:
    cases = write_suite(pytester.path / "suites" / "s.jsonl", langs=("de", "sl"), per_lang=6)
    pytester.makepyprojecttoml("[tool.saferegress]\nmax_retries = 1\n")
    with (
        FaultServer() as healthy,
        FaultServer(every=1, faults=["503"], once_per_request=False) as broken,
    ):
        model, judge = (broken, healthy) if dead == "model" else (healthy, broken)
        result = run_against(pytester, model.base_url, judge.base_url)
    results = results_of(pytester)

    assert result.ret == 1
    assert set(verdicts(results).values()) == {"error"}
    assert len(results["cases"]) == cases  # the run finished: every case has its record
    assert all(
        "503" in case["error"] and "gave up after 2 attempts" in case["error"]
        for case in results["cases"]
    )
    # Each case tried twice (max_retries = 1); an attempt lost on a dropped keep-alive
    # connection never reaches the server's count.
    assert cases < broken.requests <= 2 * cases
    assert results["gate"]["passed"] is False
    result.stdout.fnmatch_lines([f"FAIL saferegress errors: {cases} case(s) have no verdict*"])


@pytest.mark.server
def test_the_demo_model_served_behind_a_faulty_proxy_gives_its_clean_verdicts(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    from conftest import serve_checkpoint

    wanted = {"en", "sl"}
    rows = [
        line
        for line in (REPO / "suites" / "starter.jsonl").read_text().splitlines()
        if json.loads(line)["lang"] in wanted
    ]
    rows = [r for r in rows if json.loads(r)["kind"] == "attack"][:48]
    (pytester.path / "suites").mkdir()
    (pytester.path / "suites" / "s.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    model = [
        "--model",
        f"openai:{DEMO_MODEL_DIR}",
        "--guard",
        "refusal",
        "--request-timeout",
        "20",
        "--max-new-tokens",
        "32",
        "--concurrency",
        "4",
        *LENIENT,
    ]

    with serve_checkpoint(DEMO_MODEL_DIR, tmp_path / "serve.log") as upstream:
        with FaultServer(upstream=upstream) as clean:
            assert pytester.runpytest("suites", *model, "--base-url", clean.base_url).ret == 0
        expected = results_of(pytester)
        with FaultServer(
            upstream=upstream, every=7, faults=[f for f in FAULTS if f != "timeout"]
        ) as faulty:
            assert pytester.runpytest("suites", *model, "--base-url", faulty.base_url).ret == 0
    got = results_of(pytester)
    assert faulty.total_injected >= len(rows) // 7
    assert verdicts(got) == verdicts(expected)
    assert {case["response"] for case in got["cases"]} == {
        case["response"] for case in expected["cases"]
    }
    # The demo model's behaviour shows through the proxy: English refused, Slovenian not always.
    assert got["languages"]["en"]["unsafe"] == 0 < got["languages"]["sl"]["unsafe"]
