"""Where an in-process model runs and in what precision, decided as transformers users expect.

``auto`` means: CUDA when ``torch.cuda.is_available()`` (every visible GPU), else the CPU;
bfloat16 on GPUs that support it, float16 on older GPUs, float32 on the CPU. ``--device`` and
``--dtype`` (or ``device`` / ``dtype`` in ``[tool.saferegress]``) override either half.

A model that does not fit in the free memory of one GPU is spread over all visible GPUs with
``device_map="auto"`` (accelerate); one that fits goes to a single GPU whole, which is faster.

torch is passed in or imported inside the functions, never when this module is imported, so
the settings (which parse these values) stay light.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saferegress.errors import TargetError

__all__ = [
    "DEVICES",
    "DTYPES",
    "Placement",
    "checkpoint_bytes",
    "is_out_of_memory",
    "parse_device",
    "parse_dtype",
    "place",
    "resolve_device",
    "resolve_dtype",
    "resolved_precision",
    "saved_element_size",
    "surely_cpu_float32",
]

#: The values ``--device`` takes besides ``cuda:N``.
DEVICES = ("auto", "cpu", "cuda")
DTYPES = ("auto", "float32", "bfloat16", "float16")

#: Present where a GPU driver is loaded (NVIDIA's; ROCm's, whose torch reports AMD GPUs as
#: CUDA devices): ``auto`` may then mean a GPU.
GPU_DRIVER_PATHS = ("/proc/driver/nvidia", "/dev/kfd")

#: Head room kept free on a GPU beyond the weights (activations, KV cache of a batch).
_GPU_HEADROOM = 1.2


def parse_device(value: Any) -> str:
    """``auto``, ``cpu``, ``cuda`` (all visible GPUs) or ``cuda:N`` (one GPU)."""
    if not isinstance(value, str):
        raise ValueError(f"must be auto, cpu, cuda or cuda:N (got {value!r})")
    text = value.strip().lower()
    if text in DEVICES:
        return text
    kind, _, index = text.partition(":")
    if kind == "cuda" and index.isdigit():
        return f"cuda:{int(index)}"
    raise ValueError(f"must be auto, cpu, cuda or cuda:N (got {value!r})")


def parse_dtype(value: Any) -> str:
    """``auto``, ``float32``, ``bfloat16`` or ``float16`` (``fp32``/``bf16``/``fp16`` too)."""
    aliases = {"fp32": "float32", "bf16": "bfloat16", "fp16": "float16", "half": "float16"}
    text = value.strip().lower() if isinstance(value, str) else value
    text = aliases.get(text, text)
    if text not in DTYPES:
        raise ValueError(f"must be one of {', '.join(DTYPES)} (got {value!r})")
    return str(text)


def resolve_device(device: str, torch: Any) -> str:
    """``auto`` → ``cuda`` or ``cpu``; a CUDA device asked for on a machine without one, or
    a GPU index past the visible ones, is a TargetError (never a silent fall back to CPU)."""
    device = parse_device(device)
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise TargetError(
                f"device {device!r} asked for, but torch sees no CUDA GPU "
                f"(torch {torch.__version__}); use --device cpu or auto"
            )
        index = int(device.partition(":")[2] or 0)
        if index >= torch.cuda.device_count():
            raise TargetError(
                f"device {device!r} asked for, but only {torch.cuda.device_count()} "
                "GPU(s) are visible (CUDA_VISIBLE_DEVICES)"
            )
    return device


def resolve_dtype(dtype: str, device: str, torch: Any) -> Any:
    """The torch dtype for ``dtype`` on the resolved ``device``: ``auto`` is bfloat16 where
    the GPU supports it, float16 on other GPUs, float32 on the CPU."""
    dtype = parse_dtype(dtype)
    if dtype == "auto":
        if device.startswith("cuda"):
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.float32
    return getattr(torch, dtype)


def resolved_precision(device: str, dtype: str) -> str:
    """``cpu/float32``, ``cuda/bfloat16``…: what ``device``/``dtype`` mean on this machine, for
    keys of cached answers (a bf16 answer on a GPU is not the fp32 answer on the CPU).
    Imports torch."""
    import torch

    where = resolve_device(device, torch)
    kind = "cuda" if where.startswith("cuda") else where
    return f"{kind}/{str(resolve_dtype(dtype, where, torch)).removeprefix('torch.')}"


def surely_cpu_float32(device: str, dtype: str) -> bool:
    """Whether ``resolved_precision(device, dtype)`` is surely ``cpu/float32``, decided without
    importing torch (a fully cached rerun must not pay for it): ``auto`` is the CPU where no
    GPU driver is loaded. False means: not sure, ask ``resolved_precision``."""
    if dtype not in ("auto", "float32"):
        return False
    if device == "cpu":
        return True
    return device == "auto" and not any(Path(p).exists() for p in GPU_DRIVER_PATHS)


def checkpoint_bytes(path: Path) -> int:
    """Bytes of the weight files of a checkpoint directory (what loading puts in memory,
    give or take the dtype)."""
    return sum(
        f.stat().st_size
        for pattern in ("*.safetensors", "*.bin", "*.pt")
        for f in path.glob(pattern)
        if f.is_file()
    )


def saved_element_size(path: Path) -> int:
    """Bytes a parameter takes in the checkpoint's files (its config's dtype; 4 when unsaid)."""
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 4
    saved = str(config.get("dtype") or config.get("torch_dtype") or "float32")
    return {"float32": 4, "bfloat16": 2, "float16": 2, "float64": 8}.get(saved, 4)


@dataclass(frozen=True)
class Placement:
    """How to load a model: ``device_map`` for ``from_pretrained`` (accelerate) or a device
    to move the whole model to afterwards."""

    device: str
    device_map: str | None = None

    @property
    def input_device(self) -> str:
        """Where the input ids go (accelerate's hooks move them on from the first GPU)."""
        return "cuda:0" if self.device_map else self.device


def place(
    device: str, weight_bytes: int, saved_element_size: int, torch: Any, dtype: Any
) -> Placement:
    """Where a model of ``weight_bytes`` on disk (``saved_element_size`` bytes a parameter)
    goes on the resolved ``device``.

    ``cuda`` (all visible GPUs): the first GPU when the weights in ``dtype`` fit its free
    memory with head room, else ``device_map="auto"`` (accelerate spreads the layers over every
    visible GPU, and offloads to the CPU only what fits on none). ``cuda:N``: that GPU.
    """
    if device != "cuda":
        return Placement(device)
    in_memory = weight_bytes * _element_size(dtype, torch) / max(1, saved_element_size)
    free, _total = torch.cuda.mem_get_info(0)
    if in_memory * _GPU_HEADROOM > free:
        return Placement("cuda", device_map="auto")
    return Placement("cuda:0")


def _element_size(dtype: Any, torch: Any) -> int:
    return int(torch.empty((), dtype=dtype).element_size())


def is_out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is torch's out-of-memory error (CUDA, or any accelerator in torch ≥ 2.5)."""
    import torch

    kinds = tuple(
        kind
        for kind in (getattr(torch, "OutOfMemoryError", None), torch.cuda.OutOfMemoryError)
        if isinstance(kind, type)
    )
    return isinstance(exc, kinds)
