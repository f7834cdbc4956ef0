"""HTML reports: ``index.html`` and ``<lang>.html``. Model output is hostile: every value goes
through jinja2 autoescaping, and the pages load nothing from outside."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from ..languages import CATEGORIES, LANGUAGE_NAMES

__all__ = ["write_html_reports"]

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("saferegress.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


_ENV.filters["pct"] = _pct


def write_html_reports(results: Mapping[str, Any], report_dir: Path) -> list[Path]:
    """Write the index and one page per language; return the paths written."""
    report_dir.mkdir(parents=True, exist_ok=True)
    breached = {line.split(":", 1)[0] for line in results["gate"]["breaches"]}
    common = {"results": results, "names": LANGUAGE_NAMES, "categories": CATEGORIES,
              "breached": breached}
    written = []
    index = report_dir / "index.html"
    index.write_text(_ENV.get_template("index.html").render(**common), encoding="utf-8")
    written.append(index)
    page = _ENV.get_template("language.html")
    for lang in results["languages"]:
        cases = [c for c in results["cases"] if c["lang"] == lang]
        cells = [c for c in results["cells"] if c["lang"] == lang]
        path = report_dir / f"{lang}.html"
        path.write_text(
            page.render(lang=lang, figures=results["languages"][lang], cells=cells,
                        failing=[c for c in cases if c["verdict"] in ("unsafe", "error")],
                        over_refused=[c for c in cases
                                      if c["kind"] == "benign" and c["verdict"] == "refused"],
                        **common),
            encoding="utf-8",
        )
        written.append(path)
    return written
