"""Several replicas of one served model: which one gets the next request, and which are out.

``--base-url`` may name several URLs (the same model served by several servers, e.g. vLLM data
parallel replicas started apart). ``ReplicaPool`` spreads requests over them:

- a request goes to the available replica with the fewest requests in flight; ties go round
  robin, so an idle pool still uses every replica;
- a replica that fails (connection error, timeout, 5xx, a broken body) is taken out for a
  cool-down: ``cooldown_base_s`` the first time, doubled on each failure after it returns,
  capped at ``cooldown_max_s``; a success of a request sent since it returned resets it.
  Failures of requests sent before it was taken out do not double the cool-down again (they
  are the same outage);
- with a single replica nothing is ever taken out: there is nowhere else to send the request,
  and the caller's backoff already spaces its retries (one URL behaves as before replicas).

The pool only chooses; the caller (``OpenAITarget``) retries and decides what is a failure.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = ["Replica", "ReplicaPool", "split_urls"]

C = TypeVar("C")


def split_urls(text: str) -> list[str]:
    """``"http://a/v1, http://b/v1"`` → the URLs, in order, blanks dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]


@dataclass(eq=False)
class Replica(Generic[C]):
    """One server: its public URL (for logs and errors), its client and its counters."""

    url: str
    client: C
    in_flight: int = 0
    #: Answers it gave, and failures charged to it (for logs and tests).
    served: int = 0
    failed: int = 0
    #: Times it was taken out in a row (since its last success); sets the cool-down.
    outages: int = 0
    out_until: float = 0.0
    #: Bumped on each outage: a request remembers the epoch it was sent in.
    epoch: int = field(default=0)


class ReplicaPool(Generic[C]):
    """Thread-safe choice among replicas; see the module docstring."""

    def __init__(
        self,
        replicas: Sequence[Replica[C]],
        *,
        cooldown_base_s: float = 1.0,
        cooldown_max_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not replicas:
            raise ValueError("a replica pool needs at least one replica")
        self.replicas = list(replicas)
        self.cooldown_base_s = cooldown_base_s
        self.cooldown_max_s = cooldown_max_s
        self._clock = clock
        self._next = 0  # round-robin cursor for ties
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.replicas)

    def acquire(self) -> tuple[Replica[C], int] | None:
        """The replica for the next attempt, counted in flight, and its epoch; None when every
        replica is out (``available_in`` says for how long)."""
        with self._lock:
            now = self._clock()
            count = len(self.replicas)
            best: Replica[C] | None = None
            best_index = 0
            for step in range(count):
                index = (self._next + step) % count
                replica = self.replicas[index]
                if replica.out_until > now:
                    continue
                if best is None or replica.in_flight < best.in_flight:
                    best, best_index = replica, index
            if best is None:
                return None
            self._next = (best_index + 1) % count
            best.in_flight += 1
            return best, best.epoch

    def release(self, replica: Replica[C], epoch: int, outcome: str) -> float | None:
        """End an attempt: ``outcome`` is ``ok``, ``failed`` (the replica's fault: take it out)
        or ``neutral`` (a 4xx, a 429: the replica works). Returns the cool-down started, if
        this failure took the replica out."""
        with self._lock:
            replica.in_flight -= 1
            if outcome == "ok":
                replica.served += 1
                if epoch == replica.epoch:  # sent since its last outage: it is back for good
                    replica.outages = 0
                return None
            if outcome != "failed":
                return None
            replica.failed += 1
            if len(self.replicas) == 1 or epoch != replica.epoch:
                return None  # nowhere else to go / already taken out for this outage
            cooldown = min(self.cooldown_max_s, self.cooldown_base_s * 2**replica.outages)
            replica.outages += 1
            replica.epoch += 1
            replica.out_until = self._clock() + cooldown
            return cooldown

    def available_in(self) -> float:
        """Seconds until some replica is back (0 when one is available now)."""
        with self._lock:
            now = self._clock()
            return max(0.0, min(r.out_until for r in self.replicas) - now)

    def describe(self) -> str:
        """``3 replicas (http://a/v1, …)`` for error messages."""
        urls = ", ".join(r.url for r in self.replicas)
        return f"{len(self.replicas)} replicas ({urls})"
