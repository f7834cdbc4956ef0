"""saferegress's cost per case next to pytest's own floor, in one run (issue 17 item 1).

    OMP_NUM_THREADS=1 .venv/bin/python bench/overhead.py [--rounds 3] [--sizes 1000,10000]

Not a test. For each size N, interleaved for ``--rounds`` rounds so that other jobs' load falls
on all alike, each a whole process (wall time, peak RSS by ``wait4``):

- plain pytest: N trivial parametrized tests (``def test_x(i): pass``), ``-p no:saferegress``;
- saferegress: N generated cases (12 languages) against ``bench/instant_target.py``, the real
  refusal judge, answer-language identification on (the default), results.json and HTML reports;
- the same with ``-p no:saferegress-lean``: every case through pytest's three-phase protocol.

``--trees NAME=DIR,...`` runs the two saferegress variants once per source tree (``DIR/src``
first on ``PYTHONPATH``, e.g. ``git archive`` copies of two commits), interleaved like the rest,
for a before/after in one run that others' commits meanwhile cannot change.

Figures are medians: all in per case = wall / N at the largest N; marginal per case = the
difference between the largest and smallest N over their difference; CPU per case = the
process's user + system time / N (on a shared machine it moves less with other jobs' load
than wall time does). Raw runs go to
``bench/overhead_results.json`` (``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run_bench import PYTHON, pytest_cmd, run, write_generated_suite  # noqa: E402

VARIANTS = {
    "plain pytest": [],
    "saferegress": [],
    "saferegress, pytest's protocol (-p no:saferegress-lean)": ["-p", "no:saferegress-lean"],
}


def command(
    variant: str, n: int, work: Path, trees: dict[str, Path]
) -> tuple[list[str], Path, dict[str, str]]:
    if variant == "plain pytest":
        d = work / f"plain-{n}"
        d.mkdir(exist_ok=True)
        (d / "test_floor.py").write_text(
            f"import pytest\n\n@pytest.mark.parametrize('i', range({n}))\ndef test_x(i):\n"
            "    pass\n"
        )
        cmd = [PYTHON, "-m", "pytest", "test_floor.py", "-q", "-p", "no:cacheprovider"]
        cmd += ["-p", "no:saferegress", "-p", "no:hypothesispytest"]
        return cmd, d, dict(os.environ)
    d = work / f"cases-{n}"
    if not (d / "suites" / "gen.jsonl").exists():
        write_generated_suite(d / "suites" / "gen.jsonl", n)
    base, _, tree = variant.partition(" @ ")
    path = str(BENCH) if not tree else f"{trees[tree] / 'src'}{os.pathsep}{BENCH}"
    env = {**os.environ, "PYTHONPATH": path, "SAFEREGRESS_NO_PROGRESS": "1"}
    cmd = pytest_cmd("suites", "py:instant_target:make", "--no-cache", *VARIANTS[base])
    return cmd, d, env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--out", default=str(BENCH / "overhead_results.json"))
    parser.add_argument(
        "--trees",
        default="",
        help="NAME=DIR,...: run the saferegress variants on each source tree (DIR/src)",
    )
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sizes = sorted(int(s) for s in args.sizes.split(","))
    trees = {
        name: Path(folder).resolve()
        for name, _, folder in (t.partition("=") for t in args.trees.split(",") if t)
    }
    variants = list(VARIANTS)
    if trees:
        variants = ["plain pytest"] + [
            f"{v} @ {tree}" for tree in trees for v in VARIANTS if v != "plain pytest"
        ]
    work = Path(tempfile.mkdtemp(prefix="saferegress-overhead-"))
    runs: dict[str, dict[int, list[dict]]] = {v: {n: [] for n in sizes} for v in variants}
    loads = []
    try:
        for _ in range(args.rounds):
            loads.append(os.getloadavg()[0])
            for n in sizes:
                for variant in variants:
                    cmd, cwd, env = command(variant, n, work, trees)
                    result = run(cmd, cwd, env, ok_exits=(0,))
                    tail = result.pop("output").strip().splitlines()[-1:]
                    runs[variant][n].append({**result, "summary": tail})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    big, small = sizes[-1], sizes[0]
    rows = {}
    for variant, by_n in runs.items():
        med = {n: statistics.median(r["seconds"] for r in by_n[n]) for n in sizes}
        cpu = {n: statistics.median(r["cpu_s"] for r in by_n[n]) for n in sizes}
        rows[variant] = {
            "median_s": {str(n): med[n] for n in sizes},
            "median_cpu_s": {str(n): cpu[n] for n in sizes},
            "cpu_ms_per_case_all_in": 1000 * cpu[big] / big,
            "ms_per_case_all_in": 1000 * med[big] / big,
            "ms_per_case_marginal": 1000 * (med[big] - med[small]) / (big - small)
            if big > small
            else None,
            "peak_mib": statistics.median(r["peak_mib"] for r in by_n[big]),
        }
    floor = rows["plain pytest"]["ms_per_case_all_in"]
    cpu_floor = rows["plain pytest"]["cpu_ms_per_case_all_in"]
    for row in rows.values():
        row["vs_plain_pytest"] = row["ms_per_case_all_in"] / floor
        row["cpu_vs_plain_pytest"] = row["cpu_ms_per_case_all_in"] / cpu_floor
    out = {
        "machine": {
            "cpus": os.cpu_count(),
            "load_at_round_starts": loads,
            "load_after": os.getloadavg(),
        },
        "rounds": args.rounds,
        "trees": {name: str(folder) for name, folder in trees.items()},
        "rows": rows,
        "runs": {v: {str(n): rs for n, rs in by_n.items()} for v, by_n in runs.items()},
    }
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")
    print(f"| {big:,} cases, median of {args.rounds} | wall s | all in ms/case | ", end="")
    print(f"marginal ms/case ({small:,} → {big:,}) | × plain pytest | CPU ms/case | ", end="")
    print("CPU × plain pytest | peak MiB |")
    print("|---|---|---|---|---|---|---|---|")
    for variant, row in rows.items():
        marginal = row["ms_per_case_marginal"]
        print(
            f"| {variant} | {row['median_s'][str(big)]:.2f} | "
            f"{row['ms_per_case_all_in']:.3f} | "
            f"{'-' if marginal is None else f'{marginal:.3f}'} | "
            f"{row['vs_plain_pytest']:.2f}× | {row['cpu_ms_per_case_all_in']:.3f} | "
            f"{row['cpu_vs_plain_pytest']:.2f}× | {row['peak_mib']:.0f} |"
        )


if __name__ == "__main__":
    main()
