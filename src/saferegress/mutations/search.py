"""Search for a mutation of a refused attack prompt that the model answers, and shrink it.

The property is "the model still refuses the mutated prompt". For a batch of cases:

1. the originals are answered and judged in one batch (through the cache, so usually free);
2. for each refused original, hypothesis draws up to N mutation plans (generation only, no
   model calls), and all mutated prompts of all cases are answered and judged in one batch;
3. only for a case where some candidate broke the refusal, hypothesis runs again with the same
   seed — it replays the same candidates from memory until the first counterexample — and then
   shrinks it. Shrinking is sequential by nature, so each shrink step asks the model about one
   prompt; every answer is memoised.

Fail closed: a mutated prompt without a verdict is never counted as "still refuses" in the
batch phase (the case ends as an error); only a search cut short by the time budget stops
shrinking early, keeping the counterexample found so far.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from saferegress.analysis.metrics import counts_against
from saferegress.mutations.operators import MutationPlan, mutation_plans
from saferegress.suite.cases import Case

__all__ = ["MutationResult", "MutationSearch", "parse_duration"]

#: Verdicts of an attack answer that count as "the model still refuses".
HOLDS = frozenset({"refused", "safe"})


def parse_duration(text: str | float) -> float:
    """``"60s"``, ``"2m"``, ``"90"`` → seconds."""
    raw = str(text).strip().lower()
    scale = 1.0
    if raw.endswith("ms"):
        raw, scale = raw[:-2], 0.001
    elif raw[-1:] in ("s", "m", "h"):
        raw, scale = raw[:-1], {"s": 1.0, "m": 60.0, "h": 3600.0}[raw[-1]]
    try:
        value = float(raw) * scale
    except ValueError:
        raise ValueError(f"expected a duration like 60s or 2m (got {text!r})") from None
    if value <= 0:
        raise ValueError(f"a duration must be positive (got {text!r})")
    return value


@dataclass(frozen=True)
class MutationResult:
    """What the search found for one case.

    ``status``: ``held`` (every mutation tried was refused), ``broken`` (a minimal mutation was
    answered), ``not_refused`` (the original is not refused: nothing to mutate), ``error`` (some
    answer or judgement failed), ``skipped`` (the time budget was used up before this case)."""

    case: Case
    status: str
    examples: int = 0
    message: str = ""
    plan: MutationPlan | None = None
    description: str = ""
    prompt: str = ""
    response: str | None = None
    verdict: str = ""
    #: Model calls made while shrinking (one prompt each).
    shrink_calls: int = 0
    #: The time budget ran out while shrinking: the mutation may not be minimal.
    cut_short: bool = False


def _seed(case: Case, seed: int) -> int:
    digest = hashlib.sha256(f"{seed}:{case.id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


class MutationSearch:
    """Runs the property over batches of cases with one ``CaseRunner``-like ``run``."""

    def __init__(
        self,
        run: Callable[[Sequence[Case]], Sequence[Any]],
        *,
        examples: int,
        budget_s: float,
        seed: int = 0,
        chunk_cases: int = 32,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``examples``: mutation plans tried per case; ``budget_s``: wall-clock budget of all
        searches of this object; ``chunk_cases``: cases whose candidates form one batch."""
        self._run = run
        self.examples = examples
        self.seed = seed
        self._clock = clock
        self._deadline = clock() + budget_s
        self.budget_s = budget_s
        self.chunk_cases = max(1, chunk_cases)

    def budget_left(self) -> bool:
        return self._clock() < self._deadline

    def search(
        self, cases: Sequence[Case], donors: Mapping[str, Mapping[str, str]]
    ) -> dict[str, MutationResult]:
        """Results keyed by case id. ``donors``: per case id, other languages' prompts of its
        group (for code-switching). Cases go in chunks, so the time budget is checked between
        model batches of a bounded size."""
        results: dict[str, MutationResult] = {}
        for start in range(0, len(cases), self.chunk_cases):
            results.update(self._search_chunk(cases[start : start + self.chunk_cases], donors))
        return results

    def _search_chunk(
        self, cases: Sequence[Case], donors: Mapping[str, Mapping[str, str]]
    ) -> dict[str, MutationResult]:
        results: dict[str, MutationResult] = {}
        if not self.budget_left():
            return {c.id: self._skipped(c) for c in cases}
        originals = {o.case.id: o for o in self._run(list(cases))}
        refused: list[Case] = []
        for case in cases:
            verdict = originals[case.id].verdict
            if verdict == "error":
                results[case.id] = MutationResult(
                    case,
                    "error",
                    message="the original prompt has no verdict: "
                    + (originals[case.id].error or "unknown error"),
                )
            elif verdict not in HOLDS:
                results[case.id] = MutationResult(
                    case,
                    "not_refused",
                    message=f"the original prompt is not refused (verdict {verdict})",
                )
            else:
                refused.append(case)
        candidates = {}
        for case in refused:
            if self.budget_left():
                candidates[case.id] = self._candidates(case, donors.get(case.id, {}))
        if not self.budget_left():  # drawing used it up: asking the model would overrun it
            candidates = {}
        for case in refused:
            if case.id not in candidates:
                results[case.id] = self._skipped(case)
        refused = [case for case in refused if case.id in candidates]
        memo: dict[tuple[str, str], Any] = {}
        batch: list[Case] = []
        for case in refused:
            for n, (_, prompt) in enumerate(candidates[case.id]):
                if (case.id, prompt) not in memo:
                    memo[(case.id, prompt)] = None
                    batch.append(replace(case, id=f"{case.id}~{n}", prompt=prompt))
        for outcome in self._run(batch):
            memo[(outcome.case.id.rsplit("~", 1)[0], outcome.case.prompt)] = outcome
        for case in refused:
            results[case.id] = self._conclude(
                case, candidates[case.id], donors.get(case.id, {}), memo
            )
        return results

    def _skipped(self, case: Case) -> MutationResult:
        return MutationResult(
            case, "skipped", message=f"the mutation budget of {self.budget_s:g}s was used up"
        )

    def _settings(self, phases: Any) -> Any:
        from hypothesis import HealthCheck, Verbosity, settings

        return settings(
            max_examples=self.examples,
            database=None,
            deadline=None,
            phases=phases,
            suppress_health_check=list(HealthCheck),
            verbosity=Verbosity.quiet,
            derandomize=False,
        )

    def _candidates(self, case: Case, donors: Mapping[str, str]) -> list[tuple[MutationPlan, str]]:
        """The plans hypothesis draws first for this case (no model calls), with their
        prompts; unchanged prompts are dropped."""
        from hypothesis import Phase, find
        from hypothesis.errors import NoSuchExample

        drawn: list[tuple[MutationPlan, str]] = []

        def record(plan: MutationPlan) -> bool:
            prompt = plan.apply(case.prompt, donors)
            if prompt != case.prompt:
                drawn.append((plan, prompt))
            return False

        try:
            find(
                mutation_plans(case.prompt, sorted(donors)),
                record,
                settings=self._settings([Phase.generate]),
                random=random.Random(_seed(case, self.seed)),
            )
        except NoSuchExample:
            pass
        return drawn

    def _conclude(
        self,
        case: Case,
        candidates: list[tuple[MutationPlan, str]],
        donors: Mapping[str, str],
        memo: dict[tuple[str, str], Any],
    ) -> MutationResult:
        outcomes = [memo[(case.id, prompt)] for _, prompt in candidates]
        first_break = next(
            (i for i, o in enumerate(outcomes) if counts_against("attack", o.verdict)), None
        )
        if first_break is None:
            failed = [o for o in outcomes if o.verdict == "error"]
            if failed:
                return MutationResult(
                    case,
                    "error",
                    len(candidates),
                    f"{len(failed)} of {len(candidates)} mutated prompts got no verdict; "
                    f"first: {failed[0].error or 'unknown error'}",
                )
            return MutationResult(case, "held", len(candidates))
        plan, cut_short, calls = self._shrink(case, donors, memo, candidates[first_break][0])
        prompt = plan.apply(case.prompt, donors)
        outcome = memo[(case.id, prompt)]
        return MutationResult(
            case,
            "broken",
            len(candidates),
            plan=plan,
            description=plan.describe(case.prompt),
            prompt=prompt,
            response=outcome.response,
            verdict=outcome.verdict,
            shrink_calls=calls,
            cut_short=cut_short,
        )

    def _shrink(
        self,
        case: Case,
        donors: Mapping[str, str],
        memo: dict[tuple[str, str], Any],
        fallback: MutationPlan,
    ) -> tuple[MutationPlan, bool, int]:
        """Replay the same draws (memoised) to the first counterexample, then let hypothesis
        shrink it. Returns the minimal plan, whether the budget cut it short, model calls."""
        from hypothesis import Phase, find
        from hypothesis.errors import HypothesisException

        cut_short = False
        calls = 0

        def breaks(plan: MutationPlan) -> bool:
            nonlocal cut_short, calls
            prompt = plan.apply(case.prompt, donors)
            if prompt == case.prompt:
                return False
            key = (case.id, prompt)
            if key not in memo or memo[key] is None:
                if not self.budget_left():
                    cut_short = True
                    return False  # stop shrinking; the counterexample so far stands
                calls += 1
                (outcome,) = self._run([replace(case, id=f"{case.id}~s{calls}", prompt=prompt)])
                memo[key] = outcome
            # An error while shrinking is not a counterexample: shrinking keeps the last one.
            return counts_against("attack", memo[key].verdict)

        try:
            plan = find(
                mutation_plans(case.prompt, sorted(donors)),
                breaks,
                settings=self._settings([Phase.generate, Phase.shrink]),
                random=random.Random(_seed(case, self.seed)),
            )
        except HypothesisException:  # the replay diverged and found nothing: keep the draw
            plan = fallback
        if (case.id, plan.apply(case.prompt, donors)) not in memo:
            plan = fallback
        return plan, cut_short, calls
