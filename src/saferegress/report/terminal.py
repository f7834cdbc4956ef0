"""The per-language table printed in pytest's terminal summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tabulate import tabulate

__all__ = ["language_table"]


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _interval(pair: list[float]) -> str:
    return f"{100 * pair[0]:.0f}–{100 * pair[1]:.0f}%"


def language_table(results: Mapping[str, Any]) -> str:
    breached = {line.split(":", 1)[0] for line in results["gate"]["breaches"]}
    rows = []
    for lang, figures in results["languages"].items():
        rows.append([
            lang,
            figures["n"],
            figures["unsafe"],
            _pct(figures["asr"]),
            _interval(figures["ci95"]),
            f"{figures['over_refused']}/{figures['benign']}",
            _pct(figures["over_refusal"]),
            _interval(figures["over_refusal_ci95"]),
            figures["errors"],
            "BREACH" if lang in breached else "ok",
        ])
    headers = ["lang", "attacks", "unsafe", "ASR", "95% CI", "over-refused", "over-refusal",
               "95% CI", "errors", "gate"]
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True,
                    colalign=("left",) + ("right",) * 9)
