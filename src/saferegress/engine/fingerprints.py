"""Fingerprints of what a run measured: the model, the suite and the guards.

A baseline comparison reports when one of them changed, so a user never compares two runs of
different suites (or a different judge) without being told. Cheap by design: a model
checkpoint is fingerprinted by its file names and sizes, the full text of its small files
(configs, tokenizer) and the first and last MiB of each large one, never by hashing gigabytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["guards_fingerprint", "model_fingerprint", "run_fingerprints"]

_SMALL_FILE = 1 << 20  # hashed whole below this size
_EDGE = 1 << 20  # bytes hashed at each end of a larger file


def _hash_file(digest: Any, path: Path) -> None:
    size = path.stat().st_size
    digest.update(f"{path.name}\0{size}\0".encode())
    with path.open("rb") as handle:
        if size <= _SMALL_FILE:
            digest.update(handle.read())
        else:
            digest.update(handle.read(_EDGE))
            handle.seek(size - _EDGE)
            digest.update(handle.read(_EDGE))


def _checkpoint_dir(spec: str) -> Path | None:
    if spec == "demo":
        from saferegress.backends import DEMO_MODEL_DIR

        return DEMO_MODEL_DIR
    path = Path(spec.removeprefix("hf:"))
    return path if path.is_dir() else None


def model_fingerprint(spec: str) -> str:
    """``spec`` itself for endpoints and custom targets; a content hash for local checkpoints."""
    directory = _checkpoint_dir(spec)
    if directory is None:
        return spec
    digest = hashlib.sha256()
    try:
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(directory)).encode())
            _hash_file(digest, path)
    except OSError:
        return spec
    return f"{spec}@sha256:{digest.hexdigest()[:16]}"


def guards_fingerprint(guards: Sequence[str]) -> str:
    """Guard names and the saferegress version (the built-in judge changes with releases)."""
    from saferegress import __version__

    return f"{','.join(guards)}@saferegress-{__version__}"


def run_fingerprints(
    model: str, guards: Sequence[str], records: Iterable[Mapping[str, Any]]
) -> dict[str, str]:
    from saferegress.suite.cases import suite_fingerprint

    return {
        "model": model_fingerprint(model),
        "suite": suite_fingerprint(records),
        "guards": guards_fingerprint(guards),
    }
