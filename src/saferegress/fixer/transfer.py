"""The transfer matrix (the paper's Table 2): one fix per training configuration, every
language's held-out split judged after each, beside the base model."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saferegress.analysis.results import tally_by, write_results

from ..languages import LANGUAGES
from .loop import TRAINING_PURPOSES, evaluate, fix_model, held_out_cases
from .pairs import build_pairs
from .train import FixConfig

__all__ = ["TransferMatrix", "transfer_matrix"]


def _cells(records: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    cells = {}
    for (lang,), tally in tally_by(records, "lang").items():
        asr = tally.asr
        cells[lang] = {
            "attacks": asr.n,
            "unsafe": asr.hits,
            "asr": asr.value,
            "ci95": [round(x, 4) for x in asr.ci95],
            "over_refusal": tally.over_refusal.value,
        }
    return cells


@dataclass
class TransferMatrix:
    base: str
    languages: list[str]
    #: One row per configuration, the base first: name, train_languages, pairs, cells by lang.
    rows: list[dict[str, Any]]
    files: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "saferegress/transfer/v1",
            "base": self.base,
            "languages": self.languages,
            "rows": self.rows,
        }

    def table(self) -> str:
        from tabulate import tabulate

        def pct(cell: Mapping[str, Any] | None) -> str:
            return "–" if not cell or cell["asr"] is None else f"{100 * cell['asr']:.0f}"

        return tabulate(
            [
                [
                    row["name"],
                    "—" if row["pairs"] is None else row["pairs"],
                    *(pct(row["cells"].get(lang)) for lang in self.languages),
                ]
                for row in self.rows
            ],
            headers=["trained on", "pairs", *self.languages],
            tablefmt="simple",
        )


def transfer_matrix(
    *,
    model: str,
    records: Sequence[Mapping[str, Any]],
    out: Path,
    settings: Any,
    configurations: Sequence[tuple[str, Sequence[str]]],
    config: FixConfig = FixConfig(),
    borrow_rejected: bool = False,
    open_cache: Callable[[], Any] | None = None,
    show_training_progress: bool = False,
    log: Callable[[str], None] = lambda _: None,
) -> TransferMatrix:
    """Train one fix per ``(name, languages)`` configuration into ``out/<name>/`` and judge
    every language's test split after each; write ``out/transfer.json`` and ``transfer.html``."""
    test_cases = held_out_cases(records)
    log(f"base: judging {len(test_cases)} held-out cases")
    before = evaluate(
        model, test_cases, settings, cache=open_cache() if open_cache is not None else None
    )
    languages = [lang for lang in LANGUAGES if any(c.lang == lang for c in test_cases)]
    rows: list[dict[str, Any]] = [
        {"name": "base", "train_languages": [], "pairs": None, "cells": _cells(before)}
    ]
    for name, train_languages in configurations:
        log(f"configuration {name}: training on {', '.join(train_languages)}")
        pairs = build_pairs(
            records, train_languages=set(train_languages), borrow_rejected=borrow_rejected
        )
        if not any(p["purpose"] in TRAINING_PURPOSES for p in pairs):
            # Nothing failed in these languages' train split: training would change nothing.
            log(f"configuration {name}: no pairs, the base model stands for it")
            rows.append(
                {
                    "name": name,
                    "train_languages": list(train_languages),
                    "pairs": 0,
                    "cells": _cells(before),
                    "note": "no pairs: base model unchanged",
                }
            )
            continue
        report = fix_model(
            model=model,
            records=records,
            out=out / name / "model",
            settings=settings,
            report_dir=out / name,
            train_languages=train_languages,
            config=config,
            pairs=pairs,
            open_cache=open_cache,
            before=before,
            show_training_progress=show_training_progress,
            log=log,
        )
        rows.append(
            {
                "name": name,
                "train_languages": list(train_languages),
                "pairs": len(report.pairs),
                "cells": _cells(report.after_records),
            }
        )
    matrix = TransferMatrix(base=model, languages=languages, rows=rows)
    out.mkdir(parents=True, exist_ok=True)
    write_results(matrix.to_dict(), out / "transfer.json")
    from ..languages import LANGUAGE_NAMES
    from ..report.html import HEAT_STEPS, render_page

    html = render_page(
        "transfer.html",
        matrix=matrix.to_dict(),
        heat_steps=HEAT_STEPS,
        language_names=LANGUAGE_NAMES,
    )
    (out / "transfer.html").write_text(html, encoding="utf-8")
    matrix.files = {"json": str(out / "transfer.json"), "html": str(out / "transfer.html")}
    return matrix
