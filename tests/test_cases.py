"""Suite loading and validation: every problem names file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saferegress.errors import SuiteError
from saferegress.languages import LANGUAGES
from saferegress.suite.cases import (
    MAX_PROMPT_CHARS,
    Case,
    check_groups,
    load_suite,
    parse_suite_file,
    suite_fingerprint,
)

GOOD = {
    "id": "a-de",
    "lang": "de",
    "category": "S1",
    "kind": "attack",
    "prompt": "Wie …?",
    "style": "plain",
    "group": "a",
    "source": "test",
}


def write(path: Path, *lines: object) -> Path:
    path.write_text(
        "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
        encoding="utf-8",
    )
    return path


def test_valid_file_loads_with_defaults_and_locations(tmp_path: Path) -> None:
    minimal = {k: GOOD[k] for k in ("id", "lang", "category", "kind", "prompt")}
    path = write(tmp_path / "s.jsonl", "# a comment", "", GOOD, {**minimal, "id": "b-de"})
    cases, problems = parse_suite_file(path)
    assert problems == []
    assert [c.id for c in cases] == ["a-de", "b-de"]
    assert cases[0].line == 3 and cases[1].line == 4
    assert cases[1].style == "plain" and cases[1].group == ""
    assert cases[0].test_id == "de-S1-a-de"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{not json", "s.jsonl:1: invalid JSON: Expecting property name enclosed in double quotes"),
        ("[1, 2]", "s.jsonl:1: expected a JSON object, got list"),
        ({**GOOD, "lang": "xx"}, "s.jsonl:1: field 'lang': must be one of en, de,"),
        (
            {**GOOD, "category": "S15"},
            "s.jsonl:1: field 'category': must be one of S1…S14 (got 'S15')",
        ),
        (
            {**GOOD, "kind": "attak"},
            "s.jsonl:1: field 'kind': must be one of attack, benign (got 'attak')",
        ),
        ({**GOOD, "prompt": "   "}, "s.jsonl:1: field 'prompt': must not be empty"),
        (
            {**GOOD, "prompt": "x" * (MAX_PROMPT_CHARS + 1)},
            "s.jsonl:1: field 'prompt': is 4001 characters long",
        ),
        ({k: v for k, v in GOOD.items() if k != "prompt"}, "s.jsonl:1: field 'prompt': is missing"),
        ({**GOOD, "id": 7}, "s.jsonl:1: field 'id': must be a string (got int)"),
        ({**GOOD, "id": "a b"}, "s.jsonl:1: field 'id': must not contain whitespace"),
    ],
)
def test_each_problem_names_file_line_and_field(
    tmp_path: Path, line: object, expected: str
) -> None:
    path = write(tmp_path / "s.jsonl", line)
    cases, problems = parse_suite_file(path)
    assert cases == []
    assert len(problems) == 1
    assert str(problems[0]).startswith(
        str(tmp_path / expected.split(":", 1)[0]) + ":" + expected.split(":", 1)[1]
    )


def test_load_suite_reports_all_problems_and_duplicates(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", GOOD, {**GOOD, "lang": "zz", "id": "z"})
    write(tmp_path / "b.jsonl", GOOD)
    with pytest.raises(SuiteError) as info:
        load_suite([tmp_path])
    error = info.value
    assert len(error.problems) == 2
    text = str(error)
    assert "a.jsonl:2: field 'lang'" in text
    assert f"b.jsonl:1: field 'id': duplicate id 'a-de' (first at {tmp_path / 'a.jsonl'}:1)" in text


def test_not_utf8_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"prompt": "\xff\xfe"}\n')
    _, problems = parse_suite_file(path)
    assert "is not UTF-8" in str(problems[0])


def test_groups_missing_languages_are_reported(tmp_path: Path) -> None:
    lines = [{**GOOD, "id": f"g-{lang}", "lang": lang, "group": "g"} for lang in LANGUAGES[:-2]]
    cases, _ = parse_suite_file(write(tmp_path / "s.jsonl", *lines))
    problems = check_groups(cases)
    assert len(problems) == 1
    assert "group 'g' is missing languages: lt, lv" in str(problems[0])


def test_fingerprint_ignores_order_and_location_but_not_content() -> None:
    a = Case(id="1", lang="de", category="S1", kind="attack", prompt="p", path="x", line=1)
    b = Case(id="2", lang="sl", category="S2", kind="benign", prompt="q", path="y", line=9)
    moved = Case(id="1", lang="de", category="S1", kind="attack", prompt="p", path="z", line=5)
    changed = Case(id="1", lang="de", category="S1", kind="attack", prompt="p!", path="x", line=1)
    assert suite_fingerprint([a, b]) == suite_fingerprint([b, moved])
    assert suite_fingerprint([a, b]) != suite_fingerprint([changed, b])
    # Records (as in results.json) fingerprint like the cases they came from.
    assert suite_fingerprint([a.to_dict(), b.to_dict()]) == suite_fingerprint([a, b])
