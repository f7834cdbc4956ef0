"""Any OpenAI-compatible chat endpoint (OpenAI, vLLM, `transformers serve`, a gateway).

The official ``openai`` client makes the requests, with its own retries turned off: this module
retries itself, so the policy is the same whichever client version is installed
(``saferegress.backends.retry``):

- retried: 408, 429, 5xx, timeouts, connection errors (a reset mid-body too), a body that is not
  the JSON it should be, a completion without ``choices``; after exponential backoff with jitter,
  never sooner than the server's ``Retry-After`` / ``retry-after-ms``;
- bounded: ``max_retries`` per request, ``retry_budget_s`` seconds per request from its first
  attempt, and a retry budget shared by all requests of the target (20 + half the requests);
- 429 halves the number of requests in flight (AIMD), successes raise it back to
  ``concurrency``;
- a request that still fails becomes ``Generation(error=...)``, an ``error`` verdict — never an
  empty answer that a guard could judge safe. 4xx other than 408/429 are not retried.

``finish_reason: "length"`` means the answer reached ``max_new_tokens``. That is the same cut every
backend makes (in-process generation stops there too), so the answer is judged as it is; an
INFO log line counts such answers per batch. An empty answer is an error whatever the reason.

Several replicas (``base_url`` listing URLs, comma separated: the same model on several servers)
share one target (``saferegress.backends.replicas``): each attempt goes to the least-loaded
replica; a connection error, timeout, 5xx or broken body takes that replica out for a cool-down
and the request is retried at once on another one, within the same ``max_retries``, time and
retry budgets; 4xx are not retried anywhere. When every replica is out the request waits for the
first to return if its budgets allow, else it becomes an error naming the replicas. ``concurrency``
is per replica. The target's ``name`` (and so its fingerprint and cache key) lists the public
URLs sorted: which replica answered never changes what was tested.

The API key lives only inside the client. It is kept out of ``name``, ``repr``, error strings and
log records, and is scrubbed from error bodies in case a server echoes request headers back.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from saferegress.backends.base import Generation, Message, TargetOptions
from saferegress.backends.replicas import Replica, ReplicaPool, split_urls
from saferegress.backends.retry import (
    AdaptiveConcurrency,
    RetryBudget,
    backoff_delay,
    retry_after_seconds,
)
from saferegress.engine.specs import openai_base_url, public_url
from saferegress.errors import MissingExtraError

__all__ = ["OpenAITarget"]

log = logging.getLogger(__name__)

_MAX_ERROR_CHARS = 300


class _RetryableError(Exception):
    """A failure worth another attempt; ``delay_hint`` is a server's Retry-After, if any."""

    def __init__(
        self,
        reason: str,
        delay_hint: float | None = None,
        overloaded: bool = False,
        no_replica: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.delay_hint = delay_hint
        #: A 429: the server asks for less traffic, so concurrency backs off too.
        self.overloaded = overloaded
        #: Every replica was out: no request was sent.
        self.no_replica = no_replica


class OpenAITarget:
    """A chat model behind an OpenAI-compatible HTTP API, queried greedily (temperature 0)."""

    def __init__(
        self,
        model: str,
        options: TargetOptions | None = None,
        api_key: str | None = None,
        *,
        backoff_base_s: float = 0.5,
        backoff_max_s: float = 30.0,
        cooldown_base_s: float = 1.0,
        cooldown_max_s: float = 30.0,
    ) -> None:
        try:
            import openai
        except ImportError as exc:
            raise MissingExtraError("openai", "openai") from exc
        self._openai = openai
        self.model = model
        self.options = options or TargetOptions()
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        base_url = openai_base_url(self.options.base_url)
        urls = split_urls(base_url) or [base_url]
        #: Public form; several replicas: sorted, comma separated.
        self.base_url = public_url(base_url)
        self.name = f"openai:{model}@{self.base_url}"
        key = api_key or os.environ.get("OPENAI_API_KEY") or "EMPTY"
        self._secrets = _secrets(key, urls)
        self.replicas: ReplicaPool[Any] = ReplicaPool(
            [
                Replica(
                    public_url(url),
                    openai.OpenAI(
                        base_url=url, api_key=key, max_retries=0, timeout=self.options.timeout_s
                    ),
                )
                for url in urls
            ],
            cooldown_base_s=cooldown_base_s,
            cooldown_max_s=cooldown_max_s,
        )
        #: Shared by every request of this target, across ``generate`` calls.
        self.concurrency_limit = AdaptiveConcurrency(self.options.concurrency * len(urls))
        self.retry_budget = RetryBudget()
        self._truncated = 0
        self._truncated_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"OpenAITarget({self.name!r})"

    def generate(self, conversations: Sequence[Sequence[Message]]) -> list[Generation]:
        if not conversations:
            return []
        workers = max(1, min(self.concurrency_limit.maximum, len(conversations)))
        self._truncated = 0
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="saferegress-openai") as ex:
            # map() yields in submission order, whatever order the requests finish in.
            answers = list(ex.map(self._answer, conversations))
        if self._truncated:
            log.info(
                "%s: %d of %d answers reached max_new_tokens (finish_reason=length); judged as cut",
                self.name,
                self._truncated,
                len(conversations),
            )
        return answers

    def close(self) -> None:
        for replica in self.replicas.replicas:
            replica.client.close()

    # -- one conversation ------------------------------------------------------------------

    def _answer(self, conv: Sequence[Message]) -> Generation:
        messages = [dict(m) for m in conv]
        attempts = max(0, self.options.max_retries) + 1
        deadline = time.monotonic() + self.options.retry_budget_s
        self.retry_budget.record_request()
        last_failure = ""
        for attempt in range(1, attempts + 1):
            try:
                with self.concurrency_limit.slot() as started_in:
                    answer = self._attempt(messages, deadline, started_in, last_failure)
                self.concurrency_limit.on_success()
                return answer
            except _RetryableError as failure:
                if not failure.no_replica:
                    last_failure = failure.reason
                if self._fails_over(failure):
                    delay = 0.0  # another replica is up: no reason to wait
                else:
                    delay = self._backoff(attempt, failure.delay_hint)
                stop = None
                if attempt == attempts:
                    stop = ""
                elif time.monotonic() + delay >= deadline:
                    stop = f"; retry time budget of {self.options.retry_budget_s:g}s spent"
                elif not self.retry_budget.try_spend():
                    stop = "; the target's retry budget is spent"
                if stop is not None:
                    reason = self._clean(failure.reason)
                    tries = f"{attempt} attempt" + ("s" if attempt > 1 else "")
                    return Generation(text=None, error=f"{reason} (gave up after {tries}{stop})")
                log.info(
                    "%s: attempt %d/%d failed (%s); retrying in %.2fs",
                    self.name,
                    attempt,
                    attempts,
                    self._clean(failure.reason),
                    delay,
                )
                time.sleep(delay)
            except Exception as exc:  # not worth retrying: 4xx other than 408/429, a bug
                return Generation(text=None, error=self._clean(self._describe(exc)))
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(
        self, messages: list[dict[str, str]], deadline: float, started_in: int, last: str
    ) -> Generation:
        """One try on the least-loaded replica; its failure is charged to that replica."""
        picked = self.replicas.acquire()
        if picked is None:
            detail = f"; last failure: {last}" if last else ""
            raise _RetryableError(
                f"all {self.replicas.describe()} are out after failures{detail}",
                self.replicas.available_in(),
                no_replica=True,
            )
        replica, epoch = picked
        outcome = "neutral"  # a 4xx or a 429: the replica works, the request or load does not
        try:
            timeout = max(0.001, min(self.options.timeout_s, deadline - time.monotonic()))
            answer = self._request(replica.client, messages, timeout)
            outcome = "ok"
            return answer
        except _RetryableError as failure:
            if failure.overloaded:
                self.concurrency_limit.on_overload(started_in)
            else:
                outcome = "failed"
            raise
        finally:
            cooldown = self.replicas.release(replica, epoch, outcome)
            if cooldown is not None:
                log.warning(
                    "%s: replica %s failed; left out for %.1fs", self.name, replica.url, cooldown
                )

    def _fails_over(self, failure: _RetryableError) -> bool:
        """A replica's failure with another replica up now: retry there without waiting."""
        return (
            len(self.replicas) > 1
            and not failure.overloaded
            and not failure.no_replica
            and self.replicas.available_in() == 0
        )

    def _request(self, client: Any, messages: list[dict[str, str]], timeout: float) -> Generation:
        openai = self._openai
        try:
            response = client.chat.completions.create(
                model=self.model,
                messages=messages,
                temperature=0,
                max_tokens=self.options.max_new_tokens,
                timeout=timeout,
            )
        except openai.APITimeoutError as exc:
            raise _RetryableError(f"timeout after {timeout:g}s") from exc
        except openai.APIConnectionError as exc:
            raise _RetryableError(f"connection error: {exc}") from exc
        except openai.APIStatusError as exc:
            status = exc.status_code
            if status in (408, 429) or status >= 500:
                raise _RetryableError(
                    self._describe(exc), _retry_after(exc.response), overloaded=status == 429
                ) from exc
            raise
        except (ValueError, openai.APIResponseValidationError) as exc:
            # A proxy's HTML error page, a body cut short: the server's fault, worth a retry.
            raise _RetryableError(f"malformed response: {type(exc).__name__}: {exc}") from exc
        except Exception as exc:
            failure = _transport_failure(exc)
            if failure is None:
                raise
            raise _RetryableError(f"{failure}: {type(exc).__name__}: {exc}") from exc
        choices = getattr(response, "choices", None)
        if not choices:
            raise _RetryableError("malformed response: no choices")
        content = choices[0].message.content
        finish = choices[0].finish_reason
        if content is None or not content.strip():
            return Generation(text=None, error=f"empty completion (finish_reason={finish})")
        if finish == "length":
            with self._truncated_lock:
                self._truncated += 1
        return Generation(text=content.strip())

    def _backoff(self, attempt: int, hint: float | None) -> float:
        return backoff_delay(attempt, self.backoff_base_s, self.backoff_max_s, hint)

    def _describe(self, exc: BaseException) -> str:
        openai = self._openai
        if isinstance(exc, openai.APIStatusError):
            reason = getattr(exc.response, "reason_phrase", "") or ""
            text = f"HTTP {exc.status_code} {reason}".rstrip()
            # The client's message is "Error code: N - <server's message>"; keep the latter.
            detail = (
                (getattr(exc, "message", "") or "")
                .removeprefix(f"Error code: {exc.status_code}")
                .removeprefix(" - ")
            )
            if detail:
                text += f": {detail}"
        else:
            text = f"{type(exc).__name__}: {exc}"
        return text

    def _clean(self, text: str) -> str:
        """``text`` with every secret masked, then shortened (in that order: a cut must not
        leave half a key behind)."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        if len(text) > _MAX_ERROR_CHARS:
            text = text[: _MAX_ERROR_CHARS - 3] + "..."
        return text


def _secrets(key: str, urls: Sequence[str]) -> tuple[str, ...]:
    """Strings that must never leave this module: the key, and each URL's password and query."""
    found = {key}
    for url in urls:
        parts = urlsplit(url)
        found |= {parts.password or "", parts.query}
        if public_url(url) != url.rstrip("/"):
            found.add(url)
    # Longest first, so that a secret containing another is masked whole.
    return tuple(sorted((s for s in found if len(s) >= 4 and s != "EMPTY"), key=len, reverse=True))


def _transport_failure(exc: BaseException) -> str | None:
    """``timeout`` or ``connection error`` for a network failure the client did not wrap in its
    own errors, else None. (openai 3.57 lets httpcore2's ReadError/ReadTimeout escape when a
    response body breaks off after its headers: measured with a reset mid-body.)"""
    family = type(exc).__module__.split(".")[0].rstrip("0123456789")
    if family not in ("httpx", "httpcore") and not isinstance(exc, OSError):
        return None
    timed_out = isinstance(exc, TimeoutError) or any(
        "Timeout" in cls.__name__ for cls in type(exc).__mro__
    )
    return "timeout" if timed_out else "connection error"


def _retry_after(response: Any) -> float | None:
    """Seconds the server asked us to wait, if it said."""
    return retry_after_seconds(getattr(response, "headers", None))
