"""Language identification: speed, peak memory and accuracy of three detectors.

- ``lingua``: lingua high accuracy over the 12 languages on every text (the first detector);
- ``ngram+lingua``: the n-gram pass for clear texts (>= 20 letters in the first 200 characters,
  margin >= 20 nats), lingua high accuracy for the rest (commit 27a99e4);
- ``ngram``: ``saferegress.analysis.answer_language.detect_languages`` as shipped (the n-gram
  model alone, margin >= ``MIN_MARGIN``, cs/sk markers).

Each (detector, text set) runs in a child process of its own that imports numpy first, so its
peak RSS (``ru_maxrss``) is that detector's alone; the RSS after importing numpy is printed as
the baseline. Text sets: the shipped suite's 2,400 prompts (``suites/*.jsonl``, by id) and the
judge corpus answers (``tests/data/judge/*/*.jsonl``, ``response`` labelled ``response_lang``;
the n-gram counts come from the ``train`` half, so ``heldout`` is the honest answer figure), and
those answers cycled to 10,000 (the scale of issue 17's per-case budget).
Per text: the first call (models loaded on the way) and the best of ``--repeats`` warm calls,
in ms of wall time and of this process's CPU time (lingua's batch call uses several threads, so
its CPU time exceeds its wall time; the n-gram pass is single-threaded, and its CPU time is what
it costs on a machine shared with other jobs).

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
from typing import Any

from saferegress.languages import LANGUAGES

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
    if name == "answers-10k":  # the scale: the judge answers, cycled to 10,000
        answers = text_set("answers")
        return [answers[i % len(answers)] for i in range(10_000)]
    split = {"answers": "*", "heldout-answers": "heldout"}[name]
    return [(row["response_lang"], row["response"]) for row in judge_rows(split)]


_lingua: Any = None


def lingua_confident(texts: list[str]) -> list[str | None]:
    """lingua high accuracy over the 12 languages: the top language when it gets >= 50% of the
    probability, on texts with >= 10 letters (their first 5,000 characters)."""
    global _lingua
    if _lingua is None:
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        codes = [getattr(IsoCode639_1, lang.upper()) for lang in LANGUAGES]
        _lingua = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
    results: list[str | None] = [None] * len(texts)
    todo = [i for i, text in enumerate(texts) if sum(ch.isalpha() for ch in text) >= 10]
    values = _lingua.compute_language_confidence_values_in_parallel([texts[i][:5000] for i in todo])
    for index, confidences in zip(todo, values, strict=True):
        if confidences and confidences[0].value >= 0.5:
            results[index] = confidences[0].language.iso_code_639_1.name.lower()
    return results


def ngram_then_lingua(texts: list[str]) -> list[str | None]:
    """Commit 27a99e4: the n-gram scores decide texts with >= 20 letters in their first 200
    characters and a margin >= 20 nats; lingua the rest."""
    import numpy as np

    from saferegress.analysis import answer_language as al

    openings = [text[:200] for text in texts]
    clear = [i for i, text in enumerate(openings) if sum(ch.isalpha() for ch in text) >= 20]
    results: list[str | None] = [None] * len(texts)
    if clear:
        scores = al._get_model().scores([openings[i] for i in clear])
        top_two = np.sort(scores, axis=1)[:, -2:]
        for index, (second, first), best in zip(clear, top_two, scores.argmax(axis=1), strict=True):
            if first - second >= 20:
                results[index] = LANGUAGES[best]
    rest = [i for i, found in enumerate(results) if found is None]
    for index, found in zip(rest, lingua_confident([texts[i] for i in rest]), strict=True):
        results[index] = found
    return results


def child(detector: str, name: str, repeats: int) -> dict:
    import numpy  # noqa: F401  (the baseline: a bare interpreter with numpy)

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from saferegress.analysis import answer_language as al

    data = text_set(name)
    texts = [text for _, text in data]
    detect = {
        "lingua": lingua_confident,
        "ngram+lingua": ngram_then_lingua,
        "ngram": al.detect_languages,
    }[detector]
    start = time.perf_counter()
    found = detect(texts)
    first = time.perf_counter() - start
    warm, warm_cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        detect(texts)
        warm.append(time.perf_counter() - start)
        warm_cpu.append(time.process_time() - start_cpu)
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
        "warm_cpu_ms_per_text": round(min(warm_cpu) * 1000 / len(texts), 4),
        "numpy_baseline_rss_mib": round(baseline, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "lingua_loaded": "lingua" in sys.modules,
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
    parser.add_argument("--repeats", type=int, default=10, help="warm calls (best is kept)")
    args = parser.parse_args()
    if args.rebuild:
        return rebuild()
    if args.child:
        print(json.dumps(child(*args.child, args.repeats)))
        return None
    rows = []
    for name in ("prompts", "answers", "heldout-answers", "answers-10k"):
        for detector in ("lingua", "ngram+lingua", "ngram"):
            if name == "answers-10k" and detector == "lingua":
                continue  # ~10 s a call, and the smaller sets already show it
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    detector,
                    name,
                    "--repeats",
                    str(args.repeats),
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            rows.append(json.loads(out.splitlines()[-1]))
            row = rows[-1]
            print(
                f"{name:16} {detector:12} n={row['n']:5} first {row['first_ms_per_text']:.4f} ms"
                f"  warm {row['warm_ms_per_text']:.4f} ms (CPU {row['warm_cpu_ms_per_text']:.4f})"
                f"  peak {row['peak_rss_mib']:6.1f} MiB (numpy alone"
                f" {row['numpy_baseline_rss_mib']:.1f})"
                f"  lingua {'loaded' if row['lingua_loaded'] else 'not loaded'}"
                f"  wrong {row['wrong']} {row['wrong_pairs']}  undetermined {row['undetermined']}"
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return None


if __name__ == "__main__":
    main()
