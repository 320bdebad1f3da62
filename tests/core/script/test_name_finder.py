"""The breakdown's name finder finds what a regex alternation of the names finds, in one pass."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.script.name_finder import NameFinder


def by_regex(names: list[str], text: str, ignore_case: bool) -> list[tuple[int, int]]:
    """The old way: one alternation, longest name first, words joined by any whitespace."""
    longest = sorted(names, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, name.split())) for name in longest)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.I if ignore_case else 0)
    return [match.span() for match in pattern.finditer(text)]


NAMES = ["MAYA", "MAYA ROSE", "MR. SMITH", "R2-D2", "O'BRIEN", "DR.NO", "ÉLODIE"]


@pytest.mark.parametrize(
    "text",
    [
        "Maya waves. MAYA ROSE sits.\nMaya\n  rose leaves.",
        "Mr. Smith, Mr.Smith and MR.  SMITH; mayan maya_x xmaya",
        "R2-D2 beeps at r2-d2x and R2 -D2. O'Brien! o'brien's dog. Dr.No dr. no",
        "élodie and ÉLODIE,ÉLODIE",
        "",
    ],
)
@pytest.mark.parametrize("ignore_case", [True, False])
def test_same_matches_as_the_regex(text: str, ignore_case: bool) -> None:
    found = list(NameFinder(NAMES, ignore_case).finditer(text))
    assert found == by_regex(NAMES, text, ignore_case)
    assert found or not text or not ignore_case


_PIECES = st.sampled_from(["MAYA", "maya", "ROSE", "rose", " ", "  ", "\n", ".", "'", "-", "x"])


@settings(max_examples=200, deadline=None)
@given(
    names=st.lists(
        st.lists(_PIECES, min_size=1, max_size=4).map("".join).map(str.strip).filter(bool),
        min_size=1,
        max_size=4,
    ),
    text=st.lists(_PIECES, max_size=30).map("".join),
    ignore_case=st.booleans(),
)
def test_generated_names_and_texts_match_the_regex(names, text, ignore_case) -> None:
    names = list(dict.fromkeys(names))
    assert list(NameFinder(names, ignore_case).finditer(text)) == by_regex(names, text, ignore_case)


def test_no_names_find_nothing() -> None:
    assert list(NameFinder([], ignore_case=True).finditer("MAYA waits.")) == []
