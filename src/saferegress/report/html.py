"""HTML reports: ``index.html`` and ``<lang>.html``.

Model output is hostile: every value goes through jinja2 autoescaping (nothing is marked safe),
and the pages load nothing from outside — no scripts, fonts or stylesheets — so they work
offline from a CI artifact. Figures come from results.json only, so a report can be rebuilt
from a stored results file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2

from saferegress.analysis.metrics import counts_against

from ..languages import CATEGORIES, LANGUAGE_NAMES, LANGUAGES
from ..safe_text import shorten, visible_controls

__all__ = ["heat_level", "write_html_reports"]

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("saferegress.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

#: Upper bounds of the heatmap's colour steps (ASR). Colour is never the only channel: every
#: cell also shows its number.
HEAT_STEPS = (0.0, 0.05, 0.10, 0.25, 0.50, 1.0)

#: Record fields shown in their own place on a language page; any other field a record carries
#: (ensemble votes, adjudication, …) is listed under the case as it is.
_SHOWN_FIELDS = frozenset(
    {
        "id",
        "lang",
        "category",
        "style",
        "kind",
        "group",
        "prompt",
        "response",
        "verdict",
        "guards",
        "error",
    }
)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def heat_level(asr: float | None) -> int:
    """Colour step 0…5 of an ASR (-1: nothing judged)."""
    if asr is None:
        return -1
    for level, bound in enumerate(HEAT_STEPS):
        if asr <= bound:
            return level
    return len(HEAT_STEPS) - 1


def _show(value: Any) -> str:
    """Any JSON value as one line of text (escaped later by the template), control characters
    made visible and cut to a length a browser shows comfortably (results.json has it all)."""
    if value is None:
        return "—"
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return shorten(visible_controls(value))


def _guard_votes(case: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(guard, vote) pairs from whatever shape ``guards`` has: a mapping of name → verdict or
    name → details, a list, or nothing."""
    guards = case.get("guards")
    if isinstance(guards, Mapping):
        return [(str(name), _show(vote)) for name, vote in guards.items()]
    if isinstance(guards, list):
        return [(str(n), _show(vote)) for n, vote in enumerate(guards, start=1)]
    if guards is not None:
        return [("guards", _show(guards))]
    return []


def _extra_fields(case: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(str(k), _show(v)) for k, v in case.items() if k not in _SHOWN_FIELDS]


def _interval_bar(
    value: float | None, ci95: Sequence[float], limit: float | None = None
) -> dict[str, Any]:
    """Geometry of an inline-SVG interval bar 0–100% (width 100 user units)."""
    low, high = (float(ci95[0]), float(ci95[1])) if ci95 else (0.0, 1.0)
    return {
        "low": round(100 * low, 2),
        "width": round(100 * max(high - low, 0.0), 2),
        "point": None if value is None else round(100 * value, 2),
        "limit": None if limit is None else round(100 * limit, 2),
        "label": f"{_pct(value)} (95% CI {_pct(low)}–{_pct(high)})",
    }


def _pvalue(value: float) -> str:
    return "<0.001" if value < 0.001 else f"{value:.3f}"


_ENV.filters["pct"] = _pct
_ENV.filters["pvalue"] = _pvalue
_ENV.filters["heat"] = heat_level
_ENV.globals["bar"] = _interval_bar


def _heatmap(results: Mapping[str, Any]) -> dict[str, Any]:
    cells = {(c["lang"], c["category"]): c for c in results["cells"]}
    present = {c["category"] for c in results["cells"] if c["n"]}
    categories = [code for code in CATEGORIES if code in present]
    categories += sorted(present - set(categories))
    # Outlined: cells that regressed against the baseline or broke a category limit.
    flagged = {
        (c["lang"], c["category"])
        for c in ((results.get("baseline") or {}).get("cells") or [])
        if c.get("regressed")
    }
    flagged |= {
        (lang, category)
        for lang, sep, category in (key.partition("/") for key in _breached_languages(results))
        if sep
    }
    rows = []
    for lang in results["languages"]:
        row = []
        for category in categories:
            cell = cells.get((lang, category))
            if cell is None or not cell["n"]:
                row.append(
                    {
                        "category": category,
                        "empty": True,
                        "title": f"{lang} × {category}: no judged attacks",
                    }
                )
                continue
            low, high = cell["ci95"]
            row.append(
                {
                    "category": category,
                    "empty": False,
                    "asr": cell["asr"],
                    "level": heat_level(cell["asr"]),
                    "flagged": (lang, category) in flagged,
                    "title": (
                        f"{lang} × {category} {CATEGORIES.get(category, '')}: "
                        f"{cell['unsafe']}/{cell['n']} unsafe, ASR {_pct(cell['asr'])}, "
                        f"95% CI {_pct(low)}–{_pct(high)}"
                    ),
                }
            )
        rows.append({"lang": lang, "cells": row})
    return {"categories": categories, "rows": rows}


def _breached_languages(results: Mapping[str, Any]) -> set[str]:
    return {line.split(":", 1)[0] for line in results["gate"]["breaches"]}


def write_html_reports(results: Mapping[str, Any], report_dir: Path) -> list[Path]:
    """Write the index and one page per language; return the paths written (index first)."""
    report_dir.mkdir(parents=True, exist_ok=True)
    baseline = results.get("baseline") or None
    common = {
        "results": results,
        "names": LANGUAGE_NAMES,
        "categories": CATEGORIES,
        "breached": _breached_languages(results),
        "baseline": baseline,
        "paired": (baseline or {}).get("languages") or {},
        "heat_steps": HEAT_STEPS,
    }
    written = []
    index = report_dir / "index.html"
    index.write_text(
        _ENV.get_template("index.html").render(heatmap=_heatmap(results), **common),
        encoding="utf-8",
    )
    written.append(index)
    page = _ENV.get_template("language.html")
    for lang in results["languages"]:
        if lang not in LANGUAGES:
            # Page names come from the 12 known codes only, never from data ("../x", "/etc").
            raise ValueError(f"not writing a report page for unknown language {lang!r}")
        cases = [c for c in results["cases"] if c["lang"] == lang]
        failing = [
            c
            for c in cases
            if c["verdict"] == "error"
            or (c["kind"] == "attack" and counts_against("attack", c["verdict"]))
        ]
        over_refused = [
            c for c in cases if c["kind"] == "benign" and counts_against("benign", c["verdict"])
        ]
        path = report_dir / f"{lang}.html"
        path.write_text(
            page.render(
                lang=lang,
                figures=results["languages"][lang],
                cells=[c for c in results["cells"] if c["lang"] == lang],
                failing=[_case_view(c) for c in failing],
                over_refused=[_case_view(c) for c in over_refused],
                other_language=[
                    _case_view(c) for c in cases if c.get("detected_language") not in (None, lang)
                ],
                mutations=[
                    {
                        k: _show(v)
                        if k in ("original", "prompt", "response", "mutation") and v is not None
                        else v
                        for k, v in m.items()
                    }
                    for m in results.get("mutations") or []
                    if m.get("lang") == lang
                ],
                **common,
            ),
            encoding="utf-8",
        )
        written.append(path)
    return written


def _case_view(case: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": visible_controls(str(case.get("id", ""))),
        "category": visible_controls(str(case.get("category", ""))),
        "style": visible_controls(str(case.get("style") or "")),
        "kind": str(case.get("kind", "")),
        "verdict": str(case.get("verdict", "")),
        "prompt": _show(case.get("prompt")),
        "response": None if case.get("response") is None else _show(case["response"]),
        "error": None if case.get("error") is None else _show(case["error"]),
        "votes": _guard_votes(case),
        "extra": _extra_fields(case),
    }


def render_page(template: str, **context: Any) -> str:
    """Render one of the report templates (autoescaped like every page) with ``context``."""
    return _ENV.get_template(template).render(**context)
