"""Language identification: speed, peak memory and accuracy, before (lingua on every text) and
after (the n-gram fast pass, lingua only for what it leaves open).

Each (detector, text set) runs in a child process of its own, so its peak RSS (``ru_maxrss``)
is that detector's alone. Text sets: the shipped suite's 2,400 prompts (``suites/*.jsonl``, by
id) and the judge corpus answers (``tests/data/judge/*/*.jsonl``, ``response`` labelled
``response_lang``; the fast pass's counts come from the ``train`` half, so ``heldout`` is the
honest answer figure). Per text: the first call (models loaded on the way) and the best of
three warm calls, in ms.

    OMP_NUM_THREADS=1 .venv/bin/python bench/language_id_speed.py [--json out.json]
    .venv/bin/python bench/language_id_speed.py --rebuild   # rewrite the shipped n-gram counts
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUDGE = ROOT / "tests" / "data" / "judge"


def suite_prompts() -> list[tuple[str, str]]:
    seen: dict[str, tuple[str, str]] = {}
    for path in sorted((ROOT / "suites").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            seen.setdefault(row["id"], (row["lang"], row["prompt"]))
    return list(seen.values())


def judge_rows(split: str) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted(JUDGE.glob(f"{split}/*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def text_set(name: str) -> list[tuple[str, str]]:
    if name == "prompts":
        return suite_prompts()
    split = {"answers": "*", "heldout-answers": "heldout"}[name]
    return [(row["response_lang"], row["response"]) for row in judge_rows(split)]


def lingua_only(texts: list[str]) -> list[str | None]:
    """The detector before the fast pass, as it was: lingua high accuracy on every text."""
    from saferegress.analysis import answer_language as al

    results: list[str | None] = [None] * len(texts)
    todo = [i for i, text in enumerate(texts) if al._letters(text) >= al.MIN_LETTERS]
    values = al._get_detector().compute_language_confidence_values_in_parallel(
        [texts[i][: al.MAX_DETECT_CHARS] for i in todo]
    )
    for index, confidences in zip(todo, values, strict=True):
        if confidences and confidences[0].value >= al.MIN_CONFIDENCE:
            results[index] = confidences[0].language.iso_code_639_1.name.lower()
    return results


def child(detector: str, name: str) -> dict:
    from saferegress.analysis import answer_language as al

    data = text_set(name)
    texts = [text for _, text in data]
    detect = lingua_only if detector == "before" else al.detect_languages
    start = time.perf_counter()
    found = detect(texts)
    first = time.perf_counter() - start
    warm = []
    for _ in range(3):
        start = time.perf_counter()
        detect(texts)
        warm.append(time.perf_counter() - start)
    opened = fast = None
    if detector == "after":
        fast_times = []
        for _ in range(3):
            start = time.perf_counter()
            opened = sum(language is None for language in al._fast_pass(texts))
            fast_times.append(time.perf_counter() - start)
        fast = round(min(fast_times) * 1000 / len(texts), 4)
    wrong = Counter(
        f"{lang}->{got}" for (lang, _), got in zip(data, found, strict=True) if got and got != lang
    )
    undetermined = Counter(lang for (lang, _), got in zip(data, found, strict=True) if got is None)
    return {
        "detector": detector,
        "texts": name,
        "n": len(texts),
        "first_ms_per_text": round(first * 1000 / len(texts), 4),
        "warm_ms_per_text": round(min(warm) * 1000 / len(texts), 4),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "fast_pass_ms_per_text": fast,
        "lingua_loaded": "lingua" in sys.modules,
        "left_to_lingua": opened,
        "wrong": sum(wrong.values()),
        "wrong_pairs": dict(sorted(wrong.items())),
        "undetermined": sum(undetermined.values()),
        "undetermined_by_language": dict(sorted(undetermined.items())),
    }


def rebuild() -> None:
    import numpy as np

    from saferegress.analysis.answer_language import NGRAM_FILE, build_ngram_counts

    samples = []
    for row in judge_rows("train"):
        samples += [(row["lang"], row["prompt"]), (row["response_lang"], row["response"])]
    np.savez_compressed(NGRAM_FILE, **build_ngram_counts(samples))
    print(f"wrote {NGRAM_FILE} ({NGRAM_FILE.stat().st_size} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("DETECTOR", "TEXTS"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.rebuild:
        return rebuild()
    if args.child:
        print(json.dumps(child(*args.child)))
        return None
    rows = []
    for name in ("prompts", "answers", "heldout-answers"):
        for detector in ("before", "after"):
            out = subprocess.run(
                [sys.executable, __file__, "--child", detector, name],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            rows.append(json.loads(out.splitlines()[-1]))
            row = rows[-1]
            print(
                f"{name:16} {detector:6} n={row['n']:5} first {row['first_ms_per_text']:.4f} ms"
                f"  warm {row['warm_ms_per_text']:.4f} ms"
                f" (fast pass {row['fast_pass_ms_per_text']})"
                f"  peak {row['peak_rss_mib']:6.1f} MiB"
                f"  lingua {'loaded' if row['lingua_loaded'] else 'not loaded'}"
                f" (left to it: {row['left_to_lingua']})  wrong {row['wrong']}"
                f" {row['wrong_pairs']}  undetermined {row['undetermined']}"
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return None


if __name__ == "__main__":
    main()
