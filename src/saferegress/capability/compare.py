"""Capability before and after a change, per language: paired delta and a drop threshold.

Both runs answer the same questions (the task hashes must match), so the delta is taken over
the questions measured in both, and the questions that flipped are counted each way. A language
fails when its accuracy drops by more than ``max_drop`` (an absolute share: 0.02 = 2 points),
or when it was measured before but not after (fail closed: a missing number is not "no drop").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from ..settings import parse_points
from .measure import CapabilityResult, LanguageCapability

__all__ = [
    "DEFAULT_MAX_DROP",
    "CapabilityComparison",
    "LanguageDelta",
    "capability_table",
    "compare_capability",
    "parse_drop",
]

#: Largest accuracy drop per language a change may cause (2 points, as ``--max-asr-increase``).
DEFAULT_MAX_DROP = 0.02
# Accuracies are ratios of small integers: compare with a margin so 1/50 equals "2pp".
_EPSILON = 1e-9


def parse_drop(text: str | float) -> float:
    """``"2pp"``, ``"2%"``, ``"0.02"`` or ``0.02`` → 0.02; a number is always a share, so
    parsing a parsed value again changes nothing."""
    try:
        if isinstance(text, str):
            value = parse_points(text)
        elif type(text) in (int, float):  # not bool, not None
            value = float(text)
        else:
            raise ValueError
    except ValueError:
        raise ValueError(f"expected a drop like '2pp' or 0.02 (got {text!r})") from None
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"a capability drop must lie between 0pp and 100pp (got {text!r})")
    return value


@dataclass(frozen=True)
class LanguageDelta:
    """One language, before and after; ``after`` is None when it was not measured after."""

    lang: str
    before: LanguageCapability
    after: LanguageCapability | None
    paired: int
    before_correct: int
    after_correct: int
    newly_wrong: int
    newly_right: int
    max_drop: float

    @property
    def delta(self) -> float | None:
        """Accuracy after minus before, over the questions measured in both."""
        if not self.paired:
            return None
        return (self.after_correct - self.before_correct) / self.paired

    @property
    def failed(self) -> bool:
        return self.delta is None or self.delta < -self.max_drop - _EPSILON

    def breach(self) -> str:
        if self.after is None:
            return (
                f"{self.lang}: capability not measured after the change "
                f"(before: {_percent(self.before.accuracy)})"
            )
        if not self.paired:
            return f"{self.lang}: capability runs share no question; nothing to compare"
        assert self.delta is not None
        return (
            f"{self.lang}: capability {_percent(self.before_correct / self.paired)} → "
            f"{_percent(self.after_correct / self.paired)} ({100 * self.delta:+.1f} pp, "
            f"more than the {100 * self.max_drop:.1f} pp allowed; {self.newly_wrong} "
            f"newly wrong, {self.newly_right} newly right of {self.paired})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "paired": self.paired,
            "before": self.before_correct / self.paired if self.paired else None,
            "after": self.after_correct / self.paired if self.paired else None,
            "delta": self.delta,
            "newly_wrong": self.newly_wrong,
            "newly_right": self.newly_right,
            "failed": self.failed,
        }


@dataclass(frozen=True)
class CapabilityComparison:
    max_drop: float
    languages: dict[str, LanguageDelta]

    @property
    def failed(self) -> bool:
        return any(delta.failed for delta in self.languages.values())

    @property
    def breaches(self) -> list[str]:
        return [delta.breach() for delta in self.languages.values() if delta.failed]

    @property
    def overall_delta(self) -> float | None:
        """Pooled over every paired question (the paper's "average drop", micro-averaged)."""
        paired = sum(d.paired for d in self.languages.values())
        if not paired:
            return None
        gained = sum(d.after_correct - d.before_correct for d in self.languages.values())
        return gained / paired

    def to_dict(self) -> dict[str, Any]:
        return {
            "max_drop": self.max_drop,
            "failed": self.failed,
            "overall_delta": self.overall_delta,
            "languages": {lang: d.to_dict() for lang, d in self.languages.items()},
        }


def compare_capability(
    before: CapabilityResult, after: CapabilityResult, max_drop: float | str = DEFAULT_MAX_DROP
) -> CapabilityComparison:
    """Per-language delta of ``after`` against ``before``; every language of ``before`` counts.

    Raises ConfigError when a language was measured on different tasks (prompt format or
    questions differ): such accuracies do not compare.
    """
    try:
        threshold = parse_drop(max_drop)
    except ValueError as exc:
        raise ConfigError(f"'max_drop': {exc}") from None
    deltas: dict[str, LanguageDelta] = {}
    for lang, old in before.languages.items():
        new = after.languages.get(lang)
        if new is not None and new.task_hash != old.task_hash:
            raise ConfigError(
                f"capability in {lang} was measured on different tasks before ({old.task}, "
                f"{old.task_hash}) and after ({new.task}, {new.task_hash}); rerun both on one"
            )
        shared = sorted(set(old.outcomes) & set(new.outcomes)) if new is not None else []
        deltas[lang] = LanguageDelta(
            lang=lang,
            before=old,
            after=new,
            paired=len(shared),
            before_correct=sum(old.outcomes[q] for q in shared),
            after_correct=sum(new.outcomes[q] for q in shared) if new else 0,
            newly_wrong=sum(old.outcomes[q] and not new.outcomes[q] for q in shared) if new else 0,
            newly_right=sum(new.outcomes[q] and not old.outcomes[q] for q in shared) if new else 0,
            max_drop=threshold,
        )
    return CapabilityComparison(max_drop=threshold, languages=deltas)


def capability_table(
    result: CapabilityResult, comparison: CapabilityComparison | None = None
) -> str:
    """Terminal table: accuracy per language with its 95% CI, and the delta when compared."""
    from tabulate import tabulate

    headers = ["lang", "correct", "n", "accuracy", "95% CI"]
    if comparison is not None:
        headers += ["before", "delta", "gate"]
    rows = []
    for lang, cap in result.languages.items():
        low, high = cap.ci95
        row: list[Any] = [
            lang,
            cap.correct,
            cap.n,
            _percent(cap.accuracy),
            f"{100 * low:.0f}–{100 * high:.0f}%",
        ]
        if comparison is not None:
            delta = comparison.languages.get(lang)
            if delta is None:
                row += ["", "", ""]
            else:
                row += [
                    _percent(delta.before.accuracy),
                    "n/a" if delta.delta is None else f"{100 * delta.delta:+.1f} pp",
                    "DROP" if delta.failed else "ok",
                ]
        rows.append(row)
    if comparison is not None:  # languages measured before only: shown, and failing
        for lang, delta in comparison.languages.items():
            if lang not in result.languages:
                rows.append(
                    [
                        lang,
                        "",
                        "",
                        "not measured",
                        "",
                        _percent(delta.before.accuracy),
                        "n/a",
                        "DROP",
                    ]
                )
    return tabulate(rows, headers=headers, tablefmt="plain", disable_numparse=True)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"
