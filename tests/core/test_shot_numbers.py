"""The numbering rules of `studio.domain.shot_numbers`, one case each."""

import pytest

from studio.domain.shot_numbers import number_between, number_key, numbers_in_place

FILM = ["1", "2", "27", "28", "37"]


@pytest.mark.parametrize(
    ("before", "after", "taken", "expected"),
    [
        ("27", "28", FILM, "27A"),
        ("27", "28", [*FILM, "27A"], "27B"),  # 27A is taken (or was: a removed shot's)
        ("27A", "28", [*FILM, "27A"], "27B"),
        ("27A", "27B", [*FILM, "27A", "27B"], "27AA"),
        ("27", "27A", [*FILM, "27A"], "A27A"),  # a letter in front: just before 27A
        (None, "1", FILM, "A1"),
        ("A1", "1", [*FILM, "A1"], "B1"),
        ("27H", "28", [*FILM, "27H"], "27J"),  # no I and no O: they read as 1 and 0
        ("37", None, FILM, "38"),
        ("37", None, [*FILM, "38", "39"], "40"),  # 38 and 39 were removed: never given again
        (None, None, [], "1"),
    ],
)
def test_a_new_number_between_two_shots(before, after, taken, expected):
    assert number_between(before, after, taken) == expected
    if before is not None:
        assert number_key(before) < number_key(expected)
    if after is not None:
        assert number_key(expected) < number_key(after)


def test_the_film_order_of_numbers():
    ordered = ["A1", "B1", "1", "2", "10", "27", "A27A", "27A", "27AA", "27B", "28", "100"]
    assert sorted(reversed(ordered), key=number_key) == ordered


def test_shots_out_of_order_still_get_a_number_nobody_has():
    number = number_between("30", "12", ["12", "30", "30A", "30B"])
    assert number not in {"12", "30", "30A", "30B"} and number.startswith("30")


def test_filling_in_keeps_every_number_given():
    assert numbers_in_place(["", "", ""], []) == ["1", "2", "3"]
    filled = numbers_in_place(["", "1", "2", "", "", "3", ""], ["4"])
    assert filled == ["A1", "1", "2", "2A", "2B", "3", "5"]


def test_numbering_a_script_of_50000_new_shots_is_one_pass():
    """Each new shot once looked at every number given so far (50,000 cues: hours); filling in
    is linear now, so a generous bound holds on a loaded machine (it takes about half a second)."""
    import time

    every_other = [str(n) if n % 2 == 0 else "" for n in range(1, 50_001)]
    started = time.process_time()
    filled = numbers_in_place(every_other, [])
    assert time.process_time() - started < 20
    assert filled[:4] == ["A2", "2", "2A", "4"] and len(set(filled)) == len(filled)
    assert numbers_in_place([""] * 50_000, [])[-1] == "50000"
