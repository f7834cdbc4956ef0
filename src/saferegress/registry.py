"""Named factories found through entry points: how guards and targets are looked up by name.

Every guard kind (``saferegress.guards``) and target kind (``saferegress.targets``) is an entry
point, the built-in ones included (saferegress's own ``pyproject.toml`` registers them), the way
pytest finds plugins in ``pytest11``. Another distribution adds a kind by declaring one::

    [project.entry-points."saferegress.guards"]
    keyword = "keyword_guard:KeywordGuard"

Listing the names reads only the installed distributions' metadata, once per process; nothing is
imported until a name is used, so a broken plugin never breaks a run that does not use it. When
it is used, the error names its distribution and entry point. Two distributions that register
one name are an error when that name is used, and a built-in name can never be taken over.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import ClassVar

from .errors import SafeRegressError

__all__ = ["BUILTIN_DISTRIBUTION", "EntryPointRegistry", "Registration", "refresh"]

#: The distribution whose entry points are the built-ins.
BUILTIN_DISTRIBUTION = "saferegress"


@functools.cache
def _installed_entry_points():  # SelectableGroups on Python 3.11, EntryPoints later
    """Every installed entry point, read once per process: reading them scans the metadata of
    every installed distribution (tens of milliseconds), so both groups share one scan."""
    return metadata.entry_points()


@functools.cache
def _entry_points(group: str) -> metadata.EntryPoints:
    selected: metadata.EntryPoints = _installed_entry_points().select(group=group)
    return selected


def refresh() -> None:
    """Forget what was read, for a process that installed a distribution after the first look."""
    _installed_entry_points.cache_clear()
    _entry_points.cache_clear()
    for registry in EntryPointRegistry.instances:
        registry.load.cache_clear()
        registry.registrations.cache_clear()


def _normalize(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


@dataclass(frozen=True)
class Registration:
    """One entry point: a name, what it points at, and the distribution declaring it."""

    name: str
    value: str
    distribution: str
    version: str
    entry_point: metadata.EntryPoint

    @property
    def builtin(self) -> bool:
        return _normalize(self.distribution) == BUILTIN_DISTRIBUTION

    def describe(self, group: str) -> str:
        """``acme-guards 1.0 (entry point 'kw = acme:KW' in group 'saferegress.guards')``."""
        return (
            f"{self.distribution} {self.version} "
            f"(entry point '{self.name} = {self.value}' in group '{group}')"
        )


def _registration(entry_point: metadata.EntryPoint) -> Registration:
    dist = entry_point.dist
    name = dist.metadata["Name"] if dist is not None else None
    return Registration(
        name=entry_point.name,
        value=entry_point.value,
        distribution=name or "an unknown distribution",
        version=(dist.version if dist is not None else None) or "?",
        entry_point=entry_point,
    )


class EntryPointRegistry:
    """The factories of one entry-point group, by name.

    ``what`` names a member in messages (``guard``); ``error`` is the exception raised for an
    unknown, ambiguous or broken name; ``order``: the built-in names in the order help and
    messages list them (installers sort entry points, so the declared order is lost).
    """

    instances: ClassVar[list[EntryPointRegistry]] = []

    def __init__(
        self,
        group: str,
        *,
        what: str,
        error: type[SafeRegressError],
        order: Sequence[str] = (),
    ) -> None:
        self.group = group
        self.order = tuple(order)
        self.what = what
        self.error = error
        # Per instance (functools.cache on a method would keep every instance alive anyway).
        self.load = functools.cache(self._load)
        self.registrations = functools.cache(self._registrations)
        EntryPointRegistry.instances.append(self)

    def _registrations(self) -> dict[str, list[Registration]]:
        """Name → every registration of it: the built-in names first (in ``order``, then
        alphabetically), then the other distributions' names, alphabetically."""
        found: dict[str, list[Registration]] = {}
        for entry_point in _entry_points(self.group):
            registration = _registration(entry_point)
            found.setdefault(registration.name, []).append(registration)
        for registrations in found.values():
            registrations.sort(key=lambda r: not r.builtin)

        def rank(item: tuple[str, list[Registration]]) -> tuple[bool, int, str]:
            name, registrations = item
            listed = self.order.index(name) if name in self.order else len(self.order)
            return (not registrations[0].builtin, listed, name)

        return dict(sorted(found.items(), key=rank))

    def names(self) -> tuple[str, ...]:
        """Every registered name (conflicting ones too: the conflict is reported on use)."""
        names = tuple(self.registrations())
        if not names:
            raise self.error(
                f"no {self.what} is registered in entry-point group '{self.group}': saferegress's "
                "own metadata is missing or stale; reinstall it (pip install saferegress, or "
                "pip install -e . in a checkout)"
            )
        return names

    def _load(self, name: str) -> tuple[Callable[..., object], Registration]:
        """The factory registered as ``name``, and its registration. Imports it (once)."""
        registrations = self.registrations().get(name)
        if not registrations:
            raise self.error(f"unknown {self.what} {name!r}; available: {', '.join(self.names())}")
        if len(registrations) > 1:
            raise self.error(self._conflict(name, registrations))
        (registration,) = registrations
        try:
            factory = registration.entry_point.load()
        except Exception as exc:  # ImportError, or anything the plugin's module raises
            raise self.error(
                f"{self.what} {name!r} from {registration.describe(self.group)} cannot be "
                f"loaded: {type(exc).__name__}: {exc}"
            ) from exc
        if not callable(factory):
            raise self.error(
                f"{self.what} {name!r} from {registration.describe(self.group)} is a "
                f"{type(factory).__name__}, not a factory: it must name a class or function "
                "called with (ARG, options)"
            )
        return factory, registration

    def _conflict(self, name: str, registrations: list[Registration]) -> str:
        listed = " and ".join(r.describe(self.group) for r in registrations)
        others = [r.distribution for r in registrations if not r.builtin]
        if registrations[0].builtin:
            return (
                f"{self.what} {name!r} is built into saferegress and cannot be replaced, but "
                f"{' and '.join(others)} registers it too: {listed}. Uninstall it "
                f"(pip uninstall {' '.join(others)}) or have its authors register their "
                f"{self.what} under another name"
            )
        return (
            f"{self.what} {name!r} is registered by {len(registrations)} distributions: "
            f"{listed}. Uninstall all but one of them (pip uninstall {others[-1]}), or ask "
            "their authors to rename the entry point"
        )
