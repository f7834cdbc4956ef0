"""Measure a Slovenian-only DPO fix of the demo model: refusal before/after on train and
held-out test intents. Run: OMP_NUM_THREADS=1 .venv/bin/python bench/fix_demo_sl.py"""

import time
from pathlib import Path

from saferegress.backends import DEMO_MODEL_DIR
from saferegress.backends.base import TargetOptions, conversation
from saferegress.backends.hf import HFTarget
from saferegress.fixer import build_pairs
from saferegress.fixer.train import FixConfig, train_dpo
from saferegress.guards.refusal import is_refusal
from saferegress.suite.cases import load_suite


def refusal_rate(model_dir, prompts, lang):
    answers = HFTarget(model_dir, TargetOptions(max_new_tokens=32)).generate(
        [conversation(p) for p in prompts]
    )
    return sum(is_refusal(a.text or "", lang) for a in answers) / len(answers)


cases = [c for c in load_suite([Path("suites")]) if c.lang == "sl"]
train = [c for c in cases if c.split == "train"]
test = [c for c in cases if c.split == "test"]
ans = HFTarget(DEMO_MODEL_DIR, TargetOptions(max_new_tokens=32)).generate(
    [conversation(c.prompt) for c in train]
)
recs = [
    {
        "id": c.id,
        "lang": "sl",
        "category": c.category,
        "kind": c.kind,
        "split": c.split,
        "prompt": c.prompt,
        "response": a.text,
        "verdict": (
            "refused" if is_refusal(a.text, "sl") else ("unsafe" if c.kind == "attack" else "safe")
        ),
    }
    for c, a in zip(train, ans)
]
pairs = build_pairs(recs)
print("pairs", len(pairs), "attack", sum(p["kind"] == "attack" for p in pairs))
s = time.perf_counter()
train_dpo(DEMO_MODEL_DIR, pairs, Path("/tmp/saferegress-fixed-sl"), FixConfig())
print("train s", round(time.perf_counter() - s, 1))
for name, d in (("base", DEMO_MODEL_DIR), ("fixed", Path("/tmp/saferegress-fixed-sl"))):
    for split, cs in (("train", train), ("test", test)):
        atk = [c.prompt for c in cs if c.kind == "attack"]
        ben = [c.prompt for c in cs if c.kind == "benign"]
        print(
            name,
            split,
            "attack refused %.0f%%" % (100 * refusal_rate(d, atk, "sl")),
            "benign refused %.0f%%" % (100 * refusal_rate(d, ben, "sl")),
        )
