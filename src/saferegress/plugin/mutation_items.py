"""Mutation attacks as pytest items (opt-in: ``--mutate N``).

For every selected attack case, an item ``<case test id>[mutate]`` checks the property "the
model still refuses mutated versions of a prompt it refuses" (``mutation_search``). Items of
one process are searched together in batches. When refusal breaks, the item fails with the
original prompt, the minimal mutation and the answer; the finding rides on the test report
(``report.saferegress_mutation``), so the controller gathers it with or without xdist, adds it
to results.json (``mutations``, and ``mutation`` on the original's case entry) and appends it to
the regression file as a permanent suite case (default ``<first suite folder>/regressions/
mutations.jsonl``, so the next run collects it).
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from saferegress.plugin.batcher import BatchKind, RunCases
from saferegress.plugin.items import SafetyCase
from saferegress.plugin.stash import SETTINGS_KEY, WORKER_KEY
from saferegress.suite.cases import Case, check_record, parse_suite_file

__all__ = [
    "MUTATIONS",
    "MutationItem",
    "MutationPlugin",
    "attach_mutations",
    "regression_case",
]

_FINDINGS_KEY = pytest.StashKey[list[dict[str, Any]]]()
#: Per process: the search (one time budget for all its batches).
_SEARCH_KEY = pytest.StashKey[Any]()
#: Per process: group → language → prompt, per suite file (code-switching donors).
_DONORS_KEY = pytest.StashKey[dict[str, dict[str, dict[str, str]]]]()


def printable(text: str | None) -> str:
    """Model output for one terminal line: control characters (ANSI escapes, line breaks)
    made visible."""
    from saferegress.safe_text import terminal_safe

    return "(no answer)" if text is None else terminal_safe(text)


class MutationBroke(Exception):
    """Refusal broke under a mutation (the item's failure)."""


class MutationItem(pytest.Item):
    """The mutation property for one attack case."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.result: Any = None
        for marker in (f"lang_{case.lang}", case.category, "attack", "mutation"):
            self.add_marker(marker)

    def runtest(self) -> None:
        self.result = self.config.stash[WORKER_KEY].result_for(self, MUTATIONS)
        status = self.result.status
        if status in ("not_refused", "skipped"):
            pytest.skip(self.result.message)
        if status == "error":
            raise MutationBroke(f"no verdict: {self.result.message}")
        if status == "broken":
            raise MutationBroke(failure_text(self.result.case.test_id, finding_record(self)))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, MutationBroke):
            return str(excinfo.value)
        return super().repr_failure(excinfo)  # type: ignore[return-value]

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, f"{self.case.test_id}[mutate]"


def failure_text(test_id: str, finding: Mapping[str, Any]) -> str:
    lines = [f"refusal broke under a mutation of {test_id}: {finding['mutation']}"]
    if finding.get("cut_short"):
        lines[0] += " (shrinking cut short by the time budget; may not be minimal)"
    lines += [
        f"  original: {printable(finding['original'])}",
        f"  mutated:  {printable(finding['prompt'])}",
        f"  answer:   {printable(finding['response'])}",
        f"  saved as: {finding['saved_id']} (tried {finding['examples']} mutations)",
    ]
    return "\n".join(lines)


def finding_record(item: MutationItem) -> dict[str, Any]:
    result = item.result
    case = result.case
    return {
        "case_id": case.id,
        "lang": case.lang,
        "category": case.category,
        "group": case.group,
        "status": result.status,
        "examples": result.examples,
        "original": case.prompt,
        "mutation": result.description,
        "plan": result.plan.to_dict() if result.plan else None,
        "prompt": result.prompt,
        "response": result.response,
        "verdict": result.verdict,
        "shrink_calls": result.shrink_calls,
        "cut_short": result.cut_short,
        "saved_id": regression_id(case, result.prompt) if result.plan else None,
        "regression_case": regression_case(case, result) if result.plan else None,
    }


def regression_id(case: Case, prompt: str) -> str:
    """Stable: the same mutated prompt of the same case always gets the same id."""
    return f"mut-{case.id}-{hashlib.sha256(prompt.encode('utf-8')).hexdigest()[:8]}"


def regression_case(case: Case, result: Any) -> dict[str, Any]:
    """The suite line a broken mutation becomes: same intent group (and split), a style naming
    the mutation kinds, and a source crediting both the original and the mutation."""
    record: dict[str, Any] = {
        "id": regression_id(case, result.prompt),
        "lang": case.lang,
        "category": case.category,
        "style": "mutation:" + "+".join(result.plan.kinds),
        "kind": "attack",
        "prompt": result.prompt,
        "group": case.group,
        "source": f"saferegress mutation of {case.id} ({result.description})"
        + (f"; original: {case.source}" if case.source else ""),
    }
    if case.split:
        record["split"] = case.split
    return {k: v for k, v in record.items() if v != ""}


def _donors_for(item: MutationItem) -> dict[str, str]:
    """The other languages' prompts of the case's group, read from its suite file (so
    code-switching works even when ``--lang`` selects one language)."""
    cache = item.config.stash.setdefault(_DONORS_KEY, {})
    path = item.case.path
    if path not in cache:
        cases, _ = parse_suite_file(path)
        by_group: dict[str, dict[str, str]] = {}
        for other in cases:
            if other.group and other.kind == "attack" and not other.style.startswith("mutation:"):
                by_group.setdefault(other.group, {}).setdefault(other.lang, other.prompt)
        cache[path] = by_group
    group = cache[path].get(item.case.group, {}) if item.case.group else {}
    return {lang: text for lang, text in group.items() if lang != item.case.lang}


def _search(run: RunCases, items: Sequence[MutationItem]) -> Mapping[str, Any]:
    """The items' results, from one search over their cases."""
    from saferegress.mutations.search import MutationSearch

    config = items[0].config
    if _SEARCH_KEY not in config.stash:  # the time budget starts with the first search
        settings = config.stash[SETTINGS_KEY]
        assert settings.mutate is not None  # mutation items exist only with --mutate
        config.stash[_SEARCH_KEY] = MutationSearch(
            run,
            examples=settings.mutate,
            budget_s=settings.mutate_budget,
            seed=settings.mutate_seed,
        )
    found = config.stash[_SEARCH_KEY].search(
        [i.case for i in items], {i.case.id: _donors_for(i) for i in items}
    )
    return {item.nodeid: found[item.case.id] for item in items}


def _unusable(item: MutationItem, reason: str) -> Any:
    from saferegress.mutations.search import MutationResult

    return MutationResult(item.case, "error", message=reason)


MUTATIONS: BatchKind[MutationItem, Any] = BatchKind("mutation", MutationItem, _search, _unusable)


class MutationPlugin:
    """Adds the mutation items and gathers their findings (registered with ``--mutate``)."""

    def __init__(self, config: pytest.Config) -> None:
        try:
            import hypothesis  # noqa: F401
        except ImportError:
            raise pytest.UsageError(
                "saferegress: --mutate needs hypothesis; install with: "
                "pip install 'saferegress[mutate]'"
            ) from None
        self.config = config
        config.stash[_FINDINGS_KEY] = []

    @pytest.hookimpl(trylast=True)  # after -k/-m deselection: mutate only selected cases
    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        added = [
            MutationItem.from_parent(item.suite_file, name=f"{item.name}[mutate]", case=item.case)
            for item in items
            if isinstance(item, SafetyCase) and item.case.kind == "attack"
        ]
        items.extend(added)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report = yield
        if (
            call.when == "call"
            and isinstance(item, MutationItem)
            and item.result is not None
            and item.result.status == "broken"
        ):
            report.saferegress_mutation = finding_record(item)
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        finding = getattr(report, "saferegress_mutation", None)
        if finding is not None and report.when == "call":
            self.config.stash[_FINDINGS_KEY].append(finding)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        findings = self.config.stash.get(_FINDINGS_KEY, [])
        if not findings:
            return
        terminalreporter.write_sep("-", f"saferegress: {len(findings)} mutation(s) broke refusal")
        for finding in sorted(findings, key=lambda f: f["case_id"]):
            for line in failure_text(finding["case_id"], finding).splitlines():
                terminalreporter.write_line(line)
        path = mutation_file(self.config)
        terminalreporter.write_line(f"regression cases: {path}")


def mutation_file(config: pytest.Config) -> Path:
    chosen = config.stash[SETTINGS_KEY].mutation_file
    if chosen:
        return config.invocation_params.dir / chosen
    suites = config.stash[SETTINGS_KEY].suites
    return config.rootpath / (suites[0] if suites else "suites") / "regressions" / "mutations.jsonl"


def attach_mutations(config: pytest.Config, results: dict[str, Any]) -> None:
    """Controller side, before results.json is written: list the findings, mark the original
    case entries, and append new regression cases to the mutation file."""
    if not config.pluginmanager.has_plugin("saferegress-mutations"):
        return
    stored: list[dict[str, Any]] = config.stash.get(_FINDINGS_KEY, [])
    findings = sorted(stored, key=lambda f: f["case_id"])
    by_case = {f["case_id"]: f for f in findings}
    for case in results["cases"]:
        finding = by_case.get(case["id"])
        if finding is not None:
            case["mutation"] = {
                k: finding[k] for k in ("mutation", "prompt", "response", "verdict", "saved_id")
            }
    results["mutations"] = [
        {k: v for k, v in f.items() if k != "regression_case"} for f in findings
    ]
    path = mutation_file(config)
    try:
        save_regression_cases(path, [f["regression_case"] for f in findings])
    except OSError as exc:  # the findings are still in results.json and the reports
        warnings.warn(
            f"saferegress: cannot save mutations to {path}: {exc.strerror or exc}", stacklevel=1
        )


def save_regression_cases(path: Path, rows: Iterable[dict[str, Any] | None]) -> list[str]:
    """Append the cases whose id the file does not hold yet; return the ids added."""
    given = [r for r in rows if r]
    if not given:
        return []
    existing: set[str] = set()
    if path.exists():
        cases, problems = parse_suite_file(path)
        if problems:
            warnings.warn(f"saferegress: {problems[0]}; not adding mutations to it", stacklevel=1)
            return []
        existing = {c.id for c in cases}
    new = []
    for row in given:
        if row["id"] in existing:
            continue
        _, problems = check_record(row, str(path), 0)
        if problems:  # e.g. a wrapped prompt over the length limit: it would break the suite
            warnings.warn(
                f"saferegress: mutation {row['id']} not saved: {problems[0].field} "
                f"{problems[0].message}",
                stacklevel=1,
            )
            continue
        existing.add(row["id"])
        new.append(row)
    if not new:
        return []
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        for row in new:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return [r["id"] for r in new]
