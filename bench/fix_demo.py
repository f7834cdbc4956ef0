"""The fixer on the demo model, end to end, as the README reports it.

    OMP_NUM_THREADS=1 .venv/bin/python bench/fix_demo.py [--work DIR] [--skip-transfer]

1. the full suite on the demo model (all 12 languages) → results.json
2. ``saferegress fix`` with the balanced preset (all 12 languages), capability on: timed
3. ``saferegress fix --train-lang en --borrow-rejected`` (English-only)
4. ``saferegress transfer --train-langs sk,sl,lt,lv`` (one fix per low-resource language)

Held-out ASR per language before/after and the timings go to bench/fix_results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "saferegress.cli"]


def timed(argv: list[str], cwd: Path) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - start, proc.returncode, proc.stdout + proc.stderr[-3000:]


def held_out(proof: Path) -> dict[str, dict[str, float | None]]:
    data = json.loads(proof.read_text())
    return {
        lang: {
            "before": side["before"]["asr"],
            "after": side["after"]["asr"],
            "over_refusal_before": side["before"]["over_refusal"],
            "over_refusal_after": side["after"]["over_refusal"],
            "pairs": side["pairs"],
        }
        for lang, side in data["held_out"]["languages"].items()
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=Path("/tmp/saferegress-fix-bench"))
    parser.add_argument("--skip-transfer", action="store_true")
    args = parser.parse_args()
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copytree(REPO / "suites", work / "suites")
    figures: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}",
        "load_average_at_start": os.getloadavg()[0],
    }
    seconds, code, output = timed(
        [
            sys.executable,
            "-m",
            "pytest",
            "suites",
            "--model",
            "demo",
            "--lang",
            "all",
            "-q",
            "-p",
            "no:cacheprovider",
            "--cache-dir",
            "cache",
        ],
        work,
    )
    figures["suite_run_s"] = round(seconds, 1)
    assert code == 1, output
    results = str(work / "reports" / "results.json")
    common = ["--model", "demo", "--results", results, "--cache-dir", str(work / "cache")]

    seconds, code, output = timed(CLI + ["fix", *common, "--out", str(work / "fixed")], work)
    print(output[-2500:])
    figures["fix_balanced"] = {
        "seconds_fix_and_rerun_and_capability": round(seconds, 1),
        "exit": code,
        "held_out": held_out(work / "fixed" / "saferegress-proof" / "proof.json"),
        "capability": json.loads((work / "fixed" / "saferegress-proof" / "proof.json").read_text())[
            "capability"
        ],
    }
    seconds, code, output = timed(
        CLI + ["fix", *common, "--out", str(work / "fixed-no-cap"), "--no-capability"], work
    )
    figures["fix_balanced_without_capability_s"] = round(seconds, 1)

    seconds, code, output = timed(
        CLI
        + [
            "fix",
            *common,
            "--out",
            str(work / "fixed-en"),
            "--train-lang",
            "en",
            "--borrow-rejected",
            "--no-capability",
        ],
        work,
    )
    print(output[-2500:])
    figures["fix_english_only"] = {
        "seconds": round(seconds, 1),
        "exit": code,
        "held_out": held_out(work / "fixed-en" / "saferegress-proof" / "proof.json"),
    }
    if not args.skip_transfer:
        seconds, code, output = timed(
            CLI
            + [
                "transfer",
                *common,
                "--out",
                str(work / "transfer"),
                "--train-langs",
                "sk,sl,lt,lv",
            ],
            work,
        )
        print(output[-2500:])
        figures["transfer"] = {
            "seconds": round(seconds, 1),
            "exit": code,
            "matrix": json.loads((work / "transfer" / "transfer.json").read_text()),
        }
    (REPO / "bench" / "fix_results.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps({k: v for k, v in figures.items() if k != "transfer"}, indent=1)[:3000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
