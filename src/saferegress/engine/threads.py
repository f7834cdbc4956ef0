"""How many threads torch and the tokenizers may use in this process.

Under ``pytest -n N`` every xdist worker loads its own model, and torch (and the Rust
tokenizers) start one thread per core in each: N workers × all cores oversubscribe the machine
and generation gets many times slower. Each worker gets its share instead,
``max(1, cores // N)``; a process outside xdist keeps torch's default.

A user who set ``OMP_NUM_THREADS`` has decided: nothing is changed then. The budget must be
applied before the first model loads (the tokenizers' pool starts once and keeps its size), so
the plugin calls ``apply_thread_budget`` at worker start and the in-process backends call it
again before loading (it acts once a process).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["ThreadBudget", "apply_thread_budget", "thread_budget"]


@dataclass(frozen=True)
class ThreadBudget:
    """The threads one process may use (None: leave the libraries' defaults) and why."""

    threads: int | None
    reason: str


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def thread_budget(
    environ: Mapping[str, str] | None = None, cores: int | None = None
) -> ThreadBudget:
    """This process's share of the cores, from the environment (pure: nothing is applied)."""
    env = os.environ if environ is None else environ
    if env.get("OMP_NUM_THREADS", "").strip():
        return ThreadBudget(None, f"OMP_NUM_THREADS={env['OMP_NUM_THREADS']} set by the user")
    cores = _cores() if cores is None else cores
    raw = env.get("PYTEST_XDIST_WORKER_COUNT", "").strip()
    if not raw.isdigit() or int(raw) < 1:
        return ThreadBudget(None, "not an xdist worker: the libraries' defaults")
    workers = int(raw)
    share = max(1, cores // workers)
    return ThreadBudget(share, f"{cores} cores shared by {workers} xdist workers")


_decided: ThreadBudget | None = None
_torch_limited = False


def apply_thread_budget() -> ThreadBudget:
    """Apply ``thread_budget()`` to this process: the tokenizers' and Rayon's pool sizes
    (environment variables, read when their pool starts) at the first call, and torch's
    intra-op threads as soon as torch is loaded. Imports nothing heavy: called at worker start
    it sets what torch is not there for yet, and the backends call it again once they have
    imported torch, before loading a model. Returns what was decided."""
    global _decided, _torch_limited
    if _decided is None:
        _decided = thread_budget()
        if _decided.threads is not None:
            os.environ.setdefault("RAYON_NUM_THREADS", str(_decided.threads))
            if _decided.threads == 1:
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if _decided.threads is not None and not _torch_limited and "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(_decided.threads)
        _torch_limited = True
    return _decided
