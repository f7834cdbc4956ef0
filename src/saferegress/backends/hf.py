"""A local Hugging Face causal LM, run in-process with transformers (greedy, batched).

Device and precision follow ``TargetOptions.device`` / ``dtype`` (``backends.device``): by
default CUDA with bfloat16 when a GPU is there, the CPU in float32 otherwise. A batch that runs
out of memory is split in halves and retried, down to single conversations, before any case
becomes an error.

torch and transformers are imported when a target is built, never when this module is imported,
so the plugin and the registry stay light.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from saferegress.backends.base import Generation, Message, TargetOptions
from saferegress.backends.device import (
    checkpoint_bytes,
    is_out_of_memory,
    place,
    resolve_device,
    resolve_dtype,
    saved_element_size,
)
from saferegress.engine.heap import freeze_import_heap
from saferegress.engine.threads import apply_thread_budget
from saferegress.errors import MissingExtraError, TargetError

__all__ = ["HFTarget"]

log = logging.getLogger(__name__)


class HFTarget:
    """A local transformers checkpoint with a chat template, answering greedily."""

    def __init__(self, path: str | Path, options: TargetOptions | None = None) -> None:
        self.options = options or TargetOptions()
        self.path = Path(path).expanduser().resolve()
        self.name = f"hf:{self.path}"
        if not self.path.is_dir():
            raise TargetError(f"hf target: {self.path} does not exist or is not a directory")
        if not (self.path / "config.json").is_file():
            raise TargetError(
                f"hf target: {self.path} is not a Hugging Face checkpoint (no config.json)"
            )
        try:
            import torch
            import transformers
        except ImportError as exc:  # pragma: no cover - the dev environment has both
            raise MissingExtraError("transformers", "hf") from exc
        self._torch = torch
        # Before the first tokenizer and model: their thread pools keep the size they start with.
        apply_thread_budget()
        device = resolve_device(self.options.device, torch)
        self.dtype = resolve_dtype(self.options.dtype, device, torch)

        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(self.path, local_files_only=True)
        except Exception as exc:
            raise TargetError(
                f"hf target: cannot load the tokenizer from {self.path}: {exc}"
            ) from exc
        if not getattr(tokenizer, "chat_template", None):
            raise TargetError(
                f"hf target: the tokenizer in {self.path} has no chat template; saferegress "
                "sends chat conversations, so use an instruction-tuned checkpoint or add a "
                "chat_template.jinja"
            )
        # Left padding keeps every prompt flush against its first generated token.
        tokenizer.padding_side = "left"
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token
        self._tokenizer = tokenizer

        self.placement = place(
            device, checkpoint_bytes(self.path), saved_element_size(self.path), torch, self.dtype
        )
        # torch and transformers are imported: keep the collector off their objects (before
        # the weights load, so the model itself stays collectable).
        freeze_import_heap()
        extra: dict[str, Any] = {}
        if self.placement.device_map is not None:
            extra["device_map"] = self.placement.device_map
        try:
            model = transformers.AutoModelForCausalLM.from_pretrained(
                self.path, local_files_only=True, dtype=self.dtype, **extra
            )
        except Exception as exc:
            raise TargetError(f"hf target: cannot load the model from {self.path}: {exc}") from exc
        if self.placement.device_map is None:
            model = model.to(self.placement.device)  # type: ignore[arg-type]
        self._model: Any = model.eval()
        log.info(
            "hf target %s on %s (%s)",
            self.name,
            self.placement.device_map or self.placement.device,
            str(self.dtype).removeprefix("torch."),
        )

    def __repr__(self) -> str:
        return f"HFTarget({self.name!r})"

    @cached_property
    def fingerprint(self) -> str:
        """sha256 of the checkpoint's weights, config and tokenizer files (memoised)."""
        from saferegress.engine.fingerprints import checkpoint_fingerprint

        return checkpoint_fingerprint(self.path)

    def generate(self, conversations: Sequence[Sequence[Message]]) -> list[Generation]:
        results: list[Generation | None] = [None] * len(conversations)
        prompts: list[tuple[int, list[int]]] = []
        for index, conv in enumerate(conversations):
            try:
                prompts.append((index, self._prompt_ids(conv)))
            except Exception as exc:  # e.g. a template that rejects a role
                results[index] = Generation(text=None, error=f"chat template failed: {exc}")

        # Similar lengths in one batch means less padding; the index restores the order.
        prompts.sort(key=lambda item: len(item[1]))
        size = max(1, self.options.batch_size)
        for start in range(0, len(prompts), size):
            batch = prompts[start : start + size]
            for (index, _), answer in zip(batch, self._answer(batch), strict=True):
                results[index] = answer
        assert all(r is not None for r in results), "every conversation gets an answer"
        return results  # type: ignore[return-value]

    def _answer(self, batch: list[tuple[int, list[int]]]) -> list[Generation]:
        """Answers to one batch. Out of memory: each half is retried on its own, recursively
        down to one conversation, so memory trouble costs speed before it costs a verdict."""
        try:
            return [Generation(text=text) for text in self._generate_batch([i for _, i in batch])]
        except Exception as exc:
            if is_out_of_memory(exc) and len(batch) > 1:
                self._free_memory()
                half = len(batch) // 2
                log.info(
                    "hf target %s: out of memory on a batch of %d; retrying as %d + %d",
                    self.name,
                    len(batch),
                    half,
                    len(batch) - half,
                )
                return self._answer(batch[:half]) + self._answer(batch[half:])
            # One bad batch (a bug in a model's code, memory even for one conversation) must
            # not stop the run; its cases become errors, which never count as safe.
            log.warning("hf target %s: a batch of %d failed: %r", self.name, len(batch), exc)
            message = f"generation failed: {type(exc).__name__}: {exc}"
            return [Generation(text=None, error=message) for _ in batch]

    def _free_memory(self) -> None:
        if self._torch.cuda.is_available():
            self._torch.cuda.empty_cache()

    def _prompt_ids(self, conv: Sequence[Message]) -> list[int]:
        encoded: Any = self._tokenizer.apply_chat_template(
            [dict(m) for m in conv], add_generation_prompt=True, tokenize=True, return_dict=True
        )
        return list(encoded["input_ids"])

    def _generate_batch(self, batch_ids: list[list[int]]) -> list[str]:
        tokenizer = self._tokenizer
        inputs = tokenizer.pad({"input_ids": batch_ids}, padding=True, return_tensors="pt")
        with self._torch.inference_mode():
            output = self._model.generate(
                input_ids=inputs["input_ids"].to(self.placement.input_device),
                attention_mask=inputs["attention_mask"].to(self.placement.input_device),
                max_new_tokens=self.options.max_new_tokens,
                do_sample=False,
                # Unset sampling knobs a checkpoint's generation_config may carry, so greedy
                # decoding runs without warnings about ignored parameters.
                temperature=None,
                top_p=None,
                top_k=None,
                pad_token_id=tokenizer.pad_token_id,
            )
        new_tokens = output[:, inputs["input_ids"].shape[1] :]
        texts = tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
        return [text.strip() for text in texts]

    def close(self) -> None:
        """Drop the model so its memory can be reclaimed; the target is unusable afterwards."""
        self._model = None
