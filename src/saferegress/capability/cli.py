"""``saferegress capability``: accuracy per language with lm-eval, optionally against a baseline.

    saferegress capability --model CKPT|openai:NAME@URL [--tokenizer DIR] [--lang sl,lv]
                           [--tasks local|global-mmlu:DIR] [--limit N] [--json] [--save FILE]
                           [--baseline FILE --max-drop 2pp]

Exit status: 0, or 1 when a language dropped more than ``--max-drop`` below ``--baseline``;
2 on a usage or setup error (message only, no traceback).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

__all__ = ["add_capability_parser"]


def add_capability_parser(commands: Any) -> None:
    from ..languages import LANGUAGES
    from ..settings import add_options, argparse_type, positive_int_type
    from .compare import DEFAULT_MAX_DROP, parse_drop

    parser = commands.add_parser(
        "capability",
        help="multiple-choice accuracy per language with lm-eval (in process, or on a "
        "completions server; offline); with --baseline, fail on a drop",
    )
    parser.add_argument(
        "--model",
        required=True,
        help="local Hugging Face checkpoint folder (or hf:PATH, or demo), or a model on an "
        "OpenAI-compatible completions server: openai:NAME@URL (e.g. vLLM's, "
        "openai:my-model@http://localhost:8000/v1)",
    )
    parser.add_argument(
        "--tokenizer",
        default=None,
        metavar="DIR",
        help="with openai:NAME@URL: a local copy of the served model's tokenizer, for a server "
        "that does not give its own (vLLM gives it with --enable-tokenizer-info-endpoint)",
    )
    add_options(parser, ("lang",), defaults={"lang": LANGUAGES})
    parser.add_argument(
        "--tasks",
        default="local",
        metavar="local|global-mmlu:DIR",
        help="the shipped 12-language set (default), or Global-MMLU files in "
        "DIR/<lang>/test-*.parquet (also .jsonl/.json/.csv)",
    )
    parser.add_argument(
        "--limit",
        type=positive_int_type,
        default=None,
        metavar="N",
        help="only the first N questions of each language",
    )
    parser.add_argument("--batch-size", type=positive_int_type, default=32, metavar="N")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--save", default=None, metavar="FILE", help="write the result as JSON (a later --baseline)"
    )
    parser.add_argument(
        "--baseline",
        default=None,
        metavar="FILE",
        help="a result saved with --save: print the per-language delta",
    )
    parser.add_argument(
        "--max-drop",
        type=argparse_type(parse_drop, "drop"),
        default=DEFAULT_MAX_DROP,
        metavar="PP",
        help="largest accuracy drop per language against --baseline (default 2pp)",
    )
    parser.set_defaults(handler=run_capability)


def run_capability(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from ..errors import ConfigError
    from .compare import capability_table, compare_capability
    from .measure import CapabilityResult, measure_capability
    from .tasks import parse_task_source

    source = parse_task_source(args.tasks)  # a bad spec or folder fails before the slow part
    baseline = None
    if args.baseline:
        path = Path(args.baseline)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
        baseline = CapabilityResult.from_dict(data, where=str(path))
        # Only the languages asked for now: --lang sl against a 12-language baseline checks sl.
        baseline = replace(
            baseline,
            languages={lang: cap for lang, cap in baseline.languages.items() if lang in args.lang},
        )
    _quiet_lm_eval(err)
    result = measure_capability(
        args.model,
        args.lang,
        tasks=source,
        limit=args.limit,
        batch_size=args.batch_size,
        tokenizer=args.tokenizer,
    )
    comparison = compare_capability(baseline, result, args.max_drop) if baseline else None
    if args.save:
        Path(args.save).write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
    if args.json:
        payload = result.to_dict()
        if comparison is not None:
            payload["comparison"] = comparison.to_dict()
        out.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(
            f"capability of {result.model} on {result.tasks} (lm-eval "
            f"{result.lm_eval_version}, tasks {result.task_hash}):\n"
        )
        out.write(capability_table(result, comparison) + "\n")
    if comparison is not None:
        for line in comparison.breaches:  # stdout stays pure JSON under --json
            (err if args.json else out).write(f"FAIL saferegress {line}\n")
        return 1 if comparison.failed else 0
    return 0


def _quiet_lm_eval(err: IO[str]) -> None:
    """lm-eval logs each task's set-up at INFO/WARNING; the table is what the user asked for.

    Its progress bars (and datasets') stay on a terminal only, as saferegress's own do.
    """
    import logging
    import os

    logging.getLogger("lm_eval").setLevel(logging.ERROR)
    if not (hasattr(err, "isatty") and err.isatty()) or os.environ.get("CI"):
        os.environ.setdefault("TQDM_DISABLE", "1")  # read by tqdm >= 4.66 at each bar
