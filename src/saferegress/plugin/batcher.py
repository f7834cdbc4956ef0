"""The look-ahead batcher: one ``generate`` and one ``judge`` call for many items, whatever
their kind (plain cases, ``--cross-language`` groups, ``--mutate`` searches).

When an item runs and its result is not known yet, the batcher computes it together with every
item of the same kind that this process will run after it and has not run yet. Alone, that is
the rest of the selection. Under xdist it is the worker's own queue (the items the controller has
sent it so far): an item is sent to exactly one worker, so nothing is computed twice; items sent
later form later batches.

When the model or a guard cannot be used at all (a ``SafeRegressError`` out of a batch), a run
without xdist stops with the reason (``pytest.exit``, a usage error). In an xdist worker
``pytest.exit`` would end as an INTERNALERROR that loses the reason, so instead every item of
every kind that worker runs becomes an error carrying it, and the gate fails closed with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pytest

from saferegress.errors import SafeRegressError

__all__ = ["BatchKind", "LookAheadBatcher", "is_xdist_worker", "xdist_queue"]

ItemT = TypeVar("ItemT", bound=pytest.Item)
ResultT = TypeVar("ResultT")

#: A batch of cases through the model and the guards: ``CaseRunner.run``.
RunCases = Callable[[Sequence[Any]], list[Any]]


@dataclass(frozen=True)
class BatchKind(Generic[ItemT, ResultT]):
    """How items of one kind are computed in batches.

    ``compute(run, items)``: the items' results keyed by node id, from one batch; ``run`` is the
    process's ``CaseRunner.run``. It raises ``SafeRegressError`` when nothing can be judged.
    ``unusable(item, reason)``: the item's result when the model or a guard cannot be used."""

    name: str
    item_type: type[ItemT]
    compute: Callable[[RunCases, Sequence[ItemT]], Mapping[str, ResultT]]
    unusable: Callable[[ItemT, str], ResultT]


def is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def xdist_queue(config: pytest.Config) -> list[int] | None:
    """Indexes (into ``session.items``) of the items this xdist worker has been sent and not
    started: the one it has already taken as "next", then its queue. None when the running
    xdist keeps them elsewhere. Reads ``WorkerInteractor.torun`` (pytest-xdist 3.x)."""
    for plugin in config.pluginmanager.get_plugins():
        if type(plugin).__name__ != "WorkerInteractor":
            continue
        queue = getattr(plugin, "torun", None)
        if queue is None or not hasattr(queue, "lock"):
            return None
        with queue.lock() as pending:
            indexes = [i for i in pending if isinstance(i, int)]
        upcoming = getattr(plugin, "nextitem_index", None)
        if isinstance(upcoming, int):
            indexes.insert(0, upcoming)
        return indexes
    return None


class LookAheadBatcher:
    """Per process: results of items computed in an earlier item's batch, waiting for their
    item, and the reason the model cannot be used once a batch has found one."""

    def __init__(
        self,
        run: RunCases,
        *,
        in_xdist_worker: bool,
        queue: Callable[[], list[int] | None],
    ) -> None:
        """``queue``: under xdist, the indexes of the items this worker will run next (see
        ``xdist_queue``; None: unknown, no look-ahead)."""
        self._run = run
        self._in_xdist_worker = in_xdist_worker
        self._queue = queue
        self._results: dict[tuple[str, str], Any] = {}
        self._done: set[tuple[str, str]] = set()
        self._order: dict[str, int] | None = None
        #: Why nothing can be judged in this process (a model or guard that fails to load).
        self.unusable_reason: str | None = None

    def result_for(self, item: ItemT, kind: BatchKind[ItemT, ResultT]) -> ResultT:
        key = (kind.name, item.nodeid)
        if key in self._results:
            return self._results.pop(key)
        if self.unusable_reason is not None:
            return kind.unusable(item, self.unusable_reason)
        batch = self.pending(item, kind)
        try:
            results = kind.compute(self._run, batch)
        except SafeRegressError as exc:
            # The model or a guard cannot be used at all: no point trying the other items.
            if not self._in_xdist_worker:
                pytest.exit(f"saferegress: {exc}", returncode=pytest.ExitCode.USAGE_ERROR)
            self.unusable_reason = f"saferegress: {exc}"
            return kind.unusable(item, self.unusable_reason)
        for other in batch:
            self._done.add((kind.name, other.nodeid))
            self._results[(kind.name, other.nodeid)] = results[other.nodeid]
        return self._results.pop(key)

    def ready(self, item: pytest.Item, kind: BatchKind[Any, Any]) -> bool:
        """Whether ``result_for(item, kind)`` only hands over a result computed earlier (no
        model, guard or cache is touched, nothing is printed or logged)."""
        return self.unusable_reason is not None or (kind.name, item.nodeid) in self._results

    def pending(self, item: ItemT, kind: BatchKind[ItemT, Any]) -> list[ItemT]:
        """``item`` and the items of its kind this process runs after it and has not run."""
        items = item.session.items
        if self._in_xdist_worker:
            indexes = self._queue()
            candidates = (
                [] if indexes is None else [items[i] for i in indexes if 0 <= i < len(items)]
            )
        else:
            if self._order is None:  # built once: a lookup per batch is O(n²) overall
                self._order = {other.nodeid: n for n, other in enumerate(items)}
            start = self._order.get(item.nodeid)
            candidates = [] if start is None else items[start + 1 :]
        batch = [item]
        seen = {item.nodeid}
        for other in candidates:
            if (
                isinstance(other, kind.item_type)
                and other.nodeid not in seen
                and (kind.name, other.nodeid) not in self._done
            ):
                seen.add(other.nodeid)
                batch.append(other)
        return batch
