"""Rational time: integer frames at a rate, with OpenTimelineIO semantics. Never float seconds."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True, order=False)
class RationalTime:
    """`value` frames at `rate` frames per second; the rate may be fractional (24000/1001)."""

    value: int = 0
    rate: Fraction | int = 24

    def __post_init__(self) -> None:
        if not isinstance(self.value, int):
            raise TypeError(f"RationalTime.value must be an int of frames, got {self.value!r}")
        if Fraction(self.rate) <= 0:
            raise ValueError(f"RationalTime.rate must be positive, got {self.rate!r}")

    @classmethod
    def from_seconds(cls, seconds: float | Fraction, rate: Fraction | int) -> RationalTime:
        """The nearest whole frame at `rate` to `seconds`."""
        frames = Fraction(seconds) * Fraction(rate)
        return cls(int(math.floor(frames + Fraction(1, 2))), rate)

    @property
    def seconds(self) -> Fraction:
        return Fraction(self.value) / Fraction(self.rate)

    def to_seconds(self) -> float:
        return float(self.seconds)

    def rescaled_to(self, rate: Fraction | int) -> RationalTime:
        """This time at another rate, rounded to the nearest frame."""
        return RationalTime.from_seconds(self.seconds, rate)

    def _other(self, other: RationalTime) -> RationalTime:
        if not isinstance(other, RationalTime):
            return NotImplemented  # type: ignore[return-value]
        return (
            other if Fraction(other.rate) == Fraction(self.rate) else other.rescaled_to(self.rate)
        )

    def __add__(self, other: RationalTime) -> RationalTime:
        return RationalTime(self.value + self._other(other).value, self.rate)

    def __sub__(self, other: RationalTime) -> RationalTime:
        return RationalTime(self.value - self._other(other).value, self.rate)

    def __neg__(self) -> RationalTime:
        return RationalTime(-self.value, self.rate)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RationalTime) and self.seconds == other.seconds

    def __hash__(self) -> int:
        return hash(self.seconds)

    def __lt__(self, other: RationalTime) -> bool:
        return self.seconds < other.seconds

    def __le__(self, other: RationalTime) -> bool:
        return self.seconds <= other.seconds

    def __gt__(self, other: RationalTime) -> bool:
        return self.seconds > other.seconds

    def __ge__(self, other: RationalTime) -> bool:
        return self.seconds >= other.seconds

    def to_json(self) -> dict:
        rate = Fraction(self.rate)
        return {"value": self.value, "rate": [rate.numerator, rate.denominator]}

    @classmethod
    def from_json(cls, data: dict) -> RationalTime:
        num, den = data["rate"] if isinstance(data["rate"], list) else (data["rate"], 1)
        rate = Fraction(num, den)
        return cls(int(data["value"]), rate.numerator if rate.denominator == 1 else rate)

    def __repr__(self) -> str:
        return f"RationalTime({self.value}, {self.rate})"


@dataclass(frozen=True)
class TimeRange:
    """`duration` starting at `start`; the end is exclusive, as in OpenTimelineIO."""

    start: RationalTime
    duration: RationalTime

    def __post_init__(self) -> None:
        if self.duration.value < 0:
            raise ValueError(f"TimeRange.duration must not be negative, got {self.duration!r}")

    @property
    def end_exclusive(self) -> RationalTime:
        return self.start + self.duration

    def contains(self, time: RationalTime) -> bool:
        return self.start <= time < self.end_exclusive

    def overlaps(self, other: TimeRange) -> bool:
        return self.start < other.end_exclusive and other.start < self.end_exclusive

    def to_json(self) -> dict:
        return {"start": self.start.to_json(), "duration": self.duration.to_json()}

    @classmethod
    def from_json(cls, data: dict) -> TimeRange:
        return cls(RationalTime.from_json(data["start"]), RationalTime.from_json(data["duration"]))
