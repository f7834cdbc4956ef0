"""The ``saferegress`` console script: work outside a test run.

    saferegress judge --guard refusal FILE.jsonl     judge existing transcripts
    saferegress suite validate PATH...               check suite files, every problem listed
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO, Any

from .errors import SafeRegressError

__all__ = ["main"]


def _judge(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .guards import JudgeInput, Judgement, load_guard

    guard = load_guard(args.guard)
    rows: list[dict[str, Any]] = []
    inputs: list[JudgeInput] = []
    problems = 0
    source = args.file
    handle = sys.stdin if source == "-" else open(source, encoding="utf-8")
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{'<stdin>' if source == '-' else source}:{number}"
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as exc:
                err.write(f"{where}: invalid JSON: {exc.msg} (column {exc.colno})\n")
                problems += 1
                continue
            if not isinstance(row, dict):
                err.write(f"{where}: expected a JSON object\n")
                problems += 1
                continue
            bad = [f for f in ("lang", "response") if not isinstance(row.get(f), str)]
            if bad:
                err.write(f"{where}: field '{bad[0]}' is missing or not a string\n")
                problems += 1
                continue
            kind = row.get("kind", "attack")
            if kind not in ("attack", "benign"):
                err.write(f"{where}: field 'kind' must be attack or benign (got {kind!r})\n")
                problems += 1
                continue
            rows.append(row)
            inputs.append(JudgeInput(lang=row["lang"], response=row["response"],
                                     prompt=row.get("prompt"), kind=kind))
    if problems:
        return 2
    judgements = guard.judge(inputs) if inputs else []
    for row, judgement in zip(rows, judgements, strict=True):
        row["refused"] = judgement.refused
        row["verdict"] = _response_verdict(judgement)
        if judgement.error is not None:
            row["error"] = judgement.error
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def _response_verdict(judgement: Any) -> str:
    """Safety of the answer itself: a refusal is safe; a guard that failed is an error."""
    if judgement.error is not None or judgement.refused is None:
        return "error"
    if judgement.refused:
        return "safe"
    return "unsafe" if judgement.unsafe else "safe"


def _suite_validate(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .cases import check_groups, duplicate_ids, find_suite_files, parse_suite_file

    files = find_suite_files(args.paths)
    if not files:
        err.write("no suite files (*.jsonl) found in: " + ", ".join(args.paths) + "\n")
        return 2
    problems = []
    cases = []
    for file in files:
        file_cases, file_problems = parse_suite_file(file)
        cases.extend(file_cases)
        problems.extend(file_problems)
    problems.extend(duplicate_ids(cases))
    if not args.allow_partial_groups:
        problems.extend(check_groups(cases))
    for problem in problems:
        err.write(f"{problem}\n")
    if problems:
        err.write(f"{len(problems)} problem(s) in {len(files)} file(s)\n")
        return 1
    out.write(f"ok: {len(cases)} cases in {len(files)} file(s)\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(prog="saferegress", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"saferegress {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    judge = commands.add_parser(
        "judge", help="judge transcripts: JSONL lines with lang, response (and optional prompt, "
                      "kind) are written back with 'refused' and 'verdict' added")
    judge.add_argument("--guard", default="refusal", help="guard to judge with (default refusal)")
    judge.add_argument("file", help="JSONL file, or - for standard input")
    judge.set_defaults(handler=_judge)

    suite = commands.add_parser("suite", help="work with suite files")
    suite_commands = suite.add_subparsers(dest="suite_command", required=True)
    validate = suite_commands.add_parser(
        "validate", help="check suite files; every problem is listed with file, line and field")
    validate.add_argument("paths", nargs="+", help="suite files or folders")
    validate.add_argument("--allow-partial-groups", action="store_true",
                          help="do not require every group to cover all 12 languages")
    validate.set_defaults(handler=_suite_validate)
    return parser


def main(argv: Sequence[str] | None = None, out: IO[str] | None = None,
         err: IO[str] | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args, out, err)
    except SafeRegressError as exc:
        err.write(f"saferegress: {exc}\n")
        return 2
    except OSError as exc:
        err.write(f"saferegress: {exc.filename}: {exc.strerror}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
