"""The controller role: the process that reports (the only process without xdist, the xdist
controller with it). It tallies the verdicts that ride on the test reports, so it counts the
same way with or without xdist; after the test loop it identifies the answers' languages,
assembles and writes the results, compares them with the baseline, runs ``--fix`` when asked,
and gates the run the way pytest-cov gates coverage: one line per breach and exit status 1,
set without raising."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from saferegress.errors import ConfigError, SafeRegressError
from saferegress.plugin.fix_step import FixStep
from saferegress.plugin.run_cache import cache_path, open_cache
from saferegress.plugin.stash import LOW_FIDELITY_KEY, LOW_FIDELITY_OUTPUT
from saferegress.settings import Settings

__all__ = ["Controller", "load_baseline_options"]


def load_baseline_options(config: pytest.Config) -> tuple[Any, dict[str, Any] | None]:
    """The baseline options and the baseline itself, read now, so a missing or malformed file
    is a usage error before any model is loaded."""
    from saferegress.analysis.regression import baseline_options_from, load_baseline
    from saferegress.plugin.stash import SETTINGS_KEY

    try:
        baseline_options = baseline_options_from(
            config.stash[SETTINGS_KEY], config.invocation_params.dir
        )
        baseline = None
        if baseline_options.baseline is not None:
            baseline = load_baseline(baseline_options.baseline)
    except ConfigError as exc:
        raise pytest.UsageError(f"saferegress: {exc}") from None
    return baseline_options, baseline


class Controller:
    """Per run, in the reporting process: verdicts in, results, reports and gate out."""

    def __init__(self, config: pytest.Config, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        self.records: list[dict[str, Any]] = []
        self.baseline_options, self.baseline = load_baseline_options(config)
        self.fix = FixStep(config, settings)
        self.results: dict[str, Any] | None = None
        self.gate: Any = None
        self.comparison: Any = None
        self.results_path: Path | None = None
        self.report_index: Path | None = None
        #: Cases deselected as low-fidelity translations (here, or reported by xdist workers).
        self.low_fidelity: set[str] = set()

    # -- hooks -------------------------------------------------------------------------------

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Check an existing cache file before any work, here: an error raised in an xdist
        worker would reach the user as an INTERNALERROR without its message."""
        if self.settings.model is None:
            return
        from saferegress.engine.cache import ResultCache

        directory = cache_path(self.config)
        if directory is None or not (directory / ResultCache.FILENAME).is_file():
            return
        try:
            cache, _ = open_cache(self.config)
        except SafeRegressError as exc:
            raise pytest.UsageError(f"saferegress: {exc}") from None
        if cache is not None:
            cache.close()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = getattr(report, "saferegress", None)
        if record is not None and report.when == "call":
            self.records.append(record)

    @pytest.hookimpl(optionalhook=True)  # an xdist hook: absent without xdist
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """xdist: the low-fidelity cases a worker deselected."""
        self.low_fidelity.update(getattr(node, "workeroutput", {}).get(LOW_FIDELITY_OUTPUT, ()))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Any:
        try:
            return (yield)
        finally:
            deselected_here: list[str] = self.config.stash.get(LOW_FIDELITY_KEY, [])
            self.low_fidelity.update(deselected_here)
            if not self.records and self.low_fidelity and self.settings.model is not None:
                # Nothing ran because every selected case was a flagged machine translation:
                # the reports still say so, and why (pytest exits 5, "no tests ran").
                self.finish([], nothing_ran=True)
            if self.records:
                self.finish(self.records)
                if self.fix.requested and not self.gate.passed:
                    self.run_fix()
                if not self.fix.run_passed(bool(self.gate.passed)):
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
        from saferegress.analysis.cross_language import summary_lines

        for line in agreement_lines(self.results):
            write(line)
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
        self.fix.write_summary(write, bool(self.gate.passed))

    # -- after the test loop -----------------------------------------------------------------

    def identify_languages(self, records: Sequence[dict[str, Any]]) -> None:
        """Language of every answer, here: one detector load and one batch per run, the same
        with or without xdist; detections are cached with the answers."""
        from saferegress.analysis.answer_language import annotate_languages

        try:
            cache, _ = open_cache(self.config)
        except SafeRegressError:  # a damaged cache was reported where answers were read
            cache = None
        try:
            annotate_languages(records, cache)
        finally:
            if cache is not None:
                cache.close()

    def finish(self, records: list[dict[str, Any]], nothing_ran: bool = False) -> None:
        """The gate, the comparison with the baseline, results.json and the HTML reports."""
        from saferegress.engine.heap import gc_paused

        # Building the results and rendering the pages allocate ~10 objects per case that
        # mostly live on: no full collections of the run's whole heap meanwhile.
        with gc_paused():
            self._finish(records, nothing_ran)

    def _finish(self, records: list[dict[str, Any]], nothing_ran: bool) -> None:
        from saferegress.analysis.results import (
            GateResult,
            build_results,
            evaluate_gate,
            write_results,
        )
        from saferegress.engine.fingerprints import fingerprints_for
        from saferegress.plugin.mutation_items import attach_mutations
        from saferegress.report import write_html_reports
        from saferegress.report.summary import add_junit_properties, write_summaries

        if records and not self.settings.no_language_id:
            self.identify_languages(records)
        self.gate = evaluate_gate(records, self.settings)
        if nothing_ran:  # a gate that measured nothing cannot pass
            self.gate = GateResult(
                passed=False,
                breaches=(
                    f"no case ran: all {len(self.low_fidelity)} selected case(s) are low-fidelity "
                    "machine translations (fidelity_flagged) and were deselected; "
                    "--keep-low-fidelity runs them",
                ),
            )
        fingerprints = fingerprints_for(self.settings, records)
        if self.baseline is not None and not nothing_ran:
            self.comparison = self.compare_with_baseline(records, fingerprints)
            breaches = self.gate.breaches + tuple(self.comparison.breaches)
            self.gate = GateResult(passed=not breaches, breaches=breaches)
        self.results = build_results(
            records,
            self.settings,
            model=self.settings.model or "",
            guards=self.settings.guards,
            started=self.started,
            finished=datetime.now(UTC).isoformat(timespec="seconds"),
            gate=self.gate,
            fingerprints=fingerprints,
            baseline=None if self.comparison is None else self.comparison.to_dict(),
        )
        if self.low_fidelity:
            self.results["deselected"] = {"low_fidelity": sorted(self.low_fidelity)}
        attach_mutations(self.config, self.results)
        report_dir = self.config.invocation_params.dir / self.settings.report_dir
        self.results_path = report_dir / "results.json"
        write_results(self.results, self.results_path)
        if self.baseline_options.save_baseline is not None:
            write_results(self.results, self.baseline_options.save_baseline)
        cache_dir = cache_path(self.config)
        self.report_index = write_html_reports(
            self.results,
            report_dir,
            template_cache=None if cache_dir is None else cache_dir / "report-templates",
            # A language page whose inputs did not change since it was written is kept.
            page_digests=None if cache_dir is None else cache_dir / "report-pages.json",
        )[0]
        # reports/summary.md (and GitHub's job summary), and the per-language JUnit properties:
        # pytest writes the XML after this loop, so under xdist too.
        write_summaries(self.results, report_dir, os.environ)
        add_junit_properties(self.config, self.results)

    def compare_with_baseline(
        self, records: list[dict[str, Any]], fingerprints: Mapping[str, str]
    ) -> Any:
        from saferegress.analysis.regression import compare_results
        from saferegress.engine.specs import public_spec

        assert self.baseline is not None
        # Pair on the records as results.json will hold them.
        current: dict[str, Any] = {
            "cases": records,
            "model": public_spec(self.settings.model),
            "guards": [public_spec(g) or g for g in self.settings.guards],
            "fingerprints": fingerprints,
            "languages": {str(r["lang"]): {} for r in records},
        }
        return compare_results(
            self.baseline,
            current,
            self.baseline_options.check,
            baseline_path=str(self.baseline_options.baseline),
        )

    def run_fix(self) -> None:
        from saferegress.analysis.results import write_results

        if not self.fix.run(self.records, cache_path(self.config)):
            return
        if self.results is not None and self.results_path is not None:
            self.results["fix"] = self.fix.summary()
            write_results(self.results, self.results_path)
