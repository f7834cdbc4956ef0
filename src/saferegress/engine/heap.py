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
"""

from __future__ import annotations

import gc

__all__ = ["freeze_import_heap", "refreeze_after_unfreeze"]

_frozen = False


def freeze_import_heap() -> None:
    """Exempt every object tracked now from future collections (once per process)."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    gc.freeze()


def refreeze_after_unfreeze() -> None:
    """Freeze again after a library undid it (vLLM's engine shutdown calls ``gc.unfreeze()``
    for its own ``gc.freeze()`` at start-up): one collection first, so that nothing that is
    already garbage (the engine just dropped) is frozen, then the live heap is frozen. One full
    collection here saves the two pytest runs at the end. Nothing if the heap is still frozen
    or was never frozen by ``freeze_import_heap``."""
    if _frozen and gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()
