"""Stable shot numbers, the way productions keep them once a shot list is out.

A shot's number never changes by itself. A shot put in between others takes the number before
it with a letter: between 27 and 28 it is 27A, then 27B, …; between 27A and 28 it is 27B;
between 27A and 27B it is 27AA. A shot before shot 1 is A1 (then B1, …), and a shot between 27
and 27A is A27A: a letter in front reads "just before". A shot added after the last one takes
the next whole number above every number used so far. Letters skip I and O, as slates do (they
read as 1 and 0). A number once used, by a removed shot too, is never given again; an explicit
renumber (`studio shots PATH renumber`) is the only thing that numbers the list 1, 2, 3… again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, no O
_FORM = re.compile(r"^([A-Z]*)(\d+)([A-Z]*)$")


def number_key(number: str) -> tuple:
    """A sort key in which 27 < A27A < 27A < 27AA < 27B < 28 and A1 < B1 < 1."""
    found = _FORM.match(number.strip().upper())
    if found is None:  # not a shot number we made: after every one of ours, by its text
        return (1, 0, "", 1, number)
    prefix, digits, suffix = found.groups()
    return (0, int(digits), suffix, 0 if prefix else 1, prefix)


def _after(number: str) -> Iterator[str]:
    """Numbers that follow `number` closely: its last letter raised, then a letter added."""
    found = _FORM.match(number.upper())
    if found is None:
        yield from (number + letter for letter in LETTERS)
        return
    prefix, digits, suffix = found.groups()
    if suffix and suffix[-1] in LETTERS:
        stem = prefix + digits + suffix[:-1]
        yield from (stem + x for x in LETTERS[LETTERS.index(suffix[-1]) + 1 :])
    elif prefix and not suffix and prefix[-1] in LETTERS:
        yield from (x + digits for x in LETTERS[LETTERS.index(prefix[-1]) + 1 :])
    yield from (number + letter for letter in LETTERS)


def _before(number: str) -> Iterator[str]:
    """Numbers just before `number`: a letter in front (A1 before 1, A27A before 27A)."""
    found = _FORM.match(number.upper())
    if found is not None and not found.group(1):
        yield from (letter + number for letter in LETTERS)


def _whole(taken: Iterable[str]) -> int:
    """The next whole number above every number in `taken`."""
    digits = [int(f.group(2)) for f in (_FORM.match(t.upper()) for t in taken) if f]
    return max(digits, default=0) + 1


def number_between(before: str | None, after: str | None, taken: Iterable[str]) -> str:
    """The number for a shot put between the shots numbered `before` and `after` (None: the
    start or the end of the film), never one of `taken` (every number used so far)."""
    used = {t.strip().upper() for t in taken}
    return _between(before, after, used, _whole(used))


def _between(before: str | None, after: str | None, used: set[str], whole: int) -> str:
    """`number_between` with `taken` as an upper-case set and its next whole number."""
    if after is None:
        if before is None or number_key(before) < number_key(str(whole)):
            return str(whole)
    low = number_key(before) if before is not None else None
    high = number_key(after) if after is not None else None
    candidates: list[Iterator[str]] = []
    if before is not None:
        candidates.append(_after(before))
    if after is not None:
        candidates.append(_before(after))
    for source in candidates:
        for number in source:
            key = number_key(number)
            if number in used or (low is not None and key <= low):
                continue
            if high is None or key < high:
                return number
    return _free(before or after or "1", used)


def _free(stem: str, used: set[str]) -> str:
    """Any unused number from `stem` (the shots around it are out of order: no fit exists)."""
    letters = [""]
    while True:
        letters = [x + y for x in letters for y in LETTERS]
        for tail in letters:
            if stem.upper() + tail not in used:
                return stem.upper() + tail


def numbers_in_place(numbers: list[str], taken: Iterable[str]) -> list[str]:
    """`numbers` (film order; "" for a shot without one yet) with every empty one filled in
    between its neighbours; the numbers already given stay as they are. One pass: a script
    of 50,000 new shots is numbered in a moment, not in hours."""
    used = {t.strip().upper() for t in taken if t} | {n.strip().upper() for n in numbers if n}
    whole = _whole(used)
    following: list[str | None] = [None] * len(numbers)  # the next given number after each
    upcoming: str | None = None
    for index in range(len(numbers) - 1, -1, -1):
        following[index] = upcoming
        if numbers[index]:
            upcoming = numbers[index]
    filled = list(numbers)
    for index, number in enumerate(filled):
        if number:
            continue
        before = filled[index - 1] if index else None
        filled[index] = number = _between(before, following[index], used, whole)
        used.add(number)
        whole = max(whole, _whole((number,)))
    return filled


__all__ = ["LETTERS", "number_between", "number_key", "numbers_in_place"]
