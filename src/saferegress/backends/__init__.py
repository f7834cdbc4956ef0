"""Model targets, looked up by a spec string such as ``hf:/models/x`` or ``openai:gpt-4o-mini``.

Each backend lives in its own module and is imported only when a spec asks for it, so importing
this package (and the pytest plugin) never imports torch, transformers or openai.
"""

from __future__ import annotations

from dataclasses import replace

from saferegress.backends.base import Generation, Message, Target, TargetOptions, conversation
from saferegress.backends.registry import build_target, target_kinds, target_spec_help
from saferegress.engine import specs
from saferegress.engine.specs import DEMO_MODEL_DIR, ModelSpec, parse_model_spec
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


def load_target(spec: str | ModelSpec, options: TargetOptions | None = None) -> Target:
    """Build the target a spec names. Raises TargetError (or MissingExtraError) if it can't.

    An ``openai:NAME@URL`` spec connects to its own URL, whatever ``options.base_url`` says."""
    options = options or TargetOptions()
    if isinstance(spec, str):
        try:
            spec = parse_model_spec(spec)
        except ConfigError as exc:  # a target that cannot be built, as for every other cause
            raise TargetError(str(exc)) from None
    demo = specs.DEMO_MODEL_DIR  # where the spec ``demo`` points (read now: tests move it)
    if spec.path == demo and not (demo / "config.json").is_file():
        raise TargetError(
            f"the demo model is missing from {demo}; build it with: "
            "python scripts/build_demo_model.py"
        )
    if spec.url is not None:
        options = replace(options, base_url=spec.url)
    return build_target(spec.kind, spec.name, options)
