"""Where the script's character names stand in a text, in time linear in the text whatever the
number of names (a regex alternation of thousands of names tries each at every position)."""

from __future__ import annotations

import re
from collections.abc import Iterator

_TOKEN = re.compile(r"\w+|[^\w\s]")
_WORD_CHAR = re.compile(r"\w")
_END = ""  # the trie key that marks a whole name (no token is empty)


class NameFinder:
    """Finds names as whole words, their words joined by any run of whitespace.

    What `re.finditer(r"(?<!\\w)(?:NAME|…)(?!\\w)", text)` with the names longest first finds (any
    letter case when `ignore_case`): matches left to right, not overlapping, the longest name
    at each place. The names' tokens (runs of word characters, single other characters, each
    marked by whether whitespace comes before it) make a trie walked from each token of the text.
    """

    def __init__(self, names: list[str], ignore_case: bool) -> None:
        self.ignore_case = ignore_case
        self.root: dict = {}
        for name in names:
            node = self.root
            keys = _keys(self._fold(name))
            for key in keys:
                node = node.setdefault(key, {})
            if keys:
                node[_END] = True

    def _fold(self, text: str) -> str:
        return text.lower() if self.ignore_case else text

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each name found in `text`."""
        if not self.root:
            return
        tokens = [(m.start(), m.end(), m[0]) for m in _TOKEN.finditer(self._fold(text))]
        index = 0
        while index < len(tokens):
            found = self._longest(text, tokens, index)
            if found is None:
                index += 1
                continue
            yield tokens[index][0], tokens[found][1]
            index = found + 1

    def _longest(self, text: str, tokens: list[tuple[int, int, str]], first: int) -> int | None:
        """The index of the last token of the longest name starting at token `first`."""
        start = tokens[first][0]
        if start and _WORD_CHAR.match(text, start - 1):
            return None
        node = self.root.get(tokens[first][2])
        found = None
        index = first
        while node is not None:
            end = tokens[index][1]
            if _END in node and not _WORD_CHAR.match(text, end):
                found = index
            index += 1
            if index == len(tokens):
                break
            gap = " " if tokens[index][0] > end else ""
            node = node.get(gap + tokens[index][2])
        return found


def _keys(name: str) -> list[str]:
    keys: list[str] = []
    end = None
    for match in _TOKEN.finditer(name):
        gap = " " if end is not None and match.start() > end else ""
        keys.append(gap + match[0])
        end = match.end()
    return keys
