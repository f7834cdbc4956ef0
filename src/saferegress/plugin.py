"""The saferegress pytest plugin (``pytest11`` entry point).

Suite files (``*.jsonl`` under the configured suite folders, ``suites/`` by default, or named
on the command line) become one test item per case, with ids like ``de-S9-<id>`` and markers
``lang_de``, ``S9``, ``attack``/``benign``, ``style_<style>``. Items ask a per-process
``CaseRunner`` for their verdict; it generates and judges the whole pending selection in
batches. The verdict rides on the test report (``report.saferegress``), so the controller
tallies the same way with or without xdist, and gates the run the way pytest-cov gates
coverage: one line per breach and exit status 1, set after the test loop.

This module imports nothing heavy: models and guards are loaded by their factories, on first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from .cases import Case, parse_suite_file, suite_fingerprint
from .errors import ConfigError, SafeRegressError, SuiteError
from .languages import CATEGORIES, LANGUAGES
from .settings import (
    Settings,
    categories_type,
    languages_type,
    rate_type,
    read_pyproject_table,
    settings_from,
    styles_type,
    threshold_type,
)

SETTINGS_KEY = pytest.StashKey["Settings"]()
STATE_KEY = pytest.StashKey["RunState"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("saferegress", "saferegress: multilingual safety regression gate")
    add = group.addoption
    add("--model", dest="saferegress_model", metavar="SPEC", default=None,
        help="model under test: 'demo', a local HF checkpoint path or hf:PATH, openai:MODEL, "
             "py:MODULE:FACTORY")
    add("--lang", dest="saferegress_lang", metavar="LANGS", type=languages_type, default=None,
        help="languages to test: 'all' (default) or a comma list such as de,sl,lv")
    add("--category", dest="saferegress_category", metavar="CATS", type=categories_type,
        default=None, help="hazard categories: 'all' (default) or a comma list such as S1,S9")
    add("--style", dest="saferegress_style", metavar="STYLES", type=styles_type, default=None,
        help="attack styles: 'all' (default) or a comma list such as plain,role_play")
    add("--guard", dest="saferegress_guard", metavar="GUARDS", default=None,
        help="guards judging the answers, comma separated (default: refusal)")
    add("--max-asr", dest="saferegress_max_asr", metavar="RATE", type=threshold_type,
        action="append", default=None,
        help="highest attack success rate allowed per language, e.g. 5%%; per language: "
             "sl=20%%; may be repeated (default 10%%)")
    add("--max-over-refusal", dest="saferegress_max_over_refusal", metavar="RATE",
        type=rate_type, default=None,
        help="highest share of benign prompts refused per language (default 20%%)")
    add("--max-errors", dest="saferegress_max_errors", metavar="N", type=int, default=None,
        help="cases allowed to end without a verdict (timeouts, failed requests); default 0")
    add("--report-dir", dest="saferegress_report_dir", metavar="DIR", default=None,
        help="where results.json and the HTML reports go (default: reports)")
    add("--max-new-tokens", dest="saferegress_max_new_tokens", metavar="N", type=int,
        default=None, help="tokens generated per answer (default 64)")
    add("--batch-size", dest="saferegress_batch_size", metavar="N", type=int, default=None,
        help="prompts per generation batch for in-process models (default 64)")
    add("--base-url", dest="saferegress_base_url", metavar="URL", default=None,
        help="endpoint for openai: targets (default: $OPENAI_BASE_URL)")
    add("--concurrency", dest="saferegress_concurrency", metavar="N", type=int, default=None,
        help="concurrent requests for openai: targets (default 8)")
    add("--request-timeout", dest="saferegress_timeout", metavar="SECONDS", type=float,
        default=None, help="timeout of one request to an endpoint (default 60)")


def _config_table(config: pytest.Config) -> tuple[dict[str, Any], str]:
    candidates = []
    if config.inipath is not None and config.inipath.name == "pyproject.toml":
        candidates.append(config.inipath)
    candidates.append(config.rootpath / "pyproject.toml")
    for path in candidates:
        table = read_pyproject_table(path)
        if table:
            return table, str(path)
    return {}, str(candidates[-1])


def _build_settings(config: pytest.Config) -> Settings:
    option = config.option
    options = {
        name: getattr(option, f"saferegress_{name}", None)
        for name in ("model", "lang", "category", "style", "guard", "max_asr",
                     "max_over_refusal", "max_errors", "report_dir", "max_new_tokens",
                     "batch_size", "base_url", "concurrency", "timeout")
    }
    table, where = _config_table(config)
    return settings_from(options, table, where)


def pytest_configure(config: pytest.Config) -> None:
    for lang in LANGUAGES:
        config.addinivalue_line("markers", f"lang_{lang}: saferegress case in language {lang}")
    for code, name in CATEGORIES.items():
        config.addinivalue_line("markers", f"{code}: saferegress case in category {name}")
    config.addinivalue_line("markers", "attack: saferegress attack prompt")
    config.addinivalue_line("markers", "benign: saferegress benign look-alike prompt")
    try:
        settings = _build_settings(config)
    except ConfigError as exc:
        raise pytest.UsageError(f"saferegress: {exc}") from None
    from .guards import available_guards

    for name in settings.guards:
        if name.split(":", 1)[0] not in available_guards():
            raise pytest.UsageError(
                f"saferegress: unknown guard {name!r}; available: {', '.join(available_guards())}"
            )
    config.stash[SETTINGS_KEY] = settings
    state = RunState(config, settings)
    config.stash[STATE_KEY] = state
    config.pluginmanager.register(state, "saferegress-run")


def _is_suite_file(file_path: Path, config: pytest.Config) -> bool:
    """A ``.jsonl`` file is a suite when it lies under a configured suite folder, is named on
    the command line, or lies under a folder named on the command line while a model is set
    (without one, ``pytest tests/`` must not mistake test data files for suites)."""
    if file_path.suffix != ".jsonl":
        return False
    settings = config.stash[SETTINGS_KEY]
    resolved = file_path.resolve()
    roots = [(config.rootpath / s).resolve() for s in settings.suites]
    if any(resolved.is_relative_to(root) for root in roots):
        return True
    invocation = config.invocation_params.dir
    for arg in config.invocation_params.args:
        if not isinstance(arg, str) or arg.startswith("-"):
            continue
        named = (invocation / arg.split("::", 1)[0]).resolve()
        if resolved == named:
            return True
        if settings.model is not None and named.is_dir() and resolved.is_relative_to(named):
            return True
    return False


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _is_suite_file(file_path, parent.config):
        return SuiteFile.from_parent(parent, path=file_path)
    return None


class SuiteFile(pytest.File):
    """A JSONL suite file: one item per selected case."""

    def collect(self) -> Iterator[SafetyCase]:
        settings = self.config.stash[SETTINGS_KEY]
        try:
            shown = str(self.path.relative_to(self.config.rootpath))
        except ValueError:
            shown = str(self.path)
        cases, problems = parse_suite_file(self.path)
        if problems:
            first = problems[0]
            raise SuiteError(shown, first.line, first.field, first.message,
                             problems=[p.__class__(shown, p.line, p.field, p.message)
                                       for p in problems])
        for case in cases:
            if case.lang not in settings.languages:
                continue
            if settings.categories is not None and case.category not in settings.categories:
                continue
            if settings.styles is not None and case.style not in settings.styles:
                continue
            yield SafetyCase.from_parent(self, name=case.test_id, case=case)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, SuiteError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)  # type: ignore[return-value]


class SafetyCase(pytest.Item):
    """One suite case: its verdict is computed in a batch with the others."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.outcome: Any = None
        for marker in (f"lang_{case.lang}", case.category, case.kind):
            self.add_marker(marker)
        style_marker = "style_" + "".join(ch if ch.isalnum() else "_" for ch in case.style)
        self.config.addinivalue_line("markers", f"{style_marker}: saferegress attack style")
        self.add_marker(style_marker)

    def runtest(self) -> None:
        self.outcome = self.config.stash[STATE_KEY].outcome_for(self)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, self.case.test_id


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    cases = [item for item in items if isinstance(item, SafetyCase)]
    if not cases:
        return
    seen: dict[str, SafetyCase] = {}
    for item in cases:
        earlier = seen.setdefault(item.case.id, item)
        if earlier is not item:
            raise pytest.UsageError(
                f"saferegress: duplicate case id {item.case.id!r} in "
                f"{item.case.path}:{item.case.line} (first in {earlier.case.path}:{earlier.case.line})"
            )
    if config.stash[SETTINGS_KEY].model is None and not config.option.collectonly:
        raise pytest.UsageError(
            f"saferegress: {len(cases)} safety cases were collected but no model was given; "
            "pass --model SPEC (e.g. --model demo) or set model in [tool.saferegress]"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if call.when == "call" and isinstance(item, SafetyCase) and item.outcome is not None:
        record = item.outcome.to_record()
        report.saferegress = record
        for name in ("lang", "category", "kind", "style", "verdict"):
            report.user_properties.append((name, record[name]))
    return report


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Any:
    record = getattr(report, "saferegress", None)
    if record is None or report.when != "call" or not report.passed:
        return None
    verdict = record["verdict"]
    if verdict == "unsafe":
        return "unsafe", "U", ("UNSAFE", {"yellow": True})
    if verdict == "error":
        return "no verdict", "!", ("NO VERDICT", {"red": True})
    if verdict == "refused" and record["kind"] == "benign":
        return "over-refused", "R", ("OVER-REFUSED", {"yellow": True})
    return None


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


@dataclass(eq=False)  # registered as a plugin: must stay hashable
class RunState:
    """Per-process state of a run: the batch runner (workers) and the results (controller)."""

    config: pytest.Config
    settings: Settings
    started: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    results: dict[str, Any] | None = None
    gate: Any = None
    results_path: Path | None = None
    report_index: Path | None = None
    records: list[dict[str, Any]] = field(default_factory=list)
    _runner: Any = None
    _outcomes: dict[str, Any] = field(default_factory=dict)
    _order: dict[str, int] | None = None

    # -- hooks (registered per config, so nested pytester runs keep their own state) ------

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = getattr(report, "saferegress", None)
        if record is not None and report.when == "call":
            self.records.append(record)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Any:
        try:
            return (yield)
        finally:
            self.close()
            if not _is_worker(self.config) and self.records:
                self.finish(self.records)
                if not self.gate.passed:
                    # As pytest-cov does: a failed gate fails the run without raising.
                    session.testsfailed += 1

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.results is None:
            return
        from .report import language_table

        write = terminalreporter.write_line
        terminalreporter.write_sep("=", f"saferegress: {self.results['model']}")
        for line in language_table(self.results).splitlines():
            write(line)
        write("")
        if self.gate.passed:
            write("saferegress gate passed", green=True)
        for line in self.gate.breaches:
            write(f"FAIL saferegress {line}", red=True, bold=True)
        write(f"results: {self.results_path}; reports: {self.report_index}")

    # -- worker side: batched generation and judging -------------------------------------

    def _get_runner(self) -> Any:
        if self._runner is None:
            from .backends import load_target
            from .guards import load_guard
            from .runner import CaseRunner

            settings = self.settings
            guards = [load_guard(name) for name in settings.guards]
            model = settings.model or ""
            self._runner = CaseRunner(lambda: load_target(model, settings.target), guards)
        return self._runner

    def _pending_batch(self, item: SafetyCase) -> list[Case]:
        items = [i for i in item.session.items if isinstance(i, SafetyCase)]
        if self._order is None:
            self._order = {i.case.id: n for n, i in enumerate(items)}
        start = self._order.get(item.case.id, 0)
        # Alone, this process runs every selected case: batch all that remain. Under xdist the
        # controller hands out items as it goes, so batch only a window of what follows.
        limit = self.settings.target.batch_size if _is_worker(self.config) else len(items)
        batch = [item.case]
        for other in items[start + 1:]:
            if len(batch) >= limit:
                break
            if other.case.id not in self._outcomes:
                batch.append(other.case)
        return batch

    def outcome_for(self, item: SafetyCase) -> Any:
        outcome = self._outcomes.pop(item.case.id, None)
        if outcome is not None:
            return outcome
        batch = self._pending_batch(item)
        try:
            outcomes = self._get_runner().run(batch)
        except SafeRegressError as exc:
            # The model or a guard cannot be used at all: no point trying the other cases.
            pytest.exit(f"saferegress: {exc}", returncode=pytest.ExitCode.USAGE_ERROR)
        for outcome in outcomes:
            self._outcomes[outcome.case.id] = outcome
        return self._outcomes.pop(item.case.id)

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()
            self._runner = None

    # -- controller side: results, gate, reports ------------------------------------------

    def finish(self, records: list[dict[str, Any]]) -> None:
        from .report import write_html_reports
        from .results import build_results, evaluate_gate, write_results

        settings = self.settings
        self.gate = evaluate_gate(records, settings)
        self.results = build_results(
            records, settings,
            model=settings.model or "",
            guards=settings.guards,
            started=self.started,
            finished=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            suite_fingerprint=suite_fingerprint(records),
            gate=self.gate,
        )
        report_dir = self.config.invocation_params.dir / settings.report_dir
        self.results_path = report_dir / "results.json"
        write_results(self.results, self.results_path)
        self.report_index = write_html_reports(self.results, report_dir)[0]
