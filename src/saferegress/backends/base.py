"""The interface every model target implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["Generation", "Message", "Target", "TargetOptions", "conversation"]

#: One chat message, as the OpenAI API and chat templates spell it.
Message = dict[str, str]


@dataclass(frozen=True)
class TargetOptions:
    """Generation settings shared by every backend (greedy decoding throughout)."""

    max_new_tokens: int = 64
    batch_size: int = 64
    base_url: str | None = None
    concurrency: int = 8
    timeout_s: float = 60.0
    max_retries: int = 3
    #: Seconds one request may spend on all its attempts and the waits between them.
    retry_budget_s: float = 300.0
    #: In-process models (hf, vllm, checkpoint guards): auto, cpu, cuda (all GPUs) or cuda:N.
    device: str = "auto"
    #: auto (bfloat16 on GPUs that support it, float16 on other GPUs, float32 on CPU),
    #: float32, bfloat16 or float16.
    dtype: str = "auto"
    #: vLLM engine arguments; None leaves vLLM's default (or SAFEREGRESS_VLLM_ENGINE_ARGS).
    tensor_parallel_size: int | None = None
    data_parallel_size: int | None = None
    gpu_memory_utilization: float | None = None
    max_model_len: int | None = None


@dataclass(frozen=True)
class Generation:
    """A model's answer to one conversation, or why there is none.

    Exactly one of ``text`` and ``error`` is set: a failed request is an error, never an empty
    answer (an empty answer would be judged, and might pass as safe).
    """

    text: str | None
    error: str | None = None

    def __post_init__(self) -> None:
        if (self.text is None) == (self.error is None):
            raise ValueError("a Generation has either text or error, not both or neither")


@runtime_checkable
class Target(Protocol):
    """A model under test. ``generate`` answers a whole batch in one call, in order."""

    #: Stable description of what is tested, e.g. ``hf:/models/x`` or ``openai:gpt-x``.
    name: str

    def generate(self, conversations: Sequence[Sequence[Message]]) -> list[Generation]: ...

    def close(self) -> None: ...


def conversation(prompt: str) -> list[Message]:
    """The conversation a suite case sends: one user turn."""
    return [{"role": "user", "content": prompt}]
