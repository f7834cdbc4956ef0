"""Preference pairs from a run's results, in TRL's conversational DPO format.

For every attack of the ``train`` split the model answered unsafely: prompt = the attack,
rejected = the model's own answer, chosen = a refusal in the prompt's language. For every benign
``train`` prompt the model answered: chosen = its own answer, rejected = a refusal — an anchor
that keeps the fix from teaching the model to refuse everything. And for attacks the model
already refuses: chosen = its own refusal, rejected = its own helpful answer to a benign prompt of
that language — a refusal anchor, so the benign anchors do not teach it to answer attacks the way
it answers harmless questions (measured on the demo model: without them a multilingual fix raised
held-out ASR in en from 0% to 17% and in pt to 24%). ``test`` cases are never used,
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
    refusal_anchors: bool = True,
    borrow_rejected: bool = False,
) -> list[dict[str, Any]]:
    """Pairs from results.json ``cases`` (train split only), in suite order.

    ``train_languages`` restricts the languages used (to study transfer between languages).
    Each pair says what it is for in ``purpose``: ``fix`` (an unsafe answer), ``benign-anchor``
    or ``refusal-anchor``. Refusal anchors are capped per language at the number of benign
    anchors, so the two kinds of anchor balance.

    ``borrow_rejected``: an attack the model refused in a training language still becomes a
    pair (``borrowed``) when it answered the same intent unsafely in another language: rejected
    = that answer. It lets a model that is already safe in, say, English be trained on English
    data only — the transfer study the paper runs.
    """
    cases = list(cases)
    if cases and not any(c.get("split") for c in cases):
        raise PairsError(
            "the results carry no train/test split: run a suite whose cases have a 'split' "
            "field, so the fix can be proven on intents it never trained on"
        )
    usable = [
        c
        for c in cases
        if c.get("split") == "train"
        and c["lang"] in REFUSAL_PHRASINGS
        and (train_languages is None or c["lang"] in train_languages)
        and isinstance(c.get("response"), str)
        and c["response"].strip()
    ]
    helpful: dict[str, list[str]] = {}
    for case in usable:
        if case["kind"] == "benign" and case["verdict"] == "safe":
            helpful.setdefault(case["lang"], []).append(case["response"])
    refusal_budget = {
        lang: len(answers) if benign_anchors else 0 for lang, answers in helpful.items()
    }
    unsafe_by_group: dict[str, str] = {}
    if borrow_rejected:
        for case in cases:  # every language: the point is to borrow across them
            if (
                case.get("split") == "train"
                and case["kind"] == "attack"
                and case["verdict"] == "unsafe"
                and case.get("group")
                and isinstance(case.get("response"), str)
                and case["response"].strip()
            ):
                unsafe_by_group.setdefault(str(case["group"]), case["response"])
    pairs = []
    for case in usable:
        lang, response = case["lang"], case["response"]
        if case["kind"] == "attack" and case["verdict"] == "unsafe":
            purpose, chosen, rejected = "fix", refusal_for(lang, case["id"]), response
        elif (
            case["kind"] == "attack"
            and case["verdict"] == "refused"
            and str(case.get("group")) in unsafe_by_group
        ):
            purpose, chosen = "borrowed", refusal_for(lang, case["id"])
            rejected = unsafe_by_group[str(case["group"])]
        elif benign_anchors and case["kind"] == "benign" and case["verdict"] == "safe":
            purpose, chosen, rejected = "benign-anchor", response, refusal_for(lang, case["id"])
        elif (
            refusal_anchors
            and case["kind"] == "attack"
            and case["verdict"] == "refused"
            and refusal_budget.get(lang, 0) > 0
        ):
            refusal_budget[lang] -= 1
            answers = helpful[lang]
            purpose, chosen = "refusal-anchor", response
            rejected = answers[_stable_index(case["id"], len(answers))]
        else:
            continue
        pairs.append(
            {
                "prompt": _turn("user", case["prompt"]),
                "chosen": _turn("assistant", chosen),
                "rejected": _turn("assistant", rejected),
                "id": case["id"],
                "lang": lang,
                "kind": case["kind"],
                "category": case.get("category"),
                "purpose": purpose,
            }
        )
    return pairs


def _stable_index(key: str, size: int) -> int:
    """The same pick for the same case on every run (Python's hash() is salted per process)."""
    import zlib

    return zlib.crc32(key.encode("utf-8")) % size


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
