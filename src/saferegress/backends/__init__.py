"""Model targets, looked up by a spec string such as ``hf:/models/x`` or ``openai:gpt-4o-mini``.

Each backend lives in its own module and is imported only when a spec asks for it, so importing
this package (and the pytest plugin) never imports torch, transformers or openai.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import saferegress
from saferegress.backends.base import Generation, Message, Target, TargetOptions, conversation
from saferegress.engine.specs import ModelSpec, parse_model_spec
from saferegress.errors import ConfigError, TargetError

__all__ = [
    "DEMO_MODEL_DIR",
    "Generation",
    "Message",
    "Target",
    "TargetOptions",
    "conversation",
    "load_target",
    "target_kinds",
    "target_spec_help",
]

#: The tiny checkpoint shipped with the package (built by ``scripts/build_demo_model.py``).
DEMO_MODEL_DIR = Path(saferegress.__file__).parent / "demo_model"

# The spec forms users see in errors and --help; the grammar itself is engine/specs.py, the
# kinds are the dispatch table at the bottom of this module.
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
    width = max(len(form) for form, _ in _SPEC_FORMS)
    return "\n".join(f"  {form:<{width}}  {what}" for form, what in _SPEC_FORMS)


def target_kinds() -> tuple[str, ...]:
    """The ``KIND:`` prefixes a target spec may start with (the dispatch table's keys)."""
    return tuple(_FACTORIES)


def load_target(spec: str | ModelSpec, options: TargetOptions | None = None) -> Target:
    """Build the target a spec names. Raises TargetError (or MissingExtraError) if it can't.

    An ``openai:NAME@URL`` spec connects to its own URL, whatever ``options.base_url`` says."""
    options = options or TargetOptions()
    if isinstance(spec, str):
        try:
            spec = parse_model_spec(spec)
        except ConfigError as exc:  # a target that cannot be built, as for every other cause
            raise TargetError(str(exc)) from None
    if spec.path == DEMO_MODEL_DIR and not (DEMO_MODEL_DIR / "config.json").is_file():
        raise TargetError(
            f"the demo model is missing from {DEMO_MODEL_DIR}; build it with: "
            "python scripts/build_demo_model.py"
        )
    if spec.url is not None:
        options = replace(options, base_url=spec.url)
    return _FACTORIES[spec.kind](spec.name, options)


def _load_hf(path: str, options: TargetOptions) -> Target:
    from saferegress.backends.hf import HFTarget

    return HFTarget(path, options)


def _load_vllm(path: str, options: TargetOptions) -> Target:
    from saferegress.backends.vllm import VLLMTarget

    return VLLMTarget(path, options)


def _load_openai(model: str, options: TargetOptions) -> Target:
    from saferegress.backends.openai import OpenAITarget

    return OpenAITarget(model, options)


def _load_py(ref: str, options: TargetOptions) -> Target:
    module_name, _, attr_path = ref.partition(":")  # both present: parse_model_spec checked
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


#: The dispatch table: spec kind -> factory(name, options). ``parse_model_spec`` accepts exactly
#: these ``KIND:`` prefixes.
_FACTORIES: dict[str, Callable[[str, TargetOptions], Target]] = {
    "hf": _load_hf,
    "vllm": _load_vllm,
    "openai": _load_openai,
    "py": _load_py,
}
