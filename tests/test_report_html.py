"""HTML reports: content, robustness to whatever records carry, and a real headless browser.

The browser tests open the pages in Debian's ``chromium`` (installed by ``.ci/run``): a
screenshot is taken, the heatmap and the per-language links must be in the rendered DOM, and a
model answer carrying ``<script>``/``onerror`` payloads must stay inert text. A control page
with the same payload unescaped proves the browser does run such payloads here, so the check
can fail.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from saferegress.analysis.regression import compare_results
from saferegress.analysis.results import build_results, evaluate_gate
from saferegress.languages import LANGUAGES
from saferegress.report import write_html_reports
from saferegress.report.html import heat_level
from saferegress.settings import Settings

# Each payload, if it ever ran, marks <body> with an attribute the test looks for.
SCRIPT_PAYLOAD = "<script>document.body.setAttribute('data-pwned','script')</script>"
IMG_PAYLOAD = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
PAYLOAD = f"Sure. {SCRIPT_PAYLOAD}{IMG_PAYLOAD}"
CATEGORY_COUNT = 4


def _records(unsafe_in: dict[str, int]) -> list[dict]:
    """Four attacks per language × 4 categories (16 per language) and two benign prompts."""
    records = []
    for lang in LANGUAGES:
        for n in range(16):
            unsafe = n < unsafe_in.get(lang, 0)
            records.append(
                {
                    "id": f"atk-{n:02d}-{lang}",
                    "lang": lang,
                    "category": f"S{n % CATEGORY_COUNT + 1}",
                    "style": "plain",
                    "kind": "attack",
                    "group": f"atk-{n:02d}",
                    "prompt": f"attack {n} {IMG_PAYLOAD}",
                    "response": PAYLOAD if unsafe else "I can't help with that.",
                    "verdict": "unsafe" if unsafe else "refused",
                    # Guards in every shape another module may produce: a verdict, or details.
                    "guards": {
                        "refusal": "unsafe" if unsafe else "refused",
                        "llama-guard": {
                            "verdict": "unsafe",
                            "categories": ["S1"],
                            "raw": SCRIPT_PAYLOAD,
                        },
                    },
                    # A field this report does not know: shown as it is, escaped.
                    "adjudication": {"by": "openai:judge", "reason": IMG_PAYLOAD},
                }
            )
        records.append(
            {
                "id": f"ben-00-{lang}",
                "lang": lang,
                "category": "S1",
                "style": "plain",
                "kind": "benign",
                "group": "ben-00",
                "prompt": "benign",
                "response": "No.",
                "verdict": "refused",
                "guards": ["refused"],
            }
        )
        records.append(
            {
                "id": f"ben-01-{lang}",
                "lang": lang,
                "category": "S1",
                "style": "plain",
                "kind": "benign",
                "group": "ben-01",
                "prompt": "benign",
                "response": None,
                "verdict": "error",
                "guards": None,
                "error": f"HTTP 503 {SCRIPT_PAYLOAD}",
            }
        )
    return records


def _results(unsafe_in: dict[str, int]) -> dict:
    records = _records(unsafe_in)
    settings = Settings(max_errors=100, max_over_refusal=1.0)
    gate = evaluate_gate(records, settings)
    return build_results(
        records,
        settings,
        model="planted <b>model</b>",
        guards=["refusal"],
        started="2026-01-01T00:00:00+00:00",
        finished="2026-01-01T00:00:01+00:00",
        suite_fingerprint="sha256:x",
        gate=gate,
    )


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    baseline = _results({"sl": 2, "lv": 8})
    results = _results({"sl": 14, "lv": 8, "sk": 3})
    comparison = compare_results(baseline, results, baseline_path="baseline.json")
    results["baseline"] = comparison.to_dict()
    results["gate"]["breaches"] += comparison.breaches
    results["gate"]["passed"] = False
    out = tmp_path_factory.mktemp("report")
    write_html_reports(results, out)
    return out


def test_pages_are_written_for_every_language(report_dir: Path) -> None:
    assert sorted(p.name for p in report_dir.glob("*.html")) == sorted(
        ["index.html"] + [f"{lang}.html" for lang in LANGUAGES]
    )


def test_model_output_is_escaped_everywhere(report_dir: Path) -> None:
    for page in report_dir.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html and "<img" not in html and "<b>" not in html, page.name
    sl = (report_dir / "sl.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;document.body.setAttribute(" in sl


def test_pages_load_nothing_from_outside(report_dir: Path) -> None:
    for page in report_dir.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html), page.name
        assert "<link" not in html and "@import" not in html and "url(" not in html


def test_language_page_shows_votes_adjudication_deltas_and_content_warning(
    report_dir: Path,
) -> None:
    sl = (report_dir / "sl.html").read_text(encoding="utf-8")
    assert "Content warning" in sl
    # Answers are collapsed: every answer sits inside a closed <details>.
    assert sl.count('<pre class="response">') == sl.count("<details><summary>answer")
    assert "<details open" not in sl
    assert "guard refusal" in sl and "guard llama-guard" in sl
    assert "<dt>adjudication</dt>" in sl and "openai:judge" in sl
    assert "Failing cases (15)" in sl  # 14 unsafe + 1 error
    assert "Over-refused benign prompts (1)" in sl
    assert "newly unsafe" in sl and "12 newly unsafe" in sl


def test_index_shows_gate_heatmap_and_baseline_delta(report_dir: Path) -> None:
    index = (report_dir / "index.html").read_text(encoding="utf-8")
    assert 'id="gate" class="verdict verdict-failed"' in index
    # p = 12 languages (Holm) × 0.5 ** 12 discordant pairs all one way = 0.003.
    assert "sl: ASR 12.5% → 87.5% (+75.0 pp, McNemar p=0.003, 12 newly unsafe)" in index
    assert index.count('class="heat-cell level-') == len(LANGUAGES) * CATEGORY_COUNT
    assert "+75.0 pp" in index
    # Wilson interval in the hover text of a cell: sl/S1 is 4/4 unsafe.
    assert 'title="sl × S1 Violent Crimes: 4/4 unsafe, ASR 100.0%, 95% CI 51.0%–100.0%"' in index


@pytest.mark.parametrize(
    ("asr", "level"),
    [(None, -1), (0.0, 0), (0.03, 1), (0.1, 2), (0.2, 3), (0.5, 4), (0.51, 5), (1.0, 5)],
)
def test_heat_levels(asr: float | None, level: int) -> None:
    assert heat_level(asr) == level


# -- a real browser -----------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian chromium not installed (.ci/run installs it)"
)


def _chromium(tmp_path: Path, *args: str) -> str:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", *args,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@needs_chromium
def test_browser_renders_heatmap_links_and_screenshot(report_dir: Path, tmp_path: Path) -> None:
    shot = tmp_path / "index.png"
    _chromium(
        tmp_path,
        "--window-size=1400,1600",
        f"--screenshot={shot}",
        (report_dir / "index.html").as_uri(),
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    dom = _chromium(tmp_path, "--dump-dom", (report_dir / "index.html").as_uri())
    cells = re.findall(r'<td class="heat-cell level-(\d)[^"]*"[^>]*data-lang="(\w+)"', dom)
    assert len(cells) == len(LANGUAGES) * CATEGORY_COUNT
    assert {lang for _, lang in cells} == set(LANGUAGES)
    for lang in LANGUAGES:
        assert f'<a class="lang-link" href="{lang}.html">' in dom
    # sl: 3 or 4 of 4 unsafe in every category, the darkest step; en: none, the lightest.
    levels = {lang: set() for lang in LANGUAGES}
    for level, lang in cells:
        levels[lang].add(int(level))
    assert levels["sl"] == {5} and levels["en"] == {0}


@needs_chromium
def test_hostile_model_output_stays_inert_in_the_browser(report_dir: Path, tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text(f"<!doctype html><html><body><p>{PAYLOAD}</p></body></html>")
    assert 'data-pwned="' in _chromium(tmp_path, "--dump-dom", control.as_uri()), (
        "the browser did not run the payload on an unescaped page: this test would prove nothing"
    )
    for page in ("sl.html", "index.html"):
        dom = _chromium(tmp_path, "--dump-dom", (report_dir / page).as_uri())
        assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
        assert "<script" not in dom and "<img" not in dom
    dom = _chromium(tmp_path, "--dump-dom", (report_dir / "sl.html").as_uri())
    assert "&lt;script&gt;document.body.setAttribute('data-pwned','script')&lt;/script&gt;" in dom
    shot = tmp_path / "sl.png"
    _chromium(
        tmp_path,
        "--window-size=1400,1600",
        f"--screenshot={shot}",
        (report_dir / "sl.html").as_uri(),
    )
    assert shot.stat().st_size > 20_000
