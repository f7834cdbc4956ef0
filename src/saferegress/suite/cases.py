"""Suite cases: the ``Case`` record, and loading and validating JSONL suite files.

A suite file holds one JSON object per line (blank lines and lines starting with ``#`` or ``//``
are skipped). Every problem is reported with file, line and field, so a user can fix a suite
without reading a traceback.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from saferegress.errors import SuiteError
from saferegress.languages import CATEGORIES, LANGUAGES

__all__ = [
    "KINDS",
    "MAX_LINE_BYTES",
    "MAX_PROMPT_CHARS",
    "SPLITS",
    "Case",
    "SuiteProblem",
    "check_groups",
    "check_record",
    "check_splits",
    "duplicate_ids",
    "find_suite_files",
    "load_suite",
    "parse_suite_file",
    "parse_suite_file_cached",
    "suite_fingerprint",
]

KINDS = ("attack", "benign")
MAX_PROMPT_CHARS = 4000
#: Longest line read: a prompt of MAX_PROMPT_CHARS written as \uXXXX escapes, other fields and
#: a wide margin. Longer lines are reported without being parsed.
MAX_LINE_BYTES = 64 * 1024
REQUIRED_FIELDS = ("id", "lang", "category", "kind", "prompt")
OPTIONAL_FIELDS = ("style", "group", "source", "split")
_STRING_FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS
#: What an id must not contain: whitespace (``\s`` is ``str.isspace``) or pytest's "::".
_SPACE_OR_SEPARATOR = re.compile(r"\s|::")
#: ``split``: which side of a train/test split a case's group is on (the fixer trains on
#: ``train`` and is judged on ``test``); assigned per group, never per case.
SPLITS = ("train", "test")


@dataclass(frozen=True)
class Case:
    """One prompt of a suite, in one language."""

    id: str
    lang: str
    category: str
    kind: str
    prompt: str
    style: str = "plain"
    group: str = ""
    source: str = ""
    split: str = ""
    # Part of the quick smoke subset (``pytest suites/ -m smoke``).
    smoke: bool = False
    # Machine translations (``saferegress translate``): back-translation chrF (0-100), and
    # whether it was too low to trust; flagged cases are deselected unless --keep-low-fidelity.
    fidelity_chrf: float | None = None
    fidelity_flagged: bool = False
    # Where the case was read from, for error messages and reports.
    path: str = ""
    line: int = 0

    @property
    def test_id(self) -> str:
        """The id pytest shows: ``de-S9-<id>``."""
        return f"{self.lang}-{self.category}-{self.id}"

    def to_dict(self) -> dict[str, object]:
        record = asdict(self)
        del record["path"], record["line"]
        return record


@dataclass(frozen=True)
class SuiteProblem:
    """A problem found while validating; ``str()`` gives ``file:line: field 'x': message``."""

    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        return str(SuiteError(self.path, self.line, self.field, self.message))


def check_record(record: object, path: str, line: int) -> tuple[Case | None, list[SuiteProblem]]:
    def problem(field: str | None, message: str) -> SuiteProblem:
        return SuiteProblem(path, line, field, message)

    if not isinstance(record, dict):
        return None, [problem(None, f"expected a JSON object, got {type(record).__name__}")]
    problems = []
    for field in REQUIRED_FIELDS:
        if field not in record:
            problems.append(problem(field, "is missing"))
    for field in _STRING_FIELDS:
        value = record.get(field)
        if field in record and not isinstance(value, str):
            problems.append(problem(field, f"must be a string (got {type(value).__name__})"))
    if "smoke" in record and not isinstance(record["smoke"], bool):
        problems.append(problem("smoke", f"must be true or false (got {record['smoke']!r})"))
    if "fidelity_flagged" in record and not isinstance(record["fidelity_flagged"], bool):
        problems.append(
            problem(
                "fidelity_flagged", f"must be true or false (got {record['fidelity_flagged']!r})"
            )
        )
    chrf = record.get("fidelity_chrf")
    if chrf is not None and (
        isinstance(chrf, bool) or not isinstance(chrf, (int, float)) or not 0 <= chrf <= 100
    ):
        problems.append(problem("fidelity_chrf", f"must be a number from 0 to 100 (got {chrf!r})"))
    if problems:
        return None, problems

    lang, category, kind = record["lang"], record["category"], record["kind"]
    if lang not in LANGUAGES:
        problems.append(problem("lang", f"must be one of {', '.join(LANGUAGES)} (got {lang!r})"))
    if category not in CATEGORIES:
        problems.append(problem("category", f"must be one of S1…S14 (got {category!r})"))
    if kind not in KINDS:
        problems.append(problem("kind", f"must be one of {', '.join(KINDS)} (got {kind!r})"))
    if not record["id"].strip():
        problems.append(problem("id", "must not be empty"))
    elif _SPACE_OR_SEPARATOR.search(record["id"]):
        problems.append(
            problem("id", f"must not contain whitespace or '::' (got {record['id']!r})")
        )
    elif "/" in record["id"] or "\\" in record["id"] or record["id"].startswith("."):
        # Ids name things (test ids, report anchors, files other tools may write): never a path.
        problems.append(
            problem(
                "id", f"must not look like a path ('/', '\\', leading '.') (got {record['id']!r})"
            )
        )
    for field in ("id", "style", "group", "source", "split"):
        value = record.get(field) or ""
        if field == "id" and any(p.field == "id" for p in problems):
            continue  # one problem per field is enough
        if not value.isprintable():
            # Control and format characters (ANSI escapes, NUL, bidi overrides) would reach
            # terminals, test ids and markers unseen.
            problems.append(problem(field, f"must not contain control characters (got {value!r})"))
    if "\x00" in record["prompt"]:
        problems.append(problem("prompt", "must not contain NUL characters"))
    split = record.get("split") or ""
    if split and split not in SPLITS:
        problems.append(problem("split", f"must be one of {', '.join(SPLITS)} (got {split!r})"))
    prompt = record["prompt"]
    if not prompt.strip():
        problems.append(problem("prompt", "must not be empty"))
    elif len(prompt) > MAX_PROMPT_CHARS:
        problems.append(
            problem("prompt", f"is {len(prompt)} characters long (at most {MAX_PROMPT_CHARS})")
        )
    if problems:
        return None, problems
    case = Case(
        id=record["id"],
        lang=lang,
        category=category,
        kind=kind,
        prompt=prompt,
        style=record.get("style") or "plain",
        group=record.get("group") or "",
        source=record.get("source") or "",
        split=split,
        smoke=record.get("smoke", False),
        fidelity_chrf=None if chrf is None else float(chrf),
        fidelity_flagged=record.get("fidelity_flagged", False),
        path=path,
        line=line,
    )
    return case, []


def parse_suite_file(path: str | Path) -> tuple[list[Case], list[SuiteProblem]]:
    """Read one JSONL suite file; return the valid cases and every problem found."""
    path = Path(path)
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [SuiteProblem(shown, None, None, f"cannot be read ({exc.strerror})")]
    return _parse_suite_bytes(data, shown)


_CASE_FIELDS = tuple(field.name for field in fields(Case))


@functools.cache
def _parser_digest() -> bytes:
    """What parsing depends on besides a file's bytes: this module (the checks) and the
    languages and categories it accepts."""
    from saferegress import languages

    digest = hashlib.blake2b(b"parsed-suite/1\0" + "\0".join(_CASE_FIELDS).encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(Path(languages.__file__).read_bytes())
    return digest.digest()


def parse_suite_file_cached(
    path: str | Path, cache_dir: Path | None
) -> tuple[list[Case], list[SuiteProblem]]:
    """``parse_suite_file``, with a file's cases kept in ``cache_dir`` (``parsed-suites/``, one
    entry per file) between runs: an unchanged file is not decoded and validated again
    (the shipped suite: ~24 ms → ~5 ms). The entry is keyed by the file's bytes and path and by
    the parser's own source, so an edited file or a changed check parses again. A file with
    problems is never kept: it is parsed, and its problems reported, every time. ``cache_dir``
    None (``--no-cache``), or a folder that cannot be read or written, only means parsing."""
    if cache_dir is None:
        return parse_suite_file(path)
    path = Path(path)
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError:
        return parse_suite_file(path)
    key = hashlib.blake2b(_parser_digest() + shown.encode() + b"\0" + data).hexdigest()
    entry = (
        cache_dir / "parsed-suites" / (hashlib.blake2b(shown.encode()).hexdigest()[:32] + ".json")
    )
    try:
        stored = json.loads(entry.read_bytes())
        if stored["key"] == key:
            return [Case(*row) for row in stored["cases"]], []
    except (OSError, ValueError, KeyError, TypeError):
        pass
    cases, problems = _parse_suite_bytes(data, shown)
    if not problems:
        rows = [[getattr(case, name) for name in _CASE_FIELDS] for case in cases]
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            partial = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
            partial.write_text(json.dumps({"key": key, "cases": rows}), encoding="utf-8")
            os.replace(partial, entry)
        except OSError:
            pass
    return cases, problems


def _parse_suite_bytes(data: bytes, shown: str) -> tuple[list[Case], list[SuiteProblem]]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return [], [
            SuiteProblem(shown, 1, None, "is UTF-16 or UTF-32, not UTF-8; save it as UTF-8")
        ]
    # A UTF-8 byte order mark (some Windows editors write one) is not part of the first line.
    data = data.removeprefix(codecs.BOM_UTF8)
    cases: list[Case] = []
    problems: list[SuiteProblem] = []
    # Split on "\n" only: str.splitlines() also breaks at U+2028, U+0085, ... which JSON
    # allows raw inside strings (json.dumps(ensure_ascii=False) writes them), and editors do
    # not count them as line ends. "\r" of CRLF files goes with the surrounding whitespace.
    # Lines are decoded one by one, so an encoding problem is reported at its line.
    for number, raw_bytes in enumerate(data.split(b"\n"), start=1):
        if len(raw_bytes) > MAX_LINE_BYTES:
            problems.append(
                SuiteProblem(
                    shown,
                    number,
                    None,
                    (
                        f"line is {len(raw_bytes)} bytes long (at most {MAX_LINE_BYTES}; a prompt "
                        f"holds at most {MAX_PROMPT_CHARS} characters)"
                    ),
                )
            )
            continue
        try:
            raw = raw_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                SuiteProblem(
                    shown,
                    number,
                    None,
                    (
                        f"is not UTF-8: invalid byte 0x{raw_bytes[exc.start]:02x} at byte "
                        f"{exc.start + 1} of the line"
                    ),
                )
            )
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith(("#", "//")):
            continue
        try:
            if stripped.startswith("\ufeff"):  # as json.loads says it
                raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", raw, 0)
            record = _DECODER.decode(stripped)
        except json.JSONDecodeError as exc:
            problems.append(
                SuiteProblem(shown, number, None, f"invalid JSON: {exc.msg} (column {exc.colno})")
            )
            continue
        except _RepeatedField as exc:
            known = exc.field in REQUIRED_FIELDS + OPTIONAL_FIELDS
            problems.append(
                SuiteProblem(
                    shown,
                    number,
                    exc.field if known else None,
                    "is given twice in the object"
                    if known
                    else f"key {exc.field!r} is given twice in the object",
                )
            )
            continue
        except RecursionError:
            problems.append(SuiteProblem(shown, number, None, "invalid JSON: nested too deeply"))
            continue
        case, found = check_record(record, shown, number)
        problems.extend(found)
        if case is not None:
            cases.append(case)
    return cases, problems


class _RepeatedField(ValueError):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _object_without_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object, refusing a key given twice (``json`` would keep the last one silently,
    so ``{"kind": "attack", ..., "kind": "benign"}`` would change meaning unnoticed)."""
    record: dict[str, object] = {}
    for key, value in pairs:
        if key in record:
            raise _RepeatedField(key)
        record[key] = value
    return record


#: One decoder for every line (``json.loads`` with a hook builds a new one per call).
_DECODER = json.JSONDecoder(object_pairs_hook=_object_without_repeats)


def find_suite_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and directories (recursively, ``*.jsonl``) into a sorted file list."""
    found: list[Path] = []
    for entry in paths:
        entry = Path(entry)
        if entry.is_dir():
            found.extend(sorted(p for p in entry.rglob("*.jsonl") if p.is_file()))
        else:
            found.append(entry)
    return found


def duplicate_ids(cases: Iterable[Case]) -> Iterator[SuiteProblem]:
    """A problem for every case whose id was already used."""
    first_seen: dict[str, Case] = {}
    for case in cases:
        earlier = first_seen.setdefault(case.id, case)
        if earlier is not case:
            yield SuiteProblem(
                case.path,
                case.line,
                "id",
                f"duplicate id {case.id!r} (first at {earlier.path}:{earlier.line})",
            )


def _cases_by_group(cases: Iterable[Case]) -> dict[str, list[Case]]:
    members: dict[str, list[Case]] = {}
    for case in cases:
        if case.group:
            members.setdefault(case.group, []).append(case)
    return members


def check_groups(cases: Iterable[Case], languages: Iterable[str] = LANGUAGES) -> list[SuiteProblem]:
    """Groups that lack some of ``languages`` (a cross-language comparison needs them all)."""
    wanted = tuple(languages)
    problems = []
    for group, group_cases in _cases_by_group(cases).items():
        present = {c.lang for c in group_cases}
        missing = [lang for lang in wanted if lang not in present]
        if missing:
            first = group_cases[0]
            problems.append(
                SuiteProblem(
                    first.path,
                    first.line,
                    "group",
                    f"group {group!r} is missing languages: {', '.join(missing)}",
                )
            )
    return problems


def check_splits(cases: Iterable[Case]) -> list[SuiteProblem]:
    """Groups whose cases sit on both sides of the train/test split (or only partly on one):
    an intent seen in training would make a held-out score meaningless."""
    problems = []
    for group, group_cases in _cases_by_group(cases).items():
        splits = {c.split for c in group_cases}
        if len(splits) > 1:
            shown = ", ".join(repr(s or "(none)") for s in sorted(splits))
            odd = next(c for c in group_cases if c.split != group_cases[0].split)
            problems.append(
                SuiteProblem(
                    odd.path,
                    odd.line,
                    "split",
                    f"group {group!r} straddles splits ({shown}); a group must be on one side",
                )
            )
    return problems


def load_suite(paths: Iterable[str | Path]) -> list[Case]:
    """Load every case from ``paths``; raise ``SuiteError`` listing all problems at once."""
    files = find_suite_files(paths)
    cases: list[Case] = []
    problems: list[SuiteProblem] = []
    for file in files:
        file_cases, file_problems = parse_suite_file(file)
        cases.extend(file_cases)
        problems.extend(file_problems)
    problems.extend(duplicate_ids(cases))
    if problems:
        first = problems[0]
        raise SuiteError(first.path, first.line, first.field, first.message, problems=problems)
    return cases


#: The fields that define what a suite asks; the fingerprint covers exactly these.
FINGERPRINT_FIELDS = ("id", "lang", "category", "style", "kind", "prompt", "group")


def suite_fingerprint(cases: Iterable[Case | Mapping[str, object]]) -> str:
    """A hash of what the suite asks, independent of order and of where it was read from.

    Accepts ``Case`` objects or case records (as in results.json), so the controller of an
    xdist run, which never sees ``Case`` objects, computes the same value.
    """
    digest = hashlib.sha256()
    rows = []
    for case in cases:
        record = case.to_dict() if isinstance(case, Case) else case
        rows.append(
            json.dumps(
                {f: record.get(f) for f in FINGERPRINT_FIELDS}, sort_keys=True, ensure_ascii=False
            )
        )
    for row in sorted(rows):
        digest.update(row.encode("utf-8"))
        digest.update(b"\n")
    return "sha256:" + digest.hexdigest()[:16]
