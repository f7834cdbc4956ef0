"""Fingerprints of what a run measured: the model, the suite and the guards.

One model fingerprint, ``model_fingerprint(spec)``, keys cached answers, is stored in results
and baselines, and tells a baseline comparison that the model changed:

* a local checkpoint (``demo``, ``PATH``, ``hf:PATH``, ``vllm:PATH``): ``KIND:sha256:HEX``, the
  engine and the sha256 of every file that decides what the checkpoint answers: weights, config
  and tokenizer, read in full. The engine is part of it because HF and vLLM kernels can differ on
  near-tie greedy choices; the path is not, so a moved checkpoint is the same model;
* an endpoint (``openai:NAME[@URL]``): ``openai:NAME@URL`` with the URL in public form;
* anything else (``py:`` targets, kinds a backend added): None — only the loaded target can say
  (its ``fingerprint`` attribute). Results then record the public spec text.

Hashing a 16 GB checkpoint takes a minute, so the digest is memoised in a small JSON file under
the user cache directory (``$XDG_CACHE_HOME/saferegress/checkpoint-hashes.json``, by default
``~/.cache/saferegress/``), keyed by the checkpoint's absolute path and, for each of its files,
name, size, mtime_ns, ctime_ns and inode. Any change to a file (rewritten, replaced, touched)
changes that key and the checkpoint is hashed again; the memo only ever saves time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from saferegress.engine.specs import LOCAL_KINDS, ModelSpec, parse_model_spec, public_spec
from saferegress.errors import ConfigError

__all__ = [
    "CheckpointMemo",
    "checkpoint_files",
    "checkpoint_fingerprint",
    "default_memo_path",
    "fingerprints_for",
    "guards_fingerprint",
    "hash_checkpoint_files",
    "judging_description",
    "model_fingerprint",
    "run_fingerprints",
]

log = logging.getLogger(__name__)

# Files whose bytes decide what a checkpoint answers. READMEs, training logs and the like are left
# out on purpose, so that editing them does not invalidate cached answers.
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".gguf")
TOKENIZER_AND_CONFIG_NAMES = frozenset(
    {
        "config.json",
        "generation_config.json",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "added_tokens.json",
        "vocab.json",
        "vocab.txt",
        "merges.txt",
        "tokenizer.model",
        "spiece.model",
        "chat_template.jinja",
        "chat_template.json",
        "model.safetensors.index.json",
        "pytorch_model.bin.index.json",
    }
)
_READ = 1 << 20


# -- checkpoints -------------------------------------------------------------------------------


def checkpoint_files(directory: str | Path) -> list[Path]:
    """The files of a checkpoint that define the model (weights, config, tokenizer), by name."""
    return [
        file
        for file in sorted(Path(directory).iterdir(), key=lambda p: p.name)
        if file.is_file()
        and (file.name.endswith(WEIGHT_SUFFIXES) or file.name in TOKENIZER_AND_CONFIG_NAMES)
    ]


def hash_checkpoint_files(directory: str | Path) -> str:
    """sha256 over the names, sizes and full bytes of ``checkpoint_files`` — the real work,
    without the memo. The answer cache's keys depend on this exact digest: changing how it is
    computed orphans every cached answer of a local model."""
    digest = hashlib.sha256()
    for file in checkpoint_files(directory):
        # Name and size first, so that moving bytes from one file to another changes the hash.
        digest.update(f"{file.name}\0{file.stat().st_size}\0".encode())
        with file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(_READ), b""):
                digest.update(chunk)
    return digest.hexdigest()


def default_memo_path() -> Path:
    """``$XDG_CACHE_HOME/saferegress/checkpoint-hashes.json`` (``~/.cache`` without it)."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "saferegress" / "checkpoint-hashes.json"


class CheckpointMemo:
    """Checkpoint digests by absolute path and file stats, in one small JSON file.

    Best effort: an unreadable or damaged file reads as empty, a failed write is skipped (the
    next run hashes again). Several processes (xdist workers) may share it: writes replace the
    file atomically and a lock file keeps two processes from hashing the same checkpoint at once
    where the platform has ``fcntl``.
    """

    #: Checkpoints remembered; the least recently used are dropped beyond it.
    MAX_ENTRIES = 128
    VERSION = 1

    def __init__(self, path: str | Path | None = None, *, settle_s: float = 2.0) -> None:
        self.path = Path(path) if path is not None else default_memo_path()
        #: A checkpoint with a file changed less than this long ago is hashed but not
        #: remembered: file times tick coarsely (a few ms), so a file rewritten at the same size
        #: within one tick would keep its stats — git's "racily clean" index entries.
        self.settle_ns = int(settle_s * 1e9)

    def __repr__(self) -> str:
        return f"CheckpointMemo({str(self.path)!r})"

    def digest(self, directory: str | Path) -> str:
        """The checkpoint's ``hash_checkpoint_files`` digest, hashed only if the memo has no
        entry for its current files."""
        root = str(Path(directory).expanduser().resolve())
        with self._locked():
            entries = self._read()
            stats = _file_stats(root)
            entry = entries.get(root)
            if isinstance(entry, dict) and entry.get("files") == stats:
                digest = entry.get("sha256")
                if isinstance(digest, str) and len(digest) == 64:
                    entries[root] = entries.pop(root)  # most recently used last
                    return digest
            digest = hash_checkpoint_files(root)
            # Stored only when nothing changed while it was read, and long enough ago that a
            # later change must show in the stats: else the next run hashes again.
            settled = time.time_ns() - self.settle_ns
            if _file_stats(root) == stats and all(max(f[2], f[3]) < settled for f in stats):
                entries.pop(root, None)
                entries[root] = {"files": stats, "sha256": digest}
                while len(entries) > self.MAX_ENTRIES:
                    entries.pop(next(iter(entries)))
                self._write(entries)
            return digest

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != self.VERSION:
            return {}
        entries = data.get("checkpoints")
        return dict(entries) if isinstance(entries, dict) else {}

    def _write(self, entries: Mapping[str, Any]) -> None:
        blob = json.dumps({"version": self.VERSION, "checkpoints": entries}, indent=1)
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".memo-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(blob)
            os.replace(tmp, self.path)
        except OSError as exc:
            log.debug("checkpoint memo %s not written: %s", self.path, exc)
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            import fcntl
        except ImportError:  # Windows: no lock; two processes may hash the same checkpoint
            yield
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path.with_name(self.path.name + ".lock"), "a")  # noqa: SIM115
        except OSError:  # a read-only cache directory: hash without the memo's lock
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _file_stats(root: str) -> list[list[Any]]:
    stats = []
    for file in checkpoint_files(root):
        st = file.stat()
        stats.append([file.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
    return stats


def checkpoint_fingerprint(directory: str | Path, memo: CheckpointMemo | None = None) -> str:
    """The sha256 (hex) of a checkpoint's weights, config and tokenizer files, read in full the
    first time and taken from the memo (``memo``, else the user-wide one) while they stay
    unchanged."""
    return (memo or CheckpointMemo()).digest(directory)


# -- models ------------------------------------------------------------------------------------


def model_fingerprint(
    spec: ModelSpec | str, base_url: str | None = None, *, memo: CheckpointMemo | None = None
) -> str | None:
    """What a model's answers depend on, known without loading it (so that a fully cached
    rerun never loads it). ``base_url``: the ``--base-url`` option, for ``openai:`` specs
    without ``@URL``. None: only the loaded target can tell (``py:`` specs, other kinds), or
    the spec cannot be used — it does not parse, its checkpoint is missing or unreadable —
    which loading it reports, with the reason."""
    if isinstance(spec, str):
        try:
            spec = parse_model_spec(spec)
        except ConfigError:
            return None
    if spec.kind in LOCAL_KINDS:
        directory = spec.path
        if directory is None or not directory.is_dir():
            return None
        try:
            return f"{spec.kind}:sha256:{checkpoint_fingerprint(directory, memo)}"
        except OSError:
            return None
    if spec.kind == "openai":
        from saferegress.engine.specs import public_url

        return f"openai:{spec.name}@{public_url(spec.base_url(base_url))}"
    return None


def _model_for_results(model: str, base_url: str | None) -> str:
    """The model's fingerprint, or its public spec text where only a loaded target could say."""
    return model_fingerprint(model, base_url) or public_spec(model) or ""


# -- runs --------------------------------------------------------------------------------------


def guards_fingerprint(guards: Sequence[str]) -> str:
    """Guard names and the saferegress version (the built-in judge changes with releases)."""
    from saferegress import __version__

    return f"{','.join(guards)}@saferegress-{__version__}"


def judging_description(settings: Any) -> list[str]:
    """Everything that decides verdicts, in public form: the guards, the adjudicator, the
    policy and the per-language routing — so a baseline judged another way is reported."""
    guards = [public_spec(g) or g for g in settings.guards]
    return guards + [
        f"adjudicator={public_spec(settings.adjudicator)}",
        f"policy={settings.guard_policy}",
        "languages="
        + ";".join(
            f"{name}={','.join(sorted(langs)) if langs is not None else 'all'}"
            for name, langs in sorted(settings.guard_languages.items())
        ),
    ]


def run_fingerprints(
    model: str,
    guards: Sequence[str],
    records: Iterable[Mapping[str, Any]],
    *,
    base_url: str | None = None,
) -> dict[str, str]:
    """``{"model", "suite", "guards"}`` of a run; ``guards``: what decided the verdicts."""
    from saferegress.suite.cases import suite_fingerprint

    return {
        "model": _model_for_results(model, base_url),
        "suite": suite_fingerprint(records),
        "guards": guards_fingerprint(guards),
    }


def fingerprints_for(
    settings: Any, records: Iterable[Mapping[str, Any]], *, model: str | None = None
) -> dict[str, str]:
    """``run_fingerprints`` of a run with these settings; ``model``: another model judged the
    same way (the fixer's fixed checkpoint), else ``settings.model``."""
    return run_fingerprints(
        settings.model or "" if model is None else model,
        judging_description(settings),
        records,
        base_url=settings.target.base_url,
    )
