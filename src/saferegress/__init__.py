"""saferegress: a multilingual safety regression gate for LLMs, as a pytest plugin.

The public API is re-exported here and loaded on first use (PEP 562), so ``import saferegress``
— which pytest does for the plugin — stays as light as the plugin's hooks need it to be::

    from saferegress import parse_model_spec, read_answer, runner_for, settings_from
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> the module that defines it.
_EXPORTS = {
    # suites
    "Case": "saferegress.suite.cases",
    "load_suite": "saferegress.suite.cases",
    "parse_suite_file": "saferegress.suite.cases",
    # options
    "Settings": "saferegress.settings",
    "settings_from": "saferegress.settings",
    # models
    "ModelSpec": "saferegress.engine.specs",
    "parse_model_spec": "saferegress.engine.specs",
    "model_fingerprint": "saferegress.engine.fingerprints",
    "Target": "saferegress.backends.base",
    "TargetOptions": "saferegress.backends.base",
    "Generation": "saferegress.backends.base",
    "Message": "saferegress.backends.base",
    "load_target": "saferegress.backends",
    # verdicts
    "Guard": "saferegress.guards.base",
    "JudgeInput": "saferegress.guards.base",
    "Judgement": "saferegress.guards.base",
    "Verdict": "saferegress.guards.base",
    "case_verdict": "saferegress.guards.base",
    "available_guards": "saferegress.guards",
    "build_guard": "saferegress.guards",
    "RefusalJudge": "saferegress.guards.refusal",
    "read_answer": "saferegress.guards.refusal",
    # running and results
    "CaseRunner": "saferegress.engine.runner",
    "runner_for": "saferegress.engine.runner",
    "ResultCache": "saferegress.engine.cache",
    "Tally": "saferegress.analysis.metrics",
    "counts_against": "saferegress.analysis.metrics",
    "wilson_interval": "saferegress.analysis.metrics",
    "build_results": "saferegress.analysis.results",
    "write_results": "saferegress.analysis.results",
    # fixing
    "FixConfig": "saferegress.fixer.train",
    "fix_model": "saferegress.fixer.loop",
    # errors
    "SafeRegressError": "saferegress.errors",
    "ConfigError": "saferegress.errors",
    "SuiteError": "saferegress.errors",
    "TargetError": "saferegress.errors",
    "GuardError": "saferegress.errors",
}

__all__ = [
    "__version__",
    "Case",
    "load_suite",
    "parse_suite_file",
    "Settings",
    "settings_from",
    "ModelSpec",
    "parse_model_spec",
    "model_fingerprint",
    "Target",
    "TargetOptions",
    "Generation",
    "Message",
    "load_target",
    "Guard",
    "JudgeInput",
    "Judgement",
    "Verdict",
    "case_verdict",
    "available_guards",
    "build_guard",
    "RefusalJudge",
    "read_answer",
    "CaseRunner",
    "runner_for",
    "ResultCache",
    "Tally",
    "counts_against",
    "wilson_interval",
    "build_results",
    "write_results",
    "FixConfig",
    "fix_model",
    "SafeRegressError",
    "ConfigError",
    "SuiteError",
    "TargetError",
    "GuardError",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'saferegress' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # type checkers and IDEs see the real names
    from saferegress.analysis.metrics import Tally, counts_against, wilson_interval
    from saferegress.analysis.results import build_results, write_results
    from saferegress.backends import load_target
    from saferegress.backends.base import Generation, Message, Target, TargetOptions
    from saferegress.engine.cache import ResultCache
    from saferegress.engine.fingerprints import model_fingerprint
    from saferegress.engine.runner import CaseRunner, runner_for
    from saferegress.engine.specs import ModelSpec, parse_model_spec
    from saferegress.errors import (
        ConfigError,
        GuardError,
        SafeRegressError,
        SuiteError,
        TargetError,
    )
    from saferegress.fixer.loop import fix_model
    from saferegress.fixer.train import FixConfig
    from saferegress.guards import available_guards, build_guard
    from saferegress.guards.base import Guard, JudgeInput, Judgement, Verdict, case_verdict
    from saferegress.guards.refusal import RefusalJudge, read_answer
    from saferegress.settings import Settings, settings_from
    from saferegress.suite.cases import Case, load_suite, parse_suite_file
