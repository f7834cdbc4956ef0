"""Retry and back-pressure policy for HTTP endpoints: how long to wait, how much to retry in
total, and how many requests to keep in flight while the server says it is overloaded.

- ``backoff_delay``: exponential backoff with jitter, never shorter than the server's
  ``Retry-After``.
- ``RetryBudget``: retries across all requests of a target are capped at a floor plus a share
  of first attempts (as Finagle's retry budget), so a dead or overloaded endpoint costs at most
  that much extra traffic instead of every request times ``max_retries``.
- ``AdaptiveConcurrency``: AIMD on the number of requests in flight. A 429 halves the limit
  (once per round of requests: answers to requests sent before the cut do not cut again); each
  full round of successes adds one, back up to the configured concurrency.
"""

from __future__ import annotations

import email.utils
import math
import random
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime

__all__ = ["AdaptiveConcurrency", "RetryBudget", "backoff_delay", "retry_after_seconds"]


def backoff_delay(attempt: int, base_s: float, max_s: float, hint_s: float | None = None) -> float:
    """Seconds to wait before attempt ``attempt + 1``.

    "Equal jitter": half of the exponential step fixed, half random, so workers that failed
    together do not retry together. A server's Retry-After (``hint_s``) is a floor, however
    long: the caller's time budget decides whether waiting that long is worth it (a hostile
    header then ends the request at once instead of parking the run).
    """
    ceiling = min(max_s, base_s * 2 ** (attempt - 1))
    delay = ceiling / 2 + random.uniform(0, ceiling / 2)
    if hint_s is not None:
        delay = max(delay, hint_s)
    return delay


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """A server's wait hint: ``retry-after-ms`` (OpenAI), or ``Retry-After`` as seconds or an
    HTTP date. None when absent or unreadable."""
    if headers is None:
        return None
    try:
        millis = headers.get("retry-after-ms")
        if millis is not None:
            return _non_negative(float(millis) / 1000)
        value = headers.get("retry-after")
    except (AttributeError, TypeError, ValueError):
        return None
    if value is None:
        return None
    try:
        return _non_negative(float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _non_negative(seconds: float) -> float | None:
    return max(0.0, seconds) if math.isfinite(seconds) else None


class RetryBudget:
    """Allows ``floor + ratio × first attempts`` retries in all; thread-safe."""

    def __init__(self, ratio: float = 0.5, floor: int = 20) -> None:
        self.ratio = ratio
        self.floor = floor
        self.requests = 0
        self.retries = 0
        self._lock = threading.Lock()

    def record_request(self) -> None:
        with self._lock:
            self.requests += 1

    def try_spend(self) -> bool:
        """Take one retry from the budget; False when it is used up."""
        with self._lock:
            if self.retries >= self.floor + self.ratio * self.requests:
                return False
            self.retries += 1
            return True


class AdaptiveConcurrency:
    """A semaphore whose size follows AIMD between 1 and ``maximum``; thread-safe."""

    def __init__(self, maximum: int) -> None:
        self.maximum = max(1, maximum)
        self.limit = self.maximum
        #: Every cut made, for logs and tests.
        self.cuts = 0
        self.lowest = self.maximum
        self._in_flight = 0
        self._round = 0  # bumped on every cut; a request remembers the round it started in
        self._successes = 0
        self._cond = threading.Condition()

    @contextmanager
    def slot(self) -> Iterator[int]:
        """Hold one of ``limit`` places while a request is in flight; yields its round."""
        with self._cond:
            while self._in_flight >= self.limit:
                self._cond.wait()
            self._in_flight += 1
            started_in = self._round
        try:
            yield started_in
        finally:
            with self._cond:
                self._in_flight -= 1
                self._cond.notify()

    def on_success(self) -> None:
        with self._cond:
            self._successes += 1
            if self._successes >= self.limit and self.limit < self.maximum:
                self.limit += 1
                self._successes = 0
                self._cond.notify()

    def on_overload(self, started_in: int) -> None:
        """A 429 for a request sent in round ``started_in``: halve the limit, once per round."""
        with self._cond:
            if started_in != self._round:
                return  # sent before the last cut: that cut already answered this overload
            self._round += 1
            self._successes = 0
            self.limit = max(1, self.limit // 2)
            self.cuts += 1
            self.lowest = min(self.lowest, self.limit)
