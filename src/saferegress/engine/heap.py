"""Keeps Python's cyclic garbage collector off the objects that importing a model backend
creates.

``import torch, transformers`` (or vllm) leaves ~450,000 objects that live as long as the
process, and every full collection walks all of them: ~0.35 s of CPU each on a 2-core runner.
A pytest run pays that at least twice at the end (pytest's unraisable-exception plugin collects
at unconfigure and again at cleanup) plus every automatic full collection during generation:
about as long as judging and reporting a whole suite on a small model. ``gc.freeze()`` moves
every object tracked at that moment into the permanent generation, which collections skip.

It is called once per process, by the in-process backends, after their imports and before the
model's weights load: the model is created afterwards, so its memory is still reclaimed when
the target is closed (reference counting frees it; anything cyclic in it is still collected).
Objects already garbage at that moment and held only by reference cycles are never freed: a
one-off, small amount (pytest's own start-up), because it happens once a process.

``paused_until_import_frozen`` keeps the collector off while a target loads, up to that freeze:
importing torch and transformers grows the heap by ~450,000 objects, and each ~25% of growth
triggered a full collection of all of it (demo model: 7 full collections, ~0.9 s of a ~7.7 s
run). The weights then load with the collector on again.

``freeze_at_exit`` does the same for the end of a process that collected suite cases: the
interpreter's own collections while it shuts down walk every test item, report and record of
the run (~1 s after the last line of output at 10,000 cases, as long as the whole fixed cost
of a run), only to find nothing to free that the process's end does not free anyway.
"""

from __future__ import annotations

import atexit
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "freeze_at_exit",
    "freeze_import_heap",
    "gc_paused",
    "paused_until_import_frozen",
    "refreeze_after_unfreeze",
]

_frozen = False
_freeze_at_exit_registered = False
_pause_lock = threading.Lock()
_pauses = 0
_paused_enabled = False
#: The pauses ``paused_until_import_frozen`` holds until the import heap is frozen.
_import_pauses: list[object] = []


def freeze_import_heap() -> None:
    """Exempt every object tracked now from future collections (once per process)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
    _end_import_pauses()


def refreeze_after_unfreeze() -> None:
    """Freeze again after a library undid it (vLLM's engine shutdown calls ``gc.unfreeze()``
    for its own ``gc.freeze()`` at start-up): one collection first, so that nothing that is
    already garbage (the engine just dropped) is frozen, then the live heap is frozen. One full
    collection here saves the two pytest runs at the end. Nothing if the heap is still frozen
    or was never frozen by ``freeze_import_heap``."""
    if _frozen and gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


def freeze_at_exit() -> None:
    """Freeze the heap when the interpreter exits (registered once a process), so that its
    shutdown collections skip the objects a run leaves behind.

    ``atexit`` functions run only when the process ends (after its threads are joined, before
    modules are torn down and the final collections run): a run inside a longer-lived process
    (``pytest.main`` from a script, pytester's in-process runs) keeps collecting its garbage as
    usual until then. What is skipped is what CPython already does not promise: ``__del__`` of
    objects in reference cycles that are still alive when the interpreter exits.
    """
    global _freeze_at_exit_registered
    if _freeze_at_exit_registered:
        return
    _freeze_at_exit_registered = True
    atexit.register(gc.freeze)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic collection inside the block (nested and from several threads alike: the
    collector is on again, if it was on, when the last block ends).

    For saferegress's own bounded bursts of allocation that make little cyclic garbage:
    building the results and the reports, building a judge. Each burst allocates hundreds of
    thousands of objects that live on, and every ~25% growth of the heap triggers a full
    collection that walks all of it, the run's test items and reports included (10,000 cases:
    ~5 full collections, ~0.5 s, for the results and reports alone). What little garbage the
    block leaves is collected by the first collection after it.
    """
    _pause()
    try:
        yield
    finally:
        _resume()


@contextmanager
def paused_until_import_frozen() -> Iterator[None]:
    """No automatic collection from here until ``freeze_import_heap`` (the in-process
    backends call it once their imports are done, before the weights load) or the end of the
    block, whichever comes first."""
    token = object()
    _pause()
    with _pause_lock:
        _import_pauses.append(token)
    try:
        yield
    finally:
        with _pause_lock:
            mine = token in _import_pauses
            if mine:
                _import_pauses.remove(token)
        if mine:
            _resume()


def _end_import_pauses() -> None:
    with _pause_lock:
        held = len(_import_pauses)
        _import_pauses.clear()
    for _ in range(held):
        _resume()


def _pause() -> None:
    global _pauses, _paused_enabled
    with _pause_lock:
        if _pauses == 0:
            _paused_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1


def _resume() -> None:
    global _pauses
    with _pause_lock:
        _pauses -= 1
        if _pauses == 0 and _paused_enabled:
            gc.enable()
