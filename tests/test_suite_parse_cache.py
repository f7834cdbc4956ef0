"""An unchanged suite file is read from the run's cache folder, not decoded and validated again
(issue 17 item 3): the same cases as parsing it, an edited file or a changed parser parses
again, a file with problems reports them every run, ``--no-cache`` keeps nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from saferegress.suite import cases as suite_cases
from saferegress.suite.cases import parse_suite_file, parse_suite_file_cached
from test_plugin import PLANTED_TARGET, write_suite

SHIPPED = sorted((Path(__file__).resolve().parents[1] / "suites").glob("*.jsonl"))


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files actually decoded and validated, in order."""
    seen: list[str] = []
    real = suite_cases._parse_suite_bytes

    def counting(data: bytes, shown: str) -> Any:
        seen.append(Path(shown).name)
        return real(data, shown)

    monkeypatch.setattr(suite_cases, "_parse_suite_bytes", counting)
    return seen


def test_the_shipped_suite_read_back_is_what_parsing_gives(
    tmp_path: Path, parses: list[str]
) -> None:
    assert SHIPPED
    for path in SHIPPED:
        expected = parse_suite_file(path)
        assert parse_suite_file_cached(path, tmp_path) == expected  # parsed and kept
        assert parse_suite_file_cached(path, tmp_path) == expected  # read back
    assert parses == [p.name for p in SHIPPED for _ in range(2)]  # plain parse + first cached


def test_an_edited_file_is_parsed_again(tmp_path: Path, parses: list[str]) -> None:
    suite = tmp_path / "s.jsonl"
    write_suite(suite, attacks_per_lang=1, benign_per_lang=1)
    cases, _ = parse_suite_file_cached(suite, tmp_path / "cache")
    record = json.loads(suite.read_text(encoding="utf-8").splitlines()[0])
    record["prompt"] = "an edited prompt"
    lines = suite.read_text(encoding="utf-8").splitlines()
    suite.write_text("\n".join([json.dumps(record), *lines[1:]]) + "\n", encoding="utf-8")
    again, problems = parse_suite_file_cached(suite, tmp_path / "cache")
    assert problems == []
    assert again[0].prompt == "an edited prompt" and again[1:] == cases[1:]
    assert parses == ["s.jsonl", "s.jsonl"]
    assert parse_suite_file_cached(suite, tmp_path / "cache") == (again, [])
    assert parses == ["s.jsonl", "s.jsonl"]


def test_a_changed_parser_parses_again(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    suite = SHIPPED[0]
    parse_suite_file_cached(suite, tmp_path)
    monkeypatch.setattr(suite_cases, "_parser_digest", lambda: b"another parser")
    parse_suite_file_cached(suite, tmp_path)
    assert parses == [suite.name, suite.name]


def test_a_file_with_problems_reports_them_every_run(tmp_path: Path, parses: list[str]) -> None:
    suite = tmp_path / "s.jsonl"
    write_suite(suite, attacks_per_lang=1, benign_per_lang=1)
    suite.write_text(suite.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    expected = parse_suite_file(suite)
    assert expected[1]  # a problem
    for _ in range(2):
        assert parse_suite_file_cached(suite, tmp_path / "cache") == expected
    assert parses == ["s.jsonl"] * 3
    assert not (tmp_path / "cache" / "parsed-suites").exists()


def test_a_damaged_entry_only_means_parsing(tmp_path: Path, parses: list[str]) -> None:
    suite = SHIPPED[0]
    expected = parse_suite_file_cached(suite, tmp_path)
    (entry,) = (tmp_path / "parsed-suites").iterdir()
    for damage in ("{truncated", '{"key": 1}', json.dumps({"key": "x", "cases": [[1]]})):
        entry.write_text(damage, encoding="utf-8")
        assert parse_suite_file_cached(suite, tmp_path) == expected
    assert parse_suite_file_cached(suite, tmp_path) == expected
    assert len(parses) == 4  # the first parse and one per damage, then read back


def test_a_rerun_parses_no_unchanged_suite_file(
    pytester: pytest.Pytester, parses: list[str]
) -> None:
    pytester.makepyfile(planted_target=PLANTED_TARGET)
    pytester.syspathinsert()
    write_suite(pytester.path / "suites" / "s.jsonl", attacks_per_lang=2, benign_per_lang=1)
    args = ("suites", "--model", "py:planted_target:make", "--max-asr", "100%")
    first = pytester.runpytest(*args)
    assert first.ret == 0, first.stdout.str()
    assert parses == ["s.jsonl"]
    second = pytester.runpytest(*args)
    assert second.ret == 0, second.stdout.str()
    assert parses == ["s.jsonl"]
    assert second.parseoutcomes() == first.parseoutcomes()
    third = pytester.runpytest(*args, "--no-cache")
    assert third.ret == 0, third.stdout.str()
    assert parses == ["s.jsonl", "s.jsonl"]


def test_collecting_without_a_cache_folder_makes_none(pytester: pytest.Pytester) -> None:
    """``pytest --collect-only`` (or a run without a model) does not start a cache folder for
    parsing; one that exists is used."""
    write_suite(pytester.path / "suites" / "s.jsonl", attacks_per_lang=1, benign_per_lang=1)
    result = pytester.runpytest("suites", "--collect-only", "-q")
    assert result.ret == 0, result.stdout.str()
    assert not (pytester.path / ".saferegress-cache").exists()
    (pytester.path / ".saferegress-cache").mkdir()
    assert pytester.runpytest("suites", "--collect-only", "-q").ret == 0
    assert any((pytester.path / ".saferegress-cache" / "parsed-suites").iterdir())
