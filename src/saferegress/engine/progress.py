"""A progress bar (tqdm) for long generation and judging, drawn past pytest's output capture.

Shown only to a person watching: not under ``-q``, not when stderr is not a terminal (CI logs,
pipes), not when ``CI`` is set, not in xdist workers (their stderr goes nowhere), and only once
the work has taken longer than a second.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import pytest

__all__ = ["progress_bar_factory"]


class _UncapturedStderr:
    """A file whose writes reach the real stderr even while pytest captures the test's output."""

    def __init__(self, capture_manager: Any) -> None:
        self._capture = capture_manager

    def write(self, text: str) -> int:
        with self._capture.global_and_fixture_disabled():
            sys.stderr.write(text)
            sys.stderr.flush()
        return len(text)

    def flush(self) -> None:
        return None


def _wanted(config: pytest.Config, capture_manager: Any) -> bool:
    if hasattr(config, "workerinput") or config.option.verbose < 0:
        return False
    if os.environ.get("CI") or os.environ.get("SAFEREGRESS_NO_PROGRESS"):
        return False
    if capture_manager is None:
        return sys.stderr.isatty()
    with capture_manager.global_and_fixture_disabled():
        return sys.stderr.isatty()


def progress_bar_factory(config: pytest.Config) -> Callable[[int, str], Any] | None:
    """``make(total, description)`` → a tqdm bar (a context manager with ``update``), or None
    when no bar should be drawn."""
    capture_manager = config.pluginmanager.get_plugin("capturemanager")
    if not _wanted(config, capture_manager):
        return None  # tqdm not even imported (~5 ms of a cached rerun)
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm comes with the package
        return None
    out: Any = _UncapturedStderr(capture_manager) if capture_manager is not None else sys.stderr

    def make(total: int, description: str) -> Any:
        # leave=False erases the bar when done, so the line pytest prints its progress dots on
        # shows only pytest's own output afterwards.
        return tqdm(
            total=total,
            desc=f"saferegress {description}",
            unit=" cases",
            file=out,
            leave=False,
            delay=1.0,
            mininterval=0.5,
            dynamic_ncols=True,
        )

    return make
