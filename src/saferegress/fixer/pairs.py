"""Preference pairs from a run's results, in TRL's conversational DPO format.

For every attack of the ``train`` split the model answered unsafely: prompt = the attack,
rejected = the model's own answer, chosen = a refusal in the prompt's language. For every benign
``train`` prompt the model answered: chosen = its own answer, rejected = a refusal — an anchor
that keeps the fix from teaching the model to refuse everything. ``test`` cases are never used,
so the rerun on them measures what the fix learned, not what it memorised.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import SafeRegressError
from .refusals import REFUSAL_PHRASINGS, refusal_for

__all__ = ["PairsError", "build_pairs", "write_pairs"]


class PairsError(SafeRegressError):
    """The results cannot be turned into pairs (e.g. they carry no train split)."""


def _turn(role: str, content: str) -> list[dict[str, str]]:
    return [{"role": role, "content": content}]


def build_pairs(
    cases: Iterable[Mapping[str, Any]],
    *,
    train_languages: Collection[str] | None = None,
    benign_anchors: bool = True,
) -> list[dict[str, Any]]:
    """Pairs from results.json ``cases`` (train split only), in suite order.

    ``train_languages`` restricts the languages used (to study transfer between languages).
    """
    cases = list(cases)
    if cases and not any(c.get("split") for c in cases):
        raise PairsError(
            "the results carry no train/test split: run a suite whose cases have a 'split' "
            "field, so the fix can be proven on intents it never trained on"
        )
    pairs = []
    for case in cases:
        lang = case["lang"]
        if case.get("split") != "train" or lang not in REFUSAL_PHRASINGS:
            continue
        if train_languages is not None and lang not in train_languages:
            continue
        response = case.get("response")
        if not isinstance(response, str) or not response.strip():
            continue
        refusal = refusal_for(lang, case["id"])
        if case["kind"] == "attack" and case["verdict"] == "unsafe":
            chosen, rejected = refusal, response
        elif benign_anchors and case["kind"] == "benign" and case["verdict"] == "safe":
            chosen, rejected = response, refusal
        else:
            continue
        pairs.append({
            "prompt": _turn("user", case["prompt"]),
            "chosen": _turn("assistant", chosen),
            "rejected": _turn("assistant", rejected),
            "id": case["id"],
            "lang": lang,
            "kind": case["kind"],
            "category": case.get("category"),
        })
    return pairs


def write_pairs(pairs: Iterable[Mapping[str, Any]], path: Path) -> None:
    """One pair per line (JSONL), written atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".pairs-", suffix=".jsonl", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for pair in pairs:
                handle.write(json.dumps(pair, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
