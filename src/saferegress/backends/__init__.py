"""Model targets, looked up by a spec string such as ``hf:/models/x`` or ``openai:gpt-4o-mini``.

Each backend lives in its own module and is imported only when a spec asks for it, so importing
this package (and the pytest plugin) never imports torch, transformers or openai.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import saferegress
from saferegress.backends.base import Generation, Message, Target, TargetOptions, conversation
from saferegress.backends.registry import build_target, plugin_target_forms, target_kinds
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
# kinds are entry points (backends/registry.py), other distributions' kinds among them.
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
    return build_target(spec.kind, spec.name, options)
