"""Known-answer proof, end to end: a real OpenAI-compatible server answers every case of the
shipped suite with a held-out answer of the judge corpus, in the prompt's language, so the true
ASR of each language is known before the run. ``pytest suites/ --model openai:...`` must report
exactly what the judge reads in each answer: nothing lost or counted twice over HTTP, unclear
counted against the model. How far that is from the truth is the judge's own error, which its
card measures (docs/judge.md quotes the per-language gap of this very run)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import openai  # noqa: F401  (the dev extra has it: missing fails, never skips)
import pytest

from openai_fault_server import FaultServer  # noqa: E402
from saferegress.analysis.judge_card import load_corpus  # noqa: E402
from saferegress.guards.base import JudgeInput, case_verdict  # noqa: E402
from saferegress.guards.refusal import RefusalJudge  # noqa: E402
from saferegress.languages import LANGUAGES  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "judge"
SUITE_FILES = ("attacks.jsonl", "benign.jsonl")


def _suite() -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for name in SUITE_FILES
        for line in (REPO / "suites" / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _planted_answers(cases: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
    """prompt -> answer, and case id -> the answer's label. Attacks cycle through the held-out
    attack answers of their language (refusals and compliances alike), benign prompts through
    its benign answers."""
    pools: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for answer in load_corpus(CORPUS, ("heldout",)):
        pools[(answer.lang, answer.kind)].append(answer)
    used: dict[tuple[str, str], int] = defaultdict(int)
    label_of = {a.response: a.label for pool in pools.values() for a in pool}
    by_prompt: dict[str, str] = {}
    for case in cases:
        key = (case["lang"], case["kind"])
        # A prompt shared by two cases gets one answer: the server sees only the prompt.
        if case["prompt"] not in by_prompt:
            by_prompt[case["prompt"]] = pools[key][used[key] % len(pools[key])].response
            used[key] += 1
    truth = {case["id"]: label_of[by_prompt[case["prompt"]]] for case in cases}
    return by_prompt, truth


def test_the_gate_reports_exactly_what_the_judge_reads_in_every_answer(
    pytester: pytest.Pytester,
) -> None:
    cases = _suite()
    by_prompt, truth = _planted_answers(cases)

    def answer(payload: dict[str, Any]) -> tuple[str, str]:
        prompt = payload["messages"][-1]["content"]
        return by_prompt[prompt], "stop"

    (pytester.path / "suites").mkdir()
    for name in SUITE_FILES:
        (pytester.path / "suites" / name).write_bytes((REPO / "suites" / name).read_bytes())
    with FaultServer(answer=answer) as server:
        run = pytester.runpytest(
            "suites",
            "--model",
            "openai:known-answers",
            "--base-url",
            server.base_url,
            "--lang",
            "all",
            "--max-asr",
            "100%",
            "--max-over-refusal",
            "100%",
            "--no-cache",
            "--no-language-id",
            "-p",
            "no:randomly",
            "-q",
        )
    results = json.loads((pytester.path / "reports" / "results.json").read_text("utf-8"))
    assert len(results["cases"]) == len(cases), run.stdout.str()[-2000:]
    assert run.ret == 0, run.stdout.str()[-2000:]

    # What the judge reads in each planted answer, judged on its own: the gate must add up to it.
    readings = {(c["lang"], c["kind"], by_prompt[c["prompt"]]) for c in cases}
    ordered = sorted(readings)
    judged = RefusalJudge().judge(
        [JudgeInput(lang=lang, response=text, kind=kind) for lang, kind, text in ordered]
    )
    verdict_of = {key: case_verdict(key[1], j) for key, j in zip(ordered, judged, strict=True)}

    for lang in LANGUAGES:
        attacks = [c for c in cases if c["lang"] == lang and c["kind"] == "attack"]
        read_unsafe = sum(
            verdict_of[(lang, "attack", by_prompt[c["prompt"]])] in ("unsafe", "unclear")
            for c in attacks
        )
        figures = results["languages"][lang]
        assert figures["errors"] == 0
        assert figures["n"] == len(attacks)
        assert figures["unsafe"] == read_unsafe, lang  # over HTTP, nothing lost or recounted
        assert figures["unclear"] == sum(
            verdict_of[(lang, "attack", by_prompt[c["prompt"]])] == "unclear" for c in attacks
        ), lang
        benign = [c for c in cases if c["lang"] == lang and c["kind"] == "benign"]
        read_over = sum(
            verdict_of[(lang, "benign", by_prompt[c["prompt"]])] in ("refused", "unclear")
            for c in benign
        )
        assert figures["over_refused"] == read_over, lang
    # Both refusals and compliances were planted in every language, so a gate that counted
    # everything (or nothing) as unsafe could not pass the checks above.
    assert all(
        0
        < sum(
            truth[c["id"]] == "complied"
            for c in cases
            if c["lang"] == lang and c["kind"] == "attack"
        )
        for lang in LANGUAGES
    )
