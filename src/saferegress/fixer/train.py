"""Retrain a checkpoint on preference pairs with TRL's DPOTrainer.

The same code runs in one process and in every rank of ``accelerate launch`` (DDP, DeepSpeed
ZeRO-3, FSDP: TRL and accelerate do the distribution; see ``fixer.launch``); only the main
process writes the checkpoint and its record. Device, precision, gradient checkpointing and LoRA
are chosen as transformers users expect: cuda when visible, bf16 on GPUs that support it, fp32
and gloo on CPU.

torch, transformers, datasets, trl and peft are imported when training starts, never on import
(install them with ``pip install 'saferegress[fix]'``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import MissingExtraError, SafeRegressError

__all__ = ["FixConfig", "FixError", "pairs_fingerprint", "resolve_hardware", "train_dpo"]

#: The record of how a fixed checkpoint was made, written beside its weights.
RECORD_NAME = "saferegress-fix.json"


class FixError(SafeRegressError):
    """Training cannot start or cannot finish."""


#: LoRA by default above this many parameters (FixConfig.lora_above).
LORA_ABOVE_PARAMETERS = 3_000_000_000
DEVICES = ("auto", "cuda", "cpu")
PRECISIONS = ("auto", "bf16", "fp16", "fp32")


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
    lora: bool | None = field(
        default=None,
        metadata={
            "help": "train a LoRA adapter, merged on save",
            "default": "on above --lora-above parameters",
        },
    )
    lora_rank: int = field(default=8, metadata={"help": "LoRA rank"})
    lora_above: int = field(
        default=LORA_ABOVE_PARAMETERS,
        metadata={
            "help": "parameter count above which LoRA is on by default: full DPO with AdamW "
            "in mixed precision holds ~16 bytes a parameter (weights, gradients, two moments) "
            "before activations, so 3B parameters take ~48 GB, about the most a full "
            "fine-tune fits on one 80 GB GPU"
        },
    )
    max_length: int = field(default=256, metadata={"help": "tokens per prompt + answer"})
    seed: int = field(default=0, metadata={"help": "random seed"})
    device: str = field(
        default="auto",
        metadata={"help": "cuda, cpu or auto (cuda when visible)", "choices": DEVICES},
    )
    precision: str = field(
        default="auto",
        metadata={
            "help": "bf16, fp16 (mixed, fp32 master weights), fp32 or auto (bf16 on GPUs "
            "that support it, else fp32)",
            "choices": PRECISIONS,
        },
    )
    gradient_checkpointing: bool | None = field(
        default=None,
        metadata={
            "help": "recompute activations in the backward pass: less memory, about a third slower",
            "default": "on for cuda, off for cpu",
        },
    )


def pairs_fingerprint(pairs: Sequence[Mapping[str, Any]]) -> str:
    digest = hashlib.sha256()
    for pair in pairs:
        row = {k: pair[k] for k in ("prompt", "chosen", "rejected")}
        digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return "sha256:" + digest.hexdigest()[:16]


def resolve_hardware(config: FixConfig, torch: Any, parameters: int) -> FixConfig:
    """``config`` with ``auto`` device, precision, LoRA and gradient checkpointing decided for
    this machine and a model of ``parameters`` parameters."""
    device = config.device
    if device not in DEVICES:
        raise FixError(f"--train-device must be one of {', '.join(DEVICES)} (got {device!r})")
    if config.precision not in PRECISIONS:
        raise FixError(
            f"--train-precision must be one of {', '.join(PRECISIONS)} (got {config.precision!r})"
        )
    cuda = bool(torch.cuda.is_available())
    if device == "auto":
        device = "cuda" if cuda else "cpu"
    elif device == "cuda" and not cuda:
        raise FixError("--train-device cuda: no CUDA device is visible to torch")
    precision = config.precision
    if precision == "auto":
        precision = "bf16" if device == "cuda" and torch.cuda.is_bf16_supported() else "fp32"
    if precision == "fp16" and device == "cpu":
        raise FixError("--train-precision fp16 needs a GPU (use bf16 or fp32 on cpu)")
    lora = config.lora if config.lora is not None else parameters > config.lora_above
    checkpointing = config.gradient_checkpointing
    if checkpointing is None:
        checkpointing = device == "cuda"
    return replace(
        config,
        device=device,
        precision=precision,
        lora=lora,
        gradient_checkpointing=checkpointing,
    )


def count_parameters(base: Path, transformers: Any) -> int:
    """Parameters of the checkpoint's architecture, counted without loading its weights."""
    import accelerate

    model_config = transformers.AutoConfig.from_pretrained(base, local_files_only=True)
    with accelerate.init_empty_weights():
        empty = transformers.AutoModelForCausalLM.from_config(model_config)
    return int(sum(p.numel() for p in empty.parameters()))


def launcher_name() -> str:
    """How this process was started: accelerate launch, torchrun, or a single process."""
    if os.environ.get("ACCELERATE_MIXED_PRECISION") is not None or any(
        key.startswith("ACCELERATE_USE_") for key in os.environ
    ):
        return "accelerate"
    if os.environ.get("TORCHELASTIC_RUN_ID") or int(os.environ.get("WORLD_SIZE", "1")) > 1:
        return "torchrun"
    return "none"


def _strategy(trainer: Any) -> str:
    state = trainer.accelerator.state
    if trainer.is_deepspeed_enabled:
        return f"zero{state.deepspeed_plugin.zero_stage}"
    if trainer.is_fsdp_enabled:
        return "fsdp"
    return "ddp" if state.num_processes > 1 else "single"


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
    progress bar on stderr.

    Run in every rank of a distributed launch, it trains one model together with the others;
    ``config.batch_size`` stays the pairs per optimizer step over all ranks, so one process and
    N processes make the same number of steps. Only the main process writes."""
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
    parameters = count_parameters(base, transformers)
    config = resolve_hardware(config, torch, parameters)
    import accelerate

    # The process group (gloo on CPU, NCCL on GPUs) when launched with several ranks.
    state = accelerate.PartialState(cpu=config.device == "cpu")
    per_device = -(-config.batch_size // state.num_processes)
    tokenizer = transformers.AutoTokenizer.from_pretrained(base, local_files_only=True)
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
    with _scratch(out, state) as scratch:
        # The arguments come before the model: under ZeRO-3 they make from_pretrained load
        # each rank's shard only.
        args = trl.DPOConfig(
            output_dir=scratch,
            beta=config.beta,
            learning_rate=config.learning_rate,
            num_train_epochs=config.epochs,
            per_device_train_batch_size=per_device,
            loss_type=["sigmoid", "sft"] if config.sft_on_chosen else ["sigmoid"],
            max_length=config.max_length,
            # The reference model never changes: score it once, not once per epoch.
            precompute_ref_log_probs=True,
            seed=config.seed,
            # Decided above (TRL itself defaults to bf16 and checkpointing, which CPUs lack).
            bf16=config.precision == "bf16",
            fp16=config.precision == "fp16",
            gradient_checkpointing=bool(config.gradient_checkpointing),
            # Non-reentrant checkpointing works with DDP and with frozen (LoRA) base weights.
            gradient_checkpointing_kwargs={"use_reentrant": False},
            # Every trainable weight of a causal LM is used in each forward pass: DDP need not
            # search the graph for unused ones every step.
            ddp_find_unused_parameters=False,
            use_cpu=config.device == "cpu",
            save_strategy="no",
            report_to=[],
            logging_steps=1,
            disable_tqdm=not show_progress,
        )
        # bf16 weights halve the memory of a large model; fp16 mixed precision needs fp32
        # master weights.
        dtype = torch.bfloat16 if config.precision == "bf16" else torch.float32
        model = transformers.AutoModelForCausalLM.from_pretrained(
            base, local_files_only=True, dtype=dtype
        )
        trainer = trl.DPOTrainer(
            model=model,
            ref_model=None,
            args=args,
            train_dataset=_dataset(rows, scratch, state, datasets),
            processing_class=tokenizer,
            peft_config=peft_config,
        )
        if not show_progress:
            # Without a bar the Trainer prints every log dict to stdout instead.
            trainer.remove_callback(transformers.PrinterCallback)
        result = trainer.train()
        accelerator = trainer.accelerator
        main = accelerator.is_main_process
        strategy = _strategy(trainer)
        if main:
            _warn_if_not_sharded(strategy, config.device)
        trained = None
        if strategy.startswith("zero") or strategy == "fsdp":
            # Sharded weights: the Trainer gathers them (a collective on every rank) and the
            # main process writes a full state dict (the shipped configs ask for one).
            gathered = Path(scratch) / "gathered"
            trainer.save_model(str(gathered))
            if main:
                trained = _load_gathered(base, gathered, config, dtype, transformers)
        elif main:
            trained = accelerator.unwrap_model(trainer.model)
            if config.lora:
                trained = trained.merge_and_unload()
        record = {
            "base": str(base),
            "base_fingerprint": checkpoint_fingerprint(base),
            "pairs": len(rows),
            "pairs_fingerprint": pairs_fingerprint(pairs),
            "languages": sorted({str(p.get("lang")) for p in pairs}),
            "config": asdict(config),
            "train_loss": round(float(result.training_loss), 6),
            "trl_version": trl.__version__,
            "trained_with": {
                "launcher": launcher_name(),
                "world_size": accelerator.num_processes,
                "strategy": strategy,
                "device": config.device,
                "backend": str(accelerator.state.backend or "none"),
                "precision": config.precision,
                "lora": bool(config.lora),
                "gradient_checkpointing": bool(config.gradient_checkpointing),
                "parameters": parameters,
                "per_device_batch_size": per_device,
                "global_batch_size": per_device * accelerator.num_processes,
                "accelerate_version": _version("accelerate"),
                "torch_version": torch.__version__,
            },
        }
        if main:
            assert trained is not None  # the main rank always holds the trained model
            # Training leaves use_cache off, which slows generation and can flip near-tie
            # greedy answers.
            trained.config.use_cache = True
            out.mkdir(parents=True, exist_ok=True)
            trained.save_pretrained(out)
            tokenizer.save_pretrained(out)
            (out / RECORD_NAME).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        # The scratch folder goes when every rank is done with it.
        accelerator.wait_for_everyone()
    return record


@contextlib.contextmanager
def _scratch(out: Path, state: Any) -> Iterator[str]:
    """A working folder every rank sees: TRL's precomputed reference log-probabilities are
    written by the main rank beside the dataset's files and read by all the others. One
    process: a temporary folder; several: a hidden folder beside ``out``, which a multi-node
    run has on storage all nodes share (the fixed checkpoint is read from there too)."""
    if state.num_processes == 1:
        with tempfile.TemporaryDirectory(prefix="saferegress-dpo-") as scratch:
            yield scratch
        return
    out = Path(out).resolve()
    shared = out.parent / f".{out.name}.saferegress-dpo"
    if state.is_main_process:
        shutil.rmtree(shared, ignore_errors=True)
        shared.mkdir(parents=True)
    state.wait_for_everyone()
    try:
        yield str(shared)
    finally:
        if state.is_main_process:
            shutil.rmtree(shared, ignore_errors=True)


def _dataset(rows: list[dict[str, Any]], scratch: str, state: Any, datasets: Any) -> Any:
    """The pairs as a Dataset; with several ranks one on disk in ``scratch``, so that every
    rank's derived datasets (tokenized, reference log-probabilities) are the same files."""
    if state.num_processes == 1:
        return datasets.Dataset.from_list(rows)
    folder = Path(scratch) / "pairs"
    if state.is_main_process:
        datasets.Dataset.from_list(rows).save_to_disk(str(folder))
    state.wait_for_everyone()
    return datasets.load_from_disk(str(folder))


def _warn_if_not_sharded(strategy: str, device: str) -> None:
    """accelerate launch with an FSDP or DeepSpeed config on CPUs trains plain DDP: say so,
    rather than let a user believe the model was sharded."""
    for variable, name, prefix in (
        ("ACCELERATE_USE_FSDP", "FSDP", "fsdp"),
        ("ACCELERATE_USE_DEEPSPEED", "DeepSpeed", "zero"),
    ):
        asked = os.environ.get(variable, "false").lower() in ("1", "true", "yes")
        if asked and not strategy.startswith(prefix):
            sys.stderr.write(
                f"saferegress: the accelerate config asks for {name}, but training ran as "
                f"{strategy} on {device} ({name} shards over GPUs); the record says {strategy}\n"
            )


def _load_gathered(
    base: Path, gathered: Path, config: FixConfig, dtype: Any, transformers: Any
) -> Any:
    """The model the Trainer saved from sharded weights, a LoRA adapter merged into its base."""
    if not config.lora:
        return transformers.AutoModelForCausalLM.from_pretrained(gathered, dtype=dtype)
    import peft

    model = transformers.AutoModelForCausalLM.from_pretrained(
        base, local_files_only=True, dtype=dtype
    )
    return peft.PeftModel.from_pretrained(model, gathered).merge_and_unload()


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None
