"""The run as Markdown, for CI: ``reports/summary.md`` and GitHub's job summary.

Built from the results dict alone (what ``results.json`` holds), so ``saferegress summary
RESULTS.json`` gives the same text after the fact. Model output is hostile and so are suite and
baseline files: every piece of text quoted from them goes through :func:`markdown_text`, which
keeps it on one table cell and lets it neither open a tag nor become a link or emphasis.

Also here: the per-language ``<properties>`` block of a JUnit XML testsuite
(:func:`junit_suite_properties`, :func:`add_junit_properties`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from saferegress.errors import ConfigError
from saferegress.safe_text import terminal_safe

__all__ = [
    "STEP_SUMMARY_VARIABLE",
    "SUMMARY_FILE",
    "add_junit_properties",
    "junit_suite_properties",
    "markdown_text",
    "read_results",
    "summary_markdown",
    "write_summaries",
]

#: Written next to results.json on every run.
SUMMARY_FILE = "summary.md"
#: GitHub Actions names the job summary file in this variable; the Markdown is appended to it.
STEP_SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"
#: Unsafe answers quoted, and characters of each.
ANSWERS_SHOWN = 10
ANSWER_CHARS = 160

# What Markdown (GitHub's included) could read as markup inside one line: code, emphasis,
# strikethrough, math, links and images, headings, table cells, raw HTML and entities, and the
# bare URLs, ``www.`` names and e-mail addresses that GFM turns into links. Escaped with a
# backslash; ``&``, ``<`` and ``>`` become entities, so no raw HTML is ever written.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKUP = re.compile(r"[\\`*_~$\[\]#|&<>@]|:(?=//)|(?<=www)\.", re.IGNORECASE)
_LIST_START = re.compile(r"^(\s*\d*)([-+=.)])")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ENTITIES.get(char, "\\" + char)


def markdown_text(text: object, limit: int | None = None) -> str:
    """``text`` as inert Markdown on one line: line breaks shown as ``↵``, control characters
    as visible escapes, cut to ``limit`` characters (with ``…``), markup characters escaped,
    and a leading ``-``, ``+``, ``=`` or ``1.`` escaped (after ``- `` it would open a nested
    list or a heading)."""
    line = _LINE_BREAKS.sub(" ↵ ", str(text))
    line = terminal_safe(line)
    if limit is not None and len(line) > limit:
        line = line[:limit].rstrip() + "…"
    line = _MARKUP.sub(_escape_char, line)
    return _LIST_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line, count=1)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _interval(ci95: Sequence[float] | None) -> str:
    if not ci95:
        return "n/a"
    low, high = ci95
    return f"{100 * low:.1f}–{100 * high:.1f}%"


def _breached_languages(results: Mapping[str, Any]) -> set[str]:
    """Languages named at the start of a gate line (``de: ASR …``, ``de/S9: …``)."""
    languages = set(results.get("languages") or {})
    named = set()
    for line in (results.get("gate") or {}).get("breaches") or ():
        head = str(line).split(":", 1)[0].split("/", 1)[0]
        if head in languages:
            named.add(head)
    return named


def _language_rows(results: Mapping[str, Any]) -> list[str]:
    breached = _breached_languages(results)
    rows = [
        "| language | attacks | unsafe | unclear | ASR | 95% CI | limit "
        "| over-refused | over-refusal | errors | gate |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for lang, row in (results.get("languages") or {}).items():
        rows.append(
            "| "
            + " | ".join(
                [
                    markdown_text(lang),
                    str(row.get("n", 0)),
                    str(row.get("unsafe", 0)),
                    str(row.get("unclear", 0)),
                    _pct(row.get("asr")),
                    _interval(row.get("ci95")),
                    _pct(row.get("max_asr")),
                    f"{row.get('over_refused', 0)}/{row.get('benign', 0)}",
                    _pct(row.get("over_refusal")),
                    str(row.get("errors", 0)),
                    "**BREACH**" if lang in breached else "ok",
                ]
            )
            + " |"
        )
    return rows


def _unclear_line(results: Mapping[str, Any]) -> str:
    totals = results.get("totals") or {}
    unsafe, unclear = totals.get("unsafe", 0), totals.get("unclear", 0)
    attacks = totals.get("attacks", 0)
    share = f"{100 * unclear / attacks:.1f}%" if attacks else "n/a"
    return (
        f"Unclear: {unclear} of {attacks} judged attacks ({share}) got an answer the judge "
        f"could not decide; they are counted as unsafe (inside the {unsafe} unsafe) and shown "
        "apart."
    )


def _regression_rows(baseline: Mapping[str, Any]) -> list[str]:
    rows = [
        "| language | paired | ASR before | ASR after | change | newly unsafe | newly safe "
        "| p (Holm) | regressed |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for lang, test in (baseline.get("languages") or {}).items():
        p = test.get("p_adjusted")
        rows.append(
            "| "
            + " | ".join(
                [
                    markdown_text(lang),
                    str(test.get("paired", 0)),
                    _pct(test.get("asr_before")),
                    _pct(test.get("asr_after")),
                    f"{100 * float(test.get('increase') or 0):+.1f} pp",
                    str(test.get("newly_unsafe", 0)),
                    str(test.get("newly_safe", 0)),
                    "n/a" if p is None else ("<0.001" if p < 0.001 else f"{p:.3f}"),
                    "**yes**" if test.get("regressed") else "no",
                ]
            )
            + " |"
        )
    return rows


def _unsafe_answers(results: Mapping[str, Any]) -> list[str]:
    unsafe = [
        case
        for case in results.get("cases") or ()
        if case.get("kind") == "attack" and case.get("verdict") in ("unsafe", "unclear")
    ]
    if not unsafe:
        return []
    lines = [
        "",
        f"### Unsafe answers ({min(len(unsafe), ANSWERS_SHOWN)} of {len(unsafe)})",
        "",
        "| case | language | category | verdict | answer |",
        "|---|---|---|---|---|",
    ]
    for case in unsafe[:ANSWERS_SHOWN]:
        lines.append(
            "| "
            + " | ".join(
                markdown_text(value, limit)
                for value, limit in (
                    (case.get("id", ""), 80),
                    (case.get("lang", ""), 8),
                    (case.get("category", ""), 8),
                    (case.get("verdict", ""), 10),
                    (case.get("response") or "", ANSWER_CHARS),
                )
            )
            + " |"
        )
    return lines


def summary_markdown(
    results: Mapping[str, Any],
    *,
    html_link: str = "index.html",
    html_label: str = "index.html",
) -> str:
    """The Markdown summary of one results dict: ASR per language with its Wilson interval,
    the unclear share, the gate's breaches, regressions against the baseline, the first unsafe
    answers and a link to the HTML report (``html_link``, which the caller makes)."""
    gate = results.get("gate") or {}
    passed = bool(gate.get("passed"))
    model = markdown_text(results.get("model") or "unnamed model", 200)
    lines = [
        f"## saferegress: {model}: gate {'passed' if passed else '**FAILED**'}",
        "",
        *_language_rows(results),
        "",
        "ASR: attacks answered unsafely, with its Wilson 95% interval; limit: the highest ASR "
        "the gate allows in that language.",
        "",
        _unclear_line(results),
    ]
    breaches = gate.get("breaches") or []
    if breaches:
        lines += ["", f"### Breaches ({len(breaches)})", ""]
        lines += [f"- {markdown_text(line, 1000)}" for line in breaches]
    baseline = results.get("baseline")
    if baseline:
        path = markdown_text(baseline.get("path") or "baseline", 200)
        regressed = [
            lang for lang, t in (baseline.get("languages") or {}).items() if t.get("regressed")
        ]
        verdict = (
            "regressed in " + ", ".join(markdown_text(lang) for lang in regressed)
            if regressed
            else "no regression"
        )
        lines += ["", f"### Compared with the baseline {path}: {verdict}", ""]
        lines += _regression_rows(baseline)
        notes = baseline.get("notes") or []
        if notes:
            lines += [""] + [f"- note: {markdown_text(note, 500)}" for note in notes]
    lines += _unsafe_answers(results)
    lines += ["", f"HTML report: [{markdown_text(html_label, 200)}]({_link_target(html_link)})", ""]
    return "\n".join(lines)


def _link_target(url: str) -> str:
    """A link target that cannot end the link early or start another: characters outside
    the printable ASCII range, spaces, brackets and parentheses percent-encoded."""
    from urllib.parse import quote

    return quote(url, safe="/:#?&=%.-_~+@!$,;*'")


def _run_link(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """The GitHub run page (its artifacts hold reports/), when the runner named it."""
    server = environ.get("GITHUB_SERVER_URL", "")
    repository = environ.get("GITHUB_REPOSITORY", "")
    run_id = environ.get("GITHUB_RUN_ID", "")
    if not (server.startswith("https://") and repository and run_id.isdigit()):
        return None
    return f"{server}/{repository}/actions/runs/{run_id}", "index.html in this run's artifacts"


def write_summaries(
    results: Mapping[str, Any], report_dir: Path, environ: Mapping[str, str]
) -> list[Path]:
    """Write ``report_dir/summary.md`` and append the same summary to the file named by
    ``GITHUB_STEP_SUMMARY`` when that is set; the paths written, in that order. On GitHub the
    HTML link points at the run's page (its artifacts), since a job summary cannot open a file
    of the workspace."""
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / SUMMARY_FILE
    path.write_text(summary_markdown(results), encoding="utf-8")
    written = [path]
    step_summary = environ.get(STEP_SUMMARY_VARIABLE)
    if step_summary:
        link = _run_link(environ)
        text = (
            summary_markdown(results, html_link=link[0], html_label=link[1])
            if link
            else summary_markdown(
                results,
                html_link=f"{report_dir.name}/index.html",
                html_label=f"{report_dir.name}/index.html",
            )
        )
        target = Path(step_summary)
        with target.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
        written.append(target)
    return written


def read_results(path: Path) -> dict[str, Any]:
    """A results.json for the summary; a bad file is a ``ConfigError`` naming it."""
    from saferegress.analysis.results import SCHEMA

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{path}:{exc.lineno}: invalid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        got = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise ConfigError(f"{path}: field 'schema' must be {SCHEMA!r} (got {got!r})")
    return data


# -- JUnit XML -----------------------------------------------------------------------------------


def junit_suite_properties(results: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The testsuite ``<properties>`` of a run: the gate, then per language its counts, ASR,
    Wilson interval, limit and whether it breached (``saferegress.de.asr`` = ``0.1000``)."""
    gate = results.get("gate") or {}
    breached = _breached_languages(results)
    properties = [
        ("saferegress.model", str(results.get("model") or "")),
        ("saferegress.gate", "passed" if gate.get("passed") else "failed"),
        ("saferegress.breaches", str(len(gate.get("breaches") or []))),
    ]
    for lang, row in (results.get("languages") or {}).items():
        low, high = row.get("ci95") or (0.0, 0.0)
        asr = row.get("asr")
        prefix = f"saferegress.{lang}"
        properties += [
            (f"{prefix}.attacks", str(row.get("n", 0))),
            (f"{prefix}.unsafe", str(row.get("unsafe", 0))),
            (f"{prefix}.unclear", str(row.get("unclear", 0))),
            (f"{prefix}.asr", "" if asr is None else f"{asr:.4f}"),
            (f"{prefix}.asr_ci95", f"{low:.4f}-{high:.4f}"),
            (f"{prefix}.max_asr", f"{float(row.get('max_asr') or 0):.4f}"),
            (f"{prefix}.over_refused", f"{row.get('over_refused', 0)}/{row.get('benign', 0)}"),
            (f"{prefix}.errors", str(row.get("errors", 0))),
            (f"{prefix}.gate", "breach" if lang in breached else "ok"),
        ]
    return properties


def add_junit_properties(config: Any, results: Mapping[str, Any]) -> bool:
    """Add :func:`junit_suite_properties` to the testsuite of ``--junitxml``, if one is being
    written (False when not). Call on the controller before ``pytest_sessionfinish``, where
    pytest writes the file; works under xdist, since only the controller writes it."""
    from _pytest.junitxml import xml_key

    xml = config.stash.get(xml_key, None)
    if xml is None:
        return False
    for name, value in junit_suite_properties(results):
        xml.add_global_property(name, value)
    return True
