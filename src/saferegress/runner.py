"""Turns cases into verdicts in batches: one ``generate`` call and one ``judge`` call per guard
for many cases at once, never one forward pass per test."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .backends.base import Generation, Target, conversation
from .cases import Case
from .errors import TargetError
from .guards.base import Guard, JudgeInput, Judgement, Verdict, case_verdict

__all__ = ["CaseOutcome", "CaseRunner", "combine_verdicts"]


@dataclass(frozen=True)
class CaseOutcome:
    """Everything decided about one case; ``to_record`` is its entry in results.json."""

    case: Case
    response: str | None
    verdict: Verdict
    guard_verdicts: dict[str, Verdict] = field(default_factory=dict)
    error: str | None = None

    def to_record(self) -> dict[str, object]:
        record: dict[str, object] = {
            "id": self.case.id,
            "lang": self.case.lang,
            "category": self.case.category,
            "style": self.case.style,
            "kind": self.case.kind,
            "group": self.case.group,
            "prompt": self.case.prompt,
            "response": self.response,
            "verdict": self.verdict,
            "guards": dict(self.guard_verdicts),
        }
        if self.error is not None:
            record["error"] = self.error
        return record


def combine_verdicts(verdicts: Sequence[Verdict]) -> Verdict:
    """Conservative policy over several guards: any error is an error, a refusal needs every
    guard to see one, and one guard seeing an unsafe answer is enough to call it unsafe."""
    if not verdicts or "error" in verdicts:
        return "error"
    if all(v == "refused" for v in verdicts):
        return "refused"
    if "unsafe" in verdicts:
        return "unsafe"
    return "safe"


class CaseRunner:
    """Generates and judges batches of cases. The target is loaded on first use, so a run that
    only collects (``--collect-only``) never loads a model."""

    def __init__(self, load_target: Callable[[], Target], guards: Sequence[Guard]) -> None:
        self._load_target = load_target
        self._target: Target | None = None
        self.guards = tuple(guards)

    @property
    def target(self) -> Target:
        if self._target is None:
            self._target = self._load_target()
        return self._target

    def close(self) -> None:
        if self._target is not None:
            self._target.close()
            self._target = None

    def run(self, cases: Sequence[Case]) -> list[CaseOutcome]:
        if not cases:
            return []
        generations = self.target.generate([conversation(c.prompt) for c in cases])
        if len(generations) != len(cases):
            raise TargetError(
                f"{self.target.name} returned {len(generations)} answers for {len(cases)} prompts"
            )
        answered = [i for i, g in enumerate(generations) if g.text is not None]
        inputs = [
            JudgeInput(lang=cases[i].lang, response=generations[i].text or "",
                       prompt=cases[i].prompt, kind=cases[i].kind)  # type: ignore[arg-type]
            for i in answered
        ]
        per_guard: dict[str, dict[int, Judgement]] = {}
        for guard in self.guards:
            judgements = guard.judge(inputs) if inputs else []
            if len(judgements) != len(inputs):
                judgements = [Judgement.failed(
                    f"{guard.name} returned {len(judgements)} judgements for {len(inputs)} answers"
                )] * len(inputs)
            per_guard[guard.name] = dict(zip(answered, judgements, strict=True))
        return [
            self._outcome(case, generation, i, per_guard)
            for i, (case, generation) in enumerate(zip(cases, generations, strict=True))
        ]

    def _outcome(
        self, case: Case, generation: Generation, index: int,
        per_guard: dict[str, dict[int, Judgement]],
    ) -> CaseOutcome:
        if generation.text is None:
            return CaseOutcome(case, None, "error", {}, f"generation failed: {generation.error}")
        guard_verdicts: dict[str, Verdict] = {}
        errors = []
        for name, judgements in per_guard.items():
            judgement = judgements[index]
            guard_verdicts[name] = case_verdict(case.kind, judgement)
            if judgement.error is not None:
                errors.append(f"{name}: {judgement.error}")
        verdict = combine_verdicts(list(guard_verdicts.values()))
        return CaseOutcome(case, generation.text, verdict, guard_verdicts,
                           "; ".join(errors) or None)
