"""Replicas benchmark: throughput of an ``openai:`` target over 1 and 3 replicas of a server that
takes a fixed time per answer and works on a fixed number of answers at once (its capacity, as
an inference server's batch), then 3 replicas with one crashing mid-run. Not a test: it prints a
Markdown table and writes JSON.

    OMP_NUM_THREADS=1 .venv/bin/python bench/replicas_openai.py [--requests 600] [--work-s 0.05]

Servers are tests/openai_fault_server.py processes (``--work-s``, ``--slots``); the target is
``OpenAITarget`` with ``--concurrency`` requests in flight per replica. Answers of every run are
compared with the 1-replica run's.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests")]

from openai_fault_server import ServerProcess  # noqa: E402
from saferegress.backends.base import TargetOptions, conversation  # noqa: E402
from saferegress.backends.openai import OpenAITarget  # noqa: E402


def measure(replicas: int, args: argparse.Namespace, crash_after: int | None = None) -> dict:
    server_args = ["--work-s", str(args.work_s), "--slots", str(args.slots)]
    prompts = [conversation(f"replica bench request {i}") for i in range(args.requests)]
    with ExitStack() as stack:
        servers = [
            stack.enter_context(
                ServerProcess(
                    *server_args,
                    *(["--die-after", str(crash_after)] if crash_after and i == 0 else []),
                )
            )
            for i in range(replicas)
        ]
        options = TargetOptions(
            base_url=",".join(s.base_url for s in servers),
            concurrency=args.concurrency,
            timeout_s=30,
        )
        target = OpenAITarget("m", options, backoff_base_s=0.05, backoff_max_s=1.0)
        try:
            target.generate(prompts[:8])  # warm up: connections
            started = time.perf_counter()
            answers = target.generate(prompts)
            seconds = time.perf_counter() - started
        finally:
            target.close()
        stats = [server.stop() for server in servers]
    return {
        "replicas": replicas,
        "crash_after": crash_after,
        "seconds": round(seconds, 3),
        "requests_per_s": round(args.requests / seconds, 1),
        "errors": sum(a.error is not None for a in answers),
        "requests_per_server": [s.get("requests", f"exit {s.get('exit')}") for s in stats],
        "answers": [a.text for a in answers],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--work-s", type=float, default=0.05, help="server seconds per answer")
    parser.add_argument("--slots", type=int, default=4, help="answers a server works on at once")
    parser.add_argument("--concurrency", type=int, default=8, help="in flight per replica")
    parser.add_argument("--out", default=str(REPO / "bench" / "replicas_results.json"))
    args = parser.parse_args()

    one = measure(1, args)
    three = measure(3, args)
    crashed = measure(3, args, crash_after=args.requests // 6)
    for run in (three, crashed):
        run["same_answers_as_one"] = run["answers"] == one["answers"]
    figures = {
        "settings": vars(args),
        "ideal_requests_per_s_per_replica": round(args.slots / args.work_s, 1),
        "ratio_3_vs_1": round(three["requests_per_s"] / one["requests_per_s"], 2),
        "runs": [{k: v for k, v in run.items() if k != "answers"} for run in (one, three, crashed)],
    }
    Path(args.out).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(
        f"{args.requests} requests, server: {args.work_s:g} s per answer, {args.slots} at once "
        f"(at most {figures['ideal_requests_per_s_per_replica']:g}/s per replica); "
        f"{args.concurrency} in flight per replica\n"
    )
    print("| replicas | seconds | requests/s | errors | requests per server | same answers |")
    print("|---|---|---|---|---|---|")
    for run in figures["runs"]:
        label = f"{run['replicas']}" + (
            f" (one dies at request {run['crash_after']})" if run["crash_after"] else ""
        )
        same = run.get("same_answers_as_one", "(reference)")
        print(
            f"| {label} | {run['seconds']} | {run['requests_per_s']} | {run['errors']} | "
            f"{run['requests_per_server']} | {same} |"
        )
    print(f"\n3 replicas vs 1: {figures['ratio_3_vs_1']}x")


if __name__ == "__main__":
    main()
