"""lm-eval task configs for the capability benchmark: one task per language plus a group.

Two sources share one task shape (``tasks/_saferegress_mc_template_yaml``, Global-MMLU's):

* ``local``: the small multiple-choice set shipped in ``capability/data/<lang>.jsonl`` (the same
  24 general-knowledge questions in all 12 languages);
* ``global-mmlu:DIR``: Global-MMLU as you have it on disk, e.g. a download of the
  CohereForAI/Global-MMLU dataset repository: ``DIR/<lang>/test-*.parquet`` (or ``.jsonl``,
  ``.json``, ``.csv``; ``DIR/<lang>.<ext>`` works too). It has no Slovak, Slovenian or Latvian.

The configs are written as standalone YAML files with absolute data paths (lm-eval resolves
``data_files`` against the working directory, not the YAML), so
``lm_eval --include_path DIR --tasks saferegress_mc`` runs the very same tasks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..languages import LANGUAGES

__all__ = ["TaskSet", "TaskSource", "parse_task_source", "write_task_configs"]

PACKAGE_DIR = Path(__file__).resolve().parent
LOCAL_DATA_DIR = PACKAGE_DIR / "data"
TEMPLATE_PATH = PACKAGE_DIR / "tasks" / "_saferegress_mc_template_yaml"

#: datasets' builder for each data file type lm-eval can read locally.
_BUILDERS = {".parquet": "parquet", ".jsonl": "json", ".json": "json", ".csv": "csv"}


@dataclass(frozen=True)
class TaskSource:
    """Where the questions come from: ``kind`` is ``local`` or ``global-mmlu``."""

    kind: str
    data_dir: Path

    @property
    def spec(self) -> str:
        return "local" if self.kind == "local" else f"global-mmlu:{self.data_dir}"

    @property
    def prefix(self) -> str:
        return "saferegress_mc" if self.kind == "local" else "saferegress_global_mmlu"

    def data_file(self, lang: str) -> Path | None:
        """The test split of ``lang``, or None when this source has none."""
        if self.kind == "local":
            path = self.data_dir / f"{lang}.jsonl"
            return path if path.is_file() else None
        for ext in _BUILDERS:
            candidates = sorted((self.data_dir / lang).glob(f"test*{ext}"))
            if candidates:
                return candidates[0]
            flat = self.data_dir / f"{lang}{ext}"
            if flat.is_file():
                return flat
        return None


def parse_task_source(text: str) -> TaskSource:
    """``local`` or ``global-mmlu:DIR`` (DIR must exist)."""
    text = text.strip()
    if text == "local":
        return TaskSource("local", LOCAL_DATA_DIR)
    kind, sep, folder = text.partition(":")
    if kind != "global-mmlu" or not sep or not folder.strip():
        raise ConfigError(f"'tasks' must be 'local' or 'global-mmlu:DIR' (got {text!r})")
    data_dir = Path(folder.strip()).expanduser().resolve()
    if not data_dir.is_dir():
        raise ConfigError(
            f"Global-MMLU data folder {folder.strip()} does not exist: expected "
            "DIR/<lang>/test-*.parquet (or .jsonl/.json/.csv) for each language"
        )
    return TaskSource("global-mmlu", data_dir)


@dataclass(frozen=True)
class TaskSet:
    """Task configs written to ``folder``: the group name and each language's task and hash."""

    folder: Path
    group: str
    tasks: dict[str, str]
    task_hashes: dict[str, str]

    @property
    def task_hash(self) -> str:
        """One hash over every language's task, to tell results on different questions apart."""
        joined = json.dumps(sorted(self.task_hashes.items())).encode()
        return hashlib.sha256(joined).hexdigest()[:16]


def load_template() -> dict[str, Any]:
    import yaml

    with TEMPLATE_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def write_task_configs(source: TaskSource, languages: tuple[str, ...], folder: Path) -> TaskSet:
    """Write one lm-eval task YAML per language and a group YAML into ``folder``.

    Raises ConfigError naming every language the source has no data for: a capability number
    silently missing for a language would read as "no drop".
    """
    import yaml

    missing = [lang for lang in languages if source.data_file(lang) is None]
    if missing:
        where = source.data_dir if source.kind == "local" else f"{source.data_dir}/<lang>/"
        raise ConfigError(
            f"no capability data for {', '.join(missing)} in {where} "
            f"(looked for test*.parquet/.jsonl/.json/.csv); choose languages with --lang "
            f"from: {', '.join(lang for lang in LANGUAGES if source.data_file(lang)) or 'none'}"
        )
    data_files = {lang: source.data_file(lang) for lang in languages}
    for data_file in data_files.values():
        assert data_file is not None  # missing ones were reported above
        check_data_file(data_file)
    template = load_template()
    folder.mkdir(parents=True, exist_ok=True)
    tasks: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for lang in languages:
        data_file = data_files[lang]
        assert data_file is not None
        name = f"{source.prefix}_{lang}"
        config = {
            "task": name,
            "dataset_path": _BUILDERS[data_file.suffix],
            "dataset_kwargs": {"data_files": {"test": str(data_file)}},
            **template,
        }
        (folder / f"{name}.yaml").write_text(
            "# Written by saferegress from "
            + TEMPLATE_PATH.name
            + "\n"
            + yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        tasks[lang] = name
        hashes[lang] = _task_hash(template, data_file)
    group = source.prefix
    group_config = {
        "group": group,
        "task": list(tasks.values()),
        "aggregate_metric_list": [{"metric": "acc", "weight_by_size": True}],
        "metadata": {"version": template.get("metadata", {}).get("version", 0)},
    }
    (folder / f"_{group}.yaml").write_text(
        yaml.safe_dump(group_config, sort_keys=False), encoding="utf-8"
    )
    return TaskSet(folder=folder, group=group, tasks=tasks, task_hashes=hashes)


#: The fields the task template reads (Global-MMLU has more; they are ignored).
REQUIRED_FIELDS = ("question", "option_a", "option_b", "option_c", "option_d", "answer")


def check_data_file(path: Path) -> None:
    """Fail before lm-eval starts, naming file, line and field, on a row the prompt cannot use."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            columns = set(pq.read_schema(path).names)
        except (OSError, ValueError) as exc:  # ArrowInvalid is a ValueError
            raise ConfigError(f"{path}: not a readable Parquet file ({exc})") from None
        _require_fields(columns, str(path))
        return
    if path.suffix == ".csv":
        import csv

        with path.open(encoding="utf-8", newline="") as handle:
            _require_fields(set(next(csv.reader(handle), [])), f"{path}:1")
        return
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json" and text.lstrip().startswith("["):
        rows = _loads(text, str(path))
        numbered = list(enumerate(rows if isinstance(rows, list) else [rows], start=1))
        where = f"{path}: row "
    else:  # JSON lines
        numbered = [
            (n, _loads(line, f"{path}:{n}"))
            for n, line in enumerate(text.splitlines(), start=1)
            if line.strip()
        ]
        where = f"{path}:"
    if not numbered:
        raise ConfigError(f"{path}: no questions")
    for number, row in numbered:
        if not isinstance(row, dict):
            raise ConfigError(f"{where}{number}: expected a JSON object")
        _require_fields(set(row), f"{where}{number}")
        if row["answer"] not in ("A", "B", "C", "D"):
            raise ConfigError(
                f"{where}{number}: field 'answer' must be A, B, C or D (got {row['answer']!r})"
            )


def _loads(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{where}: invalid JSON: {exc.msg} (column {exc.colno})") from None


def _require_fields(present: set[str], where: str) -> None:
    missing = [name for name in REQUIRED_FIELDS if name not in present]
    if missing:
        raise ConfigError(
            f"{where}: field '{missing[0]}' is missing (a capability question "
            f"needs {', '.join(REQUIRED_FIELDS)})"
        )


def _task_hash(template: dict[str, Any], data_file: Path) -> str:
    """The prompt format and the questions: what must match for two accuracies to compare."""
    digest = hashlib.sha256(json.dumps(template, sort_keys=True).encode())
    digest.update(hashlib.sha256(data_file.read_bytes()).digest())
    return digest.hexdigest()[:16]
