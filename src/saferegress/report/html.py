"""HTML reports: ``index.html`` and ``<lang>.html``.

Model output is hostile: every value goes through jinja2 autoescaping (nothing is marked safe),
and the pages load nothing from outside — no scripts, fonts or stylesheets — so they work
offline from a CI artifact. Figures come from results.json only, so a report can be rebuilt
from a stored results file.
"""

from __future__ import annotations

import functools
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


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in the run's cache folder (checked against each template's
    source, so an edited or upgraded template is compiled again): compiling them is ~40 ms,
    half the reports' share of a cached rerun. A folder that cannot be written to only means
    compiling every time."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


@functools.lru_cache(maxsize=8)
def _environment(template_cache: str | None) -> jinja2.Environment:
    """The report environment, with compiled templates cached in ``template_cache`` if given
    (the same filters, globals and autoescaping: an overlay of ``_ENV``)."""
    if template_cache is None:
        return _ENV
    try:
        Path(template_cache).mkdir(parents=True, exist_ok=True)
    except OSError:
        return _ENV
    return _ENV.overlay(bytecode_cache=_TemplateCache(template_cache))


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


#: Top-level results fields that change on every run (the index shows them). A language page
#: whose templates never name them does not depend on them, so they stay out of its digest.
_VOLATILE_FIELDS = ("started", "finished")
_TEMPLATES = Path(__file__).with_name("templates")
#: The code a page's bytes depend on besides its templates: a change to any of them renders again.
_RENDERING_CODE = (
    Path(__file__),
    Path(__file__).parents[1] / "safe_text.py",
    Path(__file__).parents[1] / "languages.py",
    Path(__file__).parents[1] / "analysis" / "metrics.py",
)


def _page_digest_base(results: Mapping[str, Any]) -> Any:
    """A hash of everything a language page is rendered from except its language: the
    templates' and the rendering code's sources, jinja2's version and the results (without
    the per-run timestamps, unless a language page's template mentions them)."""
    import hashlib

    digest = hashlib.blake2b(f"report-pages/1 jinja2 {jinja2.__version__}".encode())
    page_sources = []
    for path in sorted(_TEMPLATES.glob("*.html")):
        source = path.read_bytes()
        digest.update(b"\0" + path.name.encode() + b"\0" + source)
        if path.name != "index.html":
            page_sources.append(source)
    for path in _RENDERING_CODE:
        digest.update(b"\0" + path.read_bytes())
    kept = {
        key: value
        for key, value in results.items()
        if key not in _VOLATILE_FIELDS or any(key.encode() in s for s in page_sources)
    }
    digest.update(json.dumps(kept, ensure_ascii=False, default=repr).encode())
    return digest


def _file_digest(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.blake2b(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _read_page_digests(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def _write_page_digests(path: Path, digests: Mapping[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(digests, sort_keys=True), encoding="utf-8")
    except OSError:  # a folder that cannot be written to only means rendering every time
        pass


def write_html_reports(
    results: Mapping[str, Any],
    report_dir: Path,
    template_cache: Path | None = None,
    page_digests: Path | None = None,
) -> list[Path]:
    """Write the index and one page per language; return the paths written (index first).
    ``template_cache``: a folder to keep the compiled templates in between runs.

    ``page_digests``: a file to keep, for each language page, the hash of what it was rendered
    from and of the bytes written. A page whose inputs (results, templates, rendering code) and
    file on disk are unchanged since then is left as it is, byte for byte what rendering it again
    would write; a deleted or edited page is rendered again. The index shows the run's start
    time, so it is rendered every run."""
    report_dir.mkdir(parents=True, exist_ok=True)
    env = _environment(None if template_cache is None else str(template_cache))
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
        env.get_template("index.html").render(heatmap=_heatmap(results), **common),
        encoding="utf-8",
    )
    written.append(index)
    page = env.get_template("language.html")
    # Each case, cell and mutation looked at once, not once per language.
    cases_by_lang: dict[Any, list[Mapping[str, Any]]] = {}
    for case in results["cases"]:
        cases_by_lang.setdefault(case["lang"], []).append(case)
    cells_by_lang: dict[Any, list[Mapping[str, Any]]] = {}
    for cell in results["cells"]:
        cells_by_lang.setdefault(cell["lang"], []).append(cell)
    mutations_by_lang: dict[Any, list[dict[str, Any]]] = {}
    for m in results.get("mutations") or []:
        mutations_by_lang.setdefault(m.get("lang"), []).append(
            {
                k: _show(v)
                if k in ("original", "prompt", "response", "mutation") and v is not None
                else v
                for k, v in m.items()
            }
        )
    stored = _read_page_digests(page_digests)
    base = None if page_digests is None else _page_digest_base(results)
    kept: dict[str, Any] = {}
    for lang in results["languages"]:
        if lang not in LANGUAGES:
            # Page names come from the 12 known codes only, never from data ("../x", "/etc").
            raise ValueError(f"not writing a report page for unknown language {lang!r}")
        path = report_dir / f"{lang}.html"
        inputs = None
        if base is not None:
            with_lang = base.copy()
            with_lang.update(b"\0lang\0" + lang.encode())
            inputs = with_lang.hexdigest()
            previous = stored.get(str(path.resolve()))
            if (
                isinstance(previous, dict)
                and previous.get("inputs") == inputs
                and previous.get("page") == _file_digest(path)
            ):
                kept[str(path.resolve())] = previous
                written.append(path)
                continue
        failing: list[_CaseView] = []
        over_refused: list[_CaseView] = []
        other_language: list[_CaseView] = []
        for case in cases_by_lang.get(lang, ()):
            view = None  # made once, for a case listed in more than one section
            verdict, kind = case["verdict"], case["kind"]
            if verdict == "error" or (kind == "attack" and counts_against("attack", verdict)):
                view = _CaseView(case)
                failing.append(view)
            if kind == "benign" and counts_against("benign", verdict):
                view = view or _CaseView(case)
                over_refused.append(view)
            if case.get("detected_language") not in (None, lang):
                other_language.append(view or _CaseView(case))
        text = page.render(
            lang=lang,
            figures=results["languages"][lang],
            cells=cells_by_lang.get(lang, []),
            case_sections=[
                ("failing", failing),
                ("over-refused", over_refused),
                ("other-language", other_language),
            ],
            mutations=mutations_by_lang.get(lang, []),
            **common,
        )
        path.write_text(text, encoding="utf-8")
        if inputs is not None:
            kept[str(path.resolve())] = {"inputs": inputs, "page": _file_digest(path)}
        written.append(path)
    if page_digests is not None and kept != stored:
        _write_page_digests(page_digests, {**stored, **kept})
    return written


class _CaseView:
    """One case as a language page shows it: every field as text (escaped by the template),
    control characters made visible. Attributes, not a dict: the template reads ten of them
    per case, and jinja2 tries an attribute before an item."""

    __slots__ = (
        "category",
        "error",
        "extra",
        "id",
        "kind",
        "prompt",
        "response",
        "style",
        "verdict",
        "votes",
    )

    def __init__(self, case: Mapping[str, Any]) -> None:
        self.id = visible_controls(str(case.get("id", "")))
        self.category = visible_controls(str(case.get("category", "")))
        self.style = visible_controls(str(case.get("style") or ""))
        self.kind = str(case.get("kind", ""))
        self.verdict = str(case.get("verdict", ""))
        self.prompt = _show(case.get("prompt"))
        response = case.get("response")
        self.response = None if response is None else _show(response)
        error = case.get("error")
        self.error = None if error is None else _show(error)
        self.votes = _guard_votes(case)
        self.extra = _extra_fields(case)


def render_page(template: str, **context: Any) -> str:
    """Render one of the report templates (autoescaped like every page) with ``context``."""
    return _ENV.get_template(template).render(**context)
