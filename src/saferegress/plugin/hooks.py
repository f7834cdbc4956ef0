"""The saferegress pytest plugin (``pytest11`` entry point): the hooks, and nothing heavy.

Suite files (``*.jsonl`` under the configured suite folders, ``suites/`` by default, or named
on the command line) become one test item per case (``items``), with ids like ``de-S9-<id>`` and
markers ``lang_de``, ``S9``, ``attack``/``benign``, ``style_<style>``. Each process that runs
items has a ``Worker``: it generates and judges the pending selection in batches (``batcher``).
The verdict rides on the test report (``report.saferegress``), so the ``Controller`` tallies
the same way with or without xdist, and gates the run the way pytest-cov gates coverage: one line
per breach and exit status 1, set after the test loop.

The plugin's modules import nothing heavy: models and guards are loaded by their factories, on
first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from saferegress.errors import ConfigError, SafeRegressError
from saferegress.languages import CATEGORIES, LANGUAGES
from saferegress.plugin.batcher import is_xdist_worker
from saferegress.plugin.items import SafetyCase, SuiteFile
from saferegress.plugin.options import (  # noqa: F401 (pytest_addoption is a hook)
    build_settings,
    pytest_addoption,
)
from saferegress.plugin.stash import (
    LOW_FIDELITY_KEY,
    LOW_FIDELITY_OUTPUT,
    SETTINGS_KEY,
    WORKER_KEY,
)

__all__ = ["SETTINGS_KEY"]


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
        _add_builtin_suite(config, settings)
    except ConfigError as exc:
        raise pytest.UsageError(f"saferegress: {exc}") from None
    from saferegress.guards import available_guards

    try:
        known = available_guards()
    except SafeRegressError as exc:  # a stale install: its own entry points are missing
        raise pytest.UsageError(f"saferegress: {exc}") from None
    for name in settings.guards:
        if name.split(":", 1)[0] not in known:
            raise pytest.UsageError(
                f"saferegress: unknown guard {name!r}; available: {', '.join(known)}"
            )
    config.stash[SETTINGS_KEY] = settings
    _register_roles(config, settings)
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


def _add_builtin_suite(config: pytest.Config, settings: Any) -> None:
    """``--suite builtin[:smoke]``: the shipped suite files join what pytest collects (those
    a path on the command line already covers are not added twice)."""
    from saferegress.suite.builtin import suite_files_for

    named = [
        (config.invocation_params.dir / arg.split("::", 1)[0]).resolve()
        for arg in config.args
        if not arg.startswith("-")
    ]
    for path in suite_files_for(settings):
        resolved = path.resolve()
        if not any(resolved == n or resolved.is_relative_to(n) for n in named):
            config.args.append(str(path))


def _register_roles(config: pytest.Config, settings: Any) -> None:
    """The controller where results are reported (not in an xdist worker), the worker where
    items run (not on an xdist controller: ``--dist`` is set there and in its workers)."""
    from saferegress.plugin.controller import Controller
    from saferegress.plugin.worker import Worker

    worker = is_xdist_worker(config)
    if worker:
        # Each xdist worker takes its share of the cores before any model loads.
        from saferegress.engine.threads import apply_thread_budget

        apply_thread_budget()
    if worker or getattr(config.option, "dist", "no") == "no":
        config.stash[WORKER_KEY] = Worker(config, settings)
        config.pluginmanager.register(config.stash[WORKER_KEY], "saferegress-worker")
        _register_lean_protocol(config, config.stash[WORKER_KEY])
    if not worker:
        config.pluginmanager.register(Controller(config, settings), "saferegress-controller")


def _register_lean_protocol(config: pytest.Config, worker: Any) -> None:
    """Cases whose verdict an earlier case's batch computed skip pytest's per-phase hook
    chains (``lean``; ``-p no:saferegress-lean`` turns it off)."""
    from saferegress.plugin.items import PLAIN_CASES
    from saferegress.plugin.lean import LEAN_PLUGIN_NAME, LeanProtocol

    def ready(item: pytest.Item) -> bool:
        return bool(worker.ready(item, PLAIN_CASES))

    config.pluginmanager.register(LeanProtocol(config, (SafetyCase,), ready), LEAN_PLUGIN_NAME)


def _is_suite_file(file_path: Path, config: pytest.Config) -> bool:
    """A ``.jsonl`` file is a suite when it lies under a configured suite folder, is named on
    the command line, or lies under a folder named on the command line while a model is set
    (without one, ``pytest tests/`` must not mistake test data files for suites)."""
    if file_path.suffix != ".jsonl":
        return False
    settings = config.stash[SETTINGS_KEY]
    resolved = file_path.resolve()
    roots = [(config.rootpath / s).resolve() for s in settings.suites]
    if settings.suite is not None:
        from saferegress.suite.builtin import suite_files_for

        roots += [p.resolve() for p in suite_files_for(settings)]
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
        flagged_items = [item for item in cases if item.case.fidelity_flagged]
        if flagged_items:
            # The controller says so in the reports, even when nothing else is left to run.
            ids = sorted(item.case.id for item in flagged_items)
            config.stash[LOW_FIDELITY_KEY] = ids
            workeroutput = getattr(config, "workeroutput", None)
            if workeroutput is not None:  # an xdist worker
                workeroutput[LOW_FIDELITY_OUTPUT] = ids
            flagged = {id(item) for item in flagged_items}
            config.hook.pytest_deselected(items=flagged_items)
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
            # JUnit XML takes a testcase's properties from its teardown report, which copies
            # the item's: the verdict must be on the item too.
            item.user_properties.append((name, record[name]))
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
