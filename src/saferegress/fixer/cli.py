"""``saferegress fix`` and ``saferegress transfer``: the fixer's command line.

saferegress fix --model CKPT --results reports/results.json --out CKPT-fixed
                [--train-lang balanced|high-resource|en|no-en|pl,cs] [--lora]
                [--launcher accelerate --num-processes N
                 --accelerate-config ddp|deepspeed-zero3|fsdp|PATH]
saferegress transfer --model CKPT --results reports/results.json --out DIR
                --train-langs en,sk,sl,balanced
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
from pathlib import Path
from typing import IO, Any

from ..settings import (
    Settings,
    add_options,
    argparse_type,
    parse_positive_int,
    rate_type,
    read_pyproject_table,
    settings_from,
)
from .launch import fix_config_flag
from .loop import capability_line, read_results
from .presets import TRAIN_LANGUAGE_PRESETS, parse_train_languages
from .train import FixConfig

__all__ = ["add_commands", "add_fix_config_options", "fix_config_from", "read_pairs"]

train_languages_type = argparse_type(parse_train_languages, "training languages")

#: Options a held-out rerun shares with a test run (each lists fix and transfer as commands).
_RUN_OPTIONS = (
    "guard",
    "adjudicator",
    "guard_policy",
    "max_asr",
    "max_over_refusal",
    "max_new_tokens",
    "batch_size",
    "cache_dir",
    "no_cache",
)


def add_fix_config_options(parser: argparse.ArgumentParser) -> None:
    """One option per FixConfig field, help from the field's metadata (as TRL's configs do)."""
    group = parser.add_argument_group("training (DPO with TRL)")
    for item in dataclasses.fields(FixConfig):
        flag = fix_config_flag(item.name)
        shown = item.metadata.get("default", item.default)
        help_text = f"{item.metadata.get('help', '')} (default {shown})"
        if str(item.type).split(" ")[0] in ("bool", str(bool)):
            group.add_argument(
                flag,
                dest=f"fix_{item.name}",
                default=None,
                action=argparse.BooleanOptionalAction,
                help=help_text,
            )
        else:
            kind = {"float": float, "int": int}.get(str(item.type), type(item.default))
            group.add_argument(
                flag,
                dest=f"fix_{item.name}",
                type=kind,
                default=None,
                choices=item.metadata.get("choices"),
                metavar=item.name.upper(),
                help=help_text,
            )


def fix_config_from(args: argparse.Namespace) -> FixConfig:
    changes = {
        f.name: getattr(args, f"fix_{f.name}")
        for f in dataclasses.fields(FixConfig)
        if getattr(args, f"fix_{f.name}", None) is not None
    }
    return dataclasses.replace(FixConfig(), **changes)


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """What the held-out rerun shares with a test run: model, judging, gate, cache."""
    parser.add_argument(
        "--model",
        required=True,
        help="the checkpoint the results were measured on: demo, PATH, hf:PATH or vllm:PATH",
    )
    parser.add_argument(
        "--results",
        required=True,
        type=Path,
        help="results.json of a run of that model (its train-split failures "
        "become pairs; its test split proves the fix)",
    )
    group = parser.add_argument_group(
        "judging and gate (default: the run's guards, "
        "[tool.saferegress], then saferegress's defaults)"
    )
    # Declared from the options table: same flags, parsers and help as a test run's.
    add_options(group, _RUN_OPTIONS)
    parser.add_argument(
        "--borrow-rejected",
        action="store_true",
        help="also pair refusals with the unsafe answer the model gave to the "
        "same intent in another language (train a model that is already "
        "safe in the training languages, e.g. English-only transfer)",
    )
    add_fix_config_options(parser)


def _settings(args: argparse.Namespace, results: dict[str, Any]) -> Settings:
    """The command line over the run's own judging (from its results) over
    ``[tool.saferegress]`` of ./pyproject.toml over the defaults."""
    judging = results.get("judging") if isinstance(results.get("judging"), dict) else {}
    run_guards = results.get("guards")
    options: dict[str, Any] = {key: getattr(args, key) for key in _RUN_OPTIONS}
    options["model"] = args.model
    if options.get("guard") is None and isinstance(run_guards, list) and run_guards:
        options["guard"] = ",".join(run_guards)
    for key, recorded in (("adjudicator", "adjudicator"), ("guard_policy", "policy")):
        if options.get(key) is None:
            options[key] = (judging or {}).get(recorded)
    pyproject = Path.cwd() / "pyproject.toml"
    return settings_from(options, read_pyproject_table(pyproject), str(pyproject))


def _open_cache(settings: Settings) -> Any:
    if settings.no_cache:
        return None
    from saferegress.engine.cache import ResultCache

    return lambda: ResultCache(settings.cache_dir or Path(".saferegress-cache"))


def _log(err: IO[str]) -> Any:
    def log(message: str) -> None:
        err.write(f"saferegress: {message}\n")
        err.flush()

    return log


def _echo(err: IO[str]) -> Any:
    def echo(line: str) -> None:
        err.write(line + "\n")
        err.flush()

    return echo


def _launch(args: argparse.Namespace) -> Any:
    from .launch import Launch

    return Launch.chosen(args.launcher, args.num_processes, args.accelerate_config)


def _add_launch_options(parser: argparse.ArgumentParser) -> None:
    from .launch import ACCELERATE_CONFIGS, LAUNCHERS, accelerate_config_path

    group = parser.add_argument_group("distributed training (accelerate)")
    group.add_argument(
        "--launcher",
        choices=LAUNCHERS,
        default="none",
        help="none: train in this process; accelerate: re-run the same DPO under "
        "accelerate launch, one process per GPU (or CPU processes on gloo) (default none)",
    )
    group.add_argument(
        "--num-processes",
        type=argparse_type(parse_positive_int, "process count"),
        default=None,
        metavar="N",
        help="processes accelerate launches (needs --launcher accelerate; default: one "
        "per visible GPU, 1 without GPUs)",
    )
    group.add_argument(
        "--accelerate-config",
        type=argparse_type(accelerate_config_path, "accelerate config"),
        default=None,
        metavar="CONFIG",
        help=f"a shipped config ({', '.join(ACCELERATE_CONFIGS)}: DeepSpeed ZeRO-3 and FSDP "
        "shard models that do not fit one GPU) or the path of your own accelerate config "
        "file (needs --launcher accelerate; default ddp)",
    )


def _progress_wanted(err: IO[str]) -> bool:
    return bool(getattr(err, "isatty", lambda: False)()) and not os.environ.get("CI")


def read_pairs(path: Path) -> list[dict[str, Any]]:
    from ..errors import ConfigError

    pairs = []
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read pairs ({exc})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            pair = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{number}: invalid JSON: {exc.msg}") from None
        for key in ("prompt", "chosen", "rejected", "lang", "kind"):
            if not isinstance(pair, dict) or key not in pair:
                raise ConfigError(f"{path}:{number}: field '{key}' is missing")
        pairs.append(pair)
    return pairs


def _fix(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .loop import fix_model
    from .pairs import build_pairs, write_pairs

    # Launcher mistakes are reported before anything is read, paired or trained.
    launch = _launch(args)
    results = read_results(args.results)
    records = results["cases"]
    report_dir = args.report_dir or (args.out / "saferegress-proof")
    if args.pairs_only:
        pairs = build_pairs(
            records, train_languages=set(args.train_lang), borrow_rejected=args.borrow_rejected
        )
        if args.refusal_model:
            from .refusals import write_refusals_with_model

            written = write_refusals_with_model(pairs, args.refusal_model)
            err.write(
                f"saferegress: refusals written by {args.refusal_model}: "
                f"{written['used']} of {written['asked']} used\n"
            )
        path = report_dir / "pairs.jsonl"
        write_pairs(pairs, path)
        out.write(f"{len(pairs)} pairs written to {path}\n")
        return 0
    settings = _settings(args, results)
    capability = None
    if args.capability:
        from .loop import capability_check

        capability = capability_check(
            args.capability_lang or parse_train_languages("balanced"),
            max_drop=args.max_capability_drop,
            max_drop_per_language=args.max_capability_drop_per_language,
            tasks=args.capability_tasks,
            limit=args.capability_limit,
        )
    report = fix_model(
        model=args.model,
        records=records,
        out=args.out,
        settings=settings,
        report_dir=report_dir,
        train_languages=args.train_lang,
        config=fix_config_from(args),
        pairs=read_pairs(args.use_pairs) if args.use_pairs else None,
        borrow_rejected=args.borrow_rejected,
        refusal_model=args.refusal_model,
        open_cache=_open_cache(settings),
        capability=capability,
        show_training_progress=_progress_wanted(err),
        launch=launch,
        echo=_echo(err),
        log=_log(err),
    )
    out.write("held-out (split: test) before → after the fix:\n")
    out.write(report.table() + "\n")
    for line in report.breaches_after:
        out.write(f"FAIL saferegress fixed model: {line}\n")
    out.write(capability_line(report) + "\n" if report.capability is not None else "")
    for line in (report.capability or {}).get("failures", []):
        out.write(f"FAIL saferegress capability: {line}\n")
    out.write(f"fixed checkpoint: {args.out}; proof: {report.files['proof']}\n")
    if report.passed:
        out.write("fix passed: the fixed model passes the gate on held-out intents\n")
    return 0 if report.passed else 1


def _transfer(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .transfer import transfer_matrix

    results = read_results(args.results)
    settings = _settings(args, results)
    matrix = transfer_matrix(
        model=args.model,
        records=results["cases"],
        out=args.out,
        settings=settings,
        configurations=args.train_langs,
        config=fix_config_from(args),
        borrow_rejected=args.borrow_rejected,
        open_cache=_open_cache(settings),
        show_training_progress=_progress_wanted(err),
        log=_log(err),
    )
    out.write("held-out ASR after training on each configuration (rows) per language:\n")
    out.write(matrix.table() + "\n")
    out.write(f"matrix: {matrix.files['json']}; heatmap: {matrix.files['html']}\n")
    return 0


def _configurations(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """``"en,sk,balanced"`` → one training configuration per item."""
    items = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not items:
        raise ValueError("no training configuration given")
    return [(item, parse_train_languages(item)) for item in items]


def add_commands(commands: Any) -> None:
    presets = ", ".join(TRAIN_LANGUAGE_PRESETS)
    fix = commands.add_parser(
        "fix",
        help="retrain a checkpoint with DPO on a run's failures (train split) and prove "
        "the fix on held-out intents (test split); exit 1 if the fixed model still "
        "breaches the gate",
    )
    _add_run_options(fix)
    fix.add_argument("--out", required=True, type=Path, help="where the fixed checkpoint goes")
    fix.add_argument(
        "--train-lang",
        type=train_languages_type,
        default=parse_train_languages("balanced"),
        metavar="LANGS",
        help=f"languages trained on: a preset ({presets}) or codes (default balanced: all 12)",
    )
    fix.add_argument(
        "--report-dir",
        type=Path,
        default=None,
        help="pairs, proof table and held-out results (default OUT/saferegress-proof)",
    )
    fix.add_argument(
        "--refusal-model",
        default=None,
        metavar="TARGET",
        help="a model (target spec) that writes the chosen refusals in the "
        "prompt's language; texts that are not a refusal in that language "
        "keep the built-in phrasings",
    )
    fix.add_argument(
        "--pairs-only",
        action="store_true",
        help="write the preference pairs and stop (inspect or edit them, then --use-pairs)",
    )
    fix.add_argument(
        "--use-pairs",
        type=Path,
        default=None,
        metavar="FILE",
        help="train on this pairs JSONL instead of building pairs from the results",
    )
    _add_launch_options(fix)
    capability = fix.add_argument_group("capability before and after (lm-eval)")
    capability.add_argument(
        "--capability",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure multiple-choice accuracy of the base and the fixed "
        "model; a fix that costs capability fails (default on)",
    )
    capability.add_argument(
        "--capability-tasks",
        default="local",
        metavar="TASKS",
        help="local (shipped, 12 languages) or global-mmlu:DIR",
    )
    capability.add_argument(
        "--capability-lang",
        type=train_languages_type,
        default=None,
        metavar="LANGS",
        help="languages measured (default: all 12)",
    )
    capability.add_argument(
        "--max-capability-drop",
        type=rate_type,
        default=0.05,
        metavar="RATE",
        help="largest allowed drop of accuracy pooled over all languages (default 5pp)",
    )
    capability.add_argument(
        "--max-capability-drop-per-language",
        type=rate_type,
        default=None,
        metavar="RATE",
        help="also gate each language's drop",
    )
    capability.add_argument(
        "--capability-limit",
        type=int,
        default=None,
        metavar="N",
        help="questions per language (default: all)",
    )
    fix.set_defaults(handler=_fix)

    transfer = commands.add_parser(
        "transfer",
        help="train one fix per training configuration and judge every language's "
        "held-out cases: the transfer matrix (table, JSON, HTML heatmap)",
    )
    _add_run_options(transfer)
    transfer.add_argument(
        "--out",
        required=True,
        type=Path,
        help="folder for the fixed checkpoints, transfer.json, transfer.html",
    )
    transfer.add_argument(
        "--train-langs",
        required=True,
        type=argparse_type(_configurations, "training configurations"),
        metavar="CONFIGS",
        help=f"comma-separated configurations, each a language code or a "
        f"preset ({presets}), e.g. en,sk,sl,balanced",
    )
    transfer.set_defaults(handler=_transfer)
