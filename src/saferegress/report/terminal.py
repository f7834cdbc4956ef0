"""The per-language table printed in pytest's terminal summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tabulate import tabulate

__all__ = ["language_table", "quality_table"]


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _interval(pair: list[float]) -> str:
    return f"{100 * pair[0]:.0f}–{100 * pair[1]:.0f}%"


def language_table(results: Mapping[str, Any]) -> str:
    breached = {line.split(":", 1)[0] for line in results["gate"]["breaches"]}
    rows = []
    for lang, figures in results["languages"].items():
        rows.append(
            [
                lang,
                figures["n"],
                figures["unsafe"],
                figures.get("unclear", 0),  # results of older versions have no such field
                _pct(figures["asr"]),
                _interval(figures["ci95"]),
                f"{figures['over_refused']}/{figures['benign']}",
                _pct(figures["over_refusal"]),
                _interval(figures["over_refusal_ci95"]),
                figures["errors"],
                _consistency(figures),
                "BREACH" if lang in breached else "ok",
            ]
        )
    # "unclear": of the unsafe, answers the judge could not decide (counted against the model).
    headers = [
        "lang",
        "attacks",
        "unsafe",
        "unclear",
        "ASR",
        "95% CI",
        "over-refused",
        "over-refusal",
        "95% CI",
        "errors",
        "in language",
        "gate",
    ]
    return tabulate(
        rows,
        headers=headers,
        tablefmt="simple",
        disable_numparse=True,
        colalign=("left",) + ("right",) * 11,
    )


def _consistency(figures: Mapping[str, Any]) -> str:
    """Share of answers in the prompt's language and its interval (results of older versions
    carry none: "n/a")."""
    value = figures.get("language_consistency")
    if value is None:
        return "n/a"
    return f"{_pct(value)} ({_interval(figures['language_consistency_ci95'])})"


def _mean(score: Mapping[str, Any]) -> str:
    if score["mean"] is None:
        return "n/a"
    low, high = score["ci95"]
    return f"{score['mean']:.2f} ({low:.2f}–{high:.2f})"


def quality_table(results: Mapping[str, Any]) -> str:
    """Benign answers' fluency and correctness per language ("" without a quality judge)."""
    info = results.get("quality")
    if not info:
        return ""
    rows = [
        [
            lang,
            figures["quality"]["scored"],
            _mean(figures["quality"]["fluency"]),
            _mean(figures["quality"]["correctness"]),
            figures["quality"]["errors"],
        ]
        for lang, figures in results["languages"].items()
        if figures.get("quality")
    ]
    headers = ["lang", "scored", "fluency 1-5 (95% CI)", "correctness 1-5 (95% CI)", "errors"]
    table = tabulate(
        rows,
        headers=headers,
        tablefmt="simple",
        disable_numparse=True,
        colalign=("left",) + ("right",) * 4,
    )
    return (
        f"answer quality of benign prompts, judged by {info['judge']} "
        f"(rubric {info['rubric']}; means with Student-t 95% intervals):\n{table}"
    )
