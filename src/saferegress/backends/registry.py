"""Target kinds by name: the ``KIND`` of a ``KIND:ARG`` model spec.

Each kind is an entry point in the group ``saferegress.targets`` (``saferegress.registry``),
the built-ins (``hf``, ``vllm``, ``openai``, ``py``) among them, called with ``(ARG, options)``.
Another distribution adds a kind by declaring one (docs/guards.md, "Writing your own guard").
Nothing is imported until a kind is used, so this module stays light.
"""

from __future__ import annotations

import importlib

from saferegress.backends.base import Target, TargetOptions
from saferegress.errors import SafeRegressError, TargetError
from saferegress.registry import EntryPointRegistry

__all__ = [
    "TARGETS",
    "build_target",
    "load_py_target",
    "plugin_target_forms",
    "target_kinds",
    "target_spec_help",
]

TARGETS = EntryPointRegistry(
    "saferegress.targets",
    what="target kind",
    error=TargetError,
    order=("hf", "vllm", "openai", "py"),
)


def target_kinds() -> tuple[str, ...]:
    """Every target kind installed, built-ins first. Reads metadata once a process."""
    return TARGETS.names()


def plugin_target_forms() -> tuple[tuple[str, str], ...]:
    """``(KIND:ARG, where from)`` for each kind another distribution adds, for help texts."""
    return tuple(
        (f"{kind}:ARG", f"from {registrations[0].distribution} (entry point)")
        for kind, registrations in TARGETS.registrations().items()
        if not registrations[0].builtin
    )


# The spec forms users see in errors and --help; the grammar itself is engine/specs.py, the
# kinds are the entry points above, other distributions' kinds among them.
_SPEC_FORMS = (
    ("demo", "the tiny demo model shipped with saferegress"),
    ("hf:PATH", "a local Hugging Face checkpoint (a bare path to a directory works too)"),
    ("vllm:PATH", "a local checkpoint through vLLM's offline engine (extra: saferegress[vllm])"),
    (
        "openai:MODEL[@URL]",
        "an OpenAI-compatible endpoint (else base_url option, OPENAI_BASE_URL)",
    ),
    ("py:MODULE:ATTR", "a factory or class, called with the TargetOptions"),
)


def target_spec_help() -> str:
    """One line per accepted spec form, for error messages and ``--help``."""
    forms = _SPEC_FORMS + plugin_target_forms()
    width = max(len(form) for form, _ in forms)
    return "\n".join(f"  {form:<{width}}  {what}" for form, what in forms)


def build_target(kind: str, arg: str, options: TargetOptions) -> Target:
    """The target ``KIND:ARG`` names. A kind from another distribution that fails to import,
    to build, or builds something that is not a ``Target`` raises TargetError naming its
    distribution and entry point; the built-ins raise their own errors."""
    factory, registration = TARGETS.load(kind)
    if registration.builtin:
        target = factory(arg, options)
    else:
        try:
            target = factory(arg, options)
        except SafeRegressError:
            raise
        except Exception as exc:
            raise TargetError(
                f"target '{kind}:{arg}' from {registration.describe(TARGETS.group)} failed to "
                f"build: {type(exc).__name__}: {exc}"
            ) from exc
    if not isinstance(target, Target):
        raise TargetError(
            f"target '{kind}:{arg}' from {registration.describe(TARGETS.group)} built a "
            f"{type(target).__name__}, which is not a Target (it needs a 'name', "
            "generate(conversations) and close())"
        )
    return target


def load_py_target(ref: str, options: TargetOptions) -> Target:
    """``py:MODULE:ATTR``: the factory or class ``ATTR`` of ``MODULE``, called with options."""
    module_name, _, attr_path = ref.partition(":")
    if not module_name or not attr_path:
        raise TargetError(f"target spec 'py:{ref}' must look like py:MODULE:ATTR")
    try:
        obj: object = importlib.import_module(module_name)
    except Exception as exc:  # ImportError, or a SyntaxError etc. in the user's module
        raise TargetError(f"target spec 'py:{ref}': cannot import {module_name!r}: {exc}") from exc
    for attr in attr_path.split("."):
        try:
            obj = getattr(obj, attr)
        except AttributeError:
            raise TargetError(
                f"target spec 'py:{ref}': {module_name!r} has no attribute {attr_path!r}"
            ) from None
    if not callable(obj):
        raise TargetError(f"target spec 'py:{ref}': {attr_path!r} is not callable")
    target = obj(options)
    if not isinstance(target, Target):
        raise TargetError(
            f"target spec 'py:{ref}' returned {type(target).__name__}, which is not a Target "
            "(it needs a 'name', generate(conversations) and close())"
        )
    return target
