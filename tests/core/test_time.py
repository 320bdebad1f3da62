from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.domain.time import RationalTime, TimeRange


def test_from_seconds_rounds_to_nearest_frame():
    assert RationalTime.from_seconds(1.0, 24) == RationalTime(24, 24)
    assert RationalTime.from_seconds(Fraction(1001, 24000), Fraction(24000, 1001)).value == 1
    assert RationalTime.from_seconds(0.02, 24).value == 0
    assert RationalTime.from_seconds(0.03, 24).value == 1


def test_arithmetic_across_rates_is_exact():
    a = RationalTime(24, 24)
    b = RationalTime(25, 25)
    assert a == b
    assert (a + b).value == 48 and (a + b).rate == 24
    assert a - b == RationalTime(0, 24)


def test_value_must_be_integer_frames():
    with pytest.raises(TypeError):
        RationalTime(1.5, 24)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        RationalTime(1, 0)


def test_range_end_is_exclusive():
    r = TimeRange(RationalTime(10, 24), RationalTime(5, 24))
    assert r.contains(RationalTime(10, 24)) and r.contains(RationalTime(14, 24))
    assert not r.contains(RationalTime(15, 24))
    assert r.end_exclusive == RationalTime(15, 24)


@given(st.integers(-(10**6), 10**6), st.sampled_from([24, 25, 30, Fraction(24000, 1001)]))
def test_json_round_trip(value, rate):
    t = RationalTime(value, rate)
    back = RationalTime.from_json(t.to_json())
    assert back == t and back.value == value and Fraction(back.rate) == Fraction(rate)
