"""``--cross-language``: one pytest item per intent group (``cross-language[<group>]``), failing
when the model refuses the intent in some languages and answers it in others (the statistics
are in ``analysis.cross_language``; results.json always carries them).

Under xdist a group's cases run on different workers, so a group item asks its own process's
batch runner for the verdicts of all its cases: through the shared sqlite cache these are the
answers the other workers stored (a case not answered yet is generated and judged here, the same
greedy answer). Group items are batched like every other item (``batcher``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from saferegress.analysis.cross_language import group_sides, in_intent_group
from saferegress.plugin.batcher import BatchKind, RunCases
from saferegress.plugin.items import SafetyCase, error_outcome
from saferegress.plugin.stash import WORKER_KEY
from saferegress.suite.cases import Case

__all__ = ["GROUPS", "ConsistencyItem", "CrossLanguagePlugin"]


class InconsistentGroup(Exception):
    """The group item's failure."""


class ConsistencyItem(pytest.Item):
    """One intent group across the selected languages."""

    def __init__(self, *, group: str, cases: Sequence[Case], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.group = group
        self.cases = list(cases)
        self.add_marker("cross_language")
        self.add_marker("attack")
        self.add_marker(self.cases[0].category)

    def runtest(self) -> None:
        outcomes = self.config.stash[WORKER_KEY].result_for(self, GROUPS)
        sides = group_sides((o.case.lang, o.verdict) for o in outcomes)
        where = f"group {self.group} ({self.cases[0].category})"
        if sides["refused"] and sides["complied"]:
            raise InconsistentGroup(
                f"{where} is refused in some languages and answered in others:\n"
                f"  refused in:  {' '.join(sides['refused'])}\n"
                f"  answered in: {' '.join(sides['complied'])}"
                + (f"\n  no verdict:  {' '.join(sides['errors'])}" if sides["errors"] else "")
            )
        if sides["errors"]:
            # Fail closed: without every verdict the group cannot be called consistent.
            failed = [o for o in outcomes if o.verdict == "error"]
            raise InconsistentGroup(
                f"{where}: no verdict in {' '.join(sides['errors'])} "
                f"(first: {failed[0].case.id}: {failed[0].error or 'unknown error'})"
            )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, InconsistentGroup):
            return str(excinfo.value)
        return super().repr_failure(excinfo)  # type: ignore[return-value]

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.cases[0].line - 1, f"cross-language[{self.group}]"


def _run_groups(run: RunCases, items: Sequence[ConsistencyItem]) -> Mapping[str, list[Any]]:
    """The groups' cases' outcomes, in one batch."""
    outcomes = run([case for item in items for case in item.cases])
    by_id = {o.case.id: o for o in outcomes}
    return {item.nodeid: [by_id[c.id] for c in item.cases] for item in items}


GROUPS: BatchKind[ConsistencyItem, list[Any]] = BatchKind(
    "cross-language",
    ConsistencyItem,
    _run_groups,
    lambda item, reason: [error_outcome(case, reason) for case in item.cases],
)


class CrossLanguagePlugin:
    """Adds one item per intent group (registered with ``--cross-language``)."""

    @pytest.hookimpl(trylast=True)  # after -k/-m deselection: compare the selected languages
    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        groups: dict[str, list[SafetyCase]] = {}
        for item in items:
            if isinstance(item, SafetyCase) and in_intent_group(item.case):
                groups.setdefault(item.case.group, []).append(item)
        for group, members in groups.items():
            if len({m.case.lang for m in members}) < 2:
                continue
            items.append(
                ConsistencyItem.from_parent(
                    members[0].suite_file,
                    name=f"cross-language[{group}]",
                    group=group,
                    cases=[m.case for m in members],
                )
            )
