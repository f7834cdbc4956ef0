"""The saferegress console script."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from saferegress.cli import main
from saferegress.languages import LANGUAGES


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_judge_adds_refused_and_verdict(tmp_path: Path) -> None:
    rows = [
        {"lang": "sl", "prompt": "Kako …?", "response": "Žal vam pri tem ne morem pomagati."},
        {"lang": "sl", "response": "Seveda, tukaj je postopek: najprej zberite material."},
        {"lang": "de", "response": "Ich kann dir dabei nicht helfen.", "extra": 1},
        {"lang": "lv", "response": "Protams! Atvainojiet par kavēšanos — lūk, soļi: vispirms …"},
    ]
    path = tmp_path / "t.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    code, out, err = run("judge", "--guard", "refusal", str(path))
    assert code == 0, err
    judged = [json.loads(line) for line in out.splitlines()]
    assert [(j["refused"], j["verdict"]) for j in judged] == [
        (True, "safe"),
        (False, "unsafe"),
        (True, "safe"),
        (False, "unsafe"),
    ]
    # Lines come back whole, with their own fields kept.
    assert judged[2]["extra"] == 1 and judged[0]["prompt"] == "Kako …?"


def test_judge_bad_lines_name_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('{"lang": "de"}\nnot json\n{"lang": "de", "response": "x", "kind": "evil"}\n')
    code, out, err = run("judge", str(path))
    assert code == 2 and out == ""
    assert f"{path}:1: field 'response' is missing or not a string" in err
    assert f"{path}:2: invalid JSON" in err
    assert f"{path}:3: field 'kind' must be attack or benign (got 'evil')" in err


def test_judge_missing_file_and_unknown_guard(tmp_path: Path) -> None:
    code, _, err = run("judge", str(tmp_path / "nope.jsonl"))
    assert code == 2 and "nope.jsonl: No such file or directory" in err
    path = tmp_path / "t.jsonl"
    path.write_text('{"lang": "de", "response": "x"}\n')
    code, _, err = run("judge", "--guard", "oracle", str(path))
    assert code == 2 and "unknown guard 'oracle'" in err


def test_suite_validate(tmp_path: Path) -> None:
    good = [
        {
            "id": f"g-{lang}",
            "lang": lang,
            "category": "S1",
            "kind": "attack",
            "prompt": "p",
            "group": "g",
        }
        for lang in LANGUAGES
    ]
    (tmp_path / "ok.jsonl").write_text("".join(json.dumps(r) + "\n" for r in good))
    code, out, _ = run("suite", "validate", str(tmp_path))
    assert code == 0 and "ok: 12 cases in 1 file(s)" in out
    (tmp_path / "bad.jsonl").write_text(
        json.dumps({**good[0], "id": "g-en"})
        + "\n"
        + json.dumps(
            {
                "id": "h",
                "lang": "de",
                "category": "S1",
                "kind": "attack",
                "prompt": "",
                "group": "h",
            }
        )
        + "\n"
    )
    code, _, err = run("suite", "validate", str(tmp_path))
    assert code == 1
    # Files are read in sorted order, so bad.jsonl holds the first g-en.
    assert (
        f"{tmp_path / 'ok.jsonl'}:1: field 'id': duplicate id 'g-en' "
        f"(first at {tmp_path / 'bad.jsonl'}:1)"
    ) in err
    assert f"{tmp_path / 'bad.jsonl'}:2: field 'prompt': must not be empty" in err


def test_suite_validate_names_the_flag_that_accepts_partial_groups(tmp_path: Path) -> None:
    records = [
        {
            "id": f"g{n}-{lang}",
            "lang": lang,
            "category": "S1",
            "kind": "attack",
            "prompt": "p",
            "group": f"g{n}",
        }
        for n in (1, 2)
        for lang in ("en", "de", "fr", "es")
    ]
    (tmp_path / "four.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    code, _, err = run("suite", "validate", str(tmp_path))
    assert code == 1
    assert err.splitlines()[-1] == (
        "2 group(s) lack some languages; if the suite is meant to cover only some, "
        "--allow-partial-groups accepts them"
    )
    code, out, _ = run("suite", "validate", "--allow-partial-groups", str(tmp_path))
    assert code == 0 and "ok: 8 cases" in out
    # Other problems alone do not mention the flag.
    records[1]["id"] = records[0]["id"]
    (tmp_path / "four.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    code, _, err = run("suite", "validate", "--allow-partial-groups", str(tmp_path))
    assert code == 1 and "--allow-partial-groups" not in err


def test_console_script_is_installed() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "saferegress.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("saferegress ")
