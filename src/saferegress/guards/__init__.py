"""Guards (judges) by spec. Heavy guards import their dependencies only when loaded.

Specs: ``refusal`` (the built-in multilingual refusal judge), ``llama-guard:TARGET``,
``polyguard:TARGET``, ``qwen3guard:TARGET`` (Qwen3Guard-Gen) and ``adjudicator:TARGET``, where
TARGET is a target spec as ``--model`` takes it (``PATH``, ``hf:PATH``, ``openai:NAME``,
``vllm:PATH``), plus ``@URL`` after an ``openai:`` name for an endpoint of the guard's own.
``build_guard`` puts several guards and an adjudicator together into one ``GuardEnsemble``.

Other packages add guards through the entry-point group ``saferegress.guards`` (docs/guards.md,
"Writing your own guard"); the built-ins are registered there too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from ..backends.base import TargetOptions
from ..errors import GuardError, SafeRegressError
from ..registry import EntryPointRegistry
from .base import Guard, JudgeInput, Judgement, Verdict, case_verdict

__all__ = [
    "GUARDS",
    "Guard",
    "JudgeInput",
    "Judgement",
    "Verdict",
    "available_guards",
    "build_guard",
    "case_verdict",
    "load_guard",
    "parse_guard_languages",
]


#: Guard kinds by name: entry points in the group ``saferegress.guards`` (``saferegress.registry``),
#: the built-ins among them. Each is called with ``(ARG, options)`` for the spec ``NAME:ARG``.
GUARDS = EntryPointRegistry(
    "saferegress.guards",
    what="guard",
    error=GuardError,
    # The default first, then the model guards, then the one that settles disagreements.
    order=("refusal", "llama-guard", "polyguard", "qwen3guard", "adjudicator"),
)


def refusal_guard(
    spec: str, options: TargetOptions, *, compile_languages: Collection[str] | None = None
) -> Guard:
    """The built-in multilingual refusal judge (entry point ``refusal``); takes no argument.
    ``compile_languages``: a run's languages, compiled as it is built (others on first use)."""
    from ..languages import LANGUAGES
    from .refusal import RefusalJudge

    if spec:
        raise GuardError(f"guard 'refusal' takes no argument (got 'refusal:{spec}')")
    judge = RefusalJudge(compile_languages)
    judge.languages = frozenset(LANGUAGES)  # type: ignore[attr-defined]  # its lexicons
    return judge


def available_guards() -> tuple[str, ...]:
    """Every guard kind installed, built-ins first. Reads metadata once a process; imports none."""
    return GUARDS.names()


def load_guard(spec: str, options: TargetOptions | None = None) -> Guard:
    """Instantiate the guard named by ``spec`` (e.g. ``refusal``, ``llama-guard:/models/lg3``).

    ``options`` are the run's generation settings; a guard keeps its own token budget and never
    inherits the model's base URL. A guard from another distribution that fails to import, to
    build, or builds something that is not a ``Guard`` raises GuardError naming its
    distribution and entry point.
    """
    name, _, rest = spec.strip().partition(":")
    if name not in available_guards():
        raise GuardError(f"unknown guard {spec!r}; available: {', '.join(available_guards())}")
    factory, registration = GUARDS.load(name)
    options = options or TargetOptions()
    if registration.builtin:
        guard = factory(rest, options)
    else:
        try:
            guard = factory(rest, options)
        except SafeRegressError:
            raise
        except Exception as exc:
            raise GuardError(
                f"guard {spec!r} from {registration.describe(GUARDS.group)} failed to build: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
    if not isinstance(guard, Guard):
        raise GuardError(
            f"guard {spec!r} from {registration.describe(GUARDS.group)} built a "
            f"{type(guard).__name__}, which is not a Guard (it needs a 'name' and "
            "judge(items) -> list[Judgement])"
        )
    return guard


def parse_guard_languages(text: str) -> dict[str, frozenset[str] | None]:
    """``llama-guard=en,de;polyguard=all`` → overrides of the languages guards are trusted in.

    Keys are guard kinds (``llama-guard``) or full guard names; ``all`` trusts a guard everywhere.
    """
    overrides: dict[str, frozenset[str] | None] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        key, sep, value = (s.strip() for s in part.partition("="))
        if not sep or not key or not value:
            raise ValueError(f"expected GUARD=LANG,LANG,... or GUARD=all (got {part!r})")
        langs = [v.strip().lower() for v in value.split(",") if v.strip()]
        overrides[key] = None if langs == ["all"] else frozenset(langs)
    return overrides


def build_guard(
    specs: Sequence[str],
    *,
    adjudicator: str | None = None,
    policy: str | None = None,
    languages: Mapping[str, frozenset[str] | None] | None = None,
    options: TargetOptions | None = None,
) -> Guard:
    """The guard a run judges with: one guard as it is, or an ensemble of them.

    A single guard trusted in only some of the 12 languages is an ensemble of one too, so that
    it is not trusted outside them (those cases become errors, or go to the adjudicator).
    Default policy: ``paper`` with an adjudicator, ``any`` without (see ``ensemble``).
    """
    from ..languages import LANGUAGES

    if not specs:
        raise GuardError("no guard given")
    members = [load_guard(spec, options) for spec in specs]
    if len(members) == 1 and adjudicator is None and policy is None and not languages:
        declared = getattr(members[0], "languages", None)
        if declared is None or set(LANGUAGES) <= declared:
            return members[0]
    from .ensemble import GuardEnsemble

    judge = load_guard(f"adjudicator:{adjudicator}", options) if adjudicator else None
    return GuardEnsemble(
        members,
        adjudicator=judge,
        policy=policy or ("paper" if judge else "any"),
        overrides=languages,
    )
