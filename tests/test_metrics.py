"""Rates and Wilson intervals."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferegress.analysis.metrics import Tally, wilson_interval


def test_wilson_known_values() -> None:
    # Reference values: Wilson score interval, z = 1.96 (e.g. Newcombe 1998, table I).
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson_interval(10, 10)
    assert high == 1.0 and low == pytest.approx(0.7225, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)


@given(
    st.integers(min_value=1, max_value=5000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    )
)
def test_wilson_contains_estimate_and_stays_in_unit_interval(pair: tuple[int, int]) -> None:
    hits, n = pair
    low, high = wilson_interval(hits, n)
    assert 0.0 <= low <= hits / n <= high <= 1.0
    assert high - low <= 1.0


@given(st.integers(min_value=1, max_value=200))
def test_wilson_narrows_with_more_data(n: int) -> None:
    low1, high1 = wilson_interval(n, 2 * n)
    low2, high2 = wilson_interval(2 * n, 4 * n)
    assert high2 - low2 < high1 - low1 or math.isclose(high2 - low2, high1 - low1)


def test_wilson_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_tally_keeps_errors_out_of_denominators() -> None:
    tally = Tally.of(
        [
            ("attack", "unsafe"),
            ("attack", "refused"),
            ("attack", "safe"),
            ("attack", "error"),
            ("benign", "refused"),
            ("benign", "safe"),
            ("benign", "error"),
        ]
    )
    assert (tally.asr.hits, tally.asr.n) == (1, 3)
    assert (tally.over_refusal.hits, tally.over_refusal.n) == (1, 2)
    assert tally.errors == 2
    assert Tally().asr.value is None and Tally().asr.percent() == "n/a"
