"""The shipped capability set and the lm-eval task configs written for it (no model runs here)."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from saferegress.capability import parse_task_source, write_task_configs
from saferegress.capability.tasks import LOCAL_DATA_DIR, TEMPLATE_PATH
from saferegress.errors import ConfigError
from saferegress.languages import LANGUAGES
from test_suite_data import LETTERS

#: Global-MMLU's fields that the task template and the pairing read.
FIELDS = {
    "sample_id",
    "subject",
    "subject_category",
    "question",
    "option_a",
    "option_b",
    "option_c",
    "option_d",
    "answer",
}
OPTIONS = ("option_a", "option_b", "option_c", "option_d")


def rows_of(lang: str) -> list[dict[str, str]]:
    lines = (LOCAL_DATA_DIR / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict[str, str]]]:
    return {lang: rows_of(lang) for lang in LANGUAGES}


def test_the_same_questions_in_all_12_languages(data: dict[str, list[dict[str, str]]]) -> None:
    assert sorted(data) == sorted(LANGUAGES)
    english = data["en"]
    assert 20 <= len(english) <= 30
    for lang, rows in data.items():
        assert len(rows) == len(english), lang
        for row, en in zip(rows, english, strict=True):
            assert set(row) == FIELDS, (lang, row)
            # Same question: same id, subject and answer; numbers and formulas are not translated.
            assert (row["sample_id"], row["subject"], row["answer"]) == (
                en["sample_id"],
                en["subject"],
                en["answer"],
            ), (lang, row)
            for option in OPTIONS:
                if any(ch.isdigit() for ch in en[option]):
                    assert row[option] == en[option], (lang, row["sample_id"])
    assert len({row["sample_id"] for row in english}) == len(english)


def test_answers_are_letters_and_balanced(data: dict[str, list[dict[str, str]]]) -> None:
    """Balanced letters: a model that always picks one letter scores exactly chance."""
    counts = Counter(row["answer"] for row in data["en"])
    assert set(counts) == {"A", "B", "C", "D"}
    assert len(set(counts.values())) == 1, counts


def test_text_is_in_its_own_alphabet_with_distinct_options(
    data: dict[str, list[dict[str, str]]],
) -> None:
    for lang, rows in data.items():
        allowed = set(LETTERS[lang]) | set(LETTERS[lang].upper())
        for row in rows:
            texts = [row["question"], *(row[o] for o in OPTIONS)]
            for text in texts:
                foreign = {
                    ch for ch in text if ch.isalpha() and not ch.isascii() and ch not in allowed
                }
                assert not foreign, (lang, row["sample_id"], foreign)
                assert unicodedata.normalize("NFC", text) == text and text.strip() == text
            assert row["question"].rstrip().endswith("?"), (lang, row["sample_id"])
            assert len({row[o] for o in OPTIONS}) == 4, (lang, row["sample_id"])
    # Translated, not copied: no language repeats another's question.
    for index in range(len(data["en"])):
        questions = Counter(rows[index]["question"] for rows in data.values())
        assert questions.most_common(1)[0][1] == 1, index
    # Diacritics are there, not stripped.
    for lang in ("de", "fr", "pl", "cs", "sk", "sl", "lt", "lv"):
        marked = sum(
            any(ch in LETTERS[lang] for ch in row["question"].lower()) for row in data[lang]
        )
        assert marked / len(data[lang]) > 0.3, lang


def test_task_configs_are_standalone_lm_eval_yaml(tmp_path: Path) -> None:
    import yaml

    task_set = write_task_configs(parse_task_source("local"), ("en", "sl"), tmp_path)
    assert task_set.tasks == {"en": "saferegress_mc_en", "sl": "saferegress_mc_sl"}
    template = yaml.safe_load(TEMPLATE_PATH.read_text(encoding="utf-8"))
    config = yaml.safe_load((tmp_path / "saferegress_mc_sl.yaml").read_text(encoding="utf-8"))
    assert config["output_type"] == "multiple_choice"
    assert config["doc_to_choice"] == ["A", "B", "C", "D"]
    assert {k: config[k] for k in template} == template
    data_file = Path(config["dataset_kwargs"]["data_files"]["test"])
    assert config["dataset_path"] == "json" and data_file.is_absolute()
    assert data_file == LOCAL_DATA_DIR / "sl.jsonl"
    group = yaml.safe_load((tmp_path / "_saferegress_mc.yaml").read_text(encoding="utf-8"))
    assert group["group"] == task_set.group == "saferegress_mc"
    assert group["task"] == ["saferegress_mc_en", "saferegress_mc_sl"]
    # The hash follows the questions: languages differ, a rewrite is the same.
    assert task_set.task_hashes["en"] != task_set.task_hashes["sl"]
    again = write_task_configs(parse_task_source("local"), ("sl",), tmp_path / "again")
    assert again.task_hashes["sl"] == task_set.task_hashes["sl"]


def test_global_mmlu_layout_and_missing_languages(tmp_path: Path) -> None:
    (tmp_path / "cs").mkdir()
    (tmp_path / "cs" / "test-00000-of-00001.parquet").write_bytes(b"")
    (tmp_path / "de.jsonl").write_text("", encoding="utf-8")
    source = parse_task_source(f"global-mmlu:{tmp_path}")
    assert source.data_file("cs") == tmp_path / "cs" / "test-00000-of-00001.parquet"
    assert source.data_file("de") == tmp_path / "de.jsonl"
    with pytest.raises(ConfigError, match=r"no capability data for sk, lv .*from: de, cs"):
        write_task_configs(source, ("de", "cs", "sk", "lv"), tmp_path / "out")
    with pytest.raises(ConfigError, match="does not exist"):
        parse_task_source(f"global-mmlu:{tmp_path / 'nowhere'}")
    with pytest.raises(ConfigError, match="'local' or 'global-mmlu:DIR'"):
        parse_task_source("mmlu")


def test_unusable_rows_are_reported_by_file_line_and_field(tmp_path: Path) -> None:
    good = (LOCAL_DATA_DIR / "de.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "de").mkdir()
    bad_answer = json.loads(good[1]) | {"answer": "E"}
    (tmp_path / "de" / "test.jsonl").write_text(
        "\n".join([good[0], json.dumps(bad_answer)]) + "\n", encoding="utf-8"
    )
    (tmp_path / "pl.csv").write_text(
        "question,option_a,option_b,option_c,answer\n", encoding="utf-8"
    )
    source = parse_task_source(f"global-mmlu:{tmp_path}")
    with pytest.raises(ConfigError, match=r"de/test\.jsonl:2: field 'answer' must be A, B, C or D"):
        write_task_configs(source, ("de",), tmp_path / "out")
    with pytest.raises(ConfigError, match=r"pl\.csv:1: field 'option_d' is missing"):
        write_task_configs(source, ("pl",), tmp_path / "out")
    (tmp_path / "de" / "test.jsonl").write_text(good[0][:-1] + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"test\.jsonl:1: invalid JSON"):
        write_task_configs(source, ("de",), tmp_path / "out")
    # The shipped set passes the same check in every language.
    write_task_configs(parse_task_source("local"), LANGUAGES, tmp_path / "local")
