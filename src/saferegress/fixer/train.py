"""Retrain a checkpoint on preference pairs with TRL's DPOTrainer.

torch, transformers, datasets, trl and peft are imported when training starts, never on import
(install them with ``pip install 'saferegress[fix]'``).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import MissingExtraError, SafeRegressError

__all__ = ["FixConfig", "FixError", "pairs_fingerprint", "train_dpo"]

#: The record of how a fixed checkpoint was made, written beside its weights.
RECORD_NAME = "saferegress-fix.json"


class FixError(SafeRegressError):
    """Training cannot start or cannot finish."""


@dataclass(frozen=True)
class FixConfig:
    """DPO settings. Defaults follow the paper (beta 0.1, 3 epochs) except the learning rate:
    the paper's 1e-6 moves a tiny model not at all, 1e-4 does (measured on the demo model)."""

    beta: float = field(default=0.1, metadata={"help": "DPO temperature: how far from the base"})
    learning_rate: float = field(default=1e-4, metadata={"help": "optimizer step size"})
    epochs: int = field(default=3, metadata={"help": "passes over the pairs"})
    batch_size: int = field(default=8, metadata={"help": "pairs per optimizer step"})
    sft_on_chosen: bool = field(
        default=True,
        metadata={
            "help": "add an SFT term on the chosen answers (TRL loss_type sigmoid+sft); "
            "it turns a rising preference margin into changed greedy answers"
        },
    )
    lora: bool = field(default=False, metadata={"help": "train a LoRA adapter, merged on save"})
    lora_rank: int = field(default=8, metadata={"help": "LoRA rank"})
    max_length: int = field(default=256, metadata={"help": "tokens per prompt + answer"})
    seed: int = field(default=0, metadata={"help": "random seed"})


def pairs_fingerprint(pairs: Sequence[Mapping[str, Any]]) -> str:
    digest = hashlib.sha256()
    for pair in pairs:
        row = {k: pair[k] for k in ("prompt", "chosen", "rejected")}
        digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return "sha256:" + digest.hexdigest()[:16]


def train_dpo(
    base: Path,
    pairs: Sequence[Mapping[str, Any]],
    out: Path,
    config: FixConfig = FixConfig(),
    *,
    show_progress: bool = False,
) -> dict[str, Any]:
    """Train ``base`` on ``pairs`` and save a normal HF checkpoint in ``out``; return the record
    of how it was made (also written to ``out/saferegress-fix.json``). ``show_progress``: TRL's
    progress bar on stderr."""
    if not pairs:
        raise FixError("no preference pairs: the run had no unsafe answers on train cases")
    try:
        import datasets
        import torch
        import transformers
        import trl
    except ImportError as exc:
        raise MissingExtraError(exc.name or "trl", "fix") from None
    from ..engine.fingerprints import checkpoint_fingerprint

    if not show_progress:
        # Tokenizing, weight loading and saving draw their own bars; a CI log needs none.
        datasets.disable_progress_bars()
        transformers.utils.logging.disable_progress_bar()
    base = Path(base).resolve()
    tokenizer = transformers.AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = transformers.AutoModelForCausalLM.from_pretrained(
        base, local_files_only=True, dtype=torch.float32
    )
    rows = [{k: pair[k] for k in ("prompt", "chosen", "rejected")} for pair in pairs]
    peft_config = None
    if config.lora:
        import peft

        peft_config = peft.LoraConfig(
            r=config.lora_rank,
            lora_alpha=2 * config.lora_rank,
            target_modules="all-linear",
            task_type="CAUSAL_LM",
        )
    with tempfile.TemporaryDirectory(prefix="saferegress-dpo-") as scratch:
        args = trl.DPOConfig(
            output_dir=scratch,
            beta=config.beta,
            learning_rate=config.learning_rate,
            num_train_epochs=config.epochs,
            per_device_train_batch_size=config.batch_size,
            loss_type=["sigmoid", "sft"] if config.sft_on_chosen else ["sigmoid"],
            max_length=config.max_length,
            # The reference model never changes: score it once, not once per epoch.
            precompute_ref_log_probs=True,
            seed=config.seed,
            # CPU-safe: TRL defaults to bf16 and gradient checkpointing.
            bf16=False,
            gradient_checkpointing=False,
            use_cpu=True,
            save_strategy="no",
            report_to=[],
            logging_steps=1,
            disable_tqdm=not show_progress,
        )
        trainer = trl.DPOTrainer(
            model=model,
            ref_model=None,
            args=args,
            train_dataset=datasets.Dataset.from_list(rows),
            processing_class=tokenizer,
            peft_config=peft_config,
        )
        if not show_progress:
            # Without a bar the Trainer prints every log dict to stdout instead.
            trainer.remove_callback(transformers.PrinterCallback)
        result = trainer.train()
        trained = trainer.model
        if config.lora:
            trained = trained.merge_and_unload()
    # Training leaves use_cache off, which slows generation and can flip near-tie greedy answers.
    trained.config.use_cache = True
    out.mkdir(parents=True, exist_ok=True)
    trained.save_pretrained(out)
    tokenizer.save_pretrained(out)
    record = {
        "base": str(base),
        "base_fingerprint": checkpoint_fingerprint(base),
        "pairs": len(rows),
        "pairs_fingerprint": pairs_fingerprint(pairs),
        "languages": sorted({str(p.get("lang")) for p in pairs}),
        "config": asdict(config),
        "train_loss": round(float(result.training_loss), 6),
        "trl_version": trl.__version__,
    }
    (out / RECORD_NAME).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return record
