"""A content-addressed cache of answers and verdicts in one sqlite file (stdlib only).

Answers are keyed by (target fingerprint, messages, generation parameters), verdicts by (guard
fingerprint, the whole judge input: language, kind, prompt, answer). A key is the sha256 of
those parts, so the file holds hashes, answers and judgements — never a spec, a URL or an API
key. The target fingerprint is ``engine.fingerprints.model_fingerprint``: engine + the
checkpoint's weights hash for local models, model + public endpoint URL for remote ones.

Crash safety: the database runs in WAL mode and every ``put_*`` call is one transaction, which
the runner issues once per batch. A process killed with SIGKILL loses at most the batch it was
working on; a rerun finds the earlier batches and does only the rest. Several processes (xdist
workers) may share one file: sqlite serializes the writers, and equal keys hold equal values,
so ``INSERT OR REPLACE`` races are harmless.

Failures are never cached: an answer that failed (a timeout, a 5xx) or a judgement with an
error is tried again on the next run.

A file that is not a cache this version can read (garbage, a truncated or damaged database,
another schema version) raises ``CacheError``: one line naming the file and the way out, never
a traceback and never a silent fallback to a half-read cache.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from saferegress.engine.fingerprints import model_fingerprint
from saferegress.errors import CacheError

__all__ = [
    "ResultCache",
    "answer_key",
    "cache_digest",
    "code_guard_fingerprint",
    "guard_fingerprint",
    "spec_fingerprint",
    "verdict_key",
]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, judgement TEXT NOT NULL);
"""
#: Stored in ``PRAGMA user_version``; bump it when the tables change. 0 is a file made before
#: versions were stored (the same tables) or a brand-new one.
SCHEMA_VERSION = 1
_COLUMNS = {"answers": ["key", "text"], "verdicts": ["key", "judgement"]}
# sqlite's primary result codes for "this is not an intact database".
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
# sqlite limits the number of "?" in one statement (999 in old builds).
_CHUNK = 500


def cache_digest(parts: Any) -> str:
    """The key every cached value is stored under: SHA-256 of ``parts`` as canonical JSON."""
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def answer_key(
    target_fingerprint: str, messages: Sequence[Mapping[str, str]], params: Mapping[str, Any]
) -> str:
    """Key of the answer a target gives to ``messages`` under generation ``params``."""
    return cache_digest(
        ["answer/v1", target_fingerprint, [dict(m) for m in messages], dict(params)]
    )


def verdict_key(
    guard_fingerprint: str, lang: str, kind: str, prompt: str | None, response: str
) -> str:
    """Key of what a guard decides about one answer (everything the guard is shown)."""
    return cache_digest(["verdict/v1", guard_fingerprint, lang, kind, prompt, response])


class ResultCache:
    """Answers and judgements by key, in ``<directory>/cache.sqlite3``."""

    FILENAME = "cache.sqlite3"

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        # Keep the cache out of version control without asking the user to edit .gitignore.
        gitignore = self.directory / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("# created by saferegress\n*\n", encoding="utf-8")
        self.path = self.directory / self.FILENAME
        # Autocommit mode; transactions are opened explicitly, one per put_* call. A long
        # timeout: another xdist worker may hold the write lock while committing its batch.
        self._db = sqlite3.connect(
            self.path, timeout=60.0, isolation_level=None, check_same_thread=False
        )
        try:
            self._enable_wal()
            # NORMAL in WAL mode survives a crash of the process (not of the OS) without losing
            # committed transactions, at a fraction of FULL's fsyncs.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._check_schema()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            if _is_corruption(exc):
                raise self._unusable(str(exc)) from None
            raise  # cannot open or write (a read-only tree): the caller decides
        except CacheError:
            self._db.close()
            raise

    def _enable_wal(self, patience: float = 60.0) -> None:
        """Switch the file to write-ahead logging. The switch takes an exclusive lock that
        SQLite does not wait for (the busy timeout does not apply to it), so xdist workers
        opening a new cache at the same moment would see "database is locked": retry until one
        of them has switched (the mode is then stored in the file and the others' switch is a
        no-op)."""
        deadline = time.monotonic() + patience
        delay = 0.002
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(delay)
            delay = min(2 * delay, 0.1)

    def _check_schema(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise self._unusable(
                f"cache schema version {version}; this saferegress reads version {SCHEMA_VERSION}"
            )
        tables = {
            name
            for (name,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for table, columns in _COLUMNS.items():
            if table not in tables:
                continue
            found = [row[1] for row in self._db.execute(f"PRAGMA table_info({table})")]
            if found != columns:
                raise self._unusable(f"table {table!r} has columns {found}, expected {columns}")
        if version != SCHEMA_VERSION or not set(_COLUMNS) <= tables:
            # Idempotent, so two xdist workers creating the same new file do not conflict.
            self._db.executescript(_SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")

    def _unusable(self, reason: str) -> CacheError:
        return CacheError(
            f"cache file {self.path} cannot be used ({reason}); delete it or run with "
            "--no-cache (or another --cache-dir)"
        )

    def __repr__(self) -> str:
        return f"ResultCache({str(self.path)!r})"

    def close(self) -> None:
        self._db.close()

    # -- answers ----------------------------------------------------------------------------

    def get_answers(self, keys: Iterable[str]) -> dict[str, str]:
        return dict(self._select("answers", "text", keys))

    def put_answers(self, answers: Mapping[str, str]) -> None:
        self._insert("answers", "text", answers.items())

    # -- verdicts ---------------------------------------------------------------------------

    def get_judgements(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {key: json.loads(raw) for key, raw in self._select("verdicts", "judgement", keys)}

    def put_judgements(self, judgements: Mapping[str, Mapping[str, Any]]) -> None:
        self._insert(
            "verdicts",
            "judgement",
            ((key, json.dumps(value, ensure_ascii=False)) for key, value in judgements.items()),
        )

    # -- sqlite -----------------------------------------------------------------------------

    def _select(self, table: str, column: str, keys: Iterable[str]) -> list[tuple[str, str]]:
        wanted = list(dict.fromkeys(keys))
        rows: list[tuple[str, str]] = []
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            try:
                rows.extend(
                    self._db.execute(
                        f"SELECT key, {column} FROM {table} WHERE key IN ({marks})", chunk
                    )
                )
            except sqlite3.Error as exc:  # damaged pages show up only when read
                raise self._unusable(str(exc)) from None
        return rows

    def _insert(self, table: str, column: str, rows: Iterable[tuple[str, str]]) -> None:
        rows = list(rows)
        if not rows:
            return
        # One transaction per batch: all of it is on disk, or none of it.
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    f"INSERT OR REPLACE INTO {table} (key, {column}) VALUES (?, ?)", rows
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self._unusable(str(exc)) from None


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    return exc.sqlite_errorcode & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


# -- fingerprints ---------------------------------------------------------------------------


#: The answer keys' model fingerprint is ``engine.fingerprints.model_fingerprint`` itself: the
#: same string results and baselines record. This older name is still imported by
#: plugin/run_cache.py and analysis/answer_quality.py.
spec_fingerprint = model_fingerprint


def guard_fingerprint(guard: Any) -> str | None:
    """A guard's own ``fingerprint`` when it has one. Built-in code-only guards (no model
    behind them, so no ``:`` in the name) get their name plus a hash of the guards package's
    source, so that editing a lexicon invalidates cached verdicts. Anything else: None, and its
    verdicts are not cached (a model-backed guard must say which weights it runs)."""
    explicit = getattr(guard, "fingerprint", None)
    if isinstance(explicit, str) and explicit:
        return explicit
    module = type(guard).__module__
    if module.startswith("saferegress.guards.") and ":" not in guard.name:
        return code_guard_fingerprint(guard.name)
    return None


def code_guard_fingerprint(name: str) -> str:
    """The fingerprint of the built-in code-only guard ``name`` (``refusal``): its name and the
    guards package's source hash, known without importing the guard."""
    return f"{name}@{_guards_source_hash()}"


_SOURCE_HASH: str | None = None


def _guards_source_hash() -> str:
    global _SOURCE_HASH
    if _SOURCE_HASH is None:
        digest = hashlib.sha256()
        package = Path(__file__).parents[1] / "guards"
        # rglob: the lexicons (guards/lexicons/*.py) decide verdicts as much as the rules, and
        # so do the refusal judge's learned weights (guards/refusal_model.json).
        for file in sorted([*package.rglob("*.py"), package / "refusal_model.json"]):
            digest.update(str(file.relative_to(package)).encode() + b"\0" + file.read_bytes())
        _SOURCE_HASH = digest.hexdigest()[:16]
    return _SOURCE_HASH
