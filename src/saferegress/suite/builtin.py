"""The suite that ships inside the package: where it lies and which files make a variant.

The repository's ``suites/`` folder is the one copy in git; ``saferegress/suite/data`` is a
symbolic link to it, so an editable install reads the same files and ``setuptools`` copies them
into the wheel as package data. ``--suite builtin`` runs all of it (2,400 cases),
``--suite builtin:smoke`` the smoke subset (``starter.jsonl``: every language × category,
456 cases); ``saferegress init`` copies it into a project (``saferegress.scaffold``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

__all__ = [
    "SUITE_VARIANTS",
    "builtin_suite_dir",
    "builtin_suite_files",
    "parse_suite",
    "suite_files_for",
]

#: Variant → the files it runs. ``starter.jsonl`` holds exactly the cases marked ``smoke``.
SUITE_VARIANTS: dict[str, tuple[str, ...]] = {
    "full": ("starter.jsonl", "attacks.jsonl", "benign.jsonl"),
    "smoke": ("starter.jsonl",),
}

#: Files that travel with the suite wherever it is copied: its description and credits.
SUITE_DOCUMENTS = ("README.md", "SOURCES.md")


def builtin_suite_dir() -> Path:
    """The folder holding the shipped suite (its ``*.jsonl``, ``SOURCES.md``, ``LICENSES/``)."""
    folder = Path(str(resources.files("saferegress.suite").joinpath("data")))
    if not (folder / "starter.jsonl").is_file():
        # A checkout without symbolic links (git's core.symlinks=false) holds a text file here.
        from ..errors import ConfigError

        raise ConfigError(
            f"the shipped suite is missing at {folder}: reinstall saferegress, or in a checkout "
            "make src/saferegress/suite/data a symbolic link to ../../../suites"
        )
    return folder


def builtin_suite_files(variant: str = "full") -> list[Path]:
    """The suite files of ``variant`` (``full`` or ``smoke``), in a fixed order."""
    if variant not in SUITE_VARIANTS:
        raise ValueError(
            f"unknown suite variant {variant!r}: use {' or '.join(map(repr, SUITE_VARIANTS))}"
        )
    folder = builtin_suite_dir()
    return [folder / name for name in SUITE_VARIANTS[variant]]


def parse_suite(value: Any) -> str | None:
    """``--suite`` / ``suite =``: ``builtin``, ``builtin:smoke`` (or ``builtin:full``), or
    ``none``. Returns the canonical spec (``builtin`` or ``builtin:smoke``) or None."""
    text = str(value).strip().lower() if isinstance(value, str) else None
    if text is None:
        raise ValueError(f"expected 'builtin', 'builtin:smoke' or 'none' (got {value!r})")
    if text in ("", "none"):
        return None
    name, _, variant = text.partition(":")
    if name != "builtin" or (variant and variant not in SUITE_VARIANTS):
        raise ValueError(f"expected 'builtin', 'builtin:smoke' or 'none' (got {value!r})")
    return "builtin" if variant in ("", "full") else f"builtin:{variant}"


def suite_files_for(settings: Any) -> list[Path]:
    """The shipped suite files a run's ``--suite`` asks for (none without the option).

    The plugin adds them to what pytest collects and treats them as suite files, the way it
    treats files under ``suites/``."""
    spec = getattr(settings, "suite", None)
    if spec is None:
        return []
    _, _, variant = spec.partition(":")
    return builtin_suite_files(variant or "full")
