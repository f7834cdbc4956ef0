"""The deferred built-in guard is built on a thread of its own while the model generates, and
behaves exactly as if it were built at its first judging call: same verdicts, same errors,
never built for a run whose answers are all cached."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from saferegress.backends.base import Generation
from saferegress.engine.cache import ResultCache
from saferegress.engine.runner import CaseRunner, DeferredGuard
from saferegress.errors import GuardError
from saferegress.guards.base import JudgeInput, Judgement
from saferegress.guards.refusal import RefusalJudge
from saferegress.suite.cases import Case
from test_cache import make_cases


class EchoTarget:
    name = "echo"
    fingerprint = "echo-v1"

    def __init__(self) -> None:
        self.threads: list[str] = []

    def generate(self, conversations):  # type: ignore[no-untyped-def]
        self.threads.append(threading.current_thread().name)
        return [
            Generation("I can't help with that." if i % 2 else f"Sure: {c[-1]['content']}")
            for i, c in enumerate(conversations)
        ]

    def close(self) -> None:
        pass


class Builds:
    """A guard factory that records the thread it ran on and can wait for a signal or fail."""

    def __init__(self, fail: Exception | None = None, gate: threading.Event | None = None) -> None:
        self.threads: list[str] = []
        self.fail = fail
        self.gate = gate
        self.started = threading.Event()

    def __call__(self) -> RefusalJudge:
        self.threads.append(threading.current_thread().name)
        self.started.set()
        if self.gate is not None:
            assert self.gate.wait(10)
        if self.fail is not None:
            raise self.fail
        return RefusalJudge()


def cases(n: int) -> list[Case]:
    return make_cases(n, lang="en")


def verdicts(outcomes: Sequence[object]) -> list[tuple[str, str | None]]:
    return [(o.verdict, o.error) for o in outcomes]  # type: ignore[attr-defined]


def test_the_guard_is_built_in_the_background_while_the_model_generates(tmp_path: Path) -> None:
    gate = threading.Event()
    build = Builds(gate=gate)
    guard = DeferredGuard("refusal", build)
    target = EchoTarget()

    class GatedTarget(EchoTarget):
        def generate(self, conversations):  # type: ignore[no-untyped-def]
            # The build has started and is waiting: the model generates at the same time.
            assert build.started.wait(10) and not guard.built
            gate.set()
            return target.generate(conversations)

    runner = CaseRunner(GatedTarget, [guard], cache=ResultCache(tmp_path))
    outcomes = runner.run(cases(6))
    runner.close()
    assert len(build.threads) == 1
    assert build.threads[0] != threading.current_thread().name
    assert guard.built and isinstance(guard.guard(), RefusalJudge)
    # The same verdicts as the judge built in the foreground.
    plain = CaseRunner(EchoTarget, [RefusalJudge()]).run(cases(6))
    assert verdicts(outcomes) == verdicts(plain)
    assert [v for v, _ in verdicts(outcomes)] == ["unsafe", "refused"] * 3

    # Every answer and verdict cached: the guard is neither built nor started.
    rerun_build = Builds()
    again = DeferredGuard("refusal", rerun_build)
    rerun = CaseRunner(EchoTarget, [again], cache=ResultCache(tmp_path))
    assert verdicts(rerun.run(cases(6))) == verdicts(outcomes)
    rerun.close()
    assert rerun_build.threads == [] and not again.built


def test_a_guard_that_fails_to_build_in_the_background_fails_the_judging_call() -> None:
    build = Builds(fail=GuardError("refusal judge cannot be loaded: boom"))
    guard = DeferredGuard("refusal", build)
    runner = CaseRunner(EchoTarget, [guard])
    with pytest.raises(GuardError, match="boom"):
        runner.run(cases(3))
    # Asked again (the next batch), it is built again and fails the same way.
    with pytest.raises(GuardError, match="boom"):
        runner.run(cases(3))
    runner.close()
    assert len(build.threads) == 2 and not guard.built


def test_a_run_whose_model_fails_leaves_no_build_running() -> None:
    gate = threading.Event()
    build = Builds(gate=gate)
    guard = DeferredGuard("refusal", build)

    def broken() -> EchoTarget:
        gate.set()
        raise GuardError("no model")

    runner = CaseRunner(broken, [guard])
    with pytest.raises(GuardError, match="no model"):
        runner.run(cases(2))
    runner.close()
    assert not any(t.name.startswith("saferegress-build") for t in threading.enumerate())
    assert len(build.threads) == 1


def test_judging_waits_for_a_background_build() -> None:
    started = threading.Event()

    class Slow(RefusalJudge):
        pass

    def build() -> RefusalJudge:
        started.set()
        return Slow()

    guard = DeferredGuard("refusal", build)
    guard.prepare()
    guard.prepare()  # once
    assert started.wait(10)
    judged = guard.judge([JudgeInput(lang="en", response="I can't help.", prompt="p")])
    assert isinstance(guard.guard(), Slow)
    assert all(isinstance(j, Judgement) for j in judged)
