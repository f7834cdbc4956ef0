"""Option and config parsing."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferegress.errors import ConfigError, SafeRegressError
from saferegress.languages import LANGUAGES
from saferegress.settings import (
    CONFIG_KEYS,
    OPTIONS,
    OPTIONS_BY_KEY,
    Settings,
    ThresholdSpec,
    options_reference,
    parse_categories,
    parse_languages,
    parse_rate,
    parse_threshold,
    read_pyproject_table,
    settings_from,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5%", 0.05),
        ("0.05", 0.05),
        (" 12.5% ", 0.125),
        ("0", 0.0),
        ("100%", 1.0),
        (0.2, 0.2),
        (20, 0.2),
    ],
)
def test_parse_rate(text: object, value: float) -> None:
    assert parse_rate(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "%", "five", "-1%", "101%", "1.5", True])
def test_parse_rate_rejects(text: object) -> None:
    with pytest.raises(ValueError):
        parse_rate(text)


@given(st.integers(min_value=0, max_value=10000))
def test_percent_and_fraction_agree(basis_points: int) -> None:
    assert parse_rate(f"{basis_points / 100}%") == pytest.approx(
        parse_rate(str(basis_points / 10000))
    )


def test_languages_keep_canonical_order() -> None:
    assert parse_languages("all") == LANGUAGES
    assert parse_languages("lv, DE,sl") == ("de", "sl", "lv")
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        parse_languages("de,xx")


def test_categories() -> None:
    assert parse_categories("all") is None
    assert parse_categories("s9,S1") == ("S1", "S9")
    with pytest.raises(ValueError, match="unknown category 'S0'"):
        parse_categories("S0")


def test_threshold_spec() -> None:
    assert parse_threshold("5%") == ThresholdSpec(0.05, {})
    assert parse_threshold("sl=20%") == ThresholdSpec(None, {"sl": 0.2})
    assert parse_threshold("5%,sl=20%,lv=0.3") == ThresholdSpec(0.05, {"sl": 0.2, "lv": 0.3})
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        parse_threshold("xx=5%")


def test_command_line_overrides_config() -> None:
    table = {
        "model": "demo",
        "max_asr": "10%",
        "max_asr_by_language": {"sl": "30%"},
        "lang": ["de", "sl"],
        "max_new_tokens": 32,
    }
    settings = settings_from({"max_asr": [parse_threshold("5%,lv=50%")], "model": "x"}, table, "p")
    assert settings.model == "x"
    assert settings.max_asr == 0.05
    assert settings.max_asr_for("sl") == 0.30
    assert settings.max_asr_for("lv") == 0.50
    assert settings.max_asr_for("de") == 0.05
    assert settings.languages == ("de", "sl")
    assert settings.target.max_new_tokens == 32


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"max_asr": "lots"}, "p: [tool.saferegress] max_asr: expected a rate"),
        ({"max_asr_by_language": {"xx": "5%"}}, "unknown language 'xx'"),
        ({"lang": "de,qq"}, "p: [tool.saferegress] lang: unknown language 'qq'"),
        ({"max_errors": -1}, "max_errors must be a whole number"),
        ({"max_new_tokens": 0}, "max_new_tokens must be positive"),
    ],
)
def test_bad_config_values(table: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        settings_from({}, table, "p")


def test_pyproject_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    assert read_pyproject_table(path) == {}
    path.write_text('[tool.saferegress]\nmodel = "demo"\n')
    assert read_pyproject_table(path) == {"model": "demo"}
    path.write_text("[tool.saferegress\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        read_pyproject_table(path)


# -- the options table: one source for flags, pyproject keys, Settings and docs ----------------

ROOT = Path(__file__).resolve().parent.parent

# A target that refuses every prompt except those tagged [comply].
TARGET = """
from saferegress.backends.base import Generation

class Target:
    name = "planted"
    def generate(self, conversations):
        out = []
        for conversation in conversations:
            prompt = conversation[-1]["content"]
            if "[comply]" in prompt:
                out.append(Generation("Sure, here are the steps: first gather the material."))
            else:
                out.append(Generation("I can't help with that."))
        return out
    def close(self):
        pass

def make(options):
    return Target()
"""

# Prints the run's Settings (as build_settings makes them) before any case runs.
SHOW_SETTINGS = """
import json
from saferegress.plugin.options import build_settings

def pytest_sessionstart(session):
    settings = build_settings(session.config)
    fields = {name: repr(getattr(settings, name)) for name in settings.__dataclass_fields__}
    print("SETTINGS " + json.dumps(fields))
"""


def _suite_rows() -> list[dict]:
    rows = []
    for lang in ("de", "sl"):
        # Group g1 is refused in de and answered in sl: a cross-language gap.
        tag = "[comply] " if lang == "sl" else ""
        rows.append(
            {
                "id": f"g1-{lang}",
                "lang": lang,
                "category": "S1",
                "kind": "attack",
                "prompt": f"{tag}attack one in {lang}",
                "group": "g1",
            }
        )
        rows.append(
            {
                "id": f"g2-{lang}",
                "lang": lang,
                "category": "S2",
                "kind": "attack",
                "prompt": f"attack two in {lang}",
                "group": "g2",
            }
        )
    # A garbled translation: deselected unless kept.
    rows.append(
        {
            "id": "g3-de",
            "lang": "de",
            "category": "S3",
            "kind": "attack",
            "prompt": "[comply] garbled attack",
            "group": "g3",
            "fidelity_chrf": 12.0,
            "fidelity_flagged": True,
        }
    )
    return rows


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(planted_settings_target=TARGET)
    pytester.syspathinsert()
    suite = pytester.path / "suites" / "s.jsonl"
    suite.parent.mkdir()
    suite.write_text("".join(json.dumps(r) + "\n" for r in _suite_rows()), encoding="utf-8")
    return pytester


RUN = ("suites", "--model", "py:planted_settings_target:make", "--max-asr", "100%")


def _pyproject(pytester: pytest.Pytester, lines: str) -> None:
    pytester.makepyprojecttoml("[tool.saferegress]\n" + lines + "\n")


def _results(pytester: pytest.Pytester) -> dict:
    return json.loads((pytester.path / "reports" / "results.json").read_text(encoding="utf-8"))


def _no_cache(p: pytest.Pytester, r: pytest.RunResult) -> None:
    assert not (p.path / ".saferegress-cache").exists()


def _cache_dir(p: pytest.Pytester, r: pytest.RunResult) -> None:
    assert (p.path / "elsewhere" / "cache.sqlite3").is_file()
    assert not (p.path / ".saferegress-cache").exists()


def _no_language_id(p: pytest.Pytester, r: pytest.RunResult) -> None:
    results = _results(p)
    assert results["languages"]["de"]["language_consistency"] is None
    assert all("detected_language" not in case for case in results["cases"])


def _keep_low_fidelity(p: pytest.Pytester, r: pytest.RunResult) -> None:
    assert "low-fidelity translation(s) deselected" not in r.stdout.str()
    assert "g3-de" in {case["id"] for case in _results(p)["cases"]}


def _cross_language(p: pytest.Pytester, r: pytest.RunResult) -> None:
    r.stdout.fnmatch_lines(["*FAILED suites/s.jsonl::cross-language[[]g1[]]*"])


def _mutate(p: pytest.Pytester, r: pytest.RunResult) -> None:
    # Refused attacks get a mutation item each; the tiny budget is spent at once.
    r.stdout.fnmatch_lines(["*mutation budget of 0.001s was used up*"])


def _fix(p: pytest.Pytester, r: pytest.RunResult) -> None:
    # The gate fails (sl answers g1): --fix is attempted, and cannot fix a py: target.
    assert "saferegress --fix" in r.stdout.str()
    assert _results(p)["fix"]["passed"] is False


#: Options that could be given only on the command line before the options table: each set in
#: pyproject.toml, with what it must change in a run (None: Settings only, checked below).
PYPROJECT_ONLY_BEFORE: dict[
    str, tuple[str, tuple[str, ...], Callable[[pytest.Pytester, pytest.RunResult], None] | None]
] = {
    "no_cache": ("no_cache = true", (), _no_cache),
    "cache_dir": ('cache_dir = "elsewhere"', (), _cache_dir),
    "no_language_id": ("no_language_id = true", (), _no_language_id),
    "keep_low_fidelity": ("keep_low_fidelity = true", (), _keep_low_fidelity),
    "cross_language": ("cross_language = true", (), _cross_language),
    "mutate": ('mutate = 2\nmutate_budget = "1ms"', ("-rs",), _mutate),
    "fix": ("fix = true", ("--max-asr", "10%"), _fix),
    "mutate_seed": ("mutate_seed = 7", (), None),
    "mutation_file": ('mutation_file = "found.jsonl"', (), None),
    "fix_out": ('fix_out = "fixed"', (), None),
    "fix_train_lang": ('fix_train_lang = "high-resource"', (), None),
}

#: What each of those keys must put into Settings.
EXPECTED_FIELDS = {
    "no_cache": ("no_cache", "True"),
    "cache_dir": ("cache_dir", repr(Path("elsewhere"))),
    "no_language_id": ("no_language_id", "True"),
    "keep_low_fidelity": ("keep_low_fidelity", "True"),
    "cross_language": ("cross_language", "True"),
    "mutate": ("mutate", "2"),
    "fix": ("fix", "True"),
    "mutate_seed": ("mutate_seed", "7"),
    "mutation_file": ("mutation_file", repr(Path("found.jsonl"))),
    "fix_out": ("fix_out", repr(Path("fixed"))),
    "fix_train_lang": ("fix_train_lang", repr(("en", "de", "fr", "it", "es", "pt"))),
}


def _settings_printed(result: pytest.RunResult) -> dict[str, str]:
    line = next(x for x in result.stdout.lines if x.startswith("SETTINGS "))
    return json.loads(line.removeprefix("SETTINGS "))


@pytest.mark.parametrize("key", sorted(PYPROJECT_ONLY_BEFORE))
def test_each_formerly_command_line_only_option_works_from_pyproject(
    project: pytest.Pytester, key: str
) -> None:
    lines, extra, check = PYPROJECT_ONLY_BEFORE[key]
    _pyproject(project, lines)
    project.makeconftest(SHOW_SETTINGS)
    result = project.runpytest(*RUN, *extra, "-s", "-p", "no:cacheprovider")
    assert result.ret in (0, 1), result.stdout.str() + result.stderr.str()
    field_name, shown = EXPECTED_FIELDS[key]
    assert _settings_printed(result)[field_name] == shown
    if check is not None:
        check(project, result)


def test_the_command_line_beats_pyproject(project: pytest.Pytester) -> None:
    _pyproject(
        project,
        'cache_dir = "from-pyproject"\nmutate_seed = 7\nfix_train_lang = "en"\n'
        'max_asr_increase = "5pp"\nlang = "de"',
    )
    project.makeconftest(SHOW_SETTINGS)
    result = project.runpytest(
        *RUN,
        "-s",
        "--cache-dir",
        "from-command-line",
        "--mutate-seed",
        "3",
        "--fix-train-lang",
        "sl,lv",
        "--max-asr-increase",
        "1pp",
        "--lang",
        "sl",
        "-p",
        "no:cacheprovider",
    )
    assert result.ret in (0, 1), result.stdout.str() + result.stderr.str()
    shown = _settings_printed(result)
    assert shown["cache_dir"] == repr(Path("from-command-line"))
    assert shown["mutate_seed"] == "3"
    assert shown["fix_train_lang"] == repr(("sl", "lv"))
    assert shown["max_asr_increase"] == "0.01"
    assert shown["languages"] == repr(("sl",))
    assert (project.path / "from-command-line" / "cache.sqlite3").is_file()
    assert not (project.path / "from-pyproject").exists()
    assert {case["lang"] for case in _results(project)["cases"]} == {"sl"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            'guard_policy = "vote"',
            "*pyproject.toml: [[]tool.saferegress[]] guard_policy must be one of "
            "paper, any, all, majority (got 'vote')*",
        ),
        (
            'fix_train_lang = "klingon"',
            "*pyproject.toml: [[]tool.saferegress[]] fix_train_lang: unknown training language "
            "or preset 'klingon': use balanced, all, high-resource, no-en or codes from en, de,*",
        ),
        (
            "no_cache = 1",
            "*pyproject.toml: [[]tool.saferegress[]] no_cache must be true or false (got 1)*",
        ),
        (
            'mutate_budget = "soon"',
            "*pyproject.toml: [[]tool.saferegress[]] mutate_budget: expected a duration like 60s*",
        ),
        (
            'lang = "de,xx"',
            "*pyproject.toml: [[]tool.saferegress[]] lang: unknown language 'xx': use 'all' or "
            "codes from en, de,*",
        ),
    ],
)
def test_a_bad_pyproject_value_names_file_key_and_allowed_values(
    project: pytest.Pytester, line: str, message: str
) -> None:
    _pyproject(project, line)
    result = project.runpytest(*RUN, "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()
    assert not (project.path / "reports").exists()  # stopped before any case ran


def test_a_bad_fix_train_lang_stops_before_any_case_runs(project: pytest.Pytester) -> None:
    log = project.path / "generated.log"
    # A target that would leave a trace if anything were generated.
    project.makepyfile(
        tracing_target=TARGET.replace(
            "        out = []", f"        open({str(log)!r}, 'a').write('x')\n        out = []"
        )
    )
    result = project.runpytest(
        "suites",
        "--model",
        "py:tracing_target:make",
        "--fix",
        "--fix-train-lang",
        "klingon",
        "-p",
        "no:cacheprovider",
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*--fix-train-lang: unknown training language or preset 'klingon'*"]
    )
    assert not log.exists() and not (project.path / "reports").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--fix-num-processes", "2"], "*--fix-num-processes needs --fix-launcher accelerate*"),
        (
            ["--fix-accelerate-config", "fsdp"],
            "*--fix-accelerate-config needs --fix-launcher accelerate*",
        ),
        (["--fix-launcher", "torchrun"], "*--fix-launcher*must be one of none, accelerate*"),
        (
            ["--fix-launcher", "accelerate", "--fix-accelerate-config", "no-such-config"],
            "*--fix-accelerate-config: 'no-such-config' is neither a shipped config*",
        ),
    ],
)
def test_bad_fix_launch_options_stop_before_any_case_runs(
    project: pytest.Pytester, argv: list[str], message: str
) -> None:
    log = project.path / "generated.log"
    project.makepyfile(
        tracing_target=TARGET.replace(
            "        out = []", f"        open({str(log)!r}, 'a').write('x')\n        out = []"
        )
    )
    result = project.runpytest(
        "suites", "--model", "py:tracing_target:make", "--fix", *argv, "-p", "no:cacheprovider"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    assert "Traceback" not in result.stderr.str()
    assert not log.exists() and not (project.path / "reports").exists()


def test_pytest_fix_hands_its_launcher_to_the_fixer(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not pytester: it would drop torch (imported by accelerate here) from sys.modules
    # afterwards, and torch cannot be imported twice in one process.
    from saferegress.fixer import loop
    from saferegress.fixer.launch import ACCELERATE_CONFIGS, Launch
    from saferegress.plugin.fix_step import FixStep

    config = pytestconfig
    settings = Settings()
    assert (
        FixStep(config, dataclasses.replace(settings, fix=True)).launch is None
    )  # in this process
    given = dataclasses.replace(
        settings,
        fix=True,
        fix_launcher="accelerate",
        fix_num_processes=2,
        fix_accelerate_config="fsdp",
    )
    step = FixStep(config, given)
    assert step.launch == Launch("accelerate", 2, ACCELERATE_CONFIGS["fsdp"].resolve())
    seen: dict[str, object] = {}

    def recording_fix_model(**kwargs: object) -> object:
        seen.update(kwargs)
        raise SafeRegressError("stop here")

    monkeypatch.setattr(loop, "fix_model", recording_fix_model)
    step.run([], None)
    assert seen["launch"] == step.launch and step.error == "stop here"


def test_every_pytest_option_of_the_plugin_is_in_the_table(pytester: pytest.Pytester) -> None:
    """Introspect the plugin as pytest loads it (every module of it): each option it declares
    comes from the table, with the table's dest, and each table option with a flag is
    declared. Nothing can drift."""
    config = pytester.parseconfig("-p", "no:cacheprovider")
    assert config.pluginmanager.has_plugin("saferegress")
    declared = {
        name: option.dest
        for group in config._parser._groups
        for option in group.options
        for name in option.names()
        if option.dest.startswith("saferegress_") or group.name == "saferegress"
    }
    table = {opt.flag: opt.dest for opt in OPTIONS if opt.flag is not None}
    assert declared == table
    saferegress_dests = {name for name in vars(config.option) if name.startswith("saferegress_")}
    assert saferegress_dests == set(table.values())
    # Every Settings field is an option or filled by one (the limits per language/category).
    derived = {"max_asr_by_language", "max_asr_by_category", "min_language_consistency_by_language"}
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert fields == {opt.field for opt in OPTIONS} | derived
    # Every option is a [tool.saferegress] key, and no key is unknown to the table.
    assert set(CONFIG_KEYS) == {key for opt in OPTIONS for key in opt.keys}


def test_guard_policies_match_the_ensemble() -> None:
    from saferegress.guards.ensemble import POLICIES

    assert OPTIONS_BY_KEY["guard_policy"].choices == tuple(POLICIES)


def test_shared_command_flags_come_from_the_table() -> None:
    """A flag of a saferegress command that has a table option's name is that option (same
    parser), and each option's ``commands`` do take it; the exceptions mean something else."""
    from saferegress.cli import build_parser

    different = {
        ("fix", "--model"),  # the checkpoint the results were measured on (required)
        ("transfer", "--model"),
        ("fix", "--report-dir"),  # where the proof goes
        ("capability", "--model"),  # a checkpoint to measure
        ("capability", "--batch-size"),  # lm-eval's batch size
        ("capability", "--baseline"),  # a saved capability result
        ("translate", "--cache-dir"),  # the translation cache, not answers and verdicts
        ("translate", "--no-cache"),
        ("translate", "--keep-low-fidelity"),  # do not flag low-scoring translations
    }
    by_flag = {opt.flag: opt for opt in OPTIONS if opt.flag is not None}
    commands = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    ).choices
    for name, command in commands.items():
        for action in command._actions:
            for flag in action.option_strings:
                opt = by_flag.get(flag)
                if opt is None or (name, flag) in different:
                    continue
                assert name in opt.commands, (name, flag)
                assert action.dest == opt.key, (name, flag)
                if opt.kind != "switch" and opt.choices is None:  # parsed by the option's parser
                    assert getattr(action.type, "__name__", None) == opt.key, (name, flag)
    for opt in OPTIONS:
        for name in opt.commands:
            flags = {f for a in commands[name]._actions for f in a.option_strings}
            assert opt.flag in flags, (name, opt.flag)


def test_docs_options_page_is_the_rendered_table() -> None:
    page = (ROOT / "docs" / "options.md").read_text(encoding="utf-8")
    assert page == options_reference(), (
        "docs/options.md is out of date: python -m saferegress.settings > docs/options.md"
    )
    for opt in OPTIONS:
        for key in opt.keys:
            assert f"`{key}`" in page
        if opt.flag is not None:
            assert f"`{opt.flag}" in page


def test_settings_from_reads_every_option_from_pyproject() -> None:
    """Each table option, set in a table, lands in its Settings field."""
    table = {
        "model": "demo",
        "lang": ["de", "sl"],
        "suites": ["a", "b"],
        "no_language_id": True,
        "no_cache": True,
        "cache_dir": "c",
        "keep_low_fidelity": True,
        "cross_language": True,
        "baseline": "old.json",
        "max_asr_increase": "3pp",
        "regression_alpha": 0.01,
        "fix": True,
        "fix_out": "out",
        "fix_train_lang": "en",
        "mutate": 4,
        "mutate_budget": "2m",
        "mutate_seed": 5,
        "mutation_file": "m.jsonl",
        "timeout": 12,
        "max_retries": 0,
    }
    settings = settings_from({}, table, "p")
    assert settings.languages == ("de", "sl") and settings.suites == ("a", "b")
    assert settings.no_language_id and settings.no_cache and settings.cache_dir == Path("c")
    assert settings.keep_low_fidelity and settings.cross_language and settings.fix
    assert settings.baseline == Path("old.json")
    assert settings.max_asr_increase == pytest.approx(0.03)
    assert settings.regression_alpha == 0.01
    assert (settings.fix_out, settings.fix_train_lang) == (Path("out"), ("en",))
    assert (settings.mutate, settings.mutate_budget, settings.mutate_seed) == (4, 120.0, 5)
    assert settings.mutation_file == Path("m.jsonl")
    assert (settings.target.timeout_s, settings.target.max_retries) == (12.0, 0)
    # A switch on the command line (True) over pyproject's false; values parsed from text.
    assert settings_from({"no_cache": True}, {"no_cache": False}, "p").no_cache
    assert settings_from({"mutate_seed": 0}, {"mutate_seed": 9}, "p").mutate_seed == 0
    with pytest.raises(ConfigError, match="no-language-id cannot be combined"):
        settings_from({}, {"no_language_id": True, "min_language_consistency": "90%"}, "p")
