"""``--fix``: when the gate fails, retrain the model with DPO on the run's train-split failures,
rerun the held-out test split on the fixed checkpoint, and let that decide the run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from saferegress.errors import SafeRegressError
from saferegress.settings import Settings

__all__ = ["FixStep"]


class FixStep:
    """The fix step of one run, on the controller (after the results are written)."""

    def __init__(self, config: pytest.Config, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self.report: Any = None
        self.error: str | None = None
        # Checked now, before the suite runs: a bad launcher or accelerate config found after
        # hours of generation would waste the run.
        self.launch: Any = self._launch() if self.requested else None

    def _launch(self) -> Any:
        """The fixer's Launch from --fix-launcher, --fix-num-processes, --fix-accelerate-config."""
        settings = self.settings
        if settings.fix_launcher == "none":
            for flag, value in (
                ("--fix-num-processes", settings.fix_num_processes),
                ("--fix-accelerate-config", settings.fix_accelerate_config),
            ):
                if value is not None:
                    raise pytest.UsageError(f"saferegress: {flag} needs --fix-launcher accelerate")
            return None
        from saferegress.fixer.launch import Launch, accelerate_config_path

        config = None
        if settings.fix_accelerate_config is not None:
            try:
                config = accelerate_config_path(settings.fix_accelerate_config)
            except ValueError as exc:
                raise pytest.UsageError(f"saferegress: --fix-accelerate-config: {exc}") from None
        return Launch.chosen("accelerate", settings.fix_num_processes, config)

    @property
    def requested(self) -> bool:
        return self.settings.fix

    def run_passed(self, gate_passed: bool) -> bool:
        """With --fix, the fixed model's held-out gate decides; without, this run's gate."""
        if self.requested and not gate_passed:
            return self.report is not None and self.report.passed
        return gate_passed

    def run(self, records: list[dict[str, Any]], cache_path: Path | None) -> bool:
        """Retrain and prove (``--fix-train-lang`` was checked at configure time)."""
        from saferegress.engine.cache import ResultCache
        from saferegress.fixer.loop import capability_check, fix_model

        train_languages = self.settings.fix_train_lang  # checked at configure time
        report_dir = self.config.invocation_params.dir / self.settings.report_dir
        out = self.settings.fix_out
        out_dir = self.config.invocation_params.dir / out if out else report_dir / "fixed-model"
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")

        def log(message: str) -> None:
            if reporter is not None:
                reporter.write_line(f"saferegress --fix: {message}")

        try:
            self.report = fix_model(
                model=self.settings.model or "",
                records=records,
                out=out_dir,
                settings=self.settings,
                report_dir=report_dir / "fix",
                train_languages=train_languages,
                open_cache=(lambda: ResultCache(cache_path)) if cache_path else None,
                capability=capability_check(),
                launch=self.launch,
                log=log,
            )
        except SafeRegressError as exc:
            self.error = str(exc)
        return True

    def summary(self) -> dict[str, Any]:
        """What --fix did, for results.json (written before the fix ran), so CI tooling that
        reads the file sees why a run whose own gate failed may still have passed."""
        report = self.report
        if report is None:
            return {"passed": False, "error": self.error}
        return {
            "passed": report.passed,
            "fixed_checkpoint": str(report.fixed),
            "proof": report.files.get("proof"),
            "gate_after": {
                "passed": not report.breaches_after,
                "breaches": list(report.breaches_after),
            },
            "capability_passed": (report.capability or {}).get("passed"),
        }

    def write_summary(self, write: Callable[..., None], gate_passed: bool) -> None:
        if not self.requested:
            return
        if gate_passed:
            write("saferegress --fix: the gate passed, nothing to fix")
            return
        if self.report is None:
            write(
                f"FAIL saferegress --fix: {self.error or 'the fix did not run'}",
                red=True,
                bold=True,
            )
            return
        report = self.report
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
