"""The `split` and `smoke` suite fields, `suite validate` on splits, `suite stats`, and selecting
the smoke subset and a split with pytest markers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferegress.cli import main
from saferegress.languages import LANGUAGES
from saferegress.suite.cases import check_splits, parse_suite_file

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


def write(path: Path, *records: object) -> Path:
    path.write_text(
        "".join(
            (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
        ),
        encoding="utf-8",
    )
    return path


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def group(
    name: str,
    *,
    kind: str = "attack",
    category: str = "S1",
    split: str = "train",
    smoke: bool = False,
    style: str = "plain",
) -> list[dict[str, object]]:
    return [
        {
            "id": f"{name}-{lang}",
            "lang": lang,
            "category": category,
            "kind": kind,
            "style": style,
            "prompt": f"{name} in {lang}?",
            "group": name,
            "source": "t",
            "split": split,
            "smoke": smoke,
        }
        for lang in LANGUAGES
    ]


def test_split_and_smoke_are_read_and_default_to_none(tmp_path: Path) -> None:
    cases, problems = parse_suite_file(
        write(
            tmp_path / "s.jsonl", {**GOOD, "split": "test", "smoke": True}, {**GOOD, "id": "b-de"}
        )
    )
    assert problems == []
    assert (cases[0].split, cases[0].smoke) == ("test", True)
    assert (cases[1].split, cases[1].smoke) == ("", False)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            {**GOOD, "split": "dev"},
            "s.jsonl:1: field 'split': must be one of train, test (got 'dev')",
        ),
        ({**GOOD, "split": 1}, "s.jsonl:1: field 'split': must be a string (got int)"),
        ({**GOOD, "smoke": "yes"}, "s.jsonl:1: field 'smoke': must be true or false (got 'yes')"),
    ],
)
def test_bad_split_or_smoke_names_file_line_and_field(
    tmp_path: Path, record: dict, expected: str
) -> None:
    path = write(tmp_path / "s.jsonl", record)
    cases, problems = parse_suite_file(path)
    assert cases == [] and [str(p) for p in problems] == [str(tmp_path / expected)]


@given(sides=st.lists(st.sampled_from(["train", "test", ""]), min_size=1, max_size=12))
def test_check_splits_flags_exactly_the_groups_on_two_sides(sides: list[str]) -> None:
    from saferegress.suite.cases import Case

    cases = [
        Case(
            id=f"g-{i}",
            lang="de",
            category="S1",
            kind="attack",
            prompt="p",
            group="g",
            split=side,
            path="s.jsonl",
            line=i + 1,
        )
        for i, side in enumerate(sides)
    ]
    problems = check_splits(cases)
    assert len(problems) == (1 if len(set(sides)) > 1 else 0)
    if problems:
        assert problems[0].field == "split" and "straddles splits" in problems[0].message


def test_validate_reports_a_group_that_straddles_splits(tmp_path: Path) -> None:
    records = group("g1")
    records[5]["split"] = "test"
    path = write(tmp_path / "s.jsonl", *records)
    code, _, err = cli("suite", "validate", str(path))
    assert code == 1
    assert f"{path}:6: field 'split': group 'g1' straddles splits ('test', 'train')" in err


def test_stats_table_and_json(tmp_path: Path) -> None:
    write(
        tmp_path / "a.jsonl",
        *group("g1", category="S1", style="role_play", smoke=True),
        *group("g2", category="S9", split="test"),
        *group("b1", kind="benign", category="S1"),
    )
    code, out, _ = cli("suite", "stats", str(tmp_path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "36 cases (2 attack, 1 benign groups; 12 in the smoke subset)"
    header = next(line for line in lines if line.lstrip().startswith("lang"))
    assert header.split() == ["lang", "S1", "S9", "attacks", "benign", "styles", "train", "test"]
    row = next(line for line in lines if line.split()[:1] == ["sl"])
    assert row.split() == ["sl", "1/1", "1/0", "2", "1", "2", "2", "1"]
    code, out, _ = cli("suite", "stats", "--json", str(tmp_path))
    stats = json.loads(out)
    assert list(stats["languages"]) == list(LANGUAGES)
    assert stats["languages"]["lv"]["categories"]["S9"] == {"attack": 1, "benign": 0}
    assert stats["languages"]["lv"]["styles"] == {"plain": 1, "role_play": 1}
    assert stats["languages"]["lv"]["splits"] == {"test": 1, "train": 2}
    assert stats["groups"] == {"attack": 2, "benign": 1}


def test_stats_on_a_broken_suite_lists_problems(tmp_path: Path) -> None:
    path = write(tmp_path / "s.jsonl", {**GOOD, "lang": "xx"})
    code, _, err = cli("suite", "stats", str(path))
    assert code == 2 and "s.jsonl:1: field 'lang'" in err


def test_smoke_and_split_markers_select_cases(pytester: pytest.Pytester) -> None:
    suites = pytester.mkdir("suites")
    write(suites / "s.jsonl", *group("g1", smoke=True), *group("g2", split="test"))
    result = pytester.runpytest(
        "suites", "--model", "demo", "--collect-only", "-q", "-m", "smoke", "-p", "no:cacheprovider"
    )
    result.stdout.fnmatch_lines(["*12/24 tests collected (12 deselected)*"])
    assert "g2-" not in result.stdout.str()
    result = pytester.runpytest(
        "suites",
        "--model",
        "demo",
        "--collect-only",
        "-q",
        "-m",
        "split_test and lang_sl",
        "-p",
        "no:cacheprovider",
    )
    result.stdout.fnmatch_lines(["*sl-S1-g2-sl*", "*1/24 tests collected (23 deselected)*"])


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=4,
)


@given(
    records=st.lists(
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "lang",
                    "category",
                    "kind",
                    "prompt",
                    "style",
                    "group",
                    "source",
                    "split",
                    "smoke",
                ]
            ),
            json_value | st.sampled_from(["de", "S1", "attack", "benign", "train", "test", "x"]),
        ),
        max_size=5,
    )
)
def test_any_json_lines_give_cases_or_located_problems_never_a_crash(
    records: list, tmp_path_factory
) -> None:
    path = write(tmp_path_factory.mktemp("fuzz") / "s.jsonl", *records)
    cases, problems = parse_suite_file(path)
    assert len(cases) + len({p.line for p in problems}) == len(records)
    for problem in problems:
        assert str(problem).startswith(f"{path}:{problem.line}: ")
    for case in cases:
        assert case.split in ("", "train", "test") and isinstance(case.smoke, bool)
