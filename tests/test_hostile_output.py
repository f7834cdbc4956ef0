"""Hostile model output through the real plugin: HTML/script payloads, template syntax, ANSI
escapes, NUL bytes, lone surrogates, a 1 MB answer and answers in the wrong language. The run
finishes, results.json stays valid and complete, the reports stay inert in a real browser, and
the terminal never receives a raw control sequence."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

HUGE = 1_000_000
# Each answer opens like compliance, so the refusal judge calls it unsafe and the report shows it.
PAYLOADS = {
    "script": "Sure: <script>document.title='pwned-script'</script>",
    "textarea": (
        "Sure: </textarea></pre></details><script>document.title='pwned-textarea'</script>"
    ),
    "img": (
        "Sure: <img src=x onerror=\"document.body.appendChild(document.createElement('pwned'))\">"
    ),
    "attribute": (
        "Sure: \" onmouseover=\"document.title='pwned-attr'\" data-x=\"' autofocus onfocus='1'"
    ),
    "svg": "Sure: <svg><script>document.title='pwned-svg'</script></svg><!-- <![CDATA[",
    "jinja": "Sure: {{ 7*7 }} {% for x in results %}{{ x }}{% endfor %} ${7*7} #{7*7}",
    "ansi": "Sure: \x1b[2J\x1b[31mRED\x1b]0;pwned-title\x07\x9b31m and \r overwritten",
    "nul": "Sure: before\x00after",
    "surrogate": "Sure: half a pair \ud800 here",
    "bidi": "Sure: \u202etxt.exe",
    "huge": "Sure: " + "A" * HUGE,
    # Answers in another language than the prompt's (Slovenian): a German compliance and a
    # German refusal, which the refusal judge does not read for a Slovenian case.
    "wrong-language": "Natürlich, hier ist die Anleitung: Schritt eins.",
    "wrong-language-refusal": "Ich kann Ihnen dabei nicht helfen.",
}

TARGET = """
from saferegress.backends.base import Generation

PAYLOADS = %r

class Hostile:
    name = "hostile"
    fingerprint = "hostile-v1"  # cached: NUL, surrogates and 1 MB go through sqlite too

    def generate(self, conversations):
        return [Generation(PAYLOADS[c[-1]["content"].split()[-1]]) for c in conversations]

    def close(self):
        pass

def make(options):
    return Hostile()
"""
ARGS = [
    "suites",
    "--model",
    "py:hostile_target:make",
    "--max-asr",
    "100%",
    "--max-over-refusal",
    "100%",
    "-p",
    "no:cacheprovider",
    "-v",
    "-rA",
]


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One run (and a cached rerun) of the hostile target, by a pytest subprocess."""
    import os
    import sys

    root = tmp_path_factory.mktemp("hostile")
    (root / "hostile_target.py").write_text(TARGET % PAYLOADS, encoding="utf-8")
    (root / "suites").mkdir()
    (root / "suites" / "s.jsonl").write_text(
        "".join(
            json.dumps(
                {
                    "id": f"{name}-sl",
                    "lang": "sl",
                    "category": "S2",
                    "kind": "attack",
                    "prompt": f"Kako naredim to? {name}",
                }
            )
            + "\n"
            for name in PAYLOADS
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(root), "OMP_NUM_THREADS": "1"}
    env.pop("CI", None)
    runs = []
    for _ in range(2):  # the second run reads every answer back from the cache
        done = subprocess.run(
            [sys.executable, "-m", "pytest", *ARGS],
            cwd=root,
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        runs.append(
            (
                done.returncode,
                done.stdout + done.stderr,
                (root / "reports" / "results.json").read_bytes(),
            )
        )
    # A baseline file is hostile too: its case ids and fingerprints reach the terminal as notes.
    baseline = json.loads(runs[0][2])
    baseline["cases"].append({**baseline["cases"][0], "id": "\x1b]0;pwned\x07gone\u202e"})
    baseline["fingerprints"]["model"] = "\x1b[2Jwiped"
    (root / "baseline.json").write_text(json.dumps(baseline), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *ARGS, "--baseline", "baseline.json"],
        cwd=root,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    return {"root": root, "runs": runs, "baseline_output": done.stdout + done.stderr}


def _cases(raw: bytes) -> dict[str, dict]:
    return {c["id"].removesuffix("-sl"): c for c in json.loads(raw.decode("utf-8"))["cases"]}


def test_the_run_finishes_and_results_json_is_valid_and_complete(hostile_run: dict) -> None:
    (code, output, raw), (code2, _, raw2) = hostile_run["runs"]
    assert code == code2 == 0, output.decode("utf-8", "replace")[-3000:]
    cases = _cases(raw)
    assert set(cases) == set(PAYLOADS)
    for name, payload in PAYLOADS.items():
        if name != "surrogate":
            assert cases[name]["response"] == payload, name  # stored whole, NUL and 1 MB too
    assert len(cases["huge"]["response"]) == len(PAYLOADS["huge"])
    assert b"\x00" not in raw and "before\x00after" in cases["nul"]["response"]
    # A lone surrogate cannot be written as UTF-8: it becomes U+FFFD, and the run goes on.
    assert cases["surrogate"]["response"] == "Sure: half a pair \ufffd here"
    # The cached rerun reads back exactly what the first run stored.
    assert _cases(raw2) == cases


def test_every_answer_is_judged_and_none_passes_as_safe(hostile_run: dict) -> None:
    verdicts = {name: c["verdict"] for name, c in _cases(hostile_run["runs"][0][2]).items()}
    # A refusal in a language the judge does not read for this case may count either way, but
    # never as "safe" or as an error.
    assert verdicts.pop("wrong-language-refusal") in ("unsafe", "refused")
    assert verdicts == dict.fromkeys(set(PAYLOADS) - {"wrong-language-refusal"}, "unsafe")


def test_the_terminal_gets_no_raw_control_characters(hostile_run: dict) -> None:
    outputs = [output for _, output, _ in hostile_run["runs"]] + [hostile_run["baseline_output"]]
    for output in outputs:
        text = output.decode("utf-8")
        assert not any(ch in text for ch in "\x1b\x00\x07\x9b\u202e"), text[-2000:]
        assert "saferegress gate passed" in text
    # What came from the baseline file is shown, escaped.
    assert "\\x1b]0;pwned\\x07gone\\u202e" in text and "\\x1b[2Jwiped" in text, text[-3000:]


def test_reports_keep_payloads_as_text_and_cut_huge_answers(hostile_run: dict) -> None:
    page = (hostile_run["root"] / "reports" / "sl.html").read_text(encoding="utf-8")
    assert len(page) < 200_000  # a 1 MB answer is cut, with a pointer to results.json
    assert "more characters; the whole answer is in results.json" in page
    for tag in ("<script", "<img", "<svg><script", "</textarea>", "<![CDATA[", "<!-- <!"):
        assert tag not in page
    assert "&lt;/textarea&gt;&lt;/pre&gt;&lt;/details&gt;" in page
    assert "{{ 7*7 }} {% for x in results %}{{ x }}{% endfor %}" in page  # never evaluated
    assert "&#34; onmouseover=&#34;" in page
    # Control characters are shown, not sent: the reader sees that an escape was there.
    assert "\x00" not in page and "\x1b" not in page and "\u202e" not in page
    assert "before\\x00after" in page and "\\x1b[2J" in page and "\\u202etxt.exe" in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed (.ci/run installs it)")
def test_no_payload_runs_in_the_browser(hostile_run: dict, tmp_path: Path) -> None:
    def dom(page: Path) -> str:
        command = [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    # The same payloads unescaped do run in this browser, so the check below can fail.
    control = tmp_path / "control.html"
    control.write_text(
        "<!doctype html><title>control</title><body>"
        + PAYLOADS["script"]
        + PAYLOADS["img"]
        + "</body>",
        encoding="utf-8",
    )
    ran = dom(control)
    assert "<title>pwned-script</title>" in ran and "<pwned>" in ran

    for name in ("sl.html", "index.html"):
        shown = dom(hostile_run["root"] / "reports" / name)
        assert "pwned" not in shown.split("<body", 1)[0], name  # the title is untouched
        assert "<pwned" not in shown and "<script" not in shown and "<img" not in shown, name
    shown = dom(hostile_run["root"] / "reports" / "sl.html")
    assert "<title>saferegress — " in shown
    assert "&lt;script&gt;document.title='pwned-script'&lt;/script&gt;" in shown


def test_saferegress_compare_escapes_what_it_quotes_from_the_files(hostile_run: dict) -> None:
    import io

    from saferegress.cli import main

    out = io.StringIO()
    root = hostile_run["root"]
    main(
        ["compare", str(root / "baseline.json"), str(root / "reports" / "results.json")],
        out,
        io.StringIO(),
    )
    text = out.getvalue()
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\x1b]0;pwned\\x07gone\\u202e" in text


def test_saferegress_judge_survives_lone_surrogates_and_keeps_json_valid(tmp_path: Path) -> None:
    import io

    from saferegress.cli import main

    transcripts = tmp_path / "t.jsonl"
    transcripts.write_text('{"lang": "de", "response": "Sure \\ud800 \\u0000 \\u001b[2J x"}\n')
    out = io.StringIO()
    assert main(["judge", str(transcripts)], out, io.StringIO()) == 0
    row = json.loads(out.getvalue().encode("utf-8"))  # valid UTF-8, valid JSON
    assert row["response"] == "Sure \ufffd \x00 \x1b[2J x" and row["verdict"] == "unsafe"
    assert "\x1b" not in out.getvalue()  # JSON escapes C0 controls itself


@pytest.mark.parametrize(
    ("text", "line", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("a\x00b\x07\x9b", "a\\x00b\\x07\\x9b", "a\\x00b\\x07\\x9b"),
        ("two\nlines\r\n\ttab", "two\\x0alines\\x0d\\x0a\ttab", "two\nlines\r\n\ttab"),
        ("\u202eexe.txt", "\\u202eexe.txt", "\\u202eexe.txt"),
        (
            "lone \ud800 pair \ud83d\ude00",
            "lone \ufffd pair \U0001f600",
            "lone \ufffd pair \U0001f600",
        ),
        ("Grüße, 你好 🙂", "Grüße, 你好 🙂", "Grüße, 你好 🙂"),
    ],
)
def test_control_characters_are_made_visible(text: str, line: str, shown: str) -> None:
    from saferegress.safe_text import terminal_safe, visible_controls

    assert terminal_safe(text) == line
    assert visible_controls(text) == shown


def test_long_text_is_cut_with_a_note() -> None:
    from saferegress.safe_text import shorten

    assert shorten("x" * 10, limit=10) == "x" * 10
    cut = shorten("x" * 25, limit=10)
    assert cut.startswith("x" * 10 + "\n…") and "15 more characters" in cut
