"""Any OpenAI-compatible chat endpoint (OpenAI, vLLM, `transformers serve`, a gateway).

The official ``openai`` client makes the requests, with its own retries turned off: this module
retries 429, 5xx, timeouts and connection errors itself (exponential backoff with jitter), so the
policy is the same whichever client version is installed, and a request that still fails becomes
``Generation(error=...)`` — never an empty answer that a guard could judge safe.

The API key lives only inside the client. It is kept out of ``name``, ``repr``, error strings and
log records, and is scrubbed from error bodies in case a server echoes request headers back.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from saferegress.backends.base import Generation, Message, TargetOptions
from saferegress.errors import MissingExtraError

__all__ = ["OpenAITarget"]

log = logging.getLogger(__name__)

_DEFAULT_BASE_URL = "https://api.openai.com/v1"
_MAX_ERROR_CHARS = 300


def _public_url(url: str) -> str:
    """``url`` without user:password and without a query string (either may carry a secret)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


class _RetryableError(Exception):
    """A failure worth another attempt; ``delay_hint`` is a server's Retry-After, if any."""

    def __init__(self, reason: str, delay_hint: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.delay_hint = delay_hint


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
        base_url = self.options.base_url or os.environ.get("OPENAI_BASE_URL") or _DEFAULT_BASE_URL
        self.base_url = _public_url(base_url)
        self.name = f"openai:{model}@{self.base_url}"
        key = api_key or os.environ.get("OPENAI_API_KEY") or "EMPTY"
        self._secrets = _secrets(key, base_url)
        self._client = openai.OpenAI(
            base_url=base_url, api_key=key, max_retries=0, timeout=self.options.timeout_s
        )

    def __repr__(self) -> str:
        return f"OpenAITarget({self.name!r})"

    def generate(self, conversations: Sequence[Sequence[Message]]) -> list[Generation]:
        if not conversations:
            return []
        workers = max(1, min(self.options.concurrency, len(conversations)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="saferegress-openai") as ex:
            # map() yields in submission order, whatever order the requests finish in.
            return list(ex.map(self._answer, conversations))

    def close(self) -> None:
        self._client.close()

    # -- one conversation ------------------------------------------------------------------

    def _answer(self, conv: Sequence[Message]) -> Generation:
        messages = [dict(m) for m in conv]
        attempts = max(0, self.options.max_retries) + 1
        for attempt in range(1, attempts + 1):
            try:
                return self._request(messages)
            except _RetryableError as failure:
                if attempt == attempts:
                    reason = self._clean(failure.reason)
                    tries = f"{attempt} attempt" + ("s" if attempt > 1 else "")
                    return Generation(text=None, error=f"{reason} (gave up after {tries})")
                delay = self._backoff(attempt, failure.delay_hint)
                log.info(
                    "%s: attempt %d/%d failed (%s); retrying in %.2fs",
                    self.name,
                    attempt,
                    attempts,
                    self._clean(failure.reason),
                    delay,
                )
                time.sleep(delay)
            except Exception as exc:  # not worth retrying: 4xx, a malformed response, a bug
                return Generation(text=None, error=self._clean(self._describe(exc)))
        raise AssertionError("unreachable")  # pragma: no cover

    def _request(self, messages: list[dict[str, str]]) -> Generation:
        openai = self._openai
        try:
            response = self._client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                temperature=0,
                max_tokens=self.options.max_new_tokens,
            )
        except openai.APITimeoutError as exc:
            raise _RetryableError(f"timeout after {self.options.timeout_s:g}s") from exc
        except openai.APIConnectionError as exc:
            raise _RetryableError(f"connection error: {exc}") from exc
        except openai.APIStatusError as exc:
            if exc.status_code == 429 or exc.status_code >= 500:
                raise _RetryableError(self._describe(exc), _retry_after(exc.response)) from exc
            raise
        choices = getattr(response, "choices", None) or []
        content = choices[0].message.content if choices else None
        if content is None or not content.strip():
            finish = choices[0].finish_reason if choices else None
            return Generation(text=None, error=f"empty completion (finish_reason={finish})")
        return Generation(text=content.strip())

    def _backoff(self, attempt: int, hint: float | None) -> float:
        # Exponential backoff with "equal jitter": half fixed, half random, so concurrent
        # workers that failed together do not retry together.
        ceiling = min(self.backoff_max_s, self.backoff_base_s * 2 ** (attempt - 1))
        delay = ceiling / 2 + random.uniform(0, ceiling / 2)
        if hint is not None:
            delay = max(delay, min(hint, self.backoff_max_s))
        return delay

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


def _secrets(key: str, base_url: str) -> tuple[str, ...]:
    """Strings that must never leave this module: the key, and the URL's password and query."""
    parts = urlsplit(base_url)
    found = {key, parts.password or "", parts.query}
    if _public_url(base_url) != base_url.rstrip("/"):
        found.add(base_url)
    # Longest first, so that a secret containing another is masked whole.
    return tuple(sorted((s for s in found if len(s) >= 4 and s != "EMPTY"), key=len, reverse=True))


def _retry_after(response: Any) -> float | None:
    """Seconds from a numeric Retry-After header, if the server sent one."""
    try:
        value = response.headers.get("retry-after")
        return max(0.0, float(value)) if value is not None else None
    except (AttributeError, TypeError, ValueError):
        return None
