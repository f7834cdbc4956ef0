"""Capability before/after: paired per-language delta, the drop threshold, saved results."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferegress.capability import (
    CapabilityResult,
    LanguageCapability,
    compare_capability,
    parse_drop,
)
from saferegress.errors import ConfigError


def language(lang: str, outcomes: list[bool], task_hash: str = "h1") -> LanguageCapability:
    marks = {f"q{i}": bool(right) for i, right in enumerate(outcomes)}
    return LanguageCapability(
        lang=lang,
        task=f"saferegress_mc_{lang}",
        task_hash=task_hash,
        correct=sum(marks.values()),
        n=len(marks),
        outcomes=marks,
    )


def result(**languages: LanguageCapability) -> CapabilityResult:
    return CapabilityResult(
        model="m", tasks="local", languages=languages, lm_eval_version="0.4.13", task_hash="all"
    )


def test_drop_beyond_threshold_fails_and_names_the_language() -> None:
    before = result(
        en=language("en", [True] * 40 + [False] * 10), sl=language("sl", [True] * 40 + [False] * 10)
    )
    # en: exactly 1 of 50 lost = 2 pp, allowed; sl: 2 lost = 4 pp, a breach.
    after = result(
        en=language("en", [False] + [True] * 39 + [False] * 10),
        sl=language("sl", [False, False] + [True] * 38 + [False] * 10),
    )
    comparison = compare_capability(before, after, max_drop="2pp")
    assert comparison.languages["en"].delta == pytest.approx(-0.02)
    assert not comparison.languages["en"].failed
    assert comparison.languages["sl"].failed and comparison.failed
    assert comparison.breaches == [
        (
            "sl: capability 80.0% → 76.0% (-4.0 pp, more than the 2.0 pp allowed; "
            "2 newly wrong, 0 newly right of 50)"
        )
    ]
    assert comparison.overall_delta == pytest.approx(-3 / 100)
    assert not compare_capability(before, after, max_drop=0.04).failed


def test_flips_are_paired_not_just_netted() -> None:
    before = result(lv=language("lv", [True, True, False, False]))
    after = result(lv=language("lv", [False, True, True, False]))
    delta = compare_capability(before, after, max_drop=0).languages["lv"]
    assert (delta.delta, delta.newly_wrong, delta.newly_right) == (0.0, 1, 1)
    assert not delta.failed


def test_a_language_missing_after_or_without_shared_questions_fails_closed() -> None:
    before = result(en=language("en", [True, False]), lt=language("lt", [True, False]))
    after = result(en=language("en", [True, False]))
    comparison = compare_capability(before, after)
    assert comparison.failed
    assert comparison.breaches == ["lt: capability not measured after the change (before: 50.0%)"]
    # An improvement elsewhere never hides it.
    assert not comparison.languages["en"].failed


def test_only_questions_measured_in_both_runs_are_compared() -> None:
    """A run with --limit 2 against a full one compares those 2 questions, not 2 vs 4."""
    before = result(de=language("de", [True, True, False, False]))
    after = result(de=language("de", [True, True]))
    delta = compare_capability(before, after).languages["de"]
    assert (delta.paired, delta.delta, delta.failed) == (2, 0.0, False)


def test_different_tasks_do_not_compare() -> None:
    before = result(pl=language("pl", [True], task_hash="h1"))
    after = result(pl=language("pl", [True], task_hash="h2"))
    with pytest.raises(ConfigError, match="pl was measured on different tasks"):
        compare_capability(before, after)


@pytest.mark.parametrize(
    ("text", "value"),
    [("2pp", 0.02), ("2%", 0.02), (0.02, 0.02), (1, 1.0), ("0.5pp", 0.005), ("0", 0.0)],
)
def test_parse_drop(text: str | float, value: float) -> None:
    assert parse_drop(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["lots", "-1pp", "150pp", 2, True])
def test_parse_drop_rejects(text: object) -> None:
    with pytest.raises(ValueError, match="drop"):
        parse_drop(text)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="'max_drop'"):
        compare_capability(result(), result(), max_drop=text)  # type: ignore[arg-type]


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=60))
def test_delta_is_the_paired_difference(pairs: list[tuple[bool, bool]]) -> None:
    before = result(cs=language("cs", [b for b, _ in pairs]))
    after = result(cs=language("cs", [a for _, a in pairs]))
    delta = compare_capability(before, after, max_drop=0.1).languages["cs"]
    assert delta.delta == pytest.approx(
        (after.languages["cs"].correct - before.languages["cs"].correct) / len(pairs)
    )
    assert delta.newly_right - delta.newly_wrong == (
        after.languages["cs"].correct - before.languages["cs"].correct
    )
    assert delta.failed == (delta.delta < -0.1 - 1e-9)


def test_result_round_trips_and_bad_files_name_the_field() -> None:
    original = result(en=language("en", [True, False, True]))
    data = original.to_dict()
    assert data["languages"]["en"]["accuracy"] == pytest.approx(2 / 3)
    low, high = data["languages"]["en"]["ci95"]
    assert 0 < low < 2 / 3 < high < 1
    assert CapabilityResult.from_dict(data) == original
    data["languages"]["en"].pop("task_hash")
    with pytest.raises(ConfigError, match=r"base\.json: field 'languages\.en\.task_hash'"):
        CapabilityResult.from_dict(data, where="base.json")
    with pytest.raises(ConfigError, match="unsupported version"):
        CapabilityResult.from_dict({**original.to_dict(), "version": 99})
