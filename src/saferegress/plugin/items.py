"""The collected tests: a suite file (``SuiteFile``) yields one ``SafetyCase`` per selected case.

A case's verdict is computed in a batch with the cases this process runs after it (see
``batcher``); it rides on the test report, where the controller tallies it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from saferegress.engine.heap import freeze_at_exit
from saferegress.errors import SuiteError
from saferegress.plugin.batcher import BatchKind, RunCases
from saferegress.plugin.run_cache import cache_path
from saferegress.plugin.stash import SETTINGS_KEY, WORKER_KEY
from saferegress.suite.cases import Case, parse_suite_file_cached

__all__ = ["PLAIN_CASES", "SafetyCase", "SuiteFile", "error_outcome"]

_STYLE_MARKERS_KEY = pytest.StashKey[set[str]]()
_MARKS_KEY = pytest.StashKey[dict[str, pytest.MarkDecorator]]()


def _mark(config: pytest.Config, name: str) -> pytest.MarkDecorator:
    """``pytest.mark.<name>``, made once per run and shared by the cases that carry it (as a
    parametrized function's marks are shared by its items): 10,000 cases carry ~6 each."""
    marks = config.stash.setdefault(_MARKS_KEY, {})
    mark = marks.get(name)
    if mark is None:
        mark = marks[name] = getattr(pytest.mark, name)
    return mark


@functools.lru_cache(maxsize=1024)
def _style_marker(style: str) -> str:
    """``style_<style>`` with every non-alphanumeric character as ``_``: worked out once per
    style (a suite has a few dozen), not once per case."""
    return "style_" + "".join(ch if ch.isalnum() else "_" for ch in style)


class SuiteFile(pytest.File):
    """A JSONL suite file: one item per selected case."""

    def collect(self) -> Iterator[SafetyCase]:
        settings = self.config.stash[SETTINGS_KEY]
        try:
            shown = str(self.path.relative_to(self.config.rootpath))
        except ValueError:
            shown = str(self.path)
        # An unchanged suite file is read from the run's cache folder, not parsed again. A run
        # that would make no cache folder (no model, --collect-only) does not start one.
        cache_dir = cache_path(self.config)
        if (
            cache_dir is not None
            and (settings.model is None or self.config.option.collectonly)
            and not cache_dir.is_dir()
        ):
            cache_dir = None
        cases, problems = parse_suite_file_cached(self.path, cache_dir)
        # A process with suite items ends without walking them all in its final collections.
        freeze_at_exit()
        if problems:
            first = problems[0]
            raise SuiteError(
                shown,
                first.line,
                first.field,
                first.message,
                problems=[p.__class__(shown, p.line, p.field, p.message) for p in problems],
            )
        for case in cases:
            if case.lang not in settings.languages:
                continue
            if settings.categories is not None and case.category not in settings.categories:
                continue
            if settings.styles is not None and case.style not in settings.styles:
                continue
            yield SafetyCase.from_parent(self, name=case.test_id, case=case)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, SuiteError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)  # type: ignore[return-value]


class SafetyCase(pytest.Item):
    """One suite case: its verdict is computed in a batch with the others."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.outcome: Any = None
        config = self.config
        for marker in (f"lang_{case.lang}", case.category, case.kind):
            self.add_marker(_mark(config, marker))
        style_marker = _style_marker(case.style)
        registered = self.config.stash.setdefault(_STYLE_MARKERS_KEY, set())
        if style_marker not in registered:  # once per style, not once per case
            registered.add(style_marker)
            self.config.addinivalue_line("markers", f"{style_marker}: saferegress attack style")
        self.add_marker(_mark(config, style_marker))
        if case.split:
            self.add_marker(_mark(config, f"split_{case.split}"))
        if case.smoke:
            self.add_marker(_mark(config, "smoke"))

    @property
    def suite_file(self) -> SuiteFile:
        """The suite file the case was collected from (items derived from it live there)."""
        assert isinstance(self.parent, SuiteFile)
        return self.parent

    def runtest(self) -> None:
        self.outcome = self.config.stash[WORKER_KEY].result_for(self, PLAIN_CASES)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, self.case.test_id


def _run_cases(run: RunCases, items: Sequence[SafetyCase]) -> Mapping[str, Any]:
    outcomes = run([item.case for item in items])
    by_id = {outcome.case.id: outcome for outcome in outcomes}
    return {item.nodeid: by_id[item.case.id] for item in items}


def error_outcome(case: Case, reason: str) -> Any:
    """A case without a verdict: counted against the model (the gate fails closed)."""
    from saferegress.engine.runner import CaseOutcome

    return CaseOutcome(case, None, "error", {}, reason)


PLAIN_CASES: BatchKind[SafetyCase, Any] = BatchKind(
    "case", SafetyCase, _run_cases, lambda item, reason: error_outcome(item.case, reason)
)
