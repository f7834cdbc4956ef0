"""Capability before and after a change, per language, with lm-eval (lm-evaluation-harness).

    result = measure_capability("path/to/checkpoint", ["en", "sl"], limit=None)
    fixed = measure_capability("path/to/fixed", ["en", "sl"])
    comparison = compare_capability(result, fixed, max_drop="2pp")
    comparison.failed, comparison.breaches

Tasks: ``local`` (24 general-knowledge questions, the same in all 12 languages, shipped in
``data/``) or ``global-mmlu:DIR`` (Global-MMLU files you have on disk); both in Global-MMLU's
format and prompt (see ``tasks``). Importing this package does not import lm-eval or torch.
"""

from .compare import (
    DEFAULT_MAX_DROP,
    CapabilityComparison,
    LanguageDelta,
    capability_table,
    compare_capability,
    parse_drop,
)
from .measure import (
    CapabilityResult,
    LanguageCapability,
    measure_capability,
    resolve_checkpoint,
)
from .tasks import TaskSet, TaskSource, parse_task_source, write_task_configs

__all__ = [
    "DEFAULT_MAX_DROP",
    "CapabilityComparison",
    "CapabilityResult",
    "LanguageCapability",
    "LanguageDelta",
    "TaskSet",
    "TaskSource",
    "capability_table",
    "compare_capability",
    "measure_capability",
    "parse_drop",
    "parse_task_source",
    "resolve_checkpoint",
    "write_task_configs",
]
