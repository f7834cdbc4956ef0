"""What a run costs once, whatever its size (issue 17): the results file written by JSON's C
encoder, the language pages rendered without a template call per case, and a process with
suite items ending without the interpreter's collections walking them. Speed itself is
measured by ``bench/overhead.py``; these tests pin what the fast paths must keep."""

from __future__ import annotations

import gc
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from saferegress import report
from saferegress.analysis.results import build_results, evaluate_gate, results_text, write_results
from saferegress.engine import heap
from saferegress.engine.runner import DeferredGuard
from saferegress.report import html
from saferegress.report.html import write_html_reports
from saferegress.settings import Settings
from saferegress.suite.cases import parse_suite_file
from test_plugin import PLANTED_TARGET, results_of, write_suite

# Registered before any suite file is collected (a conftest is imported first), so it runs
# after saferegress's exit hook (atexit runs last registered first) and sees what it did.
FREEZE_PROBE_CONFTEST = """
import atexit, gc, os

def _probe():
    with open(os.environ["FREEZE_PROBE"], "w") as out:
        out.write(str(gc.get_freeze_count()))

atexit.register(_probe)
"""


def _results(cases: list[dict]) -> dict:
    return {
        "schema": "saferegress/results/v1",
        "model": "m",
        "totals": {"cases": len(cases), "ci95": [0.0, 1.0]},
        "languages": {"en": {"n": len(cases), "nested": {"a": [1, 2], "b": "x\ny"}}},
        "cases": cases,
        "mutations": [],
        "empty": {},
        "note": None,
    }


def test_results_text_is_the_same_json_with_one_case_per_line() -> None:
    cases = [
        {"id": f"c{i}", "lang": "en", "prompt": 'é \u202e\n"quoted" </script>', "n": i}
        for i in range(5)
    ]
    results = _results(cases)
    text = results_text(results)
    assert json.loads(text) == results
    assert text.endswith("}\n")
    lines = text.splitlines()
    # Every case on a line of its own, indented under "cases"; nothing else is squeezed.
    for case in cases:
        assert f"    {json.dumps(case, ensure_ascii=False)}," in lines or (
            f"    {json.dumps(case, ensure_ascii=False)}" in lines
        )
    assert '  "languages": {' in lines
    assert '    "en": {' in lines
    assert '  "mutations": [],' in lines
    assert results_text({}) == "{}\n"


def test_write_results_writes_results_text(tmp_path: Path) -> None:
    results = _results([{"id": "a", "lang": "en"}, {"id": "b", "lang": "en"}])
    path = tmp_path / "deep" / "results.json"
    write_results(results, path)
    assert path.read_text(encoding="utf-8") == results_text(results)
    assert [p.name for p in path.parent.iterdir()] == ["results.json"]  # no temporary left


def test_a_case_in_several_lists_is_shown_in_each(tmp_path: Path) -> None:
    """The language page builds a case's view once and lists it wherever it belongs."""
    case = {
        "id": "c1",
        "lang": "de",
        "category": "S1",
        "style": "plain",
        "kind": "attack",
        "prompt": "<b>p</b>",
        "response": "<script>alert(1)</script>",
        "verdict": "unsafe",
        "guards": {"refusal": "unsafe"},
        "detected_language": "en",
    }
    results = _results_of([case])
    write_html_reports(results, tmp_path)
    page = (tmp_path / "de.html").read_text(encoding="utf-8")
    failing = page.split('<div id="failing">', 1)[1].split("<h2>", 1)[0]
    other = page.split('<div id="other-language">', 1)[1].split("<h2>", 1)[0]
    for section in (failing, other):
        assert 'id="case-c1"' in section
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert "<script>" not in page
    over = page.split('<div id="over-refused">', 1)[1].split("<h2>", 1)[0]
    assert "<p>None.</p>" in over


def test_freeze_at_exit_leaves_the_running_process_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    registered = []
    monkeypatch.setattr(heap, "_freeze_at_exit_registered", False)
    monkeypatch.setattr(heap.atexit, "register", registered.append)
    before = gc.get_freeze_count()
    heap.freeze_at_exit()
    heap.freeze_at_exit()
    assert registered == [gc.freeze]  # once a process, and only when it exits
    assert gc.get_freeze_count() == before


@pytest.mark.parametrize("with_cases", [True, False])
def test_a_process_with_suite_items_freezes_its_heap_at_exit(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, with_cases: bool
) -> None:
    pytester.makeconftest(FREEZE_PROBE_CONFTEST)
    probe = pytester.path / "freeze-count"
    pytester.makepyfile(test_other="def test_plain():\n    pass\n")
    if with_cases:
        pytester.makepyfile(planted_target=PLANTED_TARGET)
        write_suite(pytester.path / "suites" / "s.jsonl", attacks_per_lang=1, benign_per_lang=0)
        args = ["suites", "test_other.py", "--model", "py:planted_target:make"]
        args += ["--max-asr", "100%", "--lang", "en,de"]
    else:
        args = ["test_other.py"]
    monkeypatch.setenv("FREEZE_PROBE", str(probe))
    monkeypatch.setenv("PYTHONPATH", str(pytester.path))
    result = pytester.runpytest_subprocess(*args, "-p", "no:cacheprovider")
    assert result.ret == 0, result.stdout.str()
    frozen = int(probe.read_text())
    if with_cases:
        assert frozen > 0
        assert results_of(pytester)["totals"]["cases"] == 2
    else:
        assert frozen == 0


def test_gc_paused_nests_across_threads_and_restores_the_collector() -> None:
    assert gc.isenabled()
    inside = threading.Event()
    leave = threading.Event()

    def other() -> None:
        with heap.gc_paused():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    with heap.gc_paused():
        thread.start()
        assert inside.wait(10)
        with heap.gc_paused():
            assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's block is still open
    leave.set()
    thread.join()
    assert gc.isenabled()
    gc.disable()
    try:
        with heap.gc_paused():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), heap.gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_the_judge_is_built_with_the_collector_paused() -> None:
    seen = []

    def build() -> Any:
        seen.append(gc.isenabled())
        return object()

    background = DeferredGuard("refusal", build)
    background.prepare()
    background.guard()
    DeferredGuard("refusal", build).guard()  # built on the first judging call
    assert seen == [False, False]
    assert gc.isenabled()


def test_results_and_reports_are_built_with_the_collector_paused_and_cached_templates(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(planted_target=PLANTED_TARGET)
    pytester.syspathinsert()
    write_suite(pytester.path / "suites" / "s.jsonl", attacks_per_lang=2, benign_per_lang=1)
    seen = []
    real = report.write_html_reports

    def recording(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(report, "write_html_reports", recording)
    result = pytester.runpytest("suites", "--model", "py:planted_target:make", "--max-asr", "100%")
    assert result.ret == 0, result.stdout.str()
    assert seen == [False]
    assert gc.isenabled()
    # The run's cache folder keeps the compiled report templates for the next run.
    assert any((pytester.path / ".saferegress-cache" / "report-templates").iterdir())


def test_compiled_templates_are_kept_in_the_cache_folder(tmp_path: Path) -> None:
    results = report_results()
    plain = write_html_reports(results, tmp_path / "plain")
    cache = tmp_path / "cache" / "report-templates"
    first = write_html_reports(results, tmp_path / "first", template_cache=cache)
    assert sorted(p.name for p in cache.iterdir())  # index and language page, compiled
    # A fresh environment (a new process) loads them instead of compiling: the same pages.
    html._environment.cache_clear()
    loads = []
    real_load = html._TemplateCache.load_bytecode

    def counting(self: Any, bucket: Any) -> None:
        real_load(self, bucket)
        loads.append(bucket.code is not None)

    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(html._TemplateCache, "load_bytecode", counting)
            again = write_html_reports(results, tmp_path / "again", template_cache=cache)
    finally:
        html._environment.cache_clear()
    assert loads and all(loads)
    for a, b, c in zip(plain, first, again, strict=True):
        assert a.read_bytes() == b.read_bytes() == c.read_bytes()


def test_an_unwritable_template_cache_only_means_compiling(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    written = write_html_reports(report_results(), tmp_path / "r", template_cache=blocker / "t")
    assert written[0].name == "index.html"
    html._environment.cache_clear()


def report_results() -> dict:
    """Results of eight cases in two languages with markup in prompts and answers (also used by
    test_rerun_reports)."""
    records = [
        {
            "id": f"c{i}-{lang}",
            "lang": lang,
            "category": "S1",
            "style": "plain",
            "kind": "attack" if i else "benign",
            "prompt": f"<p>{i}",
            "response": "<b>answer</b>",
            "verdict": "unsafe" if i % 2 else "safe",
            "guards": {"refusal": "unsafe" if i % 2 else "safe"},
        }
        for lang in ("en", "de")
        for i in range(4)
    ]
    return _results_of(records)


def _results_of(records: list[dict]) -> dict:
    settings = Settings(max_errors=100, max_over_refusal=1.0)
    return build_results(
        records,
        settings,
        model="m",
        guards=["refusal"],
        started="2026-01-01T00:00:00+00:00",
        finished="2026-01-01T00:00:01+00:00",
        suite_fingerprint="sha256:x",
        gate=evaluate_gate(records, settings),
    )


def test_the_faster_suite_checks_say_what_they_said(tmp_path: Path) -> None:
    """One JSON decoder for every line and the id checks without a per-character loop: the
    same problems, in the same words (a BOM at the start of a later line included)."""
    base = '"lang":"en","category":"S1","kind":"attack","prompt":"x"'
    lines = [
        '{"id":"a b",' + base + "}",
        '\ufeff{"id":"b",' + base + "}",
        '{"id":"a::b",' + base + "}",
        '{"id":"a\\u00a0b",' + base + "}",
        '{"id":"a\\\\b",' + base + "}",
        '{"id":".ab",' + base + "}",
        '{"id":"ok","id":"x"}',
        '{"id":"fine-1",' + base + "}",
    ]
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cases, problems = parse_suite_file(path)
    assert [c.id for c in cases] == ["fine-1"]
    assert [(p.line, p.field, p.message) for p in problems] == [
        (1, "id", "must not contain whitespace or '::' (got 'a b')"),
        (2, None, "invalid JSON: Unexpected UTF-8 BOM (decode using utf-8-sig) (column 1)"),
        (3, "id", "must not contain whitespace or '::' (got 'a::b')"),
        (4, "id", "must not contain whitespace or '::' (got 'a\\xa0b')"),
        (5, "id", "must not look like a path ('/', '\\', leading '.') (got 'a\\\\b')"),
        (6, "id", "must not look like a path ('/', '\\', leading '.') (got '.ab')"),
        (7, "id", "is given twice in the object"),
    ]


def test_the_collector_is_paused_until_the_import_heap_is_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(heap, "_frozen", True)  # this process's real freeze is not repeated
    assert gc.isenabled()
    with heap.paused_until_import_frozen():
        assert not gc.isenabled()
        heap.freeze_import_heap()  # what a backend calls after its imports
        assert gc.isenabled()  # the weights load with the collector on
    assert gc.isenabled()
    with heap.paused_until_import_frozen():  # a target that never freezes
        with heap.paused_until_import_frozen():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with heap.gc_paused(), heap.paused_until_import_frozen():
        heap.freeze_import_heap()
        assert not gc.isenabled()  # another pause still holds
    assert gc.isenabled()


@pytest.mark.parametrize("in_process", [True, False])
def test_a_backend_target_loads_with_the_collector_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_process: bool
) -> None:
    import saferegress.backends as backends
    from saferegress.engine.runner import runner_for

    seen = []

    def loading(spec: str, options: Any) -> Any:
        seen.append(gc.isenabled())
        return object()

    monkeypatch.setattr(backends, "load_target", loading)
    spec = str(tmp_path) if in_process else "py:some_module:make"  # a folder: an hf checkpoint
    runner = runner_for(Settings(model=spec))
    runner.target  # noqa: B018 - loads it
    assert seen == [not in_process]
    assert gc.isenabled()
