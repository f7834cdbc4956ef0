"""Endpoint faults against everything that speaks OpenAI-compatible HTTP: the ``openai:`` target
and the guards served over it (adjudicator, Llama Guard), through a local fault-injecting server
(tests/openai_fault_server.py): retries with backoff and jitter, Retry-After, a total budget,
concurrency that backs off on 429, and fail-closed errors when retries run out."""

from __future__ import annotations

import email.utils
import logging
import sys
import time
from collections.abc import Iterator

import openai  # noqa: F401  (the dev extra has it: missing fails, never skips)
import pytest

from openai_fault_server import COMPLIANCE, FAULTS, REFUSAL, FaultServer, rule_answer  # noqa: E402
from saferegress.backends.base import Generation, TargetOptions, conversation  # noqa: E402
from saferegress.backends.openai import OpenAITarget  # noqa: E402
from saferegress.backends.retry import (  # noqa: E402
    AdaptiveConcurrency,
    RetryBudget,
    backoff_delay,
    retry_after_seconds,
)
from saferegress.guards.adjudicator import Adjudicator  # noqa: E402
from saferegress.guards.base import JudgeInput, case_verdict  # noqa: E402
from saferegress.guards.llama_guard import LlamaGuard  # noqa: E402

FAST = {"backoff_base_s": 0.01, "backoff_max_s": 0.05}
PROMPTS = [f"request {i}" for i in range(6)]


def target_for(server: FaultServer, **options: object) -> OpenAITarget:
    options = {"timeout_s": 0.5, **options}
    return OpenAITarget("m", TargetOptions(base_url=server.base_url, **options), **FAST)


def expected(prompts: list[str]) -> list[Generation]:
    return [Generation(rule_answer({"messages": conversation(p)})[0]) for p in prompts]


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Every ``time.sleep`` saferegress itself calls (its retry waits), in seconds; the sleeps
    still happen. Tests assert on the waits asked for, never on the clock."""
    asked: list[float] = []
    real_sleep = time.sleep

    def sleep(seconds: float) -> None:
        if sys._getframe(1).f_globals.get("__name__", "").startswith("saferegress."):
            asked.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", sleep)
    yield asked


# -- every fault, once per request: survived -----------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_is_retried_and_the_answer_is_the_clean_one(fault: str) -> None:
    with FaultServer(every=1, faults=[fault], hang_s=1.0) as server:
        answers = target_for(server, max_retries=2).generate([conversation(p) for p in PROMPTS])
    assert answers == expected(PROMPTS)
    assert server.injected[fault] == len(PROMPTS)  # every request was faulted once...
    assert server.requests == 2 * len(PROMPTS)  # ...and retried once


# -- every fault, on every attempt: an error, never an answer ------------------------------------


@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_that_persists_becomes_an_error(fault: str) -> None:
    with FaultServer(every=1, faults=[fault], hang_s=1.0, once_per_request=False) as server:
        answers = target_for(server, max_retries=1).generate([conversation("a"), conversation("b")])
    assert all(a.text is None for a in answers), answers
    assert all("gave up after 2 attempts" in (a.error or "") for a in answers), answers
    assert 2 < server.requests <= 4  # (an attempt lost on a dropped connection is not counted)


def test_retry_after_is_honoured(waits: list[float]) -> None:
    with FaultServer(every=1, faults=["429-retry-after"], retry_after="0.6") as server:
        answers = target_for(server).generate([conversation("Hi")])
    assert answers == expected(["Hi"])
    assert server.requests == 2
    assert len(waits) == 1 and waits[0] >= 0.6  # the backoff alone (FAST) would be ~0.01 s


def test_retry_after_forms() -> None:
    assert retry_after_seconds({"retry-after": "2"}) == 2.0
    assert retry_after_seconds({"retry-after": "0.25"}) == 0.25
    assert retry_after_seconds({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry_after_seconds({"retry-after": "-3"}) == 0.0
    assert retry_after_seconds({"retry-after": email.utils.formatdate(usegmt=True)}) <= 1.0
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 55 <= (retry_after_seconds({"retry-after": in_a_minute}) or 0) <= 61
    for unreadable in ({"retry-after": "soon"}, {"retry-after": "nan"}, {}, None):
        assert retry_after_seconds(unreadable) is None


def test_backoff_grows_exponentially_with_jitter_and_caps() -> None:
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (8, 10.0)]:
        delays = [backoff_delay(attempt, 0.5, 10.0) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 150  # jittered: concurrent retries spread out
    # Retry-After is a floor, even beyond the cap (the time budget bounds it; next test).
    assert backoff_delay(1, 0.5, 10.0, hint_s=4.0) == 4.0
    assert backoff_delay(1, 0.5, 10.0, hint_s=3600.0) == 3600.0


def test_a_retry_after_beyond_the_time_budget_ends_the_request_at_once(
    waits: list[float],
) -> None:
    with FaultServer(every=1, faults=["429-retry-after"], retry_after="3600") as server:
        [answer] = target_for(server, retry_budget_s=30).generate([conversation("Hi")])
    assert waits == []  # it did not start waiting an hour (nor 30 s)
    assert answer.text is None and "429" in (answer.error or "")
    assert "retry time budget of 30s spent" in (answer.error or "")
    assert server.requests == 1


def test_a_request_gives_up_when_its_time_budget_is_spent(waits: list[float]) -> None:
    with FaultServer(every=1, faults=["503"], once_per_request=False) as server:
        target = OpenAITarget(
            "m",
            TargetOptions(base_url=server.base_url, max_retries=1000, retry_budget_s=0.6),
            backoff_base_s=0.05,
            backoff_max_s=0.1,
        )
        [answer] = target.generate([conversation("Hi")])
    assert answer.text is None and "retry time budget of 0.6s spent" in (answer.error or "")
    assert 3 <= server.requests < 30  # not 1000 retries
    assert len(waits) == server.requests - 1  # one wait between attempts, none after the last
    assert sum(waits) < 0.6  # no wait that would overrun the budget was begun


def test_retries_across_requests_are_capped_by_the_shared_budget() -> None:
    with FaultServer(every=1, faults=["500"], once_per_request=False) as server:
        target = target_for(server, max_retries=5, concurrency=2)
        target.retry_budget = RetryBudget(ratio=0.0, floor=3)
        answers = target.generate([conversation(f"p{i}") for i in range(10)])
    assert all(a.text is None for a in answers)
    assert 10 < server.requests <= 10 + 3  # a dead endpoint costs 3 extra requests, not 10 × 5
    assert sum("retry budget is spent" in (a.error or "") for a in answers) >= 7


# -- 429 makes concurrency back off ---------------------------------------------------------------


def _rejections(adaptive: bool) -> tuple[int, int, OpenAITarget]:
    # A rate limiter: more than 2 requests in flight get 429 (no Retry-After), each takes 20 ms.
    with FaultServer(overload_above=2, work_s=0.02) as server:
        target = target_for(server, concurrency=16, max_retries=30)
        target.retry_budget = RetryBudget(floor=10_000)  # compare rejections, not give-ups
        if not adaptive:
            target.concurrency_limit.on_overload = lambda started_in: None  # type: ignore[method-assign]
        prompts = [f"p{i}" for i in range(48)]
        answers = target.generate([conversation(p) for p in prompts])
    assert answers == expected(prompts)
    return server.injected["overload-429"], server.max_in_flight, target


def test_429_halves_the_requests_in_flight_and_saves_rejections() -> None:
    rejected, _, target = _rejections(adaptive=True)
    rejected_fixed, _, _ = _rejections(adaptive=False)
    assert target.concurrency_limit.lowest <= 2
    assert target.concurrency_limit.cuts >= 3  # 16 → 8 → 4 → 2
    assert rejected * 2 < rejected_fixed, (rejected, rejected_fixed)


def test_adaptive_concurrency_cuts_once_per_round_and_recovers() -> None:
    limit = AdaptiveConcurrency(8)
    with limit.slot() as first_round, limit.slot() as same_round:
        limit.on_overload(first_round)
        limit.on_overload(same_round)  # sent before the cut: no second cut
    assert (limit.limit, limit.cuts) == (4, 1)
    with limit.slot() as next_round:
        limit.on_overload(next_round)
    assert limit.limit == 2
    for _ in range(2 + 3 + 4 + 5 + 6 + 7):  # one more per full round of successes
        limit.on_success()
    assert limit.limit == 8
    limit.on_success()
    assert limit.limit == 8  # never above the configured concurrency


# -- finish_reason "length" -----------------------------------------------------------------------


def test_a_truncated_answer_is_judged_as_it_is_and_counted(caplog) -> None:
    caplog.set_level(logging.INFO, logger="saferegress.backends.openai")
    with FaultServer() as server:
        answers = target_for(server).generate([conversation("[long] tell me"), conversation("x")])
    assert answers[0] == Generation(COMPLIANCE[:40])
    assert "1 of 2 answers reached max_new_tokens (finish_reason=length)" in caplog.text


# -- guards served over OpenAI-compatible HTTP ------------------------------------------------


JUDGED = [
    JudgeInput(lang="sl", prompt=f"attack {i}", response=REFUSAL if i % 2 else COMPLIANCE)
    for i in range(14)
]


@pytest.mark.parametrize(
    ("guard_class", "verdicts"),
    [
        (Adjudicator, ["unsafe", "refused"] * 7),
        (LlamaGuard, ["unsafe", "safe"] * 7),  # Llama Guard does not report refusals
    ],
)
def test_a_served_guard_survives_faults_and_fails_closed(
    guard_class: type, verdicts: list[str]
) -> None:
    options = TargetOptions(timeout_s=0.5, max_retries=2)
    with FaultServer() as clean:
        reference = guard_class(f"openai:judge@{clean.base_url}", options).judge(JUDGED)
    with FaultServer(every=3, hang_s=1.0) as faulty:
        judged = guard_class(f"openai:judge@{faulty.base_url}", options).judge(JUDGED)
    assert faulty.total_injected >= 4
    assert [case_verdict("attack", j) for j in reference] == verdicts
    assert judged == reference

    with FaultServer(every=1, faults=["502"], once_per_request=False) as dead:
        failed = guard_class(f"openai:judge@{dead.base_url}", TargetOptions(max_retries=0)).judge(
            JUDGED[:3]
        )
    assert [case_verdict("attack", j) for j in failed] == ["error"] * 3
    assert all("502" in (j.error or "") for j in failed)


def test_retry_settings_come_from_pyproject() -> None:
    from saferegress.errors import ConfigError
    from saferegress.settings import settings_from

    target = settings_from({}, {"max_retries": 5, "retry_budget": "45"}, "pyproject.toml").target
    assert (target.max_retries, target.retry_budget_s) == (5, 45.0)
    with pytest.raises(ConfigError, match="retry_budget must be positive"):
        settings_from({}, {"retry_budget": 0}, "pyproject.toml")
