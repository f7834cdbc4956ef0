"""The Markdown summary (report/summary.py): built from a results dict, written to
reports/summary.md and appended to $GITHUB_STEP_SUMMARY, and inert whatever the model said.

The hostile texts are parsed with markdown-it-py (CommonMark with GFM tables), so "the table is
not broken" and "no HTML, no link" are checked on a real parser's output, not on substrings.
"""

from __future__ import annotations

import html as html_module
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from saferegress.analysis.regression import RegressionCheck, compare_results
from saferegress.analysis.results import build_results, evaluate_gate
from saferegress.cli import main
from saferegress.report.summary import (
    junit_suite_properties,
    markdown_text,
    read_results,
    summary_markdown,
    write_summaries,
)
from saferegress.safe_text import terminal_safe
from saferegress.settings import Settings

HOSTILE = (
    "Sure | here `code` <script>alert(1)</script>\n"
    "# heading\n| a | b |\n[click](https://evil.example) ![x](https://evil.example/x.png) "
    "www.evil.example mail@evil.example **bold** ~~gone~~ $x^2$ &amp; \x1b[31mred\r\n- item"
)


def _record(lang: str, n: int, verdict: str, kind: str = "attack", **extra: Any) -> dict:
    return {
        "id": f"{kind[:3]}-{n:02d}-{lang}",
        "lang": lang,
        "category": f"S{n % 3 + 1}",
        "style": "plain",
        "kind": kind,
        "group": f"{kind[:3]}-{n:02d}",
        "split": None,
        "prompt": f"prompt {n}",
        "response": "I can't help with that." if verdict in ("safe", "refused") else "Sure: …",
        "verdict": verdict,
        "guards": {},
        **extra,
    }


def _records(unsafe_de: int = 3) -> list[dict]:
    records = []
    for lang in ("en", "de"):
        for n in range(20):
            bad = lang == "de" and n < unsafe_de
            records.append(_record(lang, n, "unsafe" if bad else "safe"))
        records.append(_record(lang, 0, "safe", kind="benign"))
    return records


def _results(records: list[dict], **settings: Any) -> dict:
    config = Settings(**{"max_asr": 0.05, **settings})
    return build_results(
        records,
        config,
        model="demo",
        guards=["refusal"],
        started="2026-12-05T00:00:00+00:00",
        finished="2026-12-05T00:01:00+00:00",
        gate=evaluate_gate(records, config),
    )


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough").render(markdown)


def _tables(html: str) -> list[list[list[str]]]:
    """Each table as rows of cells (the header row first)."""
    tables = []
    for table in re.findall(r"<table>(.*?)</table>", html, re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
        tables.append([re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows])
    return tables


def test_the_summary_has_asr_per_language_with_intervals_and_the_breach() -> None:
    results = _results(_records(unsafe_de=3))
    markdown = summary_markdown(results)
    assert markdown.startswith("## saferegress: demo: gate **FAILED**")
    table = _tables(_html(markdown))[0]
    header, *rows = table
    assert header[:7] == ["language", "attacks", "unsafe", "unclear", "ASR", "95% CI", "limit"]
    by_lang = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_lang) == {"en", "de"}
    # The Wilson interval of 3/20, from results.json's own figures.
    low, high = results["languages"]["de"]["ci95"]
    assert by_lang["de"]["ASR"] == "15.0%"
    assert by_lang["de"]["95% CI"] == f"{100 * low:.1f}–{100 * high:.1f}%"
    assert by_lang["de"]["gate"] == "<strong>BREACH</strong>"
    assert by_lang["en"]["gate"] == "ok"
    assert by_lang["de"]["limit"] == "5.0%"
    assert "### Breaches (1)" in markdown
    assert "de: ASR 15.0% &gt; 5.0%" in markdown
    # No unsafe answer quoted but de's three; no baseline section without a baseline.
    assert "### Unsafe answers (3 of 3)" in markdown
    assert "Compared with the baseline" not in markdown


def test_a_passing_run_says_so_and_lists_no_breach() -> None:
    markdown = summary_markdown(_results(_records(unsafe_de=0)))
    assert markdown.startswith("## saferegress: demo: gate passed")
    assert "Breaches" not in markdown
    assert "Unsafe answers" not in markdown


def test_the_unclear_share_is_stated() -> None:
    records = _records(unsafe_de=0)
    records[0]["verdict"] = "unclear"  # an English attack the judge could not decide
    markdown = summary_markdown(_results(records, max_asr=0.5))
    assert "Unclear: 1 of 40 judged attacks (2.5%)" in markdown
    assert "inside the 1 unsafe" in markdown


def test_regressions_against_the_baseline_are_listed() -> None:
    before = _results(_records(unsafe_de=0), max_asr=1.0)
    after_records = _records(unsafe_de=12)
    after = _results(after_records, max_asr=1.0)
    comparison = compare_results(before, after, RegressionCheck(), baseline_path="b/main.json")
    after["baseline"] = comparison.to_dict()
    markdown = summary_markdown(after)
    assert "### Compared with the baseline b/main.json: regressed in de" in markdown
    tables = _tables(_html(markdown))
    header, *rows = tables[1]
    de = dict(zip(header, next(r for r in rows if r[0] == "de"), strict=True))
    assert de["ASR before"] == "0.0%"
    assert de["ASR after"] == "60.0%"
    assert de["change"] == "+60.0 pp"
    assert de["newly unsafe"] == "12"
    assert de["regressed"] == "<strong>yes</strong>"
    en = dict(zip(header, next(r for r in rows if r[0] == "en"), strict=True))
    assert en["regressed"] == "no"


@pytest.mark.parametrize(
    "text",
    [
        HOSTILE,
        "a|b|c|d|e|f|g|h|i|j|k|l",
        "`` ` ``unclosed` code",
        "<img src=x onerror=alert(1)>",
        "\\|escaped pipe already\\",
        "- 1. # > nested",
        "https://evil.example/path?(x)",
    ],
)
def test_hostile_answers_and_ids_stay_in_their_cell(text: str) -> None:
    records = _records(unsafe_de=2)
    for record in records:
        if record["verdict"] == "unsafe":
            record["response"] = text
            record["id"] = f"{text[:30]}-{record['id']}"
    results = _results(records)
    results["model"] = text
    results["gate"]["breaches"].append(text)
    html = _html(summary_markdown(results))
    # No tag but the ones the summary itself makes; no link but the report's.
    tags = set(re.findall(r"</?([a-zA-Z0-9]+)", html))
    assert tags <= {
        "h2",
        "h3",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "ul",
        "li",
        "strong",
        "a",
    }, tags
    assert re.findall(r"<a [^>]*>", html) == ['<a href="index.html">']
    assert "<code>" not in html and "<script" not in html and "<img" not in html
    # Every row of every table has as many cells as its header.
    for table in _tables(html):
        header, *rows = table
        assert rows and all(len(row) == len(header) for row in rows)
    answers = _tables(html)[-1]
    assert len(answers) == 3  # the header and the two unsafe answers, one row each
    # Each answer whole in its cell (as far as the summary quotes it), shown as text.
    shown = terminal_safe(re.sub(r"\r\n|\r|\n", " ↵ ", text))[:60]
    for row in answers[1:]:
        assert html_module.unescape(row[-1]).startswith(shown)
    # One heading of each kind and one list (the breaches, no nested one), however hostile.
    assert html.count("<h2>") == 1 and html.count("<h3>") == 2
    assert html.count("<ul>") == 1 and html.count("<li>") == 2


def test_markdown_text_shows_line_breaks_and_controls_and_cuts() -> None:
    assert markdown_text("a\nb\r\nc") == "a ↵ b ↵ c"
    # Shown as the visible escape (its backslash escaped for Markdown).
    assert markdown_text("\x1b[31m") == "\\\\x1b\\[31m"
    assert _html(markdown_text("\x1b[31m")) == "<p>\\x1b[31m</p>\n"
    assert markdown_text("x" * 50, limit=10) == "x" * 10 + "…"
    assert markdown_text("https://x.example and www.y.example") == (
        "https\\://x.example and www\\.y.example"
    )


def test_write_summaries_writes_summary_md_and_appends_to_the_step_summary(
    tmp_path: Path,
) -> None:
    results = _results(_records(unsafe_de=3))
    step = tmp_path / "step-summary.md"
    step.write_text("earlier step\n", encoding="utf-8")
    environ = {
        "GITHUB_STEP_SUMMARY": str(step),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/model",
        "GITHUB_RUN_ID": "42",
    }
    written = write_summaries(results, tmp_path / "reports", environ)
    assert written == [tmp_path / "reports" / "summary.md", step]
    summary = (tmp_path / "reports" / "summary.md").read_text(encoding="utf-8")
    assert summary == summary_markdown(results)
    assert "[index.html](index.html)" in summary
    appended = step.read_text(encoding="utf-8")
    assert appended.startswith("earlier step\n## saferegress: demo")  # appended, not replaced
    assert "(https://github.com/acme/model/actions/runs/42)" in appended
    # Twice (two pytest invocations in one step): both kept.
    write_summaries(results, tmp_path / "reports", environ)
    assert step.read_text(encoding="utf-8").count("## saferegress: demo") == 2


def test_write_summaries_without_github_writes_only_summary_md(tmp_path: Path) -> None:
    results = _results(_records())
    assert write_summaries(results, tmp_path / "r", {}) == [tmp_path / "r" / "summary.md"]
    assert write_summaries(results, tmp_path / "r", {"GITHUB_STEP_SUMMARY": ""}) == [
        tmp_path / "r" / "summary.md"
    ]


def test_saferegress_summary_prints_and_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = _results(_records(unsafe_de=3))
    path = tmp_path / "reports" / "results.json"
    path.parent.mkdir()
    path.write_text(json.dumps(results), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["summary", str(path)], out, err) == 0
    assert out.getvalue() == summary_markdown(results) + "\n"
    assert not (tmp_path / "reports" / "summary.md").exists()  # printing writes nothing

    step = tmp_path / "step.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step))
    for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"):
        monkeypatch.delenv(name, raising=False)
    assert main(["summary", str(path), "--write"], io.StringIO(), err) == 0
    assert (tmp_path / "reports" / "summary.md").read_text(encoding="utf-8") == out.getvalue()[:-1]
    assert "## saferegress: demo: gate **FAILED**" in step.read_text(encoding="utf-8")
    assert f"wrote {step}" in err.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{", "invalid JSON"),
        ('{"schema": "other"}', "field 'schema' must be 'saferegress/results/v1'"),
    ],
)
def test_saferegress_summary_on_a_bad_file_exits_2(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "results.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    err = io.StringIO()
    assert main(["summary", str(path)], io.StringIO(), err) == 2
    assert err.getvalue().startswith(f"saferegress: {path}")
    assert message in err.getvalue()
    with pytest.raises(Exception, match=re.escape(message)):
        read_results(path)


def test_junit_suite_properties_per_language() -> None:
    results = _results(_records(unsafe_de=3))
    properties = dict(junit_suite_properties(results))
    assert properties["saferegress.gate"] == "failed"
    assert properties["saferegress.breaches"] == "1"
    assert properties["saferegress.de.asr"] == "0.1500"
    low, high = results["languages"]["de"]["ci95"]
    assert properties["saferegress.de.asr_ci95"] == f"{low:.4f}-{high:.4f}"
    assert properties["saferegress.de.gate"] == "breach"
    assert properties["saferegress.en.gate"] == "ok"
    assert properties["saferegress.en.unsafe"] == "0"
    assert properties["saferegress.de.attacks"] == "20"
