"""Load against a fast local OpenAI-compatible server (a separate process): 2,000 cases at
concurrency 32 through the real runner, with faults, leak no file descriptor and keep memory
bounded. The 10,000-case figures come from bench/load_openai.py (docs/benchmarks.md)."""

from __future__ import annotations

import gc

import openai  # noqa: F401  (the dev extra has it: missing fails, never skips)

from openai_fault_server import ServerProcess  # noqa: E402
from process_usage import open_fds, rss_mib  # noqa: E402
from saferegress.backends.base import TargetOptions  # noqa: E402
from saferegress.backends.openai import OpenAITarget  # noqa: E402
from saferegress.engine.runner import CaseRunner  # noqa: E402
from saferegress.guards.refusal import RefusalJudge  # noqa: E402
from saferegress.languages import LANGUAGES  # noqa: E402
from saferegress.suite.cases import Case  # noqa: E402


def cases(n: int) -> list[Case]:
    return [
        Case(
            id=f"load-{i:05d}",
            lang=LANGUAGES[i % 12],
            category=f"S{i % 14 + 1}",
            kind="attack" if i % 4 else "benign",
            prompt=f"load request {i}",
        )
        for i in range(n)
    ]


def run(base_url: str, selection: list[Case]) -> list[str]:
    options = TargetOptions(base_url=base_url, concurrency=32, timeout_s=10)
    runner = CaseRunner(
        lambda: OpenAITarget("m", options, backoff_base_s=0.01, backoff_max_s=0.1), [RefusalJudge()]
    )
    try:
        return [outcome.verdict for outcome in runner.run(selection)]
    finally:
        runner.close()


def test_2000_cases_at_concurrency_32_leak_no_fd_and_keep_memory_bounded() -> None:
    # Each answer takes 20 ms, as a model's would, so 32 requests are really in flight; faults
    # on the way (1 in 50: resets, 5xx, bad bodies) exercise the error paths too.
    with ServerProcess(
        "--every", "50", "--faults", "500,503,reset,malformed,no-choices", "--work-s", "0.02"
    ) as server:
        run(server.base_url, cases(64))  # warm up: imports, first connections
        gc.collect()
        fds_before, rss_before = open_fds(), rss_mib()
        verdicts = run(server.base_url, cases(2000))
        gc.collect()
        fds_after, rss_after = open_fds(), rss_mib()
    stats = server.stats

    assert len(verdicts) == 2000 and "error" not in verdicts
    assert stats["requests"] >= 2000 + 64 and sum(stats["injected"].values()) >= 40
    assert stats["max_in_flight"] >= 16  # the load really ran concurrently
    # A leak only grows the count; it may shrink when descriptors left by earlier tests in this
    # (xdist worker) process close meanwhile (seen in CI: 19 before, 16 after).
    assert fds_after <= fds_before, (fds_before, fds_after)
    assert rss_after - rss_before < 32, (rss_before, rss_after)  # measured: ~2 MiB
