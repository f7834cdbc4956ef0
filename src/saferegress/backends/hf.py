"""A local Hugging Face causal LM, run in-process with transformers (greedy, batched, CPU).

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
from saferegress.errors import MissingExtraError, TargetError

__all__ = ["HFTarget"]

log = logging.getLogger(__name__)


class HFTarget:
    """A local transformers checkpoint with a chat template, answering greedily on CPU."""

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

        try:
            model = transformers.AutoModelForCausalLM.from_pretrained(
                self.path, local_files_only=True, dtype=torch.float32
            )
        except Exception as exc:
            raise TargetError(f"hf target: cannot load the model from {self.path}: {exc}") from exc
        self._model: Any = model.to("cpu").eval()

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
            try:
                texts = self._generate_batch([ids for _, ids in batch])
                answers = [Generation(text=text) for text in texts]
            except Exception as exc:
                # One bad batch (out of memory, a bug in a model's code) must not stop the run;
                # its cases become errors, which never count as safe.
                log.warning("hf target %s: a batch of %d failed: %r", self.name, len(batch), exc)
                message = f"generation failed: {type(exc).__name__}: {exc}"
                answers = [Generation(text=None, error=message) for _ in batch]
            for (index, _), answer in zip(batch, answers, strict=True):
                results[index] = answer
        assert all(r is not None for r in results), "every conversation gets an answer"
        return results  # type: ignore[return-value]

    def _prompt_ids(self, conv: Sequence[Message]) -> list[int]:
        encoded = self._tokenizer.apply_chat_template(
            [dict(m) for m in conv], add_generation_prompt=True, tokenize=True, return_dict=True
        )
        return list(encoded["input_ids"])

    def _generate_batch(self, batch_ids: list[list[int]]) -> list[str]:
        tokenizer = self._tokenizer
        inputs = tokenizer.pad({"input_ids": batch_ids}, padding=True, return_tensors="pt")
        with self._torch.inference_mode():
            output = self._model.generate(
                input_ids=inputs["input_ids"],
                attention_mask=inputs["attention_mask"],
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
