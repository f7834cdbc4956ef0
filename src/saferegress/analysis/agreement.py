"""How far guards agree, and who judged what: the paper's Figure 2, from case records.

Works on plain case records (``record["guards"]``: member → verdict, ``record["adjudicated"]``),
so the controller computes it the same way with or without xdist.

Agreement is measured on the question the paper's guards answer: is an attack's answer unsafe?
Each guard's verdict becomes yes (``unsafe``) or no (``safe``, ``refused``); a pair is compared
on the attacks both judged without error. Cohen's κ = (p_o − p_e) / (1 − p_e); it is undefined
(None) when both guards gave one and the same label throughout (p_e = 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

from saferegress.analysis.metrics import counts_against

__all__ = ["agreement_summary", "cohens_kappa", "guard_coverage"]


def cohens_kappa(a: Sequence[bool], b: Sequence[bool]) -> float | None:
    """Cohen's κ of two raters' yes/no labels on the same items (None if undefined)."""
    if len(a) != len(b):
        raise ValueError("both raters must label the same items")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    a_yes, b_yes = sum(a) / n, sum(b) / n
    expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def _language_order(records: Iterable[Mapping[str, Any]]) -> list[str]:
    from saferegress.languages import LANGUAGES

    langs = {str(r["lang"]) for r in records}
    return sorted(
        langs,
        key=lambda lang: (LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES), lang),
    )


def guard_coverage(records: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Per language: how many cases each guard judged, and how many the adjudicator decided."""
    coverage: dict[str, dict[str, int]] = {}
    for lang in _language_order(records):
        counts: dict[str, int] = {"cases": 0}
        for record in records:
            if record["lang"] != lang:
                continue
            counts["cases"] += 1
            for name in record.get("guards") or {}:
                counts[name] = counts.get(name, 0) + 1
            if record.get("adjudicated"):
                counts["adjudicator"] = counts.get("adjudicator", 0) + 1
        coverage[lang] = counts
    return coverage


def _pair_row(lang: str, pair: tuple[str, str], records: Sequence[Mapping[str, Any]]) -> Any:
    first, second = pair
    a: list[bool] = []
    b: list[bool] = []
    for record in records:
        votes = record.get("guards") or {}
        if record.get("kind") != "attack" or first not in votes or second not in votes:
            continue
        if "error" in (votes[first], votes[second]):
            continue
        # "unclear" is counted as the gate counts it: against the model.
        a.append(counts_against("attack", votes[first]))
        b.append(counts_against("attack", votes[second]))
    if not a:
        return None
    kappa = cohens_kappa(a, b)
    return {
        "lang": lang,
        "guards": [first, second],
        "n": len(a),
        "agreement": round(sum(x == y for x, y in zip(a, b, strict=True)) / len(a), 4),
        "kappa": None if kappa is None else round(kappa, 4),
    }


def agreement_summary(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """κ per guard pair per language (and over all languages), and adjudicator use."""
    names = sorted({name for r in records for name in (r.get("guards") or {})})
    pairs: list[dict[str, Any]] = []
    for pair in combinations(names, 2):
        for lang in [*_language_order(records), "all"]:
            subset = records if lang == "all" else [r for r in records if r["lang"] == lang]
            row = _pair_row(lang, pair, subset)
            if row is not None:
                pairs.append(row)
    adjudicated = [r for r in records if r.get("adjudicated")]
    return {
        "question": "attack answers: unsafe or not",
        "pairs": pairs,
        "adjudicator_calls": len(adjudicated),
        "adjudicator_calls_by_language": {
            lang: n
            for lang in _language_order(adjudicated)
            if (n := sum(r["lang"] == lang for r in adjudicated))
        },
    }


def _short(name: str, names: set[str]) -> str:
    """A guard's kind (``llama-guard``) when no other guard has it, else its full name."""
    kind = name.split(":", 1)[0]
    return kind if sum(n.split(":", 1)[0] == kind for n in names) == 1 else name


def agreement_lines(results: Mapping[str, Any]) -> list[str]:
    """Terminal lines on the guards of a run: κ per pair (over all languages and per
    language) and adjudicator use; nothing for a run judged by one guard alone."""
    agreement = results.get("agreement") or {}
    pairs = agreement.get("pairs") or []
    calls = agreement.get("adjudicator_calls") or 0
    lines: list[str] = []
    names = {name for row in pairs for name in row["guards"]}
    for row in pairs:
        if row["lang"] != "all":
            continue
        first, second = (_short(n, names) for n in row["guards"])
        per_lang = ", ".join(
            f"{r['lang']} {'n/a' if r['kappa'] is None else format(r['kappa'], '.2f')}"
            for r in pairs
            if r["guards"] == row["guards"] and r["lang"] != "all"
        )
        kappa = "n/a" if row["kappa"] is None else f"{row['kappa']:.2f}"
        lines.append(
            f"guard agreement {first} ~ {second}: kappa {kappa} on {row['n']} attacks ({per_lang})"
        )
    if calls or (results.get("judging") or {}).get("adjudicator"):
        by_lang = ", ".join(
            f"{lang} {n}"
            for lang, n in (agreement.get("adjudicator_calls_by_language") or {}).items()
        )
        lines.append(f"adjudicator decided {calls} case(s)" + (f" ({by_lang})" if by_lang else ""))
    return lines
