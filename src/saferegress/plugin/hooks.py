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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from saferegress.errors import ConfigError, SafeRegressError, SuiteError
from saferegress.languages import CATEGORIES, LANGUAGES
from saferegress.plugin.options import (  # noqa: F401 (pytest_addoption is a hook)
    build_settings,
    pytest_addoption,
)
from saferegress.settings import Settings
from saferegress.suite.cases import Case, parse_suite_file, suite_fingerprint

SETTINGS_KEY = pytest.StashKey["Settings"]()
STATE_KEY = pytest.StashKey["RunState"]()
_STYLE_MARKERS_KEY = pytest.StashKey[set[str]]()


def pytest_configure(config: pytest.Config) -> None:
    for lang in LANGUAGES:
        config.addinivalue_line("markers", f"lang_{lang}: saferegress case in language {lang}")
    for code, name in CATEGORIES.items():
        config.addinivalue_line("markers", f"{code}: saferegress case in category {name}")
    config.addinivalue_line("markers", "attack: saferegress attack prompt")
    config.addinivalue_line("markers", "benign: saferegress benign look-alike prompt")
    config.addinivalue_line(
        "markers", "smoke: saferegress quick subset (every language × category)"
    )
    config.addinivalue_line(
        "markers", "split_train: saferegress case whose group is in the train split"
    )
    config.addinivalue_line(
        "markers", "split_test: saferegress case whose group is in the held-out test split"
    )
    try:
        settings = build_settings(config)
    except ConfigError as exc:
        raise pytest.UsageError(f"saferegress: {exc}") from None
    from saferegress.guards import available_guards

    for name in settings.guards:
        if name.split(":", 1)[0] not in available_guards():
            raise pytest.UsageError(
                f"saferegress: unknown guard {name!r}; available: {', '.join(available_guards())}"
            )
    config.stash[SETTINGS_KEY] = settings
    state = RunState(config, settings)
    config.stash[STATE_KEY] = state
    if not _is_worker(config):
        state.load_baseline_options()
    config.pluginmanager.register(state, "saferegress-run")
    config.addinivalue_line("markers", "mutation: saferegress mutation attack (--mutate)")
    config.addinivalue_line(
        "markers", "cross_language: saferegress intent group across languages (--cross-language)"
    )
    if settings.mutate:
        from saferegress.plugin.mutation_items import MutationPlugin

        config.pluginmanager.register(MutationPlugin(config), "saferegress-mutations")
    if settings.cross_language:
        from saferegress.plugin.cross_language import CrossLanguagePlugin

        config.pluginmanager.register(CrossLanguagePlugin(), "saferegress-cross-language")


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
            raise SuiteError(
                shown,
                first.line,
                first.field,
                first.message,
                problems=[p.__class__(shown, p.line, p.field, p.message) for p in problems],
            )
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
        registered = self.config.stash.setdefault(_STYLE_MARKERS_KEY, set())
        if style_marker not in registered:  # once per style, not once per case
            registered.add(style_marker)
            self.config.addinivalue_line("markers", f"{style_marker}: saferegress attack style")
        self.add_marker(style_marker)
        if case.split:
            self.add_marker(f"split_{case.split}")
        if case.smoke:
            self.add_marker("smoke")

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
    from saferegress.suite.cases import duplicate_ids

    for problem in duplicate_ids(item.case for item in cases):
        # file:line: field 'id': duplicate id 'x' (first at file:line)
        raise pytest.UsageError(f"saferegress: {problem}")
    if config.stash[SETTINGS_KEY].model is None and not config.option.collectonly:
        raise pytest.UsageError(
            f"saferegress: {len(cases)} safety cases were collected but no model was given; "
            "pass --model SPEC (e.g. --model demo) or set model in [tool.saferegress]"
        )
    if not config.stash[SETTINGS_KEY].keep_low_fidelity:
        # A garbled machine translation may not be the same attack any more: it counts
        # towards no ASR unless kept explicitly.
        flagged = {id(item) for item in cases if item.case.fidelity_flagged}
        if flagged:
            config.hook.pytest_deselected(items=[i for i in items if id(i) in flagged])
            items[:] = [item for item in items if id(item) not in flagged]
            reporter = config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_line(
                    f"saferegress: {len(flagged)} low-fidelity translation(s) deselected "
                    "(fidelity_flagged); --keep-low-fidelity runs them"
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
    if verdict == "unclear":  # counted against the model, shown apart
        return "unclear", "?", ("UNCLEAR", {"yellow": True})
    if verdict == "error":
        return "no verdict", "!", ("NO VERDICT", {"red": True})
    if verdict == "refused" and record["kind"] == "benign":
        return "over-refused", "R", ("OVER-REFUSED", {"yellow": True})
    return None


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _xdist_queue(config: pytest.Config) -> list[int] | None:
    """Indexes (into ``session.items``) of the items this xdist worker has been sent and not
    started: the one it has already taken as "next", then its queue. None when the running
    xdist keeps them elsewhere. Reads ``WorkerInteractor.torun`` (pytest-xdist 3.x)."""
    for plugin in config.pluginmanager.get_plugins():
        if type(plugin).__name__ != "WorkerInteractor":
            continue
        queue = getattr(plugin, "torun", None)
        if queue is None or not hasattr(queue, "lock"):
            return None
        with queue.lock() as pending:
            indexes = [i for i in pending if isinstance(i, int)]
        upcoming = getattr(plugin, "nextitem_index", None)
        if isinstance(upcoming, int):
            indexes.insert(0, upcoming)
        return indexes
    return None


@dataclass(eq=False)  # registered as a plugin: must stay hashable
class RunState:
    """Per-process state of a run: the batch runner (workers) and the results (controller)."""

    config: pytest.Config
    settings: Settings
    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    results: dict[str, Any] | None = None
    gate: Any = None
    results_path: Path | None = None
    report_index: Path | None = None
    records: list[dict[str, Any]] = field(default_factory=list)
    baseline_options: Any = None
    baseline: dict[str, Any] | None = None
    comparison: Any = None
    fix_report: Any = None
    #: Why this worker cannot judge at all (a model or guard that fails to load).
    _fatal: str | None = None
    fix_error: str | None = None
    _runner: Any = None
    _outcomes: dict[str, Any] = field(default_factory=dict)
    _order: dict[str, int] | None = None
    _done: set[str] = field(default_factory=set)

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
                if self.fix_requested() and not self.gate.passed:
                    self.run_fix()
                if not self.run_passed():
                    # As pytest-cov does: a failed gate fails the run without raising.
                    session.testsfailed += 1

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.results is None:
            return
        from saferegress.report import language_table
        from saferegress.safe_text import terminal_safe

        def write(line: str, **markup: Any) -> None:
            # Model output, suite and baseline files may reach these lines: no terminal control
            # sequence passes raw.
            terminalreporter.write_line(terminal_safe(line), **markup)

        terminalreporter.write_sep("=", terminal_safe(f"saferegress: {self.results['model']}"))
        for line in language_table(self.results).splitlines():
            write(line)
        write("")
        if self.results.get("quality"):
            from saferegress.report import quality_table

            for line in quality_table(self.results).splitlines():
                write(line)
            write("")
        from saferegress.analysis.agreement import agreement_lines

        for line in agreement_lines(self.results):
            write(line)
        from saferegress.plugin.cross_language import summary_lines

        for line in summary_lines(self.results.get("cross_language") or {}):
            write(line)
        if self.comparison is not None:
            from saferegress.analysis.regression import regression_table

            write(f"compared with baseline {self.comparison.baseline_path}:")
            for line in regression_table(self.comparison).splitlines():
                write(line)
            for note in self.comparison.notes:
                write(f"note: {note}", yellow=True)
            write("")
        if self.gate.passed:
            write("saferegress gate passed", green=True)
        for line in self.gate.breaches:
            write(f"FAIL saferegress {line}", red=True, bold=True)
        write(f"results: {self.results_path}; reports: {self.report_index}")
        if self.baseline_options.save_baseline is not None:
            write(f"baseline saved: {self.baseline_options.save_baseline}")
        self.write_fix_summary(write)

    # -- --fix: retrain on failures, prove on the held-out split --------------------------

    def fix_requested(self) -> bool:
        return self.settings.fix

    def run_passed(self) -> bool:
        """With --fix, the fixed model's held-out gate decides; without, this run's gate."""
        if self.fix_requested() and not self.gate.passed:
            return self.fix_report is not None and self.fix_report.passed
        return bool(self.gate.passed)

    def run_fix(self) -> None:
        from saferegress.engine.cache import ResultCache
        from saferegress.fixer.loop import capability_check, fix_model

        train_languages = self.settings.fix_train_lang  # checked at configure time
        report_dir = self.config.invocation_params.dir / self.settings.report_dir
        out = self.settings.fix_out
        out_dir = self.config.invocation_params.dir / out if out else report_dir / "fixed-model"
        cache_path = self._cache_path()
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")

        def log(message: str) -> None:
            if reporter is not None:
                reporter.write_line(f"saferegress --fix: {message}")

        try:
            self.fix_report = fix_model(
                model=self.settings.model or "",
                records=self.records,
                out=out_dir,
                settings=self.settings,
                report_dir=report_dir / "fix",
                train_languages=train_languages,
                open_cache=(lambda: ResultCache(cache_path)) if cache_path else None,
                capability=capability_check(),
                log=log,
            )
        except SafeRegressError as exc:
            self.fix_error = str(exc)
        self._record_fix()

    def _record_fix(self) -> None:
        """Add what --fix did to results.json (written before the fix ran), so CI tooling
        that reads the file sees why a run whose own gate failed may still have passed."""
        from saferegress.analysis.results import write_results

        report = self.fix_report
        if report is None:
            summary: dict[str, Any] = {"passed": False, "error": self.fix_error}
        else:
            summary = {
                "passed": report.passed,
                "fixed_checkpoint": str(report.fixed),
                "proof": report.files.get("proof"),
                "gate_after": {
                    "passed": not report.breaches_after,
                    "breaches": list(report.breaches_after),
                },
                "capability_passed": (report.capability or {}).get("passed"),
            }
        if self.results is not None and self.results_path is not None:
            self.results["fix"] = summary
            write_results(self.results, self.results_path)

    def write_fix_summary(self, write: Any) -> None:
        if not self.fix_requested():
            return
        if self.gate.passed:
            write("saferegress --fix: the gate passed, nothing to fix")
            return
        if self.fix_report is None:
            write(
                f"FAIL saferegress --fix: {self.fix_error or 'the fix did not run'}",
                red=True,
                bold=True,
            )
            return
        report = self.fix_report
        write(
            f"saferegress --fix: held-out (split: test) before → after, fixed checkpoint "
            f"{report.fixed}:"
        )
        for line in report.table().splitlines():
            write(line)
        from saferegress.fixer.loop import capability_line

        write(capability_line(report))
        for line in report.breaches_after:
            write(f"FAIL saferegress fixed model: {line}", red=True, bold=True)
        for line in (report.capability or {}).get("failures", []):
            write(f"FAIL saferegress capability: {line}", red=True, bold=True)
        if report.passed:
            write(
                "saferegress --fix: the fixed model passes the gate on held-out intents", green=True
            )
        write(f"fix proof: {report.files.get('proof')}")

    def load_baseline_options(self) -> None:
        """Parse the baseline options and read the baseline now, so a missing or malformed
        file is a usage error before any model is loaded."""
        from saferegress.analysis.regression import baseline_options_from, load_baseline

        try:
            self.baseline_options = baseline_options_from(
                self.settings, self.config.invocation_params.dir
            )
            if self.baseline_options.baseline is not None:
                self.baseline = load_baseline(self.baseline_options.baseline)
        except ConfigError as exc:
            raise pytest.UsageError(f"saferegress: {exc}") from None

    # -- worker side: batched generation and judging -------------------------------------

    def _get_runner(self) -> Any:
        if self._runner is None:
            from saferegress.engine.progress import progress_bar_factory
            from saferegress.engine.runner import runner_for

            cache, fingerprint = self._open_cache(self.settings.model or "")
            self._runner = runner_for(
                self.settings,
                cache=cache,
                target_fingerprint=fingerprint,
                progress=progress_bar_factory(self.config),
            )
        return self._runner

    def _cache_path(self) -> Path | None:
        if self.settings.no_cache:
            return None
        directory = self.settings.cache_dir
        return (
            self.config.invocation_params.dir / directory
            if directory
            else self.config.rootpath / ".saferegress-cache"
        )

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Check an existing cache file before any work, on the controller: an error raised
        in an xdist worker would reach the user as an INTERNALERROR without its message."""
        if _is_worker(self.config) or self.settings.model is None:
            return
        from saferegress.engine.cache import ResultCache

        directory = self._cache_path()
        if directory is None or not (directory / ResultCache.FILENAME).is_file():
            return
        try:
            cache, _ = self._open_cache(None)
        except SafeRegressError as exc:
            raise pytest.UsageError(f"saferegress: {exc}") from None
        if cache is not None:
            cache.close()

    def _open_cache(self, model: str | None) -> tuple[Any, str | None]:
        """The cache and the model's fingerprint (``model=None``: the cache alone)."""
        from saferegress.engine.cache import ResultCache, spec_fingerprint

        path = self._cache_path()
        if path is None:  # --no-cache
            return None, None
        try:
            cache = ResultCache(path)
        except SafeRegressError:  # a damaged cache: stop with its message, never half-read it
            raise
        except Exception as exc:  # OSError, sqlite3.Error (a read-only tree): run uncached
            import warnings

            warnings.warn(
                f"saferegress: cache at {path} unusable ({exc}); running without it", stacklevel=1
            )
            return None, None
        if model is None:
            return cache, None
        return cache, spec_fingerprint(model, self.settings.target.base_url)

    def _pending_batch(self, item: SafetyCase) -> list[Case]:
        """The cases to generate with ``item``'s: every case this process will run and has not
        run yet. Alone, that is the rest of the selection. Under xdist it is the worker's own
        queue (the items the controller has sent it so far): a case is sent to exactly one
        worker, so no case is generated twice; the cases sent later form later batches."""
        items = item.session.items
        if _is_worker(self.config):
            indexes = _xdist_queue(self.config)
            if indexes is None:  # an xdist without the queue we know: no look-ahead
                candidates: list[Any] = []
            else:
                candidates = [items[i] for i in indexes if 0 <= i < len(items)]
        else:
            if self._order is None:  # built once: rebuilding it per batch is O(n²) overall
                self._order = {
                    i.case.id: n for n, i in enumerate(items) if isinstance(i, SafetyCase)
                }
            candidates = items[self._order.get(item.case.id, 0) + 1 :]
        batch = [item.case]
        seen = {item.case.id}
        for other in candidates:
            if (
                isinstance(other, SafetyCase)
                and other.case.id not in seen
                and other.case.id not in self._done
            ):
                seen.add(other.case.id)
                batch.append(other.case)
        return batch

    def outcome_for(self, item: SafetyCase) -> Any:
        outcome = self._outcomes.pop(item.case.id, None)
        if outcome is not None:
            return outcome
        if self._fatal is not None:
            return self._fatal_outcome(item)
        batch = self._pending_batch(item)
        try:
            outcomes = self._get_runner().run(batch)
        except SafeRegressError as exc:
            # The model or a guard cannot be used at all: no point trying the other cases.
            if not _is_worker(self.config):
                pytest.exit(f"saferegress: {exc}", returncode=pytest.ExitCode.USAGE_ERROR)
            # pytest.exit in an xdist worker ends as an INTERNALERROR that loses the message:
            # instead every case of this worker becomes an error carrying it, and the gate
            # fails closed with it as its first error.
            self._fatal = f"saferegress: {exc}"
            return self._fatal_outcome(item)
        for outcome in outcomes:
            self._outcomes[outcome.case.id] = outcome
            self._done.add(outcome.case.id)
        return self._outcomes.pop(item.case.id)

    def _fatal_outcome(self, item: SafetyCase) -> Any:
        from saferegress.engine.runner import CaseOutcome

        return CaseOutcome(item.case, None, "error", {}, self._fatal)

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()
            self._runner = None

    # -- controller side: results, gate, reports ------------------------------------------

    def _identify_languages(self, records: list[dict[str, Any]]) -> None:
        """Language of every answer, here on the controller: one detector load and one batch
        per run, the same with or without xdist; detections are cached with the answers."""
        from saferegress.analysis.answer_language import annotate_languages

        try:
            cache, _ = self._open_cache(None)
        except SafeRegressError:  # a damaged cache was reported where answers were read
            cache = None
        try:
            annotate_languages(records, cache)
        finally:
            if cache is not None:
                cache.close()

    def finish(self, records: list[dict[str, Any]]) -> None:
        from saferegress.analysis.regression import compare_results
        from saferegress.analysis.results import (
            GateResult,
            build_results,
            evaluate_gate,
            write_results,
        )
        from saferegress.engine.fingerprints import run_fingerprints
        from saferegress.guards.served import public_spec
        from saferegress.report import write_html_reports

        settings = self.settings
        if not self.settings.no_language_id:
            self._identify_languages(records)
        self.gate = evaluate_gate(records, settings)
        # Guard specs may carry an endpoint with credentials: only public forms leave the run.
        guards = [public_spec(g) or g for g in settings.guards]
        # Everything that decides verdicts goes into the guard fingerprint, so a baseline
        # judged another way is reported as such.
        judging = guards + [
            f"adjudicator={public_spec(settings.adjudicator)}",
            f"policy={settings.guard_policy}",
            "languages="
            + ";".join(
                f"{name}={','.join(sorted(langs)) if langs is not None else 'all'}"
                for name, langs in sorted(settings.guard_languages.items())
            ),
        ]
        fingerprints = run_fingerprints(settings.model or "", judging, records)
        if self.baseline is not None:
            # Pair on the records as results.json will hold them.
            current = {
                "cases": records,
                "model": settings.model,
                "guards": guards,
                "fingerprints": fingerprints,
                "languages": {str(r["lang"]): {} for r in records},
            }
            self.comparison = compare_results(
                self.baseline,
                current,
                self.baseline_options.check,
                baseline_path=str(self.baseline_options.baseline),
            )
            breaches = self.gate.breaches + tuple(self.comparison.breaches)
            self.gate = GateResult(passed=not breaches, breaches=breaches)
        self.results = build_results(
            records,
            settings,
            model=settings.model or "",
            guards=guards,
            started=self.started,
            finished=datetime.now(UTC).isoformat(timespec="seconds"),
            suite_fingerprint=suite_fingerprint(records),
            gate=self.gate,
        )
        report_dir = self.config.invocation_params.dir / settings.report_dir
        self.results_path = report_dir / "results.json"
        # Added to schema v1 (readers ignore unknown fields): what was measured, and the
        # comparison with the baseline when there is one.
        self.results["fingerprints"] = fingerprints
        self.results["baseline"] = None if self.comparison is None else self.comparison.to_dict()
        from saferegress.plugin.cross_language import cross_language_summary
        from saferegress.plugin.mutation_items import attach_mutations

        self.results["cross_language"] = cross_language_summary(records)
        attach_mutations(self.config, self.results)
        write_results(self.results, self.results_path)
        if self.baseline_options.save_baseline is not None:
            write_results(self.results, self.baseline_options.save_baseline)
        self.report_index = write_html_reports(self.results, report_dir)[0]
