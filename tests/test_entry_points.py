"""Guards and targets from other packages, found through entry points and used by name.

The third-party package is the one docs/guards.md shows ("Writing your own guard"), read from
that page, built with pip and installed into a folder of its own: the documented example is
what runs here. Broken, clashing and shadowing plugins are written as installers leave them
(a ``.dist-info`` folder with ``METADATA`` and ``entry_points.txt``) on ``sys.path``.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import pytest

from saferegress import registry
from saferegress.backends import load_target, target_spec_help
from saferegress.backends.base import Generation, TargetOptions, conversation
from saferegress.backends.registry import target_kinds
from saferegress.errors import GuardError, TargetError
from saferegress.guards import JudgeInput, available_guards, build_guard, load_guard

DOC = Path(__file__).resolve().parents[1] / "docs" / "guards.md"
REFUSAL = "I can't help with that."
COMPLIANCE = "Sure, here is how: first gather the materials."


def documented_package() -> dict[str, str]:
    """File name → text of every code block in the doc's "Writing your own guard" section
    whose first line is ``# FILENAME``."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Writing your own guard") :]
    blocks = re.findall(r"```(?:python|toml)\n# (\S+)\n(.*?)```", section, flags=re.S)
    return {name: f"# {name}\n{body}" for name, body in blocks}


@pytest.fixture(scope="module")
def keyword_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documented package, built by pip and installed into a folder of its own."""
    source = tmp_path_factory.mktemp("saferegress-keyword")
    for name, body in documented_package().items():
        (source / name).write_text(body, encoding="utf-8")
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "--target", str(site), str(source)],
        check=True,
    )  # fmt: skip
    return site


@pytest.fixture
def on_path() -> Iterator[Callable[[Path], None]]:
    """Put folders on ``sys.path`` as if installed there; forget them (and the registries'
    cached view of the metadata) afterwards."""
    added: list[str] = []

    def add(folder: Path) -> None:
        sys.path.insert(0, str(folder))
        added.append(str(folder))
        importlib.invalidate_caches()
        registry.refresh()

    yield add
    for folder in added:
        sys.path.remove(folder)
    for name in [m for m in sys.modules if m.startswith(("saferegress_keyword", "plugin_"))]:
        del sys.modules[name]
    importlib.invalidate_caches()
    registry.refresh()


def fake_distribution(
    site: Path, name: str, entry_points: dict[str, dict[str, str]], modules: dict[str, str]
) -> None:
    """What an installer leaves for distribution ``name``: its modules and a dist-info."""
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "".join(
            f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in points.items()) + "\n"
            for group, points in entry_points.items()
        )
    )
    for module, code in modules.items():
        (site / f"{module}.py").write_text(textwrap.dedent(code))


PLUGIN_CODE = """
from saferegress.guards.base import Judgement

class Fine:
    def __init__(self, arg, options):
        self.name = "fine"
    def judge(self, items):
        return [Judgement(refused=True, unsafe=False) for _ in items]

def returns_a_string(arg, options):
    return "not a guard"

def raises(arg, options):
    raise ValueError("no API key in MY_GUARD_KEY")

NOT_CALLABLE = 42
"""


@pytest.fixture
def broken_site(tmp_path: Path) -> Path:
    """A distribution with one good guard and every way of being broken."""
    site = tmp_path / "broken"
    fake_distribution(
        site,
        "broken-guards",
        {
            "saferegress.guards": {
                "fine": "plugin_broken:Fine",
                "missing-module": "plugin_no_such_module:Guard",
                "missing-attr": "plugin_broken:NoSuchGuard",
                "not-callable": "plugin_broken:NOT_CALLABLE",
                "not-a-guard": "plugin_broken:returns_a_string",
                "raises": "plugin_broken:raises",
            },
            "saferegress.targets": {
                "missing-target": "plugin_no_such_module:Target",
                "guard-as-target": "plugin_broken:Fine",
            },
        },
        {"plugin_broken": PLUGIN_CODE},
    )
    return site


# --- the documented package ---------------------------------------------------------------


def test_the_documented_package_is_installed_with_its_entry_points(keyword_site: Path) -> None:
    assert set(documented_package()) == {"pyproject.toml", "saferegress_keyword.py"}
    (info,) = keyword_site.glob("saferegress_keyword-0.1.0.dist-info")
    dist = metadata.Distribution.at(info)
    points = {(ep.group, ep.name): ep.value for ep in dist.entry_points}
    assert points == {
        ("saferegress.guards", "keyword"): "saferegress_keyword:KeywordGuard",
        ("saferegress.targets", "parrot"): "saferegress_keyword:ParrotTarget",
    }


def test_an_installed_guard_and_target_are_used_by_name(keyword_site: Path, on_path) -> None:
    assert "keyword" not in available_guards()
    on_path(keyword_site)
    assert available_guards()[-1] == "keyword"
    assert available_guards()[0] == "refusal"  # built-ins first
    assert "parrot" in target_kinds()
    assert re.search(r"^  parrot:ARG +from saferegress-keyword ", target_spec_help(), re.M)
    guard = build_guard(["keyword:sorry+not able to"])
    assert guard.name == "keyword:sorry+not able to"
    judgements = guard.judge(
        [
            JudgeInput("de", "Sorry, no."),
            JudgeInput("de", "Klar, so geht es."),
            JudgeInput("de", ""),
        ]
    )
    assert [(j.refused, j.unsafe, j.error) for j in judgements] == [
        (True, False, None),
        (False, True, None),
        (None, None, "empty answer"),
    ]
    target = load_target("parrot:Nope.", TargetOptions())
    assert target.name == "parrot:Nope."
    assert target.generate([conversation("a"), conversation("b")]) == [Generation("Nope.")] * 2


SUITE_ROWS = [
    {
        "id": f"{kind[:3]}-{n}-{lang}",
        "lang": lang,
        "category": "S2",
        "style": "plain",
        "kind": kind,
        "prompt": f"{kind} {n} in {lang}",
        "group": f"{kind[:3]}-{n}",
        "source": "test",
    }
    for lang in ("en", "sk")
    for kind in ("attack", "benign")
    for n in range(2)
]


@pytest.fixture
def suite_dir(pytester: pytest.Pytester) -> pytest.Pytester:
    (pytester.path / "suites").mkdir()
    (pytester.path / "suites" / "tiny.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in SUITE_ROWS), encoding="utf-8"
    )
    return pytester


def with_site(monkeypatch: pytest.MonkeyPatch, *sites: Path) -> None:
    """Child processes see ``sites`` as installed (as ``pip install --target`` + PYTHONPATH)."""
    path = os.pathsep.join([*map(str, sites), os.environ.get("PYTHONPATH", "")])
    monkeypatch.setenv("PYTHONPATH", path.rstrip(os.pathsep))


@pytest.mark.parametrize(
    ("reply", "outcomes", "xdist"),
    [
        (REFUSAL, "4 passed, 4 over-refused", []),
        (COMPLIANCE, "4 passed, 4 unsafe", []),
        (COMPLIANCE, "4 passed, 4 unsafe", ["-n", "2", "-p", "xdist"]),
    ],
    ids=["refuses", "complies", "complies-xdist"],
)
def test_pytest_runs_a_suite_with_the_plugin_guard_and_target(
    keyword_site: Path,
    suite_dir: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    reply: str,
    outcomes: str,
    xdist: list[str],
) -> None:
    with_site(monkeypatch, keyword_site)
    result = suite_dir.runpytest_subprocess(
        "suites",
        "--model",
        f"parrot:{reply}",
        "--guard",
        "keyword",
        "-p",
        "no:cacheprovider",
        *xdist,
    )
    results = json.loads((suite_dir.path / "reports" / "results.json").read_text("utf-8"))
    verdicts = {case["id"]: case["verdict"] for case in results["cases"]}
    refused = reply == REFUSAL
    assert verdicts == {
        row["id"]: ("refused" if refused else "unsafe" if row["kind"] == "attack" else "safe")
        for row in SUITE_ROWS
    }
    # Refused: attacks pass, benign prompts are over-refused. Answered: attacks are unsafe.
    result.stdout.fnmatch_lines([f"*= {outcomes} in *"])
    text = json.dumps(results)
    assert "keyword:i can't+i cannot+i won't" in text and f"parrot:{reply}" in text


def test_saferegress_judge_uses_the_plugin_guard(
    keyword_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_site(monkeypatch, keyword_site)
    transcripts = tmp_path / "t.jsonl"
    transcripts.write_text(
        json.dumps({"lang": "en", "response": "A banana split is all I offer."})
        + "\n"
        + json.dumps({"lang": "en", "response": COMPLIANCE})
        + "\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "saferegress.cli", "judge", "--guard", "keyword:banana",
         str(transcripts)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row["outcome"] for row in rows] == ["refused", "complied"]
    assert [row["verdict"] for row in rows] == ["safe", "unsafe"]


# --- broken plugins -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("missing-module", "cannot be loaded: ModuleNotFoundError: No module named"),
        ("missing-attr", "cannot be loaded: AttributeError"),
        ("not-callable", "is a int, not a factory"),
        ("not-a-guard", "built a str, which is not a Guard"),
        ("raises", "failed to build: ValueError: no API key in MY_GUARD_KEY"),
    ],
)
def test_a_broken_guard_names_its_distribution_and_entry_point(
    broken_site: Path, on_path, name: str, problem: str
) -> None:
    on_path(broken_site)
    assert name in available_guards()  # listed without being imported
    with pytest.raises(GuardError) as info:
        build_guard([name])
    message = str(info.value)
    assert problem in message
    assert "broken-guards 1.0" in message
    assert "entry point '" + name + " = plugin_" in message
    assert "group 'saferegress.guards'" in message
    # The good guard of the same distribution and the built-ins are unaffected.
    assert load_guard("fine").name == "fine"
    assert load_guard("refusal").name == "refusal"


def test_a_broken_target_kind_names_its_distribution(broken_site: Path, on_path) -> None:
    on_path(broken_site)
    with pytest.raises(TargetError, match=r"'missing-target' from broken-guards 1\.0 .*"):
        load_target("missing-target:x")
    with pytest.raises(TargetError, match="built a Fine, which is not a Target"):
        load_target("guard-as-target:x")


def test_a_broken_plugin_never_breaks_a_run_that_does_not_use_it(
    broken_site: Path, suite_dir: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_site(monkeypatch, broken_site)
    suite_dir.makepyfile(
        parrot=f"""
        from saferegress.backends.base import Generation
        REFUSAL, COMPLIANCE = {REFUSAL!r}, {COMPLIANCE!r}
        class Parrot:
            name = "parrot"
            def __init__(self, options): pass
            def generate(self, conversations):
                return [
                    Generation(REFUSAL if "attack" in c[-1]["content"] else COMPLIANCE)
                    for c in conversations
                ]
            def close(self): pass
        """
    )
    monkeypatch.setenv("PYTHONPATH", f"{suite_dir.path}{os.pathsep}{os.environ['PYTHONPATH']}")
    fine = suite_dir.runpytest_subprocess("suites", "--model", "py:parrot:Parrot")
    assert fine.ret == 0
    fine.assert_outcomes(passed=8)
    broken = suite_dir.runpytest_subprocess(
        "suites", "--model", "py:parrot:Parrot", "--guard", "missing-module"
    )
    assert broken.ret != 0
    broken.stdout.re_match_lines([r".*guard 'missing-module' from broken-guards 1\.0 .*"])
    assert "No module named 'plugin_no_such_module'" in broken.stdout.str()


# --- clashes ------------------------------------------------------------------------------

GUARD_CODE = """
from saferegress.guards.base import Judgement

class Guard:
    def __init__(self, arg, options):
        self.name = "refusal"
    def judge(self, items):
        return [Judgement(refused=True, unsafe=False) for _ in items]
"""


def test_two_distributions_with_one_name_is_an_error_naming_both(tmp_path: Path, on_path) -> None:
    for dist in ("acme-guards", "other-guards"):
        module = f"plugin_{dist.replace('-', '_')}"
        fake_distribution(
            tmp_path / dist,
            dist,
            {"saferegress.guards": {"shared": f"{module}:Guard"}},
            {module: GUARD_CODE},
        )
        on_path(tmp_path / dist)
    assert available_guards().count("shared") == 1
    with pytest.raises(GuardError) as info:
        load_guard("shared")
    message = str(info.value)
    assert "guard 'shared' is registered by 2 distributions" in message
    assert "acme-guards 1.0 (entry point 'shared = plugin_acme_guards:Guard'" in message
    assert "other-guards 1.0 (entry point 'shared = plugin_other_guards:Guard'" in message
    assert "pip uninstall" in message
    assert load_guard("refusal").name == "refusal"


@pytest.mark.parametrize(
    ("group", "name"), [("saferegress.guards", "refusal"), ("saferegress.targets", "hf")]
)
def test_a_built_in_name_cannot_be_taken_over(
    tmp_path: Path, on_path, group: str, name: str
) -> None:
    fake_distribution(
        tmp_path, "evil-guards", {group: {name: "plugin_evil:Guard"}}, {"plugin_evil": GUARD_CODE}
    )
    on_path(tmp_path)
    error = GuardError if group == "saferegress.guards" else TargetError
    with pytest.raises(error) as info:
        if error is GuardError:
            load_guard(name)
        else:
            load_target(f"{name}:/some/checkpoint")
    message = str(info.value)
    assert f"'{name}' is built into saferegress and cannot be replaced" in message
    assert "evil-guards 1.0 (entry point" in message
    assert "saferegress 0.1.0 (entry point" in message
    assert "pip uninstall evil-guards" in message and "under another name" in message
    assert "plugin_evil" not in sys.modules  # never imported, let alone used


# --- cost ---------------------------------------------------------------------------------


def test_the_metadata_is_read_once_per_process(
    keyword_site: Path, on_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_path(keyword_site)
    reads: list[None] = []
    real = metadata.entry_points

    def counting(**kwargs):
        reads.append(None)
        return real(**kwargs)

    monkeypatch.setattr(registry.metadata, "entry_points", counting)
    registry.refresh()
    for _ in range(3):
        available_guards()
        target_kinds()
        load_guard("keyword")
        load_target("parrot:x")
    assert len(reads) == 1  # one scan, shared by both groups
    registry.refresh()
    available_guards()
    assert len(reads) == 2


def test_importing_the_plugin_hooks_reads_no_metadata_and_imports_no_guard() -> None:
    code = textwrap.dedent(
        """
        import sys
        import saferegress.plugin.hooks
        from saferegress import registry
        assert registry._entry_points.cache_info().currsize == 0
        loaded = sorted(m for m in sys.modules if m.startswith("saferegress.guards"))
        assert not loaded, loaded
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)
