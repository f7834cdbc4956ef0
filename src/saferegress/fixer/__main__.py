"""``python -m saferegress.fixer``: the DPO training step alone, on preference pairs.

    accelerate launch [--config_file CONFIG] [--num_processes N] -m saferegress.fixer \\
        --model CKPT --use-pairs pairs.jsonl --out CKPT-fixed [training options]

Every rank trains; the main one writes the checkpoint and ``saferegress-fix.json``.
``saferegress fix --launcher accelerate`` runs exactly this; pairs come from
``saferegress fix --pairs-only`` (or any JSONL of prompt/chosen/rejected/lang/kind rows).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import SafeRegressError


def _parser() -> argparse.ArgumentParser:
    from .cli import add_fix_config_options

    parser = argparse.ArgumentParser(
        prog="python -m saferegress.fixer",
        description="Train a checkpoint with DPO on preference pairs (one process, or every "
        "rank of accelerate launch); the main process writes the fixed checkpoint.",
    )
    parser.add_argument("--model", required=True, help="the checkpoint: demo, PATH or hf:PATH")
    parser.add_argument(
        "--use-pairs",
        required=True,
        type=Path,
        metavar="FILE",
        help="the pairs JSONL (as saferegress fix --pairs-only writes it)",
    )
    parser.add_argument("--out", required=True, type=Path, help="where the fixed model goes")
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="TRL's progress bar (default off)",
    )
    add_fix_config_options(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .cli import fix_config_from, read_pairs
    from .loop import trainable_checkpoint
    from .train import train_dpo

    try:
        base = trainable_checkpoint(args.model)
        record = train_dpo(
            base,
            read_pairs(args.use_pairs),
            args.out,
            fix_config_from(args),
            show_progress=args.progress,
        )
    except SafeRegressError as exc:
        sys.stderr.write(f"saferegress: error: {exc}\n")
        return 2
    used = record["trained_with"]
    if int(os.environ.get("RANK", "0")) == 0:
        sys.stderr.write(
            f"saferegress: trained on {used['world_size']} process(es), {used['strategy']}, "
            f"{used['device']} {used['precision']}, {'LoRA' if used['lora'] else 'full'}: "
            f"loss {record['train_loss']} → {args.out}\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
