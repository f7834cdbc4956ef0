"""saferegress's pytest options and how they become one ``Settings``.

The options are declared from the table in ``saferegress.settings`` (the ``Settings`` fields'
metadata), so a flag, its ``[tool.saferegress]`` key and its Settings field cannot drift
apart. ``build_settings`` merges the command line with the ``[tool.saferegress]`` table of
pyproject.toml (command line wins) and validates every value at configure time, before any
case is collected or run.
"""

from __future__ import annotations

from typing import Any

import pytest

from saferegress.settings import (
    OPTIONS,
    Settings,
    argparse_arguments,
    read_pyproject_table,
    settings_from,
)

__all__ = ["build_settings", "config_table", "pytest_addoption"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("saferegress", "saferegress: multilingual safety regression gate")
    for opt in OPTIONS:
        if opt.flag is None:  # pyproject.toml only (suites: test paths name them on the line)
            continue
        # Default None (False for switches): "not given", so [tool.saferegress] can fill in.
        group.addoption(
            opt.flag,
            dest=opt.dest,
            default=False if opt.kind == "switch" else None,
            **argparse_arguments(opt),
        )


def config_table(config: pytest.Config) -> tuple[dict[str, Any], str]:
    """The ``[tool.saferegress]`` table in force and the file it came from."""
    candidates = []
    if config.inipath is not None and config.inipath.name == "pyproject.toml":
        candidates.append(config.inipath)
    candidates.append(config.rootpath / "pyproject.toml")
    for path in candidates:
        table = read_pyproject_table(path)
        if table:
            return table, str(path)
    return {}, str(candidates[-1])


def build_settings(config: pytest.Config) -> Settings:
    """Every option of the table, from the command line or pyproject.toml, parsed and checked
    (a ConfigError names the flag, or the file and the key)."""
    options = {opt.key: getattr(config.option, opt.dest, None) for opt in OPTIONS}
    table, where = config_table(config)
    return settings_from(options, table, where)
