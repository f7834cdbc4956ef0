"""Speed of the built-in refusal judge: milliseconds per answer on the judge corpus's train
split (natural answers in 12 languages, short and long), judged in batches as a run judges them.
Not a test: it prints one line per language and a total.

    OMP_NUM_THREADS=1 .venv/bin/python bench/judge_speed.py [--repeat 20]

Also reports the judge's one-off costs, each in a fresh process: importing it (which compiles
nothing) and building it (``RefusalJudge()`` compiles the 12 languages' lexicons; a run builds it
on a background thread while the model loads, compiling only its ``--lang`` languages and
English), and the CPU per answer of the best pass over the
whole split (``time.process_time``).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    def seconds(code: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - started

    baseline = seconds("import saferegress.guards.base")
    with_import = seconds("import saferegress.guards.refusal")
    with_build = seconds("from saferegress.guards.refusal import RefusalJudge; RefusalJudge()")
    two_languages = seconds(
        "from saferegress.guards.refusal import RefusalJudge; RefusalJudge(('en', 'sl'))"
    )

    from saferegress.analysis.judge_card import load_corpus
    from saferegress.guards.base import JudgeInput
    from saferegress.guards.refusal import RefusalJudge

    # Train only: the held-out split may be absent while it is being written, and its answers
    # are for measuring quality, nothing else.
    answers = load_corpus(REPO / "tests" / "data" / "judge", ("train",))
    judge = RefusalJudge()
    by_lang: dict[str, list[JudgeInput]] = {}
    for answer in answers:
        by_lang.setdefault(answer.lang, []).append(
            JudgeInput(lang=answer.lang, response=answer.response, prompt=answer.prompt)
        )
    print(f"{len(answers)} answers, median of {args.repeat} batches each")
    print("| lang | answers | ms per answer |\n|---|---|---|")
    totals = []
    for lang, items in by_lang.items():
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            judge.judge(items)
            times.append((time.perf_counter() - started) / len(items))
        median = statistics.median(times)
        totals.append((median, len(items)))
        print(f"| {lang} | {len(items)} | {1000 * median:.4f} |")
    mean = sum(t * n for t, n in totals) / sum(n for _, n in totals)
    print(f"| all | {len(answers)} | {1000 * mean:.4f} |")
    every = [item for items in by_lang.values() for item in items]
    cpu = []
    for _ in range(args.repeat):
        started = time.process_time()
        judge.judge(every)
        cpu.append(time.process_time() - started)
    print(f"CPU per answer, best of {args.repeat} passes: {1000 * min(cpu) / len(every):.4f} ms")
    print(f"importing the judge: {with_import - baseline:.2f} s")
    print(f"building it (compiling the lexicons): {with_build - with_import:.2f} s")
    print(f"building it for a run of en,sl (--lang en,sl): {two_languages - with_import:.2f} s")


if __name__ == "__main__":
    main()
