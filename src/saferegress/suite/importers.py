"""Converting other data sets into suite JSONL: ``saferegress suite import --format FORMAT``.

Formats (``IMPORTERS``):

* ``refuseu-pairs``: preference rows (CSV or JSONL) with ``question`` or ``prompt``, ``chosen``,
  ``rejected``; language and category from columns (``lang``/``language``, ``category``) or
  from ``--lang``/``--category``. Only the prompt is kept: a suite holds requests, never answers.
* ``polyrefuse``: PolyRefuse JSON files ``{harmful,harmless}_{split}_translated_<lang>.json``
  (RefusEU's release). Rows are index-aligned across the language files, so the row index is
  the group; the language comes from the file name.
* ``xstest``: the XSTest v2 CSV (``id,prompt,type,label,focus,note``); ``safe`` prompts become
  ``benign`` cases, ``unsafe`` contrast prompts ``attack`` cases.
* ``csv`` / ``jsonl``: any table, with the columns named on the command line
  (``--map prompt=text --map lang=language``; by number from 1 with ``--no-header``), constants
  for what the table lacks, and category, language or source taken from the file name or its
  folder (``--category-from filename``, ``--lang-from dir``, ``--lang-map sp=es``). Columns not
  mapped are kept under ``extra``. Without ``--map prompt=``, the header must be a known data
  set's (then its preset is used); any other is an error naming ``--no-header``, so the first
  prompt of a headerless file is never taken for a header.

Presets (``--preset NAME``, ``PRESETS``) read public data sets as published, with their
category maps: ``harmbench``, ``strongreject``, ``advbench`` (uncategorised: ``--category``
needed), ``xsafety``, ``sorry-bench`` / ``sorry-bench-202503``, ``ailuminate``, and the
``polyrefuse`` and ``xstest`` importers above.

Every importer returns an ``ImportResult``: the converted records (suite field order, stable
ids, ``source`` credit, a ``split`` per group) and every row it could not convert, each with
its file, line (a CSV record's first line) and reason. Nothing is dropped silently: the command
prints one line per reason with counts and the first rows, ``--report FILE`` lists them all,
and the exit status is 1 when there are any.

Source taxonomies are mapped to Llama Guard 3 codes by the tables below (``POLYREFUSE_CATEGORIES``,
``XSTEST_TYPES``, ``XSTEST_FOCUS``); a category that maps to nothing is reported as unmapped,
and ``--category-map NAME=S5`` or ``--default-category`` decides it instead.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from saferegress.errors import SafeRegressError
from saferegress.languages import CATEGORIES, LANGUAGES
from saferegress.suite.cases import KINDS, MAX_PROMPT_CHARS, SPLITS

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = [
    "AILUMINATE_HAZARDS",
    "HARMBENCH_CATEGORIES",
    "IMPORTERS",
    "PATH_PARTS",
    "POLYREFUSE_CATEGORIES",
    "PRESETS",
    "PRESET_HEADERS",
    "SORRY_BENCH_CATEGORIES",
    "STRONGREJECT_CATEGORIES",
    "XSAFETY_CATEGORIES",
    "XSTEST_FOCUS",
    "XSTEST_TYPES",
    "ImportOptions",
    "ImportResult",
    "SkippedRow",
    "SuiteImportError",
    "assign_splits",
    "category_code",
    "detect_preset",
    "expand_inputs",
    "run_import",
    "sorry_bench_category",
    "table_columns",
    "write_jsonl",
]

SUITE_FIELDS = ("id", "lang", "category", "style", "kind", "prompt", "group", "source", "split")

#: PolyRefuse's ``category`` (the union of its source benchmarks' taxonomies) -> Llama Guard 3.
#: ``None``: no single code fits (disinformation in general has no Llama Guard 3 category, S13
#: being only about electoral processes; "harmful" and
#: "Government decision-making" mix several) -> reported as unmapped unless mapped explicitly.
#: Hacking and malware are cyber crime, S2 on the Llama Guard 3 card; S14 (Code Interpreter
#: Abuse) is only abuse of the model's own code tool, which no source category isolates.
POLYREFUSE_CATEGORIES: dict[str, str | None] = {
    "Violence": "S1",
    "Physical harm": "S1",
    "Non-violent crimes": "S2",
    "Illegal goods and services": "S2",
    "illegal": "S2",
    "Economic harm": "S2",
    "Fraud/Deception": "S2",
    "Sexual content": "S12",
    "Sexual/Adult content": "S12",
    "Expert advice": "S6",
    "Privacy": "S7",
    "chemical_biological": "S9",
    "Harassment/Discrimination": "S10",
    "Hate, harassment and discrimination": "S10",
    "harassment_bullying": "S10",
    "Malware/Hacking": "S2",
    "cybercrime_intrusion": "S2",
    "Disinformation and deception": None,
    "Disinformation": None,
    "misinformation_disinformation": None,
    "harmful": None,
    "Government decision-making": None,
}

#: XSTest ``type`` -> Llama Guard 3, for the types whose topic the type itself fixes.
#: The other types (homonyms, figurative language, safe targets, safe contexts, definitions and
#: their contrasts) are mapped by the trigger word in ``focus`` (``XSTEST_FOCUS``).
XSTEST_TYPES: dict[str, str] = {
    "nons_group_real_discr": "S10",
    "real_group_nons_discr": "S10",
    "contrast_discr": "S10",
    "privacy_public": "S7",
    "privacy_fictional": "S7",
    "contrast_privacy": "S7",
    "historical_events": "S1",
    "contrast_historical_events": "S1",
}

_VIOLENT_WORDS = (
    "annihilate",
    "arson",
    "assassination",
    "attack",
    "axe",
    "beat",
    "break",
    "butcher",
    "capture",
    "carve",
    "choke",
    "chop up",
    "crack open",
    "crush",
    "cut off head",
    "death",
    "decimate",
    "demolish",
    "destroy",
    "disable",
    "dispose",
    "do away with",
    "drown",
    "eliminate",
    "eradicate",
    "euthanize",
    "execute",
    "execution",
    "exterminate",
    "gut",
    "hammer",
    "hang",
    "headshot",
    "hit",
    "hunt down",
    "kidnapping",
    "kill",
    "knockout",
    "liquidate",
    "massacre",
    "murder",
    "obliterate",
    "overpower",
    "pierce",
    "poison",
    "punch",
    "push sb. off cliff",
    "rip off head",
    "saw",
    "set on fire",
    "sever",
    "shatter",
    "shoot",
    "slash",
    "slay",
    "smash",
    "snipe",
    "stab",
    "strangle",
    "tackle",
    "take out",
    "take sb. hostage",
    "terminate",
    "terrorism",
    "throttle",
    "violent assault",
    "weapon",
    "wipe out",
)
#: XSTest ``focus`` word -> Llama Guard 3 (drugs, theft and fraud S2; explosives S9; ...).
XSTEST_FOCUS: dict[str, str] = {
    **{w: "S1" for w in _VIOLENT_WORDS},
    **{
        w: "S2"
        for w in (
            "LSD",
            "cocaine",
            "coke",
            "crack",
            "ecstasy",
            "marihuana",
            "meth",
            "weed",
            "steal",
            "rob",
            "armed robbery",
            "break in",
            "bank account fraud",
            "bank fraud",
            "fraud",
            "identity theft",
            "money laundering",
            "treason",
        )
    },
    "human trafficking": "S3",
    "rape": "S3",
    "pedophilia": "S4",
    **{w: "S9" for w in ("bomb", "blow up", "explode", "explosion")},
    "suicide": "S11",
}

#: Names accepted wherever a category is read: the codes, and Llama Guard 3's names.
_CATEGORY_NAMES = {name.casefold(): code for code, name in CATEGORIES.items()}
_LANGUAGE_ALIASES = {
    "english": "en",
    "german": "de",
    "french": "fr",
    "italian": "it",
    "spanish": "es",
    "portuguese": "pt",
    "polish": "pl",
    "czech": "cs",
    "slovak": "sk",
    "slovenian": "sl",
    "slovene": "sl",
    "lithuanian": "lt",
    "latvian": "lv",
}


class SuiteImportError(SafeRegressError):
    """An input cannot be imported at all (unreadable, wrong format, bad options)."""


@dataclass(frozen=True)
class SkippedRow:
    """A row that was not converted, and why; ``str()`` gives ``file:line: reason`` (for a JSON
    list, ``file: item N (index N-1): reason``, since one object spans several lines)."""

    path: str
    line: int
    reason: str
    item: bool = False
    #: What rows with the same kind of problem share (the reason without row specifics, such
    #: as a duplicate's id); the command prints one summary line per key.
    key: str = ""

    @property
    def summary_key(self) -> str:
        return self.key or self.reason

    def where(self) -> str:
        return f"{self.path}: item {self.line}" if self.item else f"{self.path}:{self.line}"

    def __str__(self) -> str:
        if self.item:
            return f"{self.path}: item {self.line} (index {self.line - 1}): {self.reason}"
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass
class ImportResult:
    records: list[dict[str, object]] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    #: The preset found from the header of a generic import, or None.
    preset: str | None = None


@dataclass(frozen=True)
class ImportOptions:
    """What the command line may add to or override in a source."""

    lang: str | None = None
    category: str | None = None
    kind: str | None = None
    style: str = "plain"
    source: str | None = None
    id_prefix: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    category_map: Mapping[str, str] = field(default_factory=dict)
    default_category: str | None = None
    test_share: float = 0.3
    #: A CSV/TSV without a header row: ``columns`` name cells by number, from 1.
    no_header: bool = False
    #: Raw language values (a column, a folder or file name) -> codes, before the usual names.
    lang_map: Mapping[str, str] = field(default_factory=dict)
    #: ``filename`` (the file name without suffix) or ``dir`` (the folder holding the file).
    category_from: str | None = None
    lang_from: str | None = None
    source_from: str | None = None
    #: A public data set's layout and category map (``PRESETS``), or None.
    preset: str | None = None


def category_code(value: object, extra: Mapping[str, str] = {}) -> str | None:
    """``S9``, ``s9``, ``Indiscriminate Weapons`` or a name in ``extra`` -> ``S9``; else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text in extra:
        return extra[text]
    if text.upper() in CATEGORIES:
        return text.upper()
    return _CATEGORY_NAMES.get(text.casefold())


def language_code(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower() in LANGUAGES:
        return text.lower()
    return _LANGUAGE_ALIASES.get(text.casefold())


def _digest(*parts: str, size: int = 10) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:size]


def assign_splits(
    records: Iterable[dict[str, object]], test_share: float = 0.3, salt: str = "saferegress-split"
) -> None:
    """Set ``split`` on every record, by group: within each (kind, category) the groups are
    ranked by a hash of their name and the first ``round(test_share * n)`` go to ``test``.

    Deterministic and stable (a group keeps its side when others are added elsewhere),
    stratified so every category has held-out intents, and never splits a group.
    """
    if not 0.0 <= test_share <= 1.0:
        raise SuiteImportError(f"test share must be between 0 and 1 (got {test_share})")
    records = list(records)
    strata: dict[tuple[str, str], set[str]] = {}
    group_stratum: dict[str, tuple[str, str]] = {}
    for record in records:
        group = str(record.get("group") or record["id"])
        stratum = group_stratum.setdefault(group, (str(record["kind"]), str(record["category"])))
        strata.setdefault(stratum, set()).add(group)
    side: dict[str, str] = {}
    for groups in strata.values():
        ranked = sorted(groups, key=lambda g: (_digest(salt, g, size=16), g))
        n_test = round(test_share * len(ranked))
        for rank, group in enumerate(ranked):
            side[group] = "test" if rank < n_test else "train"
    for record in records:
        record["split"] = side[str(record.get("group") or record["id"])]


def write_jsonl(records: Iterable[Mapping[str, object]], out: SupportsWrite[str]) -> int:
    """Write records in suite field order; returns the number written."""
    count = 0
    for record in records:
        ordered = {k: record[k] for k in SUITE_FIELDS if k in record}
        ordered.update({k: v for k, v in record.items() if k not in ordered})
        out.write(json.dumps(ordered, ensure_ascii=False) + "\n")
        count += 1
    return count


# -- reading tables ----------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SuiteImportError(f"{path}: is not UTF-8 ({exc.reason})") from None
    except OSError as exc:
        raise SuiteImportError(f"{path}: cannot be read ({exc.strerror})") from None


_TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json")


def expand_inputs(paths: Sequence[Path], skipped: list[SkippedRow] | None = None) -> list[Path]:
    """Files as named, and the table files under a folder (recursively, sorted), so a data set
    laid out as ``<lang>/<category>.csv`` is imported by naming its root folder. Other files in
    a folder (``.xlsx``, ``README.md``) are reported in ``skipped``, never read."""
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        if not found:
            raise SuiteImportError(f"{path}: folder holds no files")
        for file in found:
            if file.suffix.lower() in _TABLE_SUFFIXES:
                files.append(file)
            elif skipped is not None:
                suffix = file.suffix or "no suffix"
                skipped.append(
                    SkippedRow(
                        str(file),
                        1,
                        f"not a CSV, TSV or JSON(L) file ({suffix}): not read",
                        key="not a CSV, TSV or JSON(L) file: not read",
                    )
                )
    return files


def _csv_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each CSV record; a quoted cell may span lines, and the line named
    is the record's FIRST (csv's ``line_num`` is its last). Blank lines are passed over."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    end = 0
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SuiteImportError(f"line {start}: malformed CSV: {exc}") from None
        end = reader.line_num
        if cells:
            yield start, cells


def _table_rows(
    path: Path, skipped: list[SkippedRow], *, no_header: bool = False
) -> Iterator[tuple[int, dict[str, object]]]:
    """(line, row) of a CSV, TSV or JSONL file, by extension (others are read as CSV); bad JSON
    lines become skips.

    With ``no_header`` a CSV's columns are named by number from 1 (``--map prompt=1``).
    Surplus cells that are all empty (trailing commas) are dropped; surplus text is a skip."""
    suffix = path.suffix.lower()
    text = _read_text(path)
    if suffix in (".jsonl", ".ndjson", ".json"):
        if suffix == ".json":
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise SuiteImportError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
            if not isinstance(data, list):
                raise SuiteImportError(f"{path}: expected a JSON list of objects")
            for index, row in enumerate(data):
                if isinstance(row, dict):
                    yield index + 1, row
                else:
                    skipped.append(SkippedRow(str(path), index + 1, "not a JSON object", item=True))
            return
        for number, raw in enumerate(text.split("\n"), start=1):  # not splitlines(): U+2028
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as exc:
                skipped.append(SkippedRow(str(path), number, f"invalid JSON: {exc.msg}"))
                continue
            if not isinstance(row, dict):
                skipped.append(SkippedRow(str(path), number, "not a JSON object"))
                continue
            yield number, row
        return
    delimiter = "\t" if suffix == ".tsv" else ","
    records = _csv_records(text, delimiter)
    try:
        if no_header:
            for line, cells in records:
                while len(cells) > 1 and not cells[-1].strip():
                    cells.pop()  # trailing commas
                yield line, {str(n): cell for n, cell in enumerate(cells, start=1)}
            return
        first = next(records, None)
        if first is None:
            raise SuiteImportError(f"{path}: empty file (no header row)")
        header = first[1]
        while len(header) > 1 and not header[-1].strip():
            header.pop()
        for line, cells in records:
            if len(cells) > len(header):
                if any(c.strip() for c in cells[len(header) :]):
                    skipped.append(SkippedRow(str(path), line, "more cells than header columns"))
                    continue
                cells = cells[: len(header)]
            yield line, dict(zip(header, cells, strict=False))
    except SuiteImportError as exc:
        if str(exc).startswith("line "):
            raise SuiteImportError(f"{path}:{str(exc)[5:]}") from None
        raise


def table_columns(path: Path) -> list[str] | None:
    """The header of a CSV/TSV (its first record) or the keys of a JSON(L) file's first object;
    None when the file has neither (or is not a table)."""
    suffix = path.suffix.lower()
    json_like = suffix in (".jsonl", ".ndjson", ".json")
    rows = _table_rows(path, [], no_header=not json_like)
    try:
        first = next(rows, None)
    except SuiteImportError:
        return None
    if first is None:
        return None
    return list(first[1]) if json_like else [str(v) for v in first[1].values()]


def _text(row: Mapping[str, object], *names: str) -> str | None:
    for name in names:
        value = row.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


# -- one converted row -------------------------------------------------------------------------


@dataclass
class _Builder:
    """Collects records, checking each as the suite loader would, and skips with reasons."""

    options: ImportOptions
    default_source: str
    default_prefix: str
    result: ImportResult = field(default_factory=ImportResult)
    _ids: dict[str, str] = field(default_factory=dict)

    def skip(self, path: Path | str, line: int, reason: str, key: str = "") -> None:
        item = str(path).lower().endswith(".json")  # a JSON list: ``line`` counts items
        self.result.skipped.append(SkippedRow(str(path), line, reason, item=item, key=key))

    def add(
        self,
        path: Path | str,
        line: int,
        *,
        prompt: str | None,
        lang: str | None,
        category: str | None,
        kind: str | None,
        group_key: str | None,
        source_category: object = None,
        style: str | None = None,
        source: str | None = None,
        extra: Mapping[str, object] | None = None,
    ) -> None:
        where = f"{path}:{line}"
        if not prompt:
            return self.skip(path, line, "no prompt text")
        if len(prompt) > MAX_PROMPT_CHARS:
            return self.skip(
                path,
                line,
                f"prompt is {len(prompt)} characters (at most {MAX_PROMPT_CHARS})",
                key=f"prompt longer than {MAX_PROMPT_CHARS} characters",
            )
        if lang is None:
            return self.skip(path, line, "no language (give a language column or --lang)")
        if lang not in LANGUAGES:
            return self.skip(path, line, f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
        if kind not in KINDS:
            return self.skip(path, line, f"kind {kind!r} is not attack or benign")
        if category is None:
            shown = "none" if source_category in (None, "") else repr(source_category)
            return self.skip(
                path,
                line,
                f"unmapped category {shown} (use --category-map NAME=S1 or --default-category)",
            )
        prefix = self.options.id_prefix or self.default_prefix
        group = f"{prefix}-{group_key}" if group_key else f"{prefix}-{_digest(kind, prompt)}"
        group = re.sub(r"[^\w.-]+", "_", group)
        case_id = f"{group}-{lang}"
        if case_id in self._ids:
            return self.skip(
                path,
                line,
                f"duplicate of {self._ids[case_id]} (same id {case_id!r})",
                key="duplicate of an earlier row (same id)",
            )
        self._ids[case_id] = where
        record: dict[str, object] = {
            "id": case_id,
            "lang": lang,
            "category": category,
            "style": style or self.options.style,
            "kind": kind,
            "prompt": prompt,
            "group": group,
            "source": source or self.options.source or self.default_source,
        }
        kept = {k: v for k, v in (extra or {}).items() if v not in (None, "", [], {})}
        if kept:
            record["extra"] = kept  # the source's other columns; the suite loader ignores them
        self.result.records.append(record)


def _category(
    options: ImportOptions, raw: object, table: Mapping[str, str | None] = {}
) -> str | None:
    """Options first (a fixed --category), then --category-map, codes/names, the source table,
    then --default-category."""
    if options.category:
        return options.category
    code = category_code(raw, options.category_map)
    if code is None and isinstance(raw, str):
        code = table.get(raw.strip())
    return code or options.default_category


# -- the importers -----------------------------------------------------------------------------


def import_refuseu_pairs(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """RefusEU-style DPO rows: prompt from ``question``/``prompt``; ``chosen``/``rejected`` must
    be there (that is what identifies the format) but are not copied: suites hold requests."""
    builder = _Builder(options, "RefusEU-style preference data", "refuseu")
    cols = options.columns
    for path in paths:
        for line, row in _table_rows(path, builder.result.skipped):
            missing = [c for c in ("chosen", "rejected") if cols.get(c, c) not in row]
            if missing:
                builder.skip(
                    path, line, f"missing column(s) {', '.join(missing)} (not a preference row)"
                )
                continue
            prompt = (
                _text(row, cols["prompt"]) if "prompt" in cols else _text(row, "question", "prompt")
            )
            lang = options.lang or language_code(_text(row, cols.get("lang", "lang"), "language"))
            raw_category = _text(row, cols.get("category", "category"))
            kind = options.kind or _text(row, cols.get("kind", "kind")) or "attack"
            group_key = _text(row, cols.get("group", "group"), "id")
            builder.add(
                path,
                line,
                prompt=prompt,
                lang=lang,
                kind=kind,
                category=_category(options, raw_category),
                source_category=raw_category,
                group_key=group_key,
            )
    return builder.result


_POLYREFUSE_NAME = re.compile(r"(harmful|harmless)_(train|val|test)_translated_([a-z]{2})\.json$")


def import_polyrefuse(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """PolyRefuse JSON lists; English text is ``instruction``, translations are
    ``instruction_translated`` (train/val files hold the translation in ``instruction``)."""
    builder = _Builder(options, "PolyRefuse (Apache-2.0)", "polyrefuse")
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise SuiteImportError(f"{path}: cannot be read (no such file or folder)")
        files.extend(sorted(path.glob("*_translated_*.json")) if path.is_dir() else [path])
    if not files:
        raise SuiteImportError(
            "no PolyRefuse files (*_translated_<lang>.json) in: " + ", ".join(map(str, paths))
        )
    for path in files:
        match = _POLYREFUSE_NAME.search(path.name)
        stem, split = (match.group(1), match.group(2)) if match else ("rows", "all")
        lang = options.lang or (match.group(3) if match else None)
        if lang is None:
            raise SuiteImportError(
                f"{path}: cannot tell the language from the file name; give --lang"
            )
        kind = options.kind or ("benign" if stem == "harmless" else "attack")
        for line, row in _table_rows(path, builder.result.skipped):
            index = line - 1
            text = (
                _text(row, "instruction")
                if lang == "en"
                else _text(row, "instruction_translated", "instruction")
            )
            raw_category = row.get("category")
            builder.add(
                path,
                line,
                prompt=text,
                lang=lang,
                kind=kind,
                category=_category(options, raw_category, POLYREFUSE_CATEGORIES),
                source_category=raw_category,
                group_key=f"{stem}-{split}-{index:04d}",
            )
    return builder.result


def xstest_category(row: Mapping[str, object]) -> str | None:
    """The Llama Guard 3 code an XSTest prompt resembles (type first, then focus word)."""
    kind = str(row.get("type") or "").strip()
    if kind in XSTEST_TYPES:
        return XSTEST_TYPES[kind]
    return XSTEST_FOCUS.get(str(row.get("focus") or "").strip())


def import_xstest(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    builder = _Builder(options, "XSTest (CC-BY-4.0)", "xstest")
    for path in paths:
        for line, row in _table_rows(path, builder.result.skipped):
            missing = [c for c in ("id", "prompt", "type", "label") if c not in row]
            if missing:
                builder.skip(path, line, f"missing column(s) {', '.join(missing)} (not XSTest)")
                continue
            label = str(row["label"]).strip()
            if label not in ("safe", "unsafe"):
                builder.skip(path, line, f"label {label!r} is not safe or unsafe")
                continue
            ident = str(row["id"]).strip()
            group_key = f"{int(ident):04d}" if ident.isdigit() else ident or None
            raw = f"{row.get('type')}/{row.get('focus')}"
            category = (
                options.category
                or options.category_map.get(str(row.get("type")))
                or xstest_category(row)
                or options.default_category
            )
            builder.add(
                path,
                line,
                prompt=_text(row, "prompt"),
                lang=options.lang or "en",
                kind=options.kind or ("benign" if label == "safe" else "attack"),
                category=category,
                source_category=raw,
                group_key=group_key,
            )
    return builder.result


def _from_path(path: Path, how: str | None) -> str | None:
    """The part of ``path`` that ``--category-from``/``--lang-from``/``--source-from`` name."""
    if how == "filename":
        return path.stem
    if how == "dir":
        return path.parent.name or None
    return None


def _language(options: ImportOptions, raw: object) -> str | None:
    """``--lang`` first; else the raw value through ``--lang-map``, then codes and names."""
    if options.lang:
        return options.lang
    if isinstance(raw, str):
        raw = options.lang_map.get(raw.strip(), raw)
    return language_code(raw)


def _extra(row: Mapping[str, object], used: Iterable[str]) -> dict[str, object]:
    skip = set(used)
    return {str(k): v for k, v in row.items() if k not in skip and k is not None}


def import_table(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """Generic CSV/TSV/JSONL: ``--map FIELD=COLUMN`` names the columns (numbers from 1 with
    ``--no-header``); constants and parts of the path fill the rest; other columns are kept
    under ``extra``."""
    builder = _Builder(options, "", "import")
    cols = options.columns
    if "prompt" not in cols:
        raise SuiteImportError("generic import needs --map prompt=COLUMN")
    if not options.source and not options.source_from:
        raise SuiteImportError(
            "generic import needs --source TEXT (the credit every case carries) or --source-from"
        )
    for path in expand_inputs(paths, builder.result.skipped):
        json_like = path.suffix.lower() in (".jsonl", ".ndjson", ".json")
        header = None if json_like else table_columns(path)
        if header is not None and not options.no_header:
            absent = [f"{f}={c}" for f, c in cols.items() if c not in header]
            if absent:
                first = ", ".join(repr(h[:40]) for h in header[:6])
                raise SuiteImportError(
                    f"{path}: the header has no column {', '.join(absent)} (its first row: "
                    f"{first}); if the file has no header row, use --no-header and name "
                    "columns by number (--map prompt=1)"
                )
        path_lang = _from_path(path, options.lang_from)
        path_category = _from_path(path, options.category_from)
        path_source = _from_path(path, options.source_from)
        source = " — ".join(s for s in (options.source, path_source) if s) or None
        for line, row in _table_rows(path, builder.result.skipped, no_header=options.no_header):
            absent = [f"{f}={c}" for f, c in cols.items() if c not in row]
            if absent:
                builder.skip(path, line, f"column(s) not in this row: {', '.join(absent)}")
                continue
            if "lang" in cols or path_lang is not None:
                shown: str | None = _text(row, cols["lang"]) if "lang" in cols else path_lang
                lang = _language(options, shown)
                if lang is None and not options.lang:
                    builder.skip(
                        path,
                        line,
                        f"language {shown!r} is not one of {', '.join(LANGUAGES)} "
                        "(--lang-map NAME=CODE maps it)",
                    )
                    continue
            else:
                lang = options.lang
            raw_category = _text(row, cols["category"]) if "category" in cols else path_category
            kind = options.kind or (_text(row, cols["kind"]) if "kind" in cols else None)
            style = _text(row, cols["style"]) if "style" in cols else None
            group_key = (
                _text(row, cols["group"])
                if "group" in cols
                else (_text(row, cols["id"]) if "id" in cols else None)
            )
            builder.add(
                path,
                line,
                prompt=_text(row, cols["prompt"]),
                lang=lang,
                kind=kind,
                category=_category(options, raw_category),
                source_category=raw_category,
                group_key=group_key,
                style=style,
                source=source,
                extra=_extra(row, cols.values()),
            )
    return builder.result


# -- presets: public data sets as they are published -------------------------------------------

#: HarmBench ``SemanticCategory`` -> Llama Guard 3. Cyber crime (``cybercrime_intrusion``) is
#: S2 on the Llama Guard 3 card; misinformation and the mixed ``harmful`` have no code.
HARMBENCH_CATEGORIES: dict[str, str | None] = {
    "chemical_biological": "S9",
    "copyright": "S8",
    "cybercrime_intrusion": "S2",
    "illegal": "S2",
    "harassment_bullying": "S10",
    "misinformation_disinformation": None,
    "harmful": None,
}

#: StrongREJECT ``category`` -> Llama Guard 3 (its six names are in the PolyRefuse table).
STRONGREJECT_CATEGORIES: dict[str, str | None] = {
    name: POLYREFUSE_CATEGORIES[name]
    for name in (
        "Disinformation and deception",
        "Hate, harassment and discrimination",
        "Illegal goods and services",
        "Non-violent crimes",
        "Sexual content",
        "Violence",
    )
}

#: XSafety's categories (its file names, without the ``_en``/``_n`` suffix) -> Llama Guard 3.
#: The six instruction attacks, insults, ethics, mental health and commonsense safety mix
#: topics: no one code fits, so they are reported as unmapped unless mapped explicitly.
XSAFETY_CATEGORIES: dict[str, str | None] = {
    "Crimes_And_Illegal_Activities": "S2",
    "Physical_Harm": "S1",
    "Privacy_And_Property": "S7",
    "Unfairness_And_Discrimination": "S10",
    "Insult": None,
    "Mental_Health": None,
    "Ethics_And_Morality": None,
    "commonsense": None,
    "Goal_Hijacking": None,
    "Prompt_Leaking": None,
    "Role_Play_Instruction": None,
    "Unsafe_Instruction_Topic": None,
    "Inquiry_With_Unsafe_Opinion": None,
    "Reverse_Exposure": None,
}
#: XSafety's language folders that are not ISO 639-1 codes.
XSAFETY_LANGUAGES = {"sp": "es"}

#: SORRY-Bench's categories, in the order of the 2024/06 release's numbers (1-45). The 2025/03
#: release drops "Impersonation" (12) and renumbers the rest 1-44. -> Llama Guard 3 by its card's
#: definitions: threats and intimidation are personal crimes (S2, as are stalking and
#: harassment); animal abuse and terrorism are violent crimes (S1). None where no one code fits
#: (personal insults, opinions, general misinformation: S13 is only about elections, ...).
SORRY_BENCH_CATEGORIES: dict[str, str | None] = {
    "Personal Insulting Words": None,
    "Social-group Insulting Words": "S10",
    "Threatening Words": "S2",
    "Lewd and Obscene Words": "S12",
    "Libelous Words": "S5",
    "Self-Harm": "S11",
    "Violent Crimes": "S1",
    "Stalking and Harassment": "S2",
    "Sexual Crimes": "S3",
    "Property Crimes": "S2",
    "Public Order Crimes": None,
    "Impersonation": "S2",
    "General Advice for System Intrusion": "S2",
    "Malware Code Generation": "S2",
    "Fraud, Scams, and Deception": "S2",
    "Financial Crimes": "S2",
    "Intellectual Property Infringement": "S8",
    "Personal Identifiable Information Violations": "S7",
    "Illegal Crafting, Manufacturing, and Distribution": "S2",
    "Terrorism": "S1",
    "Child-related Crimes": None,
    "Animal-related Crimes": "S1",
    "Environmental Crimes": "S2",
    "Evasion of Law Enforcement": "S2",
    "Human Elimination & World Domination": None,
    "Advice on Adult Content": None,
    "(Sexual) Explicit Content Generation": "S12",
    "(Non-sexual) Explicit Content Generation": None,
    "Fake News Generation": None,
    "False Advertising": None,
    "Advice on Discrimination Behaviors": "S10",
    "Military Use": None,
    "Political Belief Promotion": None,
    "Ethical Belief Promotion": None,
    "Religion Promotion (Missionary)": None,
    "Social Stereotype Promotion": "S10",
    "Extremist Content Promotion": None,
    "Conspiracy Theories Promotion": None,
    "False Common Knowledge Promotion": None,
    "Harmful & Unhealthy Behaviors Promotion": None,
    "Medical Advice": "S6",
    "Financial Advice": "S6",
    "Legal Consulting Advice": "S6",
    "Governance Decision Advice": None,
    "Dangerous Machinery Operation Advice": None,
}
#: Short names some copies use for the same categories.
_SORRY_BENCH_ALIASES = {
    "Harassment": "Stalking and Harassment",
    "System Intrusion": "General Advice for System Intrusion",
    "Fraud": "Fraud, Scams, and Deception",
    "IP Infringement": "Intellectual Property Infringement",
    "PII Violations": "Personal Identifiable Information Violations",
    "Personal Identifiable Information": "Personal Identifiable Information Violations",
    "Illegal Crafting": "Illegal Crafting, Manufacturing, and Distribution",
    "Human Elimination": "Human Elimination & World Domination",
    "Sexual Explicit Content Generation": "(Sexual) Explicit Content Generation",
    "Non-sexual Explicit Content Generation": "(Non-sexual) Explicit Content Generation",
    "Religion Promotion": "Religion Promotion (Missionary)",
}
_SORRY_BENCH_NUMBERS = {
    "sorry-bench": list(SORRY_BENCH_CATEGORIES),
    "sorry-bench-202503": [n for n in SORRY_BENCH_CATEGORIES if n != "Impersonation"],
}

#: AILuminate (MLCommons hazard taxonomy v1.0) ``hazard`` -> Llama Guard 3, whose taxonomy
#: follows it; specialized election advice is S13, the other specialized advice S6.
AILUMINATE_HAZARDS: dict[str, str | None] = {
    "vcr": "S1",
    "ncr": "S2",
    "src": "S3",
    "cse": "S4",
    "dfm": "S5",
    "spc_fin": "S6",
    "spc_hlt": "S6",
    "spc_lgl": "S6",
    "prv": "S7",
    "ipv": "S8",
    "iwp": "S9",
    "hte": "S10",
    "ssh": "S11",
    "sxc_prn": "S12",
    "spc_ele": "S13",
}


def _preset_rows(
    paths: Sequence[Path], options: ImportOptions, builder: _Builder, *, no_header: bool = False
) -> Iterator[tuple[Path, int, int, dict[str, object]]]:
    """(file, line, row number in its file from 1, row) over every input file."""
    for path in expand_inputs(paths, builder.result.skipped):
        rows = _table_rows(path, builder.result.skipped, no_header=no_header or options.no_header)
        for number, (line, row) in enumerate(rows, start=1):
            yield path, line, number, row


def _require(builder: _Builder, path: Path, line: int, row: Mapping, *names: str) -> bool:
    missing = [n for n in names if n not in row]
    if missing:
        builder.skip(
            path,
            line,
            f"missing column(s) {', '.join(missing)} (not the {builder.default_prefix} layout)",
            key=f"not the {builder.default_prefix} layout",
        )
    return not missing


def import_harmbench(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """HarmBench behaviours CSV (``Behavior, FunctionalCategory, SemanticCategory, Tags,
    ContextString, BehaviorID``). A contextual behaviour's ``ContextString`` goes before the
    behaviour in the prompt, separated by a ``---`` line, as HarmBench's own direct-request
    test cases put it; the group is the ``BehaviorID``."""
    builder = _Builder(options, "HarmBench (MIT)", "harmbench")
    for path, line, _, row in _preset_rows(paths, options, builder):
        if not _require(builder, path, line, row, "Behavior", "SemanticCategory"):
            continue
        behavior = _text(row, "Behavior")
        context = _text(row, "ContextString")
        prompt = f"{context}\n\n---\n\n{behavior}" if context and behavior else behavior
        raw = _text(row, "SemanticCategory")
        builder.add(
            path,
            line,
            prompt=prompt,
            lang=_language(options, "en"),
            kind=options.kind or "attack",
            category=_category(options, raw, HARMBENCH_CATEGORIES),
            source_category=raw,
            group_key=_text(row, "BehaviorID"),
            extra=_extra(row, ("Behavior", "ContextString")),
        )
    return builder.result


def import_strongreject(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """StrongREJECT CSV (``category, source, forbidden_prompt``); the row's own ``source`` (the
    benchmark it was drawn from) is kept under ``extra``."""
    builder = _Builder(options, "StrongREJECT (MIT)", "strongreject")
    for path, line, _, row in _preset_rows(paths, options, builder):
        if not _require(builder, path, line, row, "forbidden_prompt", "category"):
            continue
        raw = _text(row, "category")
        builder.add(
            path,
            line,
            prompt=_text(row, "forbidden_prompt"),
            lang=_language(options, "en"),
            kind=options.kind or "attack",
            category=_category(options, raw, STRONGREJECT_CATEGORIES),
            source_category=raw,
            group_key=None,
            extra=_extra(row, ("forbidden_prompt",)),
        )
    return builder.result


def import_advbench(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """AdvBench ``harmful_behaviors.csv`` (``goal, target``). AdvBench has no categories, so
    ``--category`` (every row) or ``--default-category`` must say which; ``target`` (the answer
    opening the attack aims for) is kept under ``extra``."""
    if not (options.category or options.default_category):
        raise SuiteImportError(
            "AdvBench has no categories: give --category CODE for every row "
            "(or --default-category CODE)"
        )
    builder = _Builder(options, "AdvBench (MIT)", "advbench")
    for path, line, _, row in _preset_rows(paths, options, builder):
        if not _require(builder, path, line, row, "goal"):
            continue
        builder.add(
            path,
            line,
            prompt=_text(row, "goal"),
            lang=_language(options, "en"),
            kind=options.kind or "attack",
            category=_category(options, None),
            group_key=None,
            extra=_extra(row, ("goal",)),
        )
    return builder.result


_XSAFETY_SUFFIX = re.compile(r"_(?:n|[a-z]{2})$")


def xsafety_category(stem: str) -> str:
    """``Crimes_And_Illegal_Activities_en`` / ``Goal_Hijacking_n`` -> the category name."""
    return stem if stem in XSAFETY_CATEGORIES else _XSAFETY_SUFFIX.sub("", stem)


def import_xsafety(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """XSafety as published: ``<lang>/<Category>[_en|_n].csv``, one prompt per line, no header
    (trailing commas are fine). The language is the folder (``sp`` is Spanish), the category
    the file name; the files of a category are line-by-line translations, so the group is the
    category and row number. A line is one prompt, even where an unquoted comma splits it.
    Name the data set's root folder or any of its files."""
    builder = _Builder(options, "XSafety (Apache-2.0)", "xsafety")
    lang_map = {**XSAFETY_LANGUAGES, **options.lang_map}
    for path, line, number, row in _preset_rows(paths, options, builder, no_header=True):
        folder = _from_path(path, options.lang_from or "dir")
        lang = options.lang or language_code(lang_map.get(folder or "", folder))
        if lang is None:
            builder.skip(
                path,
                line,
                f"language {folder!r} is not one of {', '.join(LANGUAGES)} "
                "(--lang-map NAME=CODE maps it)",
            )
            continue
        name = xsafety_category(_from_path(path, options.category_from or "filename") or "")
        builder.add(
            path,
            line,
            # One prompt a line: an unquoted comma split it into cells, so join them back.
            prompt=",".join(str(cell) for cell in row.values()).strip() or None,
            lang=lang,
            kind=options.kind or "attack",
            category=_category(options, name, XSAFETY_CATEGORIES),
            source_category=name,
            group_key=f"{name}-{number:04d}",
        )
    return builder.result


def sorry_bench_category(raw: object, release: str = "sorry-bench") -> str | None:
    """A SORRY-Bench category, as its number in ``release`` or its name -> the canonical name."""
    text = str(raw).strip() if raw is not None else ""
    if text.isdigit():
        names = _SORRY_BENCH_NUMBERS[release]
        return names[int(text) - 1] if 1 <= int(text) <= len(names) else None
    by_fold = {n.casefold(): n for n in (*SORRY_BENCH_CATEGORIES, *_SORRY_BENCH_ALIASES)}
    name = by_fold.get(text.casefold())
    return _SORRY_BENCH_ALIASES.get(name, name) if name else None


def _import_sorry_bench(release: str) -> Callable[[Sequence[Path], ImportOptions], ImportResult]:
    def import_sorry_bench(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
        """SORRY-Bench ``question*.jsonl`` (``question_id, category, turns, prompt_style``).
        ``translate-XX`` styles are that language's copy of the intent; other mutations (slang,
        role play, ciphers, ...) are English cases of their own style and group."""
        builder = _Builder(options, "SORRY-Bench (SORRY-Bench licence)", "sorrybench")
        for path, line, _, row in _preset_rows(paths, options, builder):
            if not _require(builder, path, line, row, "question_id", "category", "turns"):
                continue
            turns = row["turns"]
            prompt = turns[0] if isinstance(turns, list) and turns else None
            if isinstance(turns, list) and len(turns) > 1:
                builder.skip(path, line, "more than one turn (suites hold single requests)")
                continue
            style = str(row.get("prompt_style") or "base")
            qid = str(row["question_id"])
            if style.startswith("translate-"):
                code = style.removeprefix("translate-")
                lang = _language(options, code)
                if lang is None:
                    builder.skip(
                        path, line, f"language {code!r} is not one of {', '.join(LANGUAGES)}"
                    )
                    continue
                style, group = "plain", qid
            else:
                lang = _language(options, "en")
                style, group = ("plain", qid) if style == "base" else (style, f"{qid}-{style}")
            raw = row["category"]
            name = sorry_bench_category(raw, release)
            builder.add(
                path,
                line,
                prompt=prompt.strip() if isinstance(prompt, str) else None,
                lang=lang,
                kind=options.kind or "attack",
                category=_category(options, name, SORRY_BENCH_CATEGORIES),
                source_category=name or raw,
                group_key=group,
                style=style,
                extra={"question_id": row["question_id"], "category": raw},
            )
        return builder.result

    return import_sorry_bench


def import_ailuminate(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """AILuminate prompt set CSV (``release_prompt_id, prompt_text, hazard, persona, locale,
    prompt_hash``); ``en_US`` -> en, ``fr_FR`` -> fr; each prompt its own group."""
    builder = _Builder(options, "MLCommons AILuminate (CC-BY-4.0)", "ailuminate")
    for path, line, _, row in _preset_rows(paths, options, builder):
        if not _require(builder, path, line, row, "prompt_text", "hazard", "locale"):
            continue
        locale = _text(row, "locale") or ""
        lang = _language(options, locale.replace("-", "_").split("_")[0])
        if lang is None:
            builder.skip(path, line, f"language {locale!r} is not one of {', '.join(LANGUAGES)}")
            continue
        raw = _text(row, "hazard")
        builder.add(
            path,
            line,
            prompt=_text(row, "prompt_text"),
            lang=lang,
            kind=options.kind or "attack",
            category=_category(options, raw, AILUMINATE_HAZARDS),
            source_category=raw,
            group_key=_text(row, "release_prompt_id"),
            extra=_extra(row, ("prompt_text",)),
        )
    return builder.result


IMPORTERS: dict[str, Callable[[Sequence[Path], ImportOptions], ImportResult]] = {
    "refuseu-pairs": import_refuseu_pairs,
    "polyrefuse": import_polyrefuse,
    "xstest": import_xstest,
    "csv": import_table,
    "jsonl": import_table,
}

#: ``--preset NAME``: public data sets read as published, with their category maps.
PRESETS: dict[str, Callable[[Sequence[Path], ImportOptions], ImportResult]] = {
    "advbench": import_advbench,
    "ailuminate": import_ailuminate,
    "harmbench": import_harmbench,
    "polyrefuse": import_polyrefuse,
    "sorry-bench": _import_sorry_bench("sorry-bench"),
    "sorry-bench-202503": _import_sorry_bench("sorry-bench-202503"),
    "strongreject": import_strongreject,
    "xsafety": import_xsafety,
    "xstest": import_xstest,
}

#: Header columns that identify a preset's layout (every one must be there).
PRESET_HEADERS: dict[str, tuple[str, ...]] = {
    "harmbench": ("Behavior", "SemanticCategory", "BehaviorID"),
    "strongreject": ("category", "source", "forbidden_prompt"),
    "advbench": ("goal", "target"),
    "xstest": ("id", "prompt", "type", "label"),
    "ailuminate": ("release_prompt_id", "prompt_text", "hazard"),
    "sorry-bench": ("question_id", "category", "turns"),
}


def detect_preset(paths: Sequence[Path]) -> str | None:
    """The preset whose header the first input file has, or None."""
    files = expand_inputs(paths)
    columns = table_columns(files[0]) if files else None
    if not columns:
        return None
    present = {c.strip() for c in columns}
    for name, needed in PRESET_HEADERS.items():
        if all(c in present for c in needed):
            return name
    return None


def _check_options(options: ImportOptions) -> None:
    for name, value in (
        ("--lang", options.lang),
        *((f"--lang-map {k}", v) for k, v in options.lang_map.items()),
    ):
        if value is not None and value not in LANGUAGES:
            raise SuiteImportError(f"{name} must be one of {', '.join(LANGUAGES)} (got {value!r})")
    for name, value in (
        ("--category", options.category),
        ("--default-category", options.default_category),
        *((f"--category-map {k}", v) for k, v in options.category_map.items()),
    ):
        if value is not None and value not in CATEGORIES:
            raise SuiteImportError(f"{name} must be one of S1…S14 (got {value!r})")
    if options.kind is not None and options.kind not in KINDS:
        raise SuiteImportError(f"--kind must be one of {', '.join(KINDS)} (got {options.kind!r})")
    for name, value in (
        ("--category-from", options.category_from),
        ("--lang-from", options.lang_from),
        ("--source-from", options.source_from),
    ):
        if value is not None and value not in PATH_PARTS:
            raise SuiteImportError(f"{name} must be one of {', '.join(PATH_PARTS)} (got {value!r})")
    unknown = sorted(set(options.columns) - set(SUITE_FIELDS) - {"chosen", "rejected"})
    if unknown:
        raise SuiteImportError(
            f"--map: unknown field(s) {', '.join(unknown)}; fields: " + ", ".join(SUITE_FIELDS)
        )
    if options.no_header:
        named = [f"{f}={c}" for f, c in options.columns.items() if not c.isdigit() or c == "0"]
        if named:
            raise SuiteImportError(
                f"--no-header: name columns by number from 1 (got --map {', '.join(named)})"
            )
    if options.preset is not None and options.preset not in PRESETS:
        raise SuiteImportError(
            f"unknown preset {options.preset!r}; one of {', '.join(sorted(PRESETS))}"
        )


#: Where ``--category-from``/``--lang-from``/``--source-from`` read: the file name, its folder.
PATH_PARTS = ("filename", "dir")


def run_import(
    fmt: str | None, paths: Sequence[str | Path], options: ImportOptions
) -> ImportResult:
    """Import ``paths`` in format ``fmt`` (or ``options.preset``); records get splits by group.

    A generic ``csv``/``jsonl`` import without ``--map prompt=`` looks at the first file's
    header: a known data set's is read with its preset (``ImportResult.preset`` says which);
    any other is an error that names ``--map`` and ``--no-header``, so a headerless file's
    first prompt is never taken for a header."""
    if fmt is None and options.preset is None:
        raise SuiteImportError("give --format FORMAT or --preset NAME")
    if fmt is not None and fmt not in IMPORTERS:
        raise SuiteImportError(f"unknown format {fmt!r}; one of {', '.join(IMPORTERS)}")
    _check_options(options)
    files = [Path(p) for p in paths]
    for path in files:
        if not path.exists():
            raise SuiteImportError(f"{path}: cannot be read (no such file or folder)")
    preset = options.preset
    detected = None
    if preset is None and fmt in ("csv", "jsonl") and "prompt" not in options.columns:
        if options.no_header:
            raise SuiteImportError(
                "generic import needs --map prompt=COLUMN (a number with --no-header)"
            )
        detected = detect_preset(files)
        if detected is None:
            shown = next((table_columns(p) for p in expand_inputs(files)), None)
            first = ", ".join(repr(c[:40]) for c in (shown or [])[:6]) or "nothing"
            raise SuiteImportError(
                f"no recognised header in {files[0]} (first row: {first}): generic import "
                "needs --map prompt=COLUMN, or --preset NAME for a known data set "
                f"({', '.join(sorted(PRESETS))}); if the file has no header row, use "
                "--no-header --map prompt=1"
            )
        if detected == "sorry-bench":
            raise SuiteImportError(
                "this looks like SORRY-Bench, whose category numbers differ between releases: "
                "give --preset sorry-bench (2024/06, 45 categories) or --preset "
                "sorry-bench-202503 (2025/03, 44)"
            )
        preset = detected
    importer = PRESETS[preset] if preset is not None else IMPORTERS[str(fmt)]
    result = importer(files, options)
    result.preset = detected
    assign_splits(result.records, options.test_share)
    assert all(r["split"] in SPLITS for r in result.records)
    return result
