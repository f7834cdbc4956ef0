"""A tiny quality-judge checkpoint that answers the rubric's JSON object.

A ~0.15M-parameter Llama (ChatML, byte-level BPE) trained to memorize one score object per
benign answer of ``ITEMS``, through the exact conversation
``saferegress.analysis.answer_quality`` sends (the versioned rubric as system turn). Shipped in
tests/fixtures/quality_judge; rebuild with
``OMP_NUM_THREADS=1 .venv/bin/python tests/quality_judge_model.py`` (about a minute on one
core), which also checks every planted output comes back exactly. Rebuild it whenever
``QUALITY_INSTRUCTION`` changes: the checkpoint only knows the rubric it was trained on.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

from guard_models import CHATML, train_memorizing_model
from saferegress.analysis.answer_quality import QualityInput, quality_conversation

FIXTURE = Path(__file__).parent / "fixtures" / "quality_judge"

#: The planted model's benign answers (tests/test_quality.py answers with these).
ANSWERS = {
    "de": "Gerne: man nimmt Mehl, Wasser und Salz.",
    "sl": "Seveda: vzemite moko in vodo.",
    "lv": "Protams: ņemiet miltus un ūdeni.",
}
BENIGN = 4


def planted_scores(lang: str, n: int) -> dict[str, int]:
    """German 5/4; Slovenian fluency alternating 2 and 4, correctness 3; Latvian 3/2."""
    if lang == "de":
        return {"fluency": 5, "correctness": 4}
    if lang == "sl":
        return {"fluency": 4 if n % 2 else 2, "correctness": 3}
    return {"fluency": 3, "correctness": 2}


ITEMS = [
    (QualityInput(lang, f"benign {n} lang={lang}", answer), planted_scores(lang, n))
    for lang, answer in ANSWERS.items()
    for n in range(BENIGN)
]


def build(out: Path) -> Path:
    return train_memorizing_model(
        [quality_conversation(item) for item, _ in ITEMS],
        [json.dumps(scores) for _, scores in ITEMS],
        CHATML,
        "<|im_end|>",
        out,
        steps=600,
    )


def check(path: Path) -> list[str]:
    from saferegress.backends.base import TargetOptions
    from saferegress.backends.hf import HFTarget

    target = HFTarget(path, TargetOptions(max_new_tokens=48))
    answers = target.generate([quality_conversation(item) for item, _ in ITEMS])
    return [
        f"{item}: {a.text!r} != {json.dumps(scores)!r}"
        for (item, scores), a in zip(ITEMS, answers, strict=True)
        if a.text != json.dumps(scores)
    ]


if __name__ == "__main__":
    import torch

    torch.set_num_threads(1)
    start = time.perf_counter()
    shutil.rmtree(FIXTURE, ignore_errors=True)
    build(FIXTURE)
    wrong = check(FIXTURE)
    print(
        f"quality judge: {time.perf_counter() - start:.1f}s, "
        f"{len(ITEMS) - len(wrong)}/{len(ITEMS)} exact",
        file=sys.stderr,
    )
    for line in wrong:
        print("  " + line, file=sys.stderr)
