"""Hostile suite files: broken encodings, huge lines, wrong types, path-like ids and language
codes. Each is a ``file:line: field: problem`` line and a non-zero exit, through
``saferegress suite validate`` and through the real plugin; a fuzz test over the loader finds no
input that ends in anything but listed problems."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferegress.cli import main as cli_main
from saferegress.errors import SuiteError
from saferegress.languages import LANGUAGES
from saferegress.report import write_html_reports
from saferegress.suite.cases import MAX_LINE_BYTES, load_suite, parse_suite_file

GOOD = {"id": "a-de", "lang": "de", "category": "S1", "kind": "attack", "prompt": "Wie …?"}
GOOD_LINE = json.dumps(GOOD).encode()


def _line(**changes: object) -> bytes:
    return json.dumps({**GOOD, "id": "b-de", **changes}).encode()


HUGE_LINE = _line(prompt="x" * MAX_LINE_BYTES)


# (name, bytes of the file, the problem expected on line 2 — the first line is always valid)
HOSTILE = [
    (
        "invalid UTF-8",
        b'{"id": "b-de", "lang": "de", "category": "S1", "kind": "attack", "prompt": "caf\xe9"}',
        "is not UTF-8: invalid byte 0xe9 at byte",
    ),
    ("huge line", HUGE_LINE, f"line is {len(HUGE_LINE)} bytes long (at most {MAX_LINE_BYTES}"),
    ("nested too deeply", b"[" * 60_000, "invalid JSON: nested too deeply"),
    ("not an object", b'"just a string"', "expected a JSON object, got str"),
    (
        "prompt not a string",
        _line(prompt=["a", "b"]),
        "field 'prompt': must be a string (got list)",
    ),
    ("smoke not a bool", _line(smoke="yes"), "field 'smoke': must be true or false (got 'yes')"),
    ("unknown language", _line(lang="xx"), "field 'lang': must be one of en, de,"),
    ("language as a path", _line(lang="../x"), "field 'lang': must be one of en, de,"),
    ("language as an absolute path", _line(lang="/etc"), "(got '/etc')"),
    ("language with NUL", _line(lang="de\x00"), "(got 'de\\x00')"),
    ("unknown category", _line(category="S15"), "field 'category': must be one of S1…S14"),
    ("id as a relative path", _line(id="../x"), "field 'id': must not look like a path"),
    ("id as an absolute path", _line(id="/etc/passwd"), "field 'id': must not look like a path"),
    ("id as a Windows path", _line(id="..\\x"), "field 'id': must not look like a path"),
    (
        "id with NUL",
        _line(id="a\x00b"),
        "field 'id': must not contain control characters (got 'a\\x00b')",
    ),
    ("id with an ANSI escape", _line(id="\x1b[31mred"), "field 'id': must not contain control"),
    ("id with a bidi override", _line(id="a\u202eb"), "field 'id': must not contain control"),
    (
        "style with an ANSI escape",
        _line(style="\x1b]0;pwned\x07"),
        "field 'style': must not contain control characters",
    ),
    ("prompt with NUL", _line(prompt="how\x00to"), "field 'prompt': must not contain NUL"),
    ("duplicate id", GOOD_LINE, "field 'id': duplicate id 'a-de' (first at "),
    (
        "field given twice",
        b'{"id": "b-de", "lang": "de", "category": "S1", "kind": "attack", '
        b'"prompt": "p", "kind": "benign"}',
        "field 'kind': is given twice",
    ),
]


def _validate(*paths: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli_main(["suite", "validate", "--allow-partial-groups", *map(str, paths)], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_suite_validate_names_file_line_and_field(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(GOOD_LINE + b"\n" + content + b"\n")
    code, out, err = _validate(path)
    assert code == 1 and out == ""
    first = err.splitlines()[0]
    assert first.startswith(f"{path}:2: ") and expected in first, err
    assert "Traceback" not in err
    # Nothing raw from the file reaches the terminal.
    assert "\x1b" not in err and "\x00" not in err and "\u202e" not in err


def test_bom_and_crlf_files_are_read_as_the_same_suite(tmp_path: Path) -> None:
    plain = tmp_path / "plain.jsonl"
    plain.write_bytes(GOOD_LINE + b"\n" + _line() + b"\n")
    windows = tmp_path / "windows.jsonl"
    windows.write_bytes(b"\xef\xbb\xbf" + GOOD_LINE + b"\r\n" + _line() + b"\r\n")
    read = [parse_suite_file(p) for p in (plain, windows)]
    assert [problems for _, problems in read] == [[], []]
    strip = lambda cases: [(c.id, c.prompt, c.line) for c in cases]  # noqa: E731
    expected = [("a-de", "Wie …?", 1), ("b-de", "Wie …?", 2)]
    assert strip(read[0][0]) == strip(read[1][0]) == expected


def test_a_utf16_file_is_one_clear_problem(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes((GOOD_LINE.decode() + "\n").encode("utf-16"))
    code, _, err = _validate(path)
    assert code == 1
    assert err.splitlines()[0] == f"{path}:1: is UTF-16 or UTF-32, not UTF-8; save it as UTF-8"


# -- through the real plugin ----------------------------------------------------------------------

PLANTED = """
from saferegress.backends.base import Generation

class Planted:
    name = "planted"

    def generate(self, conversations):
        return [Generation("I can't help with that.") for _ in conversations]

    def close(self):
        pass

def make(options):
    return Planted()
"""


@pytest.fixture
def planted(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(planted_target=PLANTED)
    pytester.syspathinsert()
    (pytester.path / "suites").mkdir()
    return pytester


@pytest.mark.parametrize(
    "name",
    [
        "invalid UTF-8",
        "huge line",
        "language as a path",
        "id as a relative path",
        "id with an ANSI escape",
        "field given twice",
    ],
)
def test_the_plugin_stops_on_a_hostile_suite_with_the_same_message(
    planted: pytest.Pytester, name: str
) -> None:
    content, expected = {h[0]: h[1:] for h in HOSTILE}[name]
    (planted.path / "suites" / "bad.jsonl").write_bytes(GOOD_LINE + b"\n" + content + b"\n")
    result = planted.runpytest(
        "suites", "--model", "py:planted_target:make", "-p", "no:cacheprovider"
    )
    assert result.ret == pytest.ExitCode.INTERRUPTED
    output = result.stdout.str()
    assert any(
        line.startswith("suites/bad.jsonl:2: ") and expected in line for line in output.splitlines()
    ), output
    assert "Traceback" not in output and "\x1b[31mred" not in output
    assert not (planted.path / "reports").exists()
    # No file of any kind appeared outside the project directory's known places.
    assert not (planted.path.parent / "x").exists()


def test_duplicate_ids_across_files_name_both_places(planted: pytest.Pytester) -> None:
    for name in ("a.jsonl", "b.jsonl"):
        (planted.path / "suites" / name).write_bytes(GOOD_LINE + b"\n")
    result = planted.runpytest(
        "suites", "--model", "py:planted_target:make", "-p", "no:cacheprovider"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*suites/b.jsonl:1: field 'id': duplicate id 'a-de' (first at *suites/a.jsonl:1)*"]
    )
    assert "Traceback" not in result.stderr.str()


def test_report_pages_are_named_by_the_known_language_codes_only(tmp_path: Path) -> None:
    from saferegress.analysis.results import build_results, evaluate_gate
    from saferegress.settings import Settings

    record = {
        "id": "a",
        "lang": "de",
        "category": "S1",
        "style": "plain",
        "kind": "attack",
        "group": "",
        "prompt": "p",
        "response": "r",
        "verdict": "refused",
        "guards": {},
    }
    settings = Settings()
    results = build_results(
        [record],
        settings,
        model="m",
        guards=["refusal"],
        started="s",
        finished="f",
        suite_fingerprint="x",
        gate=evaluate_gate([record], settings),
    )
    results["languages"]["../../escaped"] = results["languages"]["de"]
    out = tmp_path / "deep" / "reports"
    with pytest.raises(ValueError, match="unknown language '../../escaped'"):
        write_html_reports(results, out)
    assert not (tmp_path / "escaped.html").exists()
    assert {p.name for p in out.iterdir()} <= {"index.html", "de.html"}


# -- fuzzing the loader ---------------------------------------------------------------------------

_VALUES = st.one_of(
    st.sampled_from(
        [
            *LANGUAGES,
            "S1",
            "S14",
            "S15",
            "attack",
            "benign",
            "train",
            "test",
            "",
            " ",
            "../x",
            "/etc",
            "a\x00b",
            "\x1b[2J",
            "\u202e",
            "\ud800",
            "NaN",
        ]
    ),
    st.text(max_size=30),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
_FIELDS = [
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
    "fidelity_chrf",
    "fidelity_flagged",
    "",
]
_RECORDS = st.dictionaries(st.sampled_from(_FIELDS), _VALUES, max_size=10)


def _record_line(record: dict[str, object]) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass")


_LINES = st.one_of(
    _RECORDS.map(_record_line),
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"",
            b"#",
            b"//",
            b"\xef\xbb\xbf",
            b"\r",
            b"[" * 2000,
            b"{" * 5000,
            GOOD_LINE,
            GOOD_LINE[:-5],
            b"\xff\xfe",
            b"\x00" * 10,
        ]
    ),
)


def _assert_only_listed_problems(path: Path) -> None:
    cases, problems = parse_suite_file(path)
    for problem in problems:
        shown = str(problem)
        assert shown.startswith(str(path)) and shown.isprintable(), shown
    for case in cases:  # what loads is a valid case
        assert case.lang in LANGUAGES and case.id.isprintable() and "/" not in case.id
    try:
        load_suite([path])
    except SuiteError as exc:
        assert problems or "duplicate id" in str(exc)


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(_LINES, max_size=6), bom=st.booleans(), crlf=st.booleans())
def test_fuzzed_suite_files_only_ever_give_listed_problems(
    tmp_path: Path, lines: list[bytes], bom: bool, crlf: bool
) -> None:
    path = tmp_path / "fuzz.jsonl"
    data = (b"\r\n" if crlf else b"\n").join(lines)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    _assert_only_listed_problems(path)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000))
def test_fuzzed_bytes_only_ever_give_listed_problems(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(data)
    _assert_only_listed_problems(path)
