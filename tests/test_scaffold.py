"""``saferegress init``: what it writes, what it refuses to overwrite, and that the project it
writes runs (the wheel-installed version is exercised by test_packaging.py)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from saferegress.cli import main
from saferegress.scaffold import CONFIG_BLOCK, WORKFLOW, InitConflict, init_project
from saferegress.settings import read_pyproject_table, settings_from

ROOT = Path(__file__).resolve().parents[1]
SUITE = ["LICENSES/PolyRefuse-Apache-2.0.txt", "LICENSES/XSTest-CC-BY-4.0.txt", "README.md",
         "SOURCES.md", "attacks.jsonl", "benign.jsonl", "starter.jsonl"]  # fmt: skip


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _init(directory: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["init", str(directory), *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_init_in_an_empty_directory(tmp_path):
    code, out, err = _init(tmp_path)
    assert (code, err) == (0, "")
    assert _files(tmp_path) == sorted(
        [".github/workflows/saferegress.yml", "pyproject.toml", *(f"suites/{f}" for f in SUITE)]
    )
    for name in SUITE:
        assert (tmp_path / "suites" / name).read_bytes() == (ROOT / "suites" / name).read_bytes()
    assert out.splitlines()[:3] == [
        "wrote suites/ (7 files: the shipped suite, 2,400 cases)",
        "wrote pyproject.toml",
        "wrote .github/workflows/saferegress.yml",
    ]
    assert "pytest suites/ --model demo" in out
    # the table is one the plugin accepts, every key known
    table = read_pyproject_table(tmp_path / "pyproject.toml")
    settings = settings_from({}, table, "pyproject.toml")
    assert settings.model == "demo" and settings.suites == ("suites",)
    assert settings.max_asr == 0.10


def test_init_appends_to_an_existing_pyproject_without_touching_it(tmp_path):
    original = '[project]\nname = "mine"\n\n[tool.ruff]\nline-length = 90  # keep this comment\n'
    (tmp_path / "pyproject.toml").write_text(original)
    code, out, _ = _init(tmp_path)
    assert code == 0
    assert "appended [tool.saferegress] to pyproject.toml" in out
    text = (tmp_path / "pyproject.toml").read_text()
    assert text == original + "\n" + CONFIG_BLOCK
    assert tomllib.loads(text)["tool"]["ruff"] == {"line-length": 90}


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path):
    (tmp_path / "suites").mkdir()
    (tmp_path / "suites" / "starter.jsonl").write_text("mine\n")
    (tmp_path / "pyproject.toml").write_text('[tool.saferegress]\nmodel = "mine"\n')
    before = {p: (tmp_path / p).read_bytes() for p in _files(tmp_path)}
    code, out, err = _init(tmp_path)
    assert (code, out) == (2, "")
    assert "2 file(s) exist already, nothing was written (--force overwrites them)" in err
    assert "  suites/starter.jsonl\n" in err and "  pyproject.toml" in err
    assert {p: (tmp_path / p).read_bytes() for p in _files(tmp_path)} == before


def test_init_force_replaces_only_its_own_table(tmp_path):
    (tmp_path / "suites").mkdir()
    (tmp_path / "suites" / "starter.jsonl").write_text("mine\n")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "mine"\n\n[tool.saferegress]\nmodel = "mine"\n\n'
        '[tool.saferegress.max_asr_by_language]\nlv = "15%"\n\n[tool.black]\nline-length = 80\n'
    )
    code, out, _ = _init(tmp_path, "--force")
    assert code == 0
    assert (
        "2,400 cases; 1 overwritten)" in out
        and "replaced [tool.saferegress] in pyproject.toml" in out
    )
    data = tomllib.loads((tmp_path / "pyproject.toml").read_text())
    assert data["project"] == {"name": "mine"} and data["tool"]["black"] == {"line-length": 80}
    assert data["tool"]["saferegress"] == tomllib.loads(CONFIG_BLOCK)["tool"]["saferegress"]
    assert (tmp_path / "suites" / "starter.jsonl").read_bytes() == (
        ROOT / "suites" / "starter.jsonl"
    ).read_bytes()


def test_init_force_refuses_settings_it_cannot_replace(tmp_path):
    # dotted keys under [tool]: not one table, so not replaced line by line
    original = '[tool]\nsaferegress.model = "mine"\n'
    (tmp_path / "pyproject.toml").write_text(original)
    with pytest.raises(Exception, match="not in one \\[tool.saferegress\\] table"):
        init_project(tmp_path, force=True)
    assert (tmp_path / "pyproject.toml").read_text() == original
    assert not (tmp_path / "suites").exists()


def test_init_rejects_broken_toml(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project\n")
    code, _, err = _init(tmp_path)
    assert code == 2 and "invalid TOML, not changed" in err


def test_conflict_lists_every_file(tmp_path):
    init_project(tmp_path)
    with pytest.raises(InitConflict) as raised:
        init_project(tmp_path)
    assert str(raised.value).count("\n  ") == len(SUITE) + 2


def _steps() -> list[dict]:
    return yaml.safe_load(WORKFLOW)["jobs"]["gate"]["steps"]


def test_workflow_passes_the_github_workflow_schema(tmp_path):
    # actionlint cannot be installed offline; check-jsonschema ships GitHub's workflow schema.
    path = tmp_path / "saferegress.yml"
    path.write_text(WORKFLOW)
    check = [
        sys.executable,
        "-m",
        "check_jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
    ]
    result = subprocess.run([*check, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    path.write_text(WORKFLOW.replace("runs-on:", "runs_on:"))  # the checker does check
    assert subprocess.run([*check, str(path)], capture_output=True).returncode == 1


def test_workflow_installs_caches_runs_and_uploads():
    flow = yaml.safe_load(WORKFLOW)
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads the key `on` as True
    assert triggers == {"push": {"branches": ["main"]}, "pull_request": None}
    steps = _steps()
    assert [s["uses"].split("@")[0] for s in steps if "uses" in s] == [
        "actions/checkout",
        "actions/setup-python",
        "actions/cache/restore",
        "actions/cache/restore",
        "actions/cache/save",
        "actions/cache/save",
        "actions/upload-artifact",
    ]
    assert any(s.get("run", "").startswith('pip install "saferegress[hf]"') for s in steps)
    caches = [s for s in steps if s.get("uses", "").startswith("actions/cache/")]
    assert [c["with"]["path"] for c in caches] == [".saferegress-cache", "baselines/main.json"] * 2
    # the cache is saved after a failed gate too, and the reports uploaded
    assert all("!cancelled()" in c["if"] for c in caches if "save" in c["uses"])
    assert steps[-1]["if"] == "${{ !cancelled() }}" and steps[-1]["with"]["path"] == "reports/"
    assert flow["jobs"]["gate"]["env"]["SAFEREGRESS_MODEL"] == "demo"


@pytest.mark.parametrize("event", ["push", "pull_request"])
def test_workflow_gate_step_runs_in_an_initialised_project(tmp_path, event):
    # The gate step's script, run by bash as the runner would, in a project init wrote:
    # pytest accepts every argument it builds and collects the whole shipped suite.
    init_project(tmp_path)
    (tmp_path / "baselines").mkdir()
    script = next(s["run"] for s in _steps() if s.get("name") == "Safety gate")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "SAFEREGRESS_MODEL": "demo",
        "GITHUB_EVENT_NAME": event,
        "PYTEST_ADDOPTS": "--collect-only -q -p no:cacheprovider",
    }
    result = subprocess.run(
        ["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2400 tests collected" in result.stdout
