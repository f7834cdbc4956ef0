"""Errors raised by saferegress.

Every error derives from one root, so callers can catch the whole family::

    SafeRegressError
    ├── SuiteError        a suite file is malformed (carries file, line and field)
    ├── ConfigError       an option or config value is invalid
    ├── TargetError       a model target cannot be loaded or fails as a whole
    │   └── MissingExtraError   an optional dependency is not installed
    ├── GuardError        a guard cannot be loaded or fails as a whole
    ├── CacheError        the cache file is damaged or of another version
    └── TranslationError  ``saferegress translate``: DeepL refused or failed (key, quota, 5xx)

Failures of a single request (a timeout, a 5xx, an unparseable guard answer) are not raised:
they become an ``error`` verdict on that case, so one bad answer never stops a run and is never
mistaken for "safe".
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CacheError",
    "ConfigError",
    "GuardError",
    "MissingExtraError",
    "SafeRegressError",
    "SuiteError",
    "TargetError",
    "TranslationError",
]


class SafeRegressError(Exception):
    """Root of every error saferegress raises on purpose."""


class SuiteError(SafeRegressError):
    """A problem in a suite file, located by file, line (1-based) and field."""

    def __init__(
        self,
        path: str,
        line: int | None,
        field: str | None,
        message: str,
        problems: Sequence[object] | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        #: Every problem found (each prints as ``file:line: field 'x': message``); the first
        #: one is the one this error is located at.
        self.problems = list(problems or [])
        if len(self.problems) > 1:
            super().__init__("\n".join(str(p) for p in self.problems))
        else:
            super().__init__(self.location() + message)

    def location(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.field is not None:
            where += f": field '{self.field}'"
        return where + ": "


class ConfigError(SafeRegressError):
    """An invalid option, ini or ``[tool.saferegress]`` value."""


class TargetError(SafeRegressError):
    """A model target that cannot be loaded or used at all."""


class MissingExtraError(TargetError):
    """An optional dependency is missing; the message says what to install."""

    def __init__(self, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{package} is not installed; install with: pip install 'saferegress[{extra}]'"
        )


class GuardError(SafeRegressError):
    """A guard that cannot be loaded or used at all."""


class CacheError(SafeRegressError):
    """The answer/verdict cache cannot be used; the message names the file and the way out."""


class TranslationError(SafeRegressError):
    """Suite translation failed as a whole; the message never holds the API key."""
