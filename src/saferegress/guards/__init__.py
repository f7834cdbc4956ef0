"""Guards (judges) by name. Heavy guards import their dependencies only when loaded."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import GuardError
from .base import Guard, JudgeInput, Judgement, Verdict, case_verdict

__all__ = [
    "Guard",
    "JudgeInput",
    "Judgement",
    "Verdict",
    "available_guards",
    "case_verdict",
    "load_guard",
]


def _refusal() -> Guard:
    from .refusal import RefusalJudge

    return RefusalJudge()


_FACTORIES: dict[str, Callable[[], Guard]] = {"refusal": _refusal}


def available_guards() -> tuple[str, ...]:
    return tuple(_FACTORIES)


def load_guard(spec: str) -> Guard:
    """Instantiate the guard named by ``spec`` (e.g. ``refusal``)."""
    name = spec.split(":", 1)[0]
    factory = _FACTORIES.get(name)
    if factory is None:
        raise GuardError(f"unknown guard {spec!r}; available: {', '.join(available_guards())}")
    return factory()
