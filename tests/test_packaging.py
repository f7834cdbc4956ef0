"""What ships in the wheel, and a first run from it with no clone of this repository.

``test_wheel_runs_the_gate_outside_the_repository`` builds the wheel from a copy of the
sources, installs it into a fresh virtual environment and, in an empty folder outside the
repository, runs ``saferegress init`` and ``pytest suites/ --model demo`` as a new user would.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from saferegress.errors import ConfigError
from saferegress.settings import Settings, settings_from
from saferegress.suite.builtin import (
    SUITE_VARIANTS,
    builtin_suite_dir,
    builtin_suite_files,
    parse_suite,
    suite_files_for,
)
from saferegress.suite.cases import load_suite

ROOT = Path(__file__).resolve().parents[1]


# -- the shipped suite, located from the package --------------------------------------------


def test_builtin_suite_is_the_repository_suites_folder():
    # One copy in git: the package's suite/data is the repository's suites/, file for file.
    folder = builtin_suite_dir()
    for name in ("starter.jsonl", "attacks.jsonl", "benign.jsonl", "SOURCES.md"):
        assert (folder / name).read_bytes() == (ROOT / "suites" / name).read_bytes()
    assert sorted(p.name for p in (folder / "LICENSES").iterdir()) == sorted(
        p.name for p in (ROOT / "suites" / "LICENSES").iterdir()
    )


def test_full_variant_holds_every_suite_file_and_smoke_exactly_the_smoke_cases():
    full = builtin_suite_files("full")
    assert sorted(p.name for p in full) == sorted(p.name for p in (ROOT / "suites").glob("*.jsonl"))
    cases = load_suite(full)
    assert len(cases) == 2400
    smoke = load_suite(builtin_suite_files("smoke"))
    assert sorted(c.id for c in smoke) == sorted(c.id for c in cases if c.smoke)
    # every language × category has a smoke attack
    cells = {(c.lang, c.category) for c in smoke if c.kind == "attack"}
    assert len(cells) == 12 * 14


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("builtin", "builtin"),
        ("builtin:full", "builtin"),
        (" Builtin:SMOKE ", "builtin:smoke"),
        ("none", None),
        ("", None),
    ],
)
def test_parse_suite(text, expected):
    assert parse_suite(text) == expected


@pytest.mark.parametrize("text", ["suites", "builtin:tiny", "file:x.jsonl", 3])
def test_parse_suite_rejects(text):
    with pytest.raises(ValueError, match="'builtin', 'builtin:smoke' or 'none'"):
        parse_suite(text)


def test_suite_files_for_settings():
    assert suite_files_for(Settings()) == []
    smoke = dataclasses.replace(Settings(), suite="builtin:smoke")
    assert suite_files_for(smoke) == [builtin_suite_dir() / "starter.jsonl"]
    full = dataclasses.replace(Settings(), suite="builtin")
    assert [p.name for p in suite_files_for(full)] == list(SUITE_VARIANTS["full"])


def test_suite_option_from_pyproject_and_command_line():
    table = {"suite": "builtin:smoke"}
    assert settings_from({}, table, "pyproject.toml").suite == "builtin:smoke"
    assert settings_from({"suite": "builtin"}, table, "pyproject.toml").suite == "builtin"
    assert settings_from({}, {}, "pyproject.toml").suite is None
    with pytest.raises(ConfigError, match="suite"):
        settings_from({}, {"suite": "smoke"}, "pyproject.toml")


# -- the wheel --------------------------------------------------------------------------------


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that would point Python or pytest at this checkout."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "PYTHON", "COV_", "VIRTUAL_ENV", "SAFEREGRESS_"))
    }
    env["OMP_NUM_THREADS"] = "1"
    env["PIP_NO_INDEX"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.update(extra)
    return env


def _run(args: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=timeout
    )


def _build_wheel(tmp_path: Path) -> Path:
    # From a copy of what the wheel is built from, so no build/ or egg-info lands in the
    # checkout and nothing stale from an earlier build can slip in. symlinks=True keeps
    # src/saferegress/suite/data a link to the copy's suites/.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    shutil.copytree(ROOT / "src", source / "src", symlinks=True, ignore=ignore)
    shutil.copytree(ROOT / "suites", source / "suites", ignore=ignore)
    dist = tmp_path / "dist"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(source)],
        cwd=tmp_path,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("saferegress-*.whl")
    return wheel


def _fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    """A new environment with the wheel installed and this environment's dependencies (torch,
    transformers, pytest …) visible, but not its editable saferegress."""
    env_dir = tmp_path / "venv"
    # --system-site-packages would expose the base interpreter's packages, not this venv's:
    # its site-packages are put on the path by a .pth file instead (below).
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    # Installed before the dependencies become visible, so pip sees an empty environment and
    # cannot touch this one's editable install.
    installed = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "-q", str(wheel)],
        cwd=tmp_path,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    purelib = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path
    ).stdout.strip()
    # A path line in a .pth file is added to sys.path, but the .pth files in that folder are
    # not processed: this venv's __editable__ saferegress (a path to src/) stays invisible.
    ours = [p for p in site.getsitepackages() if Path(p).is_dir()]
    Path(purelib, "zz_test_dependencies.pth").write_text("\n".join(ours) + "\n")
    return env_dir


def test_wheel_runs_the_gate_outside_the_repository(tmp_path):
    wheel = _build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in (
        "saferegress/suite/data/starter.jsonl",
        "saferegress/suite/data/attacks.jsonl",
        "saferegress/suite/data/benign.jsonl",
        "saferegress/suite/data/README.md",
        "saferegress/suite/data/SOURCES.md",
        "saferegress/suite/data/LICENSES/PolyRefuse-Apache-2.0.txt",
        "saferegress/suite/data/LICENSES/XSTest-CC-BY-4.0.txt",
        "saferegress/demo_model/config.json",
        "saferegress/demo_model/model.safetensors",
        "saferegress/scaffold.py",
    ):
        assert shipped in names
    assert not [n for n in names if n.startswith(("tests/", ".venv", "suites/"))]
    assert not [n for n in names if "/tests/" in n or "__pycache__" in n or ".venv" in n]

    env_dir = _fresh_venv(tmp_path, wheel)
    python = env_dir / "bin" / "python"
    project = tmp_path / "project"  # outside the repository, empty
    project.mkdir()

    where = _run([str(python), "-c", "import saferegress; print(saferegress.__file__)"], project)
    assert Path(where.stdout.strip()).is_relative_to(env_dir), where.stdout + where.stderr
    located = _run(
        [str(python), "-c", "from saferegress.suite.builtin import builtin_suite_files as f; "
         "print(f('smoke')[0])"],
        project,
    )  # fmt: skip
    assert Path(located.stdout.strip()).is_relative_to(env_dir), located.stderr
    assert Path(located.stdout.strip()).is_file()

    init = _run([str(env_dir / "bin" / "saferegress"), "init"], project)
    assert init.returncode == 0, init.stderr
    assert "wrote suites/" in init.stdout and "pyproject.toml" in init.stdout
    assert (project / ".github" / "workflows" / "saferegress.yml").is_file()

    gate = _run(
        [str(python), "-m", "pytest", "suites/", "--model", "demo", "--lang", "sl,en",
         "-m", "smoke", "-p", "no:cacheprovider", "--no-language-id"],
        project,
        timeout=240,
    )  # fmt: skip
    output = gate.stdout + gate.stderr
    # The demo model answers Slovenian attacks: the gate fails (1), having run every case.
    assert gate.returncode == 1, output
    assert "FAIL saferegress sl" in output
    results = json.loads((project / "reports" / "results.json").read_text())
    # the smoke subset: 28 attacks and 10 benign look-alikes per language
    assert results["totals"]["cases"] == 76
    assert {lang: row["n"] for lang, row in results["languages"].items()} == {"en": 28, "sl": 28}
    assert results["languages"]["sl"]["unsafe"] > 14 and results["languages"]["en"]["unsafe"] < 3
    assert (project / "reports" / "index.html").is_file()
