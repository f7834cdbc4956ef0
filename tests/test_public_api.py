"""The public API: every name in ``saferegress.__all__`` resolves to the object its module
defines, and importing the package (which pytest does for the plugin) loads none of it."""

from __future__ import annotations

import importlib
import subprocess
import sys

import saferegress


def test_every_public_name_resolves_to_its_definition() -> None:
    exports = saferegress._EXPORTS  # name -> defining module
    assert set(saferegress.__all__) == {"__version__", *exports}
    for name, module in exports.items():
        assert getattr(saferegress, name) is getattr(importlib.import_module(module), name), name


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        saferegress.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("an unknown attribute must raise")


def test_importing_the_package_loads_no_submodule() -> None:
    code = (
        "import sys, saferegress; "
        "print(sorted(m for m in sys.modules if m.startswith('saferegress.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
