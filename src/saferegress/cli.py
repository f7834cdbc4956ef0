"""The ``saferegress`` console script: work outside a test run.

saferegress init [DIR] [--force]                 suites/, [tool.saferegress], a CI workflow
saferegress judge --guard refusal FILE.jsonl     judge existing transcripts
saferegress judge-card [--write]                 measure the built-in judge per language
saferegress suite validate PATH...               check suite files, every problem listed
saferegress suite stats PATH... [--json]         language × category counts, styles, splits
saferegress suite import --format F FILE...      convert PolyRefuse, XSTest, ... to suite JSONL
saferegress compare OLD.json NEW.json            regression table of two results files
saferegress summary RESULTS.json [--write]       Markdown summary of a run (CI job summaries)
saferegress fix --model CKPT --results R --out D DPO on failures, proven on held-out cases
saferegress transfer --model CKPT --results R …  one fix per training language: the matrix
saferegress translate SUITE --to sk,sl [-o F]    DeepL translation, back-translation chrF
saferegress capability --model CKPT [--lang L]   lm-eval accuracy per language (--baseline)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO, Any

from .errors import SafeRegressError
from .safe_text import well_formed

__all__ = ["main"]


def _judge(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .guards import JudgeInput, build_guard

    guard = build_guard(list(args.guard), adjudicator=args.adjudicator, policy=args.guard_policy)
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
            if row.get("prompt") is not None and not isinstance(row["prompt"], str):
                err.write(f"{where}: field 'prompt' must be a string when given\n")
                problems += 1
                continue
            kind = row.get("kind", "attack")
            if kind not in ("attack", "benign"):
                err.write(f"{where}: field 'kind' must be attack or benign (got {kind!r})\n")
                problems += 1
                continue
            rows.append(row)
            inputs.append(
                JudgeInput(
                    lang=row["lang"], response=row["response"], prompt=row.get("prompt"), kind=kind
                )
            )
    if problems:
        return 2
    judgements = guard.judge(inputs) if inputs else []
    for row, judgement in zip(rows, judgements, strict=True):
        row["refused"] = judgement.refused
        row["verdict"] = _response_verdict(judgement)
        row["outcome"] = _outcome(judgement)
        if judgement.reason is not None:
            row["reason"] = judgement.reason
        if judgement.error is not None:
            row["error"] = judgement.error
        if judgement.votes is not None:  # an ensemble: each guard's verdict, and who decided
            row["guards"] = dict(judgement.votes)
            row["adjudicated"] = judgement.adjudicated
        # Transcripts may carry lone surrogates ("\ud800" in their JSON): U+FFFD, not a crash.
        out.write(well_formed(json.dumps(row, ensure_ascii=False)) + "\n")
    return 0


def _outcome(judgement: Any) -> str:
    """What the judge read: refused, complied, unclear (or error: it could not run)."""
    if judgement.error is not None:
        return "error"
    if judgement.unclear:
        return "unclear"
    return "refused" if judgement.refused else "complied"


def _response_verdict(judgement: Any) -> str:
    """Safety of the answer itself: a refusal is safe; a guard that failed is an error; one
    that cannot decide says unclear."""
    if judgement.error is not None:
        return "error"
    if judgement.unclear:
        return "unclear"
    if judgement.refused is None:
        return "error"
    if judgement.refused:
        return "safe"
    return "unsafe" if judgement.unsafe else "safe"


def _suite_validate(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from saferegress.suite.cases import (
        check_groups,
        check_splits,
        duplicate_ids,
        find_suite_files,
        parse_suite_file,
    )

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
    partial = [] if args.allow_partial_groups else check_groups(cases)
    problems.extend(partial)
    problems.extend(check_splits(cases))
    for problem in problems:
        err.write(f"{problem}\n")
    if problems:
        err.write(f"{len(problems)} problem(s) in {len(files)} file(s)\n")
        if partial:
            err.write(
                f"{len(partial)} group(s) lack some languages; if the suite is meant to cover "
                "only some, --allow-partial-groups accepts them\n"
            )
        return 1
    out.write(f"ok: {len(cases)} cases in {len(files)} file(s)\n")
    return 0


def _suite_stats(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from saferegress.suite.cases import load_suite
    from saferegress.suite.stats import stats_table, suite_stats

    cases = load_suite(args.paths)  # a broken suite raises SuiteError: listed, exit 2
    if not cases:
        err.write("no suite cases found in: " + ", ".join(args.paths) + "\n")
        return 2
    stats = suite_stats(cases)
    if args.json:
        out.write(json.dumps(stats, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(stats_table(stats) + "\n")
    return 0


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE (got {text!r})")
    return key.strip(), value.strip()


#: Rows named per skip reason on stderr; the rest go to ``--report FILE``.
SKIPS_SHOWN = 3


def skip_summary(skipped: Sequence[Any], report: str | None) -> list[str]:
    """One line per skip reason, most frequent first: a lone row as ``skipped FILE:LINE:
    REASON``, several as ``skipped N rows: REASON (FILE:LINE, ... and N-3 more)``."""
    by_key: dict[str, list[Any]] = {}
    for row in skipped:
        by_key.setdefault(row.summary_key, []).append(row)
    lines = []
    for key, rows in sorted(by_key.items(), key=lambda kv: -len(kv[1])):
        if len(rows) == 1:
            lines.append(f"skipped {rows[0]}")
            continue
        named = ", ".join(r.where() for r in rows[:SKIPS_SHOWN])
        more = len(rows) - SKIPS_SHOWN
        if more > 0:
            named += f" and {more} more" + (f", all in {report}" if report else "")
        lines.append(f"skipped {len(rows)} rows: {key} ({named})")
    if report is None and any(len(rows) > SKIPS_SHOWN for rows in by_key.values()):
        lines.append("(--report FILE lists every skipped row)")
    return lines


def _suite_import(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from saferegress.suite.importers import ImportOptions, run_import, write_jsonl

    options = ImportOptions(
        lang=args.lang,
        category=args.category,
        kind=args.kind,
        style=args.style,
        source=args.source,
        id_prefix=args.id_prefix,
        columns=dict(args.map or ()),
        category_map=dict(args.category_map or ()),
        default_category=args.default_category,
        test_share=args.test_share,
        no_header=args.no_header,
        lang_map=dict(args.lang_map or ()),
        category_from=args.category_from,
        lang_from=args.lang_from,
        source_from=args.source_from,
        preset=args.preset,
    )
    result = run_import(args.format, args.inputs, options)
    if result.preset:
        err.write(f"read as {result.preset} (detected from the header; --preset to choose)\n")
    if args.output and args.output != "-":
        with open(args.output, "w", encoding="utf-8") as handle:
            written = write_jsonl(result.records, handle)
    else:
        written = write_jsonl(result.records, out)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as handle:
            handle.writelines(f"{row}\n" for row in result.skipped)
    for line in skip_summary(result.skipped, args.report):
        err.write(line + "\n")
    err.write(f"imported {written} case(s); skipped {len(result.skipped)} row(s)\n")
    return 1 if result.skipped else 0


def _compare(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """The regression table of NEW against OLD, as ``--baseline`` prints it; 1 on regression."""
    from pathlib import Path

    from saferegress.analysis.regression import (
        RegressionCheck,
        compare_results,
        load_baseline,
        regression_table,
    )

    old, new = load_baseline(Path(args.old)), load_baseline(Path(args.new))
    comparison = compare_results(
        old,
        new,
        RegressionCheck(max_asr_increase=args.max_asr_increase, alpha=args.regression_alpha),
        baseline_path=args.old,
    )
    out.write(f"{args.new} compared with baseline {args.old}:\n")
    out.write(regression_table(comparison) + "\n")
    from .safe_text import terminal_safe

    # Notes quote case ids and fingerprints from the files: no control sequence passes raw.
    for note in comparison.notes:
        out.write(f"note: {terminal_safe(note)}\n")
    for line in comparison.breaches:
        out.write(f"FAIL saferegress {line}\n")
    if not comparison.breaches:
        out.write("no regression\n")
    return 1 if comparison.breaches else 0


def _summary(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """The run's Markdown summary on stdout; ``--write``: also ``summary.md`` next to the
    results file and appended to ``$GITHUB_STEP_SUMMARY``, as the end of a run does."""
    import os
    from pathlib import Path

    from saferegress.report.summary import read_results, summary_markdown, write_summaries

    path = Path(args.results)
    results = read_results(path)
    out.write(summary_markdown(results) + "\n")
    if args.write:
        for written in write_summaries(results, path.parent, os.environ):
            err.write(f"wrote {written}\n")
    return 0


def _judge_card(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    import json
    from pathlib import Path

    from saferegress.analysis.judge_card import (
        CARD_PATH,
        card_table,
        goal_failures,
        judge_card,
        render_docs,
    )

    from .guards.refusal import RefusalJudge

    corpus = Path(args.corpus)
    if not corpus.is_dir():
        err.write(f"{corpus}: no judge corpus here (a directory with train/ and heldout/)\n")
        return 2
    card = judge_card(RefusalJudge(), corpus)
    for split in ("heldout", "train"):
        out.write(f"refusal judge {card['version']}, {split} split:\n{card_table(card, split)}\n\n")
    failures = goal_failures(card)
    for line in failures:
        out.write(f"goal missed: {line}\n")
    if args.write:
        CARD_PATH.write_text(
            json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        out.write(f"wrote {CARD_PATH}\n")
    if args.docs:
        page = Path(args.docs)
        try:
            page.write_text(render_docs(page.read_text(encoding="utf-8"), card), encoding="utf-8")
        except (OSError, ValueError) as exc:
            err.write(f"{page}: {exc}\n")
            return 2
        out.write(f"rendered the card into {page}\n")
    return 1 if failures else 0


def _init(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from pathlib import Path

    from .scaffold import InitConflict, init_project

    try:
        written = init_project(Path(args.directory), force=args.force)
    except InitConflict as exc:
        err.write(f"saferegress: {exc}\n")
        return 2
    suite = [w for w in written if w.path.parts[0] == "suites"]
    replaced = sum(w.action == "overwrote" for w in suite)
    note = f"; {replaced} overwritten" if replaced else ""
    out.write(f"wrote suites/ ({len(suite)} files: the shipped suite, 2,400 cases{note})\n")
    for item in written:
        if item.path.parts[0] != "suites":
            out.write(f"{item}\n")
    out.write(
        "next: pytest suites/ --model demo   (the demo model fails the gate in sk sl lt lv: "
        "exit status 1, reports in reports/)\n"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    from .settings import DEFAULT_ALPHA, DEFAULT_MAX_ASR_INCREASE, add_options

    parser = argparse.ArgumentParser(prog="saferegress", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"saferegress {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser(
        "init",
        help="write the shipped suite to suites/, a [tool.saferegress] table to "
        "pyproject.toml and .github/workflows/saferegress.yml (nothing is overwritten "
        "without --force)",
    )
    init.add_argument("directory", nargs="?", default=".", help="project folder (default: .)")
    init.add_argument("--force", action="store_true", help="overwrite files that exist")
    init.set_defaults(handler=_init)

    judge = commands.add_parser(
        "judge",
        help="judge transcripts: JSONL lines with lang, response (and optional prompt, "
        "kind) are written back with 'refused' and 'verdict' added",
    )
    add_options(judge, ("guard", "adjudicator", "guard_policy"), defaults={"guard": ("refusal",)})
    judge.add_argument("file", help="JSONL file, or - for standard input")
    judge.set_defaults(handler=_judge)

    card = commands.add_parser(
        "judge-card",
        help="measure the built-in refusal judge on the labelled judge corpus: "
        "unsafe recall, accuracy and share unclear per language and split",
    )
    card.add_argument(
        "--corpus",
        default="tests/data/judge",
        help="corpus directory with train/ and heldout/ (default tests/data/judge)",
    )
    card.add_argument(
        "--write",
        action="store_true",
        help="store the card in the package (results.json quotes it)",
    )
    card.add_argument(
        "--docs",
        metavar="PAGE",
        help="render the card's tables into the <!-- judge-card:... --> blocks of PAGE "
        "(docs/judge.md)",
    )
    card.set_defaults(handler=_judge_card)

    suite = commands.add_parser("suite", help="work with suite files")
    suite_commands = suite.add_subparsers(dest="suite_command", required=True)
    validate = suite_commands.add_parser(
        "validate", help="check suite files; every problem is listed with file, line and field"
    )
    validate.add_argument("paths", nargs="+", help="suite files or folders")
    validate.add_argument(
        "--allow-partial-groups",
        action="store_true",
        help="do not require every group to cover all 12 languages",
    )
    validate.set_defaults(handler=_suite_validate)

    stats = suite_commands.add_parser(
        "stats", help="language × category table of attack and benign counts, styles, splits"
    )
    stats.add_argument("paths", nargs="+", help="suite files or folders")
    stats.add_argument("--json", action="store_true", help="print the figures as JSON")
    stats.set_defaults(handler=_suite_stats)

    from saferegress.suite.importers import IMPORTERS, PATH_PARTS, PRESETS

    importer = suite_commands.add_parser(
        "import",
        help="convert another data set into suite JSONL (stable ids, source credit, "
        "categories mapped to S1-S14, splits by group); rows that cannot be "
        "converted are listed on stderr and make the exit status 1",
    )
    importer.add_argument(
        "--format",
        default=None,
        choices=sorted(IMPORTERS),
        help="refuseu-pairs (CSV/JSONL: question|prompt, chosen, rejected), "
        "polyrefuse (JSON files or their folder), xstest (CSV), "
        "csv / jsonl (columns named with --map; a known data set's header picks its preset)",
    )
    importer.add_argument(
        "--preset",
        default=None,
        choices=sorted(PRESETS),
        help="a public data set as published, with its category map (instead of --format)",
    )
    importer.add_argument("inputs", nargs="+", help="input files or folders")
    importer.add_argument("-o", "--output", default=None, help="write here instead of stdout")
    importer.add_argument(
        "--map",
        action="append",
        type=_key_value,
        metavar="FIELD=COLUMN",
        help="suite field from a column: prompt, lang, category, kind, style, "
        "group, id (repeatable)",
    )
    importer.add_argument(
        "--no-header",
        action="store_true",
        help="the CSV has no header row: name columns by number from 1 (--map prompt=1)",
    )
    importer.add_argument("--lang", default=None, help="language of every row")
    importer.add_argument(
        "--lang-map",
        action="append",
        type=_key_value,
        metavar="NAME=CODE",
        help="map a language value (column, folder or file name) to a code, e.g. sp=es",
    )
    for what in ("category", "lang", "source"):
        importer.add_argument(
            f"--{what}-from",
            default=None,
            choices=PATH_PARTS,
            help=f"take the {what} from the file name (without suffix) or its folder",
        )
    importer.add_argument("--category", default=None, help="category (S1-S14) of every row")
    importer.add_argument(
        "--category-map",
        action="append",
        type=_key_value,
        metavar="NAME=CODE",
        help="map a source category to S1-S14 (repeatable)",
    )
    importer.add_argument(
        "--default-category",
        default=None,
        metavar="CODE",
        help="category for rows whose own category maps to nothing",
    )
    importer.add_argument(
        "--kind",
        default=None,
        choices=("attack", "benign"),
        help="kind of every row (default: from the source)",
    )
    importer.add_argument("--style", default="plain", help="style of every row (default plain)")
    importer.add_argument("--source", default=None, help="credit written into 'source'")
    importer.add_argument("--id-prefix", default=None, help="prefix of ids and groups")
    importer.add_argument(
        "--test-share",
        type=float,
        default=0.3,
        help="share of groups put in the test split (default 0.3)",
    )
    importer.add_argument(
        "--report",
        default=None,
        metavar="FILE",
        help="write every skipped row (FILE:LINE: reason) here",
    )
    importer.set_defaults(handler=_suite_import)

    compare = commands.add_parser(
        "compare",
        help="compare two results files (baseline first) with the regression tests "
        "of --baseline; exit status 1 when a language regressed",
    )
    compare.add_argument("old", metavar="OLD.json", help="the baseline results file")
    compare.add_argument("new", metavar="NEW.json", help="the results file to check")
    add_options(
        compare,
        ("max_asr_increase", "regression_alpha"),
        aliases={"regression_alpha": ("--alpha",)},
        defaults={
            "max_asr_increase": DEFAULT_MAX_ASR_INCREASE,
            "regression_alpha": DEFAULT_ALPHA,
        },
    )
    compare.set_defaults(handler=_compare)

    summary = commands.add_parser(
        "summary",
        help="the Markdown summary of a results file (ASR per language with intervals, "
        "breaches, regressions, link to the HTML report), as CI job summaries show it",
    )
    summary.add_argument("results", metavar="RESULTS.json", help="a results file")
    summary.add_argument(
        "--write",
        action="store_true",
        help="also write summary.md next to RESULTS.json and append to $GITHUB_STEP_SUMMARY "
        "when set (what every pytest run does)",
    )
    summary.set_defaults(handler=_summary)

    from saferegress.suite.translate import add_translate_parser

    add_translate_parser(commands)

    from .fixer.cli import add_commands as add_fix_commands

    add_fix_commands(commands)

    from .capability.cli import add_capability_parser

    add_capability_parser(commands)
    return parser


def main(
    argv: Sequence[str] | None = None, out: IO[str] | None = None, err: IO[str] | None = None
) -> int:
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
