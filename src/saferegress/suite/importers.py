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
  (``--map prompt=text --map lang=language``) and constants for what the table lacks.

Every importer returns an ``ImportResult``: the converted records (suite field order, stable
ids, ``source`` credit, a ``split`` per group) and every row it could not convert, each with
its file, line and reason. Nothing is dropped silently: the command prints the skipped rows and
exits 1 when there are any.

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
    "IMPORTERS",
    "POLYREFUSE_CATEGORIES",
    "XSTEST_FOCUS",
    "XSTEST_TYPES",
    "ImportOptions",
    "ImportResult",
    "SkippedRow",
    "SuiteImportError",
    "assign_splits",
    "category_code",
    "run_import",
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

    def __str__(self) -> str:
        if self.item:
            return f"{self.path}: item {self.line} (index {self.line - 1}): {self.reason}"
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass
class ImportResult:
    records: list[dict[str, object]] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)


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


def _table_rows(path: Path, skipped: list[SkippedRow]) -> Iterator[tuple[int, dict[str, object]]]:
    """(line, row) of a CSV, TSV or JSONL file, by extension; bad JSON lines become skips."""
    text = _read_text(path)
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        if path.suffix.lower() == ".json":
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
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if not reader.fieldnames:
        raise SuiteImportError(f"{path}: empty file (no header row)")
    try:
        for row in reader:
            # A row with more cells than the header puts the surplus under the key None.
            if None in row:
                skipped.append(
                    SkippedRow(str(path), reader.line_num, "more cells than header columns")
                )
                continue
            yield reader.line_num, dict(row)
    except csv.Error as exc:
        raise SuiteImportError(f"{path}:{reader.line_num}: malformed CSV: {exc}") from None


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

    def skip(self, path: Path | str, line: int, reason: str) -> None:
        item = str(path).lower().endswith(".json")  # a JSON list: ``line`` counts items
        self.result.skipped.append(SkippedRow(str(path), line, reason, item=item))

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
    ) -> None:
        where = f"{path}:{line}"
        if not prompt:
            return self.skip(path, line, "no prompt text")
        if len(prompt) > MAX_PROMPT_CHARS:
            return self.skip(
                path, line, f"prompt is {len(prompt)} characters (at most {MAX_PROMPT_CHARS})"
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
            return self.skip(path, line, f"duplicate of {self._ids[case_id]} (same id {case_id!r})")
        self._ids[case_id] = where
        self.result.records.append(
            {
                "id": case_id,
                "lang": lang,
                "category": category,
                "style": style or self.options.style,
                "kind": kind,
                "prompt": prompt,
                "group": group,
                "source": self.options.source or source or self.default_source,
            }
        )


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


def import_table(paths: Sequence[Path], options: ImportOptions) -> ImportResult:
    """Generic CSV/JSONL: ``--map FIELD=COLUMN`` names the columns; constants fill the rest."""
    builder = _Builder(options, "", "import")
    cols = options.columns
    if "prompt" not in cols:
        raise SuiteImportError("generic import needs --map prompt=COLUMN")
    if not options.source:
        raise SuiteImportError("generic import needs --source TEXT (the credit every case carries)")
    for path in paths:
        for line, row in _table_rows(path, builder.result.skipped):
            absent = [f"{f}={c}" for f, c in cols.items() if c not in row]
            if absent:
                builder.skip(path, line, f"column(s) not in this row: {', '.join(absent)}")
                continue
            lang = (
                options.lang or language_code(_text(row, cols["lang"]))
                if "lang" in cols or options.lang
                else None
            )
            if lang is None and "lang" in cols:
                shown = row.get(cols["lang"])
                builder.skip(path, line, f"language {shown!r} is not one of {', '.join(LANGUAGES)}")
                continue
            raw_category = _text(row, cols["category"]) if "category" in cols else None
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
            )
    return builder.result


IMPORTERS: dict[str, Callable[[Sequence[Path], ImportOptions], ImportResult]] = {
    "refuseu-pairs": import_refuseu_pairs,
    "polyrefuse": import_polyrefuse,
    "xstest": import_xstest,
    "csv": import_table,
    "jsonl": import_table,
}


def run_import(fmt: str, paths: Sequence[str | Path], options: ImportOptions) -> ImportResult:
    """Import ``paths`` in format ``fmt``; records get splits assigned by group."""
    if fmt not in IMPORTERS:
        raise SuiteImportError(f"unknown format {fmt!r}; one of {', '.join(IMPORTERS)}")
    for name, value in (("--lang", options.lang),):
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
    unknown = sorted(set(options.columns) - set(SUITE_FIELDS) - {"chosen", "rejected"})
    if unknown:
        raise SuiteImportError(
            f"--map: unknown field(s) {', '.join(unknown)}; fields: " + ", ".join(SUITE_FIELDS)
        )
    files = [Path(p) for p in paths]
    result = IMPORTERS[fmt](files, options)
    assign_splits(result.records, options.test_share)
    assert all(r["split"] in SPLITS for r in result.records)
    return result
