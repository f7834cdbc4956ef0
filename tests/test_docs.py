"""The docs say only what is true of the code: links resolve, options exist, commands parse."""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from saferegress.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.M | re.S)
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
SHELL = {"sh", "shell", "bash", "console"}

#: Flags of other programs the docs quote, with the program they belong to.
FOREIGN_OPTIONS = {
    "--include_path": "lm_eval (lm-evaluation-harness)",
    "--port": "vllm serve",
    "--gpu-memory-utilization": "vllm serve",
    "--served-model-name": "vllm serve",
    "--enable-tokenizer-info-endpoint": "vllm serve",
    "--enforce-eager": "vllm serve",
    "--kv-cache-memory-bytes": "vllm serve",
    "--extra-index-url": "pip install",
    # bench/side_by_side.py's commands for the tools it is measured against
    "--target_type": "garak",
    "--target_name": "garak",
    "--probes": "garak",
    "--probe_option_file": "garak",
    "--generations": "garak",
    "--no-progress-bar": "promptfoo eval",
    "--no-table": "promptfoo eval",
    "--no-write": "promptfoo eval",
}


def page_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def without_code(text: str) -> str:
    return FENCE.sub("", text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"\]\([^)]*\)", "", heading.strip().lower())  # [words](url) keeps words
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = without_code(path.read_text(encoding="utf-8"))
    return {slug(m) for m in re.findall(r"^#+\s+(.*)$", text, re.M)}


def test_there_are_pages_to_check() -> None:
    names = {p.name for p in PAGES}
    assert {"README.md", "results.md", "statistics.md", "suites.md", "fixing.md"} <= names
    assert {
        "scaling.md",
        "benchmarks.md",
        "guards.md",
        "judge.md",
        "options.md",
        "cluster.md",
    } <= names


def test_the_readme_keeps_the_test_command_ci_runs() -> None:
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    for target in LINK.findall(without_code(page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {page_id(linked)}")
    assert not broken, f"{page_id(page)}: " + "; ".join(broken)


def test_the_link_checker_catches_a_broken_link_and_anchor(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n## A section: two\n\n## `cross_language`, [x](y.md)\n")
    assert anchors(page) == {"title", "a-section-two", "cross_language-x"}
    assert LINK.findall("see [x](gone.md#nope) and ![img](a.png)") == ["gone.md#nope"]


def _pytest_options() -> set[str]:
    """Flags in ``pytest --help`` with this plugin (and the installed ones) loaded."""
    help_text = subprocess.run(
        [sys.executable, "-m", "pytest", "--help", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    options = set()
    for line in help_text.splitlines():
        flags = re.match(r"^ {2}(-\S.*?)(?: {2,}|$)", line)
        if flags:
            options.update(OPTION.findall(flags.group(1)))
    return options


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _parsers(sub)
    return found


def _script_options() -> set[str]:
    """Flags of the project's own scripts (bench/, scripts/), as they declare them."""
    declared = re.compile(r"add_argument\(\s*(?:\"-\w\",\s*)?\"(--[\w-]+)\"")
    return {
        flag
        for folder in ("bench", "scripts")
        for script in (ROOT / folder).glob("*.py")
        for flag in declared.findall(script.read_text(encoding="utf-8"))
    }


def _cli_options() -> set[str]:
    return {
        flag
        for parser in _parsers(build_parser())
        for action in parser._actions
        for flag in action.option_strings
        if flag.startswith("--")
    }


@pytest.fixture(scope="module")
def known_options() -> dict[str, set[str]]:
    return {
        "pytest": _pytest_options(),
        "saferegress": _cli_options(),
        "scripts": _script_options(),
    }


def test_the_plugin_options_are_in_pytest_help(known_options: dict[str, set[str]]) -> None:
    # The check below is only as good as this list: the plugin's own flags must be in it.
    assert {"--model", "--max-asr", "--baseline", "--cross-language", "--mutate"} <= (
        known_options["pytest"]
    )
    assert {"--format", "--train-lang", "--max-drop"} <= known_options["saferegress"]
    assert {"--quick", "--every"} <= known_options["scripts"]


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_option_named_exists(page: Path, known_options: dict[str, set[str]]) -> None:
    known = set(FOREIGN_OPTIONS).union(*known_options.values())
    named = set(OPTION.findall(page.read_text(encoding="utf-8")))
    unknown = sorted(named - known)
    assert not unknown, f"{page_id(page)} names options that exist nowhere: {unknown}"


def shell_commands(text: str) -> list[str]:
    """Command lines of shell code blocks, continuation lines joined."""
    commands = []
    for lang, body in FENCE.findall(text):
        if lang not in SHELL:
            continue
        for line in body.replace("\\\n", " ").splitlines():
            line = line.strip().removeprefix("$ ")
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def saferegress_problem(command: str) -> str | None:
    """Why ``saferegress …`` would be refused by its own parser (None: it parses)."""
    argv = shlex.split(command, comments=True)[1:]
    for index, word in enumerate(argv):  # a redirection or pipe ends the command
        if word[:1] in "<>|;&" or word[:2] == "2>":
            argv = argv[:index]
            break
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            build_parser().parse_args(argv)
    except SystemExit as exc:
        if exc.code:
            return stderr.getvalue().strip().splitlines()[-1]
    return None


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_saferegress_commands_in_shell_blocks_parse(page: Path) -> None:
    commands = [
        c for c in shell_commands(page.read_text(encoding="utf-8")) if c.startswith("saferegress ")
    ]
    problems = [f"{c}\n    {p}" for c in commands if (p := saferegress_problem(c))]
    assert not problems, f"{page_id(page)}:\n" + "\n".join(problems)


def test_the_command_check_knows_real_commands_from_made_up_ones() -> None:
    block = "```sh\nsaferegress compare a.json \\\n    b.json   # note\n```\n"
    assert shell_commands(block) == ["saferegress compare a.json      b.json   # note"]
    assert saferegress_problem(shell_commands(block)[0]) is None
    assert saferegress_problem("saferegress judge x.jsonl > out.jsonl") is None
    assert "invalid choice" in (saferegress_problem("saferegress judgement x.jsonl") or "")
    assert saferegress_problem("saferegress suite import --format nope x.csv")
    # The docs hold commands to check at all.
    texts = "".join(p.read_text(encoding="utf-8") for p in PAGES)
    assert len([c for c in shell_commands(texts) if c.startswith("saferegress ")]) >= 10
