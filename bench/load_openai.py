"""Load benchmark: N cases (default 10,000) against a local OpenAI-compatible server at
concurrency 32. Not a test: it prints a Markdown table (and writes JSON) for docs/benchmarks.md.

    OMP_NUM_THREADS=1 .venv/bin/python bench/load_openai.py [--cases 10000] [--every 7]

The server is tests/openai_fault_server.py in its own process (instant deterministic answers,
``--work-s`` seconds per answer, a fault in 1 of ``--every`` requests). Two measurements:

1. in process: the real runner (``CaseRunner``, ``openai:`` target, refusal judge) over N cases,
   with open file descriptors (``/proc/self/fd``) and RSS counted before and after;
2. end to end: ``pytest`` on a generated suite of N cases, ``--model openai:m --concurrency 32``,
   its wall time and peak RSS (``wait4``), and the verdicts in its results.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "bench")]

from run_bench import pytest_cmd, run, write_generated_suite  # noqa: E402

from openai_fault_server import FAULTS, ServerProcess  # noqa: E402
from process_usage import open_fds, rss_mib  # noqa: E402
from saferegress.backends.base import TargetOptions  # noqa: E402
from saferegress.backends.openai import OpenAITarget  # noqa: E402
from saferegress.engine.runner import CaseRunner  # noqa: E402
from saferegress.guards.refusal import RefusalJudge  # noqa: E402
from saferegress.languages import LANGUAGES  # noqa: E402
from saferegress.suite.cases import Case  # noqa: E402

#: Faults for the load runs: all but the stalls, which would only measure the client timeout.
LOAD_FAULTS = ",".join(f for f in FAULTS if f != "timeout")


def in_process(base_url: str, n: int, concurrency: int) -> dict:
    cases = [
        Case(
            id=f"load-{i:05d}",
            lang=LANGUAGES[i % 12],
            category=f"S{i % 14 + 1}",
            kind="attack" if i % 4 else "benign",
            prompt=f"Generated request number {i}",
        )
        for i in range(n)
    ]
    options = TargetOptions(base_url=base_url, concurrency=concurrency, timeout_s=30)

    def once(selection: list[Case]) -> list[str]:
        runner = CaseRunner(lambda: OpenAITarget("m", options), [RefusalJudge()])
        try:
            return [outcome.verdict for outcome in runner.run(selection)]
        finally:
            runner.close()

    once(cases[:64])  # imports and first connections, outside the figures
    gc.collect()
    fds, rss = open_fds(), rss_mib()
    started = time.perf_counter()
    verdicts = once(cases)
    seconds = time.perf_counter() - started
    gc.collect()
    return {
        "cases": n,
        "seconds": seconds,
        "verdicts": len(verdicts),
        "errors": verdicts.count("error"),
        "fds_before": fds,
        "fds_after": open_fds(),
        "rss_before_mib": rss,
        "rss_after_mib": rss_mib(),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def end_to_end(base_url: str, n: int, concurrency: int, work: Path) -> dict:
    write_generated_suite(work / "suites" / "gen.jsonl", n)
    env = {**os.environ, "SAFEREGRESS_NO_PROGRESS": "1"}
    row = run(
        pytest_cmd(
            "suites",
            "openai:m",
            "--base-url",
            base_url,
            "--concurrency",
            str(concurrency),
            "--no-cache",
            "--request-timeout",
            "30",
        ),
        work,
        env,
    )
    results = json.loads((work / "reports" / "results.json").read_text(encoding="utf-8"))
    verdicts = [case["verdict"] for case in results["cases"]]
    return {
        "cases": n,
        "seconds": row["seconds"],
        "peak_rss_mib": row["peak_mib"],
        "exit": row["exit"],
        "verdicts": len(verdicts),
        "errors": verdicts.count("error"),
        "last_line": row["output"].strip().splitlines()[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--every", type=int, default=7, help="fault 1 request in N (0: none)")
    parser.add_argument("--work-s", type=float, default=0.0, help="server seconds per answer")
    parser.add_argument("--out", default=str(REPO / "bench" / "load_results.json"))
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    server_args = [
        "--every",
        str(args.every),
        "--faults",
        LOAD_FAULTS,
        "--work-s",
        str(args.work_s),
    ]
    figures: dict = {
        "concurrency": args.concurrency,
        "fault_every": args.every,
        "work_s": args.work_s,
    }
    with ServerProcess(*server_args) as server:
        figures["in_process"] = in_process(server.base_url, args.cases, args.concurrency)
    figures["in_process"]["server"] = server.stats
    with (
        tempfile.TemporaryDirectory(prefix="saferegress-load-") as work,
        ServerProcess(*server_args) as server,
    ):
        figures["pytest"] = end_to_end(server.base_url, args.cases, args.concurrency, Path(work))
    figures["pytest"]["server"] = server.stats
    Path(args.out).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(markdown(figures))


def markdown(f: dict) -> str:
    p, e = f["in_process"], f["pytest"]

    def faults(server: dict) -> str:
        return f"{sum(server['injected'].values())} of {server['requests']} requests"

    in_process_row = (
        f"| runner in process | {p['cases']:,} | {p['seconds']:.1f} s | {p['verdicts']:,} / "
        f"{p['errors']} | {faults(p['server'])} | {p['peak_rss_mib']:.0f} MiB (RSS "
        f"{p['rss_before_mib']:.0f} → {p['rss_after_mib']:.0f}) | {p['fds_before']} → "
        f"{p['fds_after']} |"
    )
    pytest_row = (
        f"| pytest end to end (exit {e['exit']}) | {e['cases']:,} | {e['seconds']:.1f} s | "
        f"{e['verdicts']:,} / {e['errors']} | {faults(e['server'])} | "
        f"{e['peak_rss_mib']:.0f} MiB | – |"
    )
    note = (
        f"concurrency {f['concurrency']}, 1 request in {f['fault_every']} faulted, server "
        f"{f['work_s']} s per answer; pytest: {e['last_line']}"
    )
    return "\n".join(
        [
            "| run | cases | wall | verdicts / errors | faults injected | peak RSS | fds before → after |",
            "|---|---|---|---|---|---|---|",
            in_process_row,
            pytest_row,
            "",
            note,
        ]
    )


if __name__ == "__main__":
    main()
