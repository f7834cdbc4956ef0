"""The worker role: the process that runs items (the only process without xdist, each xdist
worker with it). It owns the batch runner (the model and the guards, loaded on first use) and
the look-ahead batcher every kind of item goes through."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import pytest

from saferegress.plugin.batcher import (
    BatchKind,
    LookAheadBatcher,
    is_xdist_worker,
    xdist_queue,
)
from saferegress.settings import Settings

__all__ = ["Worker"]

ItemT = TypeVar("ItemT", bound=pytest.Item)
ResultT = TypeVar("ResultT")


class Worker:
    """Per process that runs items: batched generation and judging (registered as a plugin
    for its end-of-loop hook)."""

    def __init__(self, config: pytest.Config, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self._runner: Any = None
        self.batcher = LookAheadBatcher(
            self.run,
            in_xdist_worker=is_xdist_worker(config),
            queue=lambda: xdist_queue(config),
        )

    def result_for(self, item: ItemT, kind: BatchKind[ItemT, ResultT]) -> ResultT:
        return self.batcher.result_for(item, kind)

    def ready(self, item: pytest.Item, kind: BatchKind[Any, Any]) -> bool:
        """Whether the item's result is computed already (see ``LookAheadBatcher.ready``)."""
        return self.batcher.ready(item, kind)

    def run(self, cases: Sequence[Any]) -> list[Any]:
        """Outcomes of ``cases`` through the cache, the model and the guards."""
        return self.runner().run(cases)

    def runner(self) -> Any:
        if self._runner is None:
            from saferegress.engine.progress import progress_bar_factory
            from saferegress.engine.runner import runner_for
            from saferegress.plugin.run_cache import open_cache

            cache, fingerprint = open_cache(
                self.config, self.settings.model or "", self.settings.target.base_url
            )
            self._runner = runner_for(
                self.settings,
                cache=cache,
                target_fingerprint=fingerprint,
                progress=progress_bar_factory(self.config),
            )
        return self._runner

    # trylast: the innermost wrapper, so without xdist the model is closed (its memory freed)
    # before the controller's wrapper assembles the results and runs the fix step.
    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Any:
        try:
            return (yield)
        finally:
            self.close()

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()
            self._runner = None
