"""A rerun whose results did not change keeps the language pages it wrote last time (issue 17
item 3): the files on disk are exactly what rendering them again would write; a deleted or
edited page, a changed result or a changed template renders again; the index (it shows the
run's start time) is rendered every run; ``--no-cache`` keeps no digests and renders all."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest

from saferegress.report import html
from saferegress.report.html import write_html_reports
from test_fixed_costs import report_results
from test_plugin import PLANTED_TARGET, write_suite


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates rendered, in order."""
    names: list[str] = []
    real = jinja2.Template.render

    def render(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        names.append(str(self.name))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", render)
    return names


def _later(results: dict) -> dict:
    """The same results from a later run: only the timestamps differ."""
    again = copy.deepcopy(results)
    again["started"], again["finished"] = "2026-02-02T00:00:00+00:00", "2026-02-02T00:00:05+00:00"
    return again


def _pages(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.html"))}


def test_unchanged_language_pages_are_kept_as_a_full_render_would_write_them(
    tmp_path: Path, rendered: list[str]
) -> None:
    results = report_results()
    digests = tmp_path / "cache" / "report-pages.json"
    write_html_reports(results, tmp_path / "r", page_digests=digests)
    assert rendered == ["index.html", "language.html", "language.html"]
    assert digests.is_file()
    rendered.clear()
    later = _later(results)
    written = write_html_reports(later, tmp_path / "r", page_digests=digests)
    assert rendered == ["index.html"]  # the index shows the new start time
    assert [p.name for p in written] == ["index.html", "en.html", "de.html"]
    write_html_reports(later, tmp_path / "full")  # no digests: everything rendered
    assert _pages(tmp_path / "r") == _pages(tmp_path / "full")
    assert b"2026-02-02T00:00:00" in (tmp_path / "r" / "index.html").read_bytes()


@pytest.mark.parametrize("damage", ["delete", "edit"])
def test_a_deleted_or_edited_page_is_rendered_again(
    tmp_path: Path, rendered: list[str], damage: str
) -> None:
    results = report_results()
    digests = tmp_path / "report-pages.json"
    write_html_reports(results, tmp_path / "r", page_digests=digests)
    page = tmp_path / "r" / "de.html"
    expected = page.read_bytes()
    if damage == "delete":
        page.unlink()
    else:
        page.write_bytes(expected.replace(b"</html>", b"<!-- edited --></html>"))
    rendered.clear()
    write_html_reports(_later(results), tmp_path / "r", page_digests=digests)
    assert rendered == ["index.html", "language.html"]  # de only
    assert page.read_bytes() == expected
    rendered.clear()
    write_html_reports(_later(results), tmp_path / "r", page_digests=digests)
    assert rendered == ["index.html"]  # and then kept again


def test_a_changed_result_renders_the_pages_again(tmp_path: Path, rendered: list[str]) -> None:
    results = report_results()
    digests = tmp_path / "report-pages.json"
    write_html_reports(results, tmp_path / "r", page_digests=digests)
    changed = _later(results)
    case = next(c for c in changed["cases"] if c["lang"] == "de" and c["verdict"] == "unsafe")
    case["response"] = "a different answer"
    rendered.clear()
    write_html_reports(changed, tmp_path / "r", page_digests=digests)
    # Results are hashed whole (an index figure may appear on any page): both pages again.
    assert rendered == ["index.html", "language.html", "language.html"]
    assert b"a different answer" in (tmp_path / "r" / "de.html").read_bytes()


def test_a_changed_template_renders_the_pages_again(
    tmp_path: Path, rendered: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    results = report_results()
    digests = tmp_path / "report-pages.json"
    write_html_reports(results, tmp_path / "r", page_digests=digests)
    templates = tmp_path / "templates"
    shutil.copytree(html._TEMPLATES, templates)
    macros = templates / "_macros.html"
    macros.write_text(macros.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setattr(html, "_TEMPLATES", templates)
    rendered.clear()
    write_html_reports(_later(results), tmp_path / "r", page_digests=digests)
    assert rendered == ["index.html", "language.html", "language.html"]


def test_a_language_template_that_shows_the_start_time_renders_every_run(
    tmp_path: Path, rendered: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The per-run timestamps stay out of a page's digest only while no language-page template
    mentions them."""
    templates = tmp_path / "templates"
    shutil.copytree(html._TEMPLATES, templates)
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "{# results.started #}\n", encoding="utf-8")
    monkeypatch.setattr(html, "_TEMPLATES", templates)
    results = report_results()
    digests = tmp_path / "report-pages.json"
    write_html_reports(results, tmp_path / "r", page_digests=digests)
    rendered.clear()
    write_html_reports(_later(results), tmp_path / "r", page_digests=digests)
    assert rendered == ["index.html", "language.html", "language.html"]


def test_a_cached_rerun_keeps_the_pages_and_no_cache_keeps_no_digests(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(planted_target=PLANTED_TARGET)
    pytester.syspathinsert()
    write_suite(pytester.path / "suites" / "s.jsonl", attacks_per_lang=2, benign_per_lang=1)
    args = ("suites", "--model", "py:planted_target:make", "--max-asr", "100%")
    assert pytester.runpytest(*args).ret == 0
    reports = pytester.path / "reports"
    first = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in reports.glob("*.html")}
    assert (pytester.path / ".saferegress-cache" / "report-pages.json").is_file()
    assert pytester.runpytest(*args).ret == 0
    second = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in reports.glob("*.html")}
    languages = sorted(set(first) - {"index.html"})
    assert languages
    assert {name: second[name] for name in languages} == {name: first[name] for name in languages}

    fresh = pytester.path / "fresh"
    fresh.mkdir()
    shutil.copytree(pytester.path / "suites", fresh / "suites")
    shutil.copy(pytester.path / "planted_target.py", fresh)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(fresh)
        assert pytester.runpytest(*args, "--no-cache").ret == 0
    assert (fresh / "reports" / "index.html").is_file()
    assert not (fresh / ".saferegress-cache").exists()
