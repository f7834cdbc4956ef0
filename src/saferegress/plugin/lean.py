"""A lean runtest protocol for saferegress items whose verdict is already computed.

pytest runs every item through three phases (setup, call, teardown), each a
``pytest_runtest_<phase>`` hook chain (capture resumed and suspended, log handlers attached and
removed, skip markers evaluated, the set-up state pushed and popped, ``PYTEST_CURRENT_TEST``
set) and a ``pytest_runtest_makereport`` chain: about 0.5 ms an item on a slow core, more than
saferegress's own work per case. Yet a case's verdict is computed in a batch with the cases
after it (``batcher``): for every case but the first of a batch, ``runtest`` only takes a
result out of a dict. It prints nothing, logs nothing, warns of nothing, and there is nothing to
set up or tear down, so those chains can change nothing for it.

Such an item runs here: ``runtest`` timed by ``pytest.CallInfo``, its call report made by the
``pytest_runtest_makereport`` hooks (so every plugin decorating call reports still does, and
saferegress's verdict rides on it), its setup and teardown reports built as pytest builds them
for phases that passed with nothing captured (the teardown report carries the call's sections
and the item's user properties, as pytest's does). Every report goes through
``pytest_runtest_logreport`` between ``pytest_runtest_logstart`` and ``pytest_runtest_logfinish``,
so terminal output, ``-x``/``--maxfail``, ``--lf``, ``--durations``, JUnit XML and xdist see what
they see with pytest's protocol.

Every other item takes pytest's own protocol (the hook answers None), including the item that
computes a batch (its output, logs and warnings are captured as usual) and:

- every item when a plugin or conftest other than pytest's own implements a hook the shortcut
  leaves out (``pytest_runtest_setup``/``call``/``teardown``), a ``pytest_runtest_makereport``
  (it could want setup or teardown reports) or a ``pytest_runtest_protocol`` that is not a
  wrapper; with ``--pdb``, ``--trace``, ``--setup-show``, ``--setup-only`` or ``--setup-plan``;
- an item that carries ``skip``, ``skipif`` or ``xfail``, or that or one of its collectors has
  a ``setup``/``teardown`` of its own;
- the last item of each suite file (the next item has another parent, or there is none), so
  pytest's set-up state is built and torn down around the items it runs exactly as when every
  item ran its three phases (the collectors of an eligible item set up and tear down nothing;
  only when they are pushed differs).

What is not done for an item run here: ``PYTEST_CURRENT_TEST`` is not set during its
microseconds, and an unraisable or thread exception raised elsewhere in that time is reported
at the next item pytest runs (or at the end of the session) instead of this one.

``-p no:saferegress-lean`` turns the shortcut off (the benchmark compares both).
"""

from __future__ import annotations

import bdb
import time
from collections.abc import Callable
from typing import Any, Literal

import pytest

__all__ = ["LEAN_PLUGIN_NAME", "LeanProtocol"]

LEAN_PLUGIN_NAME = "saferegress-lean"

#: Modules whose ``pytest_runtest_setup``/``call``/``teardown`` do nothing for an eligible item
#: whose result is ready: the runner's set-up state (no collector has a set-up; see the
#: next-item rule) and ``runtest`` call (done here), skip and xfail markers (it has none),
#: capture and logging (nothing is printed or logged), unraisable and thread exceptions
#: (collected at the next phase pytest runs), hypothesis (its tests only).
_IDLE_PHASE_MODULES = frozenset(
    {
        "_pytest.runner",
        "_pytest.skipping",
        "_pytest.capture",
        "_pytest.logging",
        "_pytest.unraisableexception",
        "_pytest.threadexception",
        "_hypothesis_pytestplugin",
    }
)
#: Whose ``pytest_runtest_makereport`` acts on call reports only, or on items of other kinds:
#: the setup and teardown reports of an eligible item need not go through it.
_KNOWN_MAKEREPORT = ("_pytest.", "saferegress.", "_hypothesis_pytestplugin")
_STOCK_OPTIONS = ("usepdb", "trace", "setupshow", "setuponly", "setupplan")
_SKIP_MARKS = frozenset({"skip", "skipif", "xfail"})
_RERAISE = (pytest.exit.Exception, KeyboardInterrupt)


def _module_of(plugin: object) -> str:
    name = getattr(plugin, "__name__", None)
    return name if isinstance(name, str) else type(plugin).__module__


def _no_own_setup(node: Any) -> bool:
    cls = type(node)
    return cls.setup is pytest.Item.setup and cls.teardown is pytest.Item.teardown


class LeanProtocol:
    """Registered where items run. ``item_types``: the item classes it may run;
    ``ready(item)``: whether the item's result is computed (``runtest`` only collects it)."""

    def __init__(
        self,
        config: pytest.Config,
        item_types: tuple[type[pytest.Item], ...],
        ready: Callable[[pytest.Item], bool],
    ) -> None:
        self.config = config
        self.item_types = item_types
        self.ready = ready
        self._enabled: bool | None = None
        self._parents: dict[int, bool] = {}

    def enabled(self) -> bool:
        """Whether the hooks and options in force let any item take the lean protocol."""
        if self._enabled is None:
            self._enabled = self._hooks_allow() and not any(
                self.config.getoption(name, False) for name in _STOCK_OPTIONS
            )
        return self._enabled

    def _hooks_allow(self) -> bool:
        hook = self.config.hook
        for impl in hook.pytest_runtest_protocol.get_hookimpls():
            if impl.plugin is self or impl.wrapper or impl.hookwrapper:
                continue
            if _module_of(impl.plugin) != "_pytest.runner":
                return False
        for caller in (
            hook.pytest_runtest_setup,
            hook.pytest_runtest_call,
            hook.pytest_runtest_teardown,
        ):
            if not all(_module_of(i.plugin) in _IDLE_PHASE_MODULES for i in caller.get_hookimpls()):
                return False
        impls = hook.pytest_runtest_makereport.get_hookimpls()
        return all(_module_of(impl.plugin).startswith(_KNOWN_MAKEREPORT) for impl in impls)

    def eligible(self, item: pytest.Item, nextitem: pytest.Item | None) -> bool:
        if type(item) not in self.item_types or nextitem is None:
            return False
        parent = item.parent
        if nextitem.parent is not parent or not self._parent_plain(parent):
            return False
        if not _no_own_setup(item) or any(m.name in _SKIP_MARKS for m in item.iter_markers()):
            return False
        return self.enabled() and self.ready(item)

    def _parent_plain(self, parent: Any) -> bool:
        key = id(parent)
        known = self._parents.get(key)
        if known is None:
            known = all(_no_own_setup(node) for node in parent.listchain())
            self._parents[key] = known
        return known

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Any:
        if not self.eligible(item, nextitem):
            return None
        ihook = item.ihook
        nodeid, location = item.nodeid, item.location
        ihook.pytest_runtest_logstart(nodeid=nodeid, location=location)
        keywords: dict[str, Any] = dict.fromkeys(item.keywords, 1)
        start = time.time()
        ihook.pytest_runtest_logreport(report=_empty_phase(item, keywords, "setup", (), start))
        call = pytest.CallInfo.from_call(item.runtest, when="call", reraise=_RERAISE)
        report = ihook.pytest_runtest_makereport(item=item, call=call)
        ihook.pytest_runtest_logreport(report=report)
        if _interactive(call, report):
            ihook.pytest_exception_interact(node=item, call=call, report=report)
        stop = call.stop
        ihook.pytest_runtest_logreport(
            report=_empty_phase(item, keywords, "teardown", report.sections, stop)
        )
        ihook.pytest_runtest_logfinish(nodeid=nodeid, location=location)
        return True


def _empty_phase(
    item: pytest.Item,
    keywords: dict[str, Any],
    when: Literal["setup", "teardown"],
    sections: Any,
    at: float,
) -> pytest.TestReport:
    """The report pytest makes for a setup or teardown phase with nothing to do."""
    return pytest.TestReport(
        item.nodeid,
        item.location,
        keywords,
        "passed",
        None,
        when,
        sections,
        0.0,
        at,
        at,
        user_properties=item.user_properties,
    )


def _interactive(call: pytest.CallInfo[None], report: pytest.TestReport) -> bool:
    """pytest's rule for calling ``pytest_exception_interact`` after a phase."""
    if call.excinfo is None or hasattr(report, "wasxfail"):
        return False
    return not isinstance(call.excinfo.value, (pytest.skip.Exception, bdb.BdbQuit))
