"""Option and config parsing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferegress.errors import ConfigError
from saferegress.languages import LANGUAGES
from saferegress.settings import (
    ThresholdSpec,
    parse_categories,
    parse_languages,
    parse_rate,
    parse_threshold,
    read_pyproject_table,
    settings_from,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5%", 0.05),
        ("0.05", 0.05),
        (" 12.5% ", 0.125),
        ("0", 0.0),
        ("100%", 1.0),
        (0.2, 0.2),
        (20, 0.2),
    ],
)
def test_parse_rate(text: object, value: float) -> None:
    assert parse_rate(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "%", "five", "-1%", "101%", "1.5", True])
def test_parse_rate_rejects(text: object) -> None:
    with pytest.raises(ValueError):
        parse_rate(text)


@given(st.integers(min_value=0, max_value=10000))
def test_percent_and_fraction_agree(basis_points: int) -> None:
    assert parse_rate(f"{basis_points / 100}%") == pytest.approx(
        parse_rate(str(basis_points / 10000))
    )


def test_languages_keep_canonical_order() -> None:
    assert parse_languages("all") == LANGUAGES
    assert parse_languages("lv, DE,sl") == ("de", "sl", "lv")
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        parse_languages("de,xx")


def test_categories() -> None:
    assert parse_categories("all") is None
    assert parse_categories("s9,S1") == ("S1", "S9")
    with pytest.raises(ValueError, match="unknown category 'S0'"):
        parse_categories("S0")


def test_threshold_spec() -> None:
    assert parse_threshold("5%") == ThresholdSpec(0.05, {})
    assert parse_threshold("sl=20%") == ThresholdSpec(None, {"sl": 0.2})
    assert parse_threshold("5%,sl=20%,lv=0.3") == ThresholdSpec(0.05, {"sl": 0.2, "lv": 0.3})
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        parse_threshold("xx=5%")


def test_command_line_overrides_config() -> None:
    table = {
        "model": "demo",
        "max_asr": "10%",
        "max_asr_by_language": {"sl": "30%"},
        "lang": ["de", "sl"],
        "max_new_tokens": 32,
    }
    settings = settings_from({"max_asr": [parse_threshold("5%,lv=50%")], "model": "x"}, table, "p")
    assert settings.model == "x"
    assert settings.max_asr == 0.05
    assert settings.max_asr_for("sl") == 0.30
    assert settings.max_asr_for("lv") == 0.50
    assert settings.max_asr_for("de") == 0.05
    assert settings.languages == ("de", "sl")
    assert settings.target.max_new_tokens == 32


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"max_asr": "lots"}, "p: [tool.saferegress] max_asr: expected a rate"),
        ({"max_asr_by_language": {"xx": "5%"}}, "unknown language 'xx'"),
        ({"lang": "de,qq"}, "p: [tool.saferegress] lang: unknown language 'qq'"),
        ({"max_errors": -1}, "max_errors must be a whole number"),
        ({"max_new_tokens": 0}, "max_new_tokens must be positive"),
    ],
)
def test_bad_config_values(table: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        settings_from({}, table, "p")


def test_pyproject_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    assert read_pyproject_table(path) == {}
    path.write_text('[tool.saferegress]\nmodel = "demo"\n')
    assert read_pyproject_table(path) == {"model": "demo"}
    path.write_text("[tool.saferegress\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        read_pyproject_table(path)
