"""Emphasis runs, and the promise that any text parses without an exception."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.script.elements import ELEMENT_TYPES
from studio.script.fountain import parse
from studio.script.fountain_inline import emphasis_runs


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("*italic*", [("italic", ("i",))]),
        ("**bold**", [("bold", ("b",))]),
        ("***both***", [("both", ("b", "i"))]),
        ("_under_", [("under", ("u",))]),
        ("_**BRICK & STEEL**_", [("BRICK & STEEL", ("b", "u"))]),
        ("**bold *and it* bold**", [("bold ", ("b",)), ("and it", ("b", "i")), (" bold", ("b",))]),
        ("a *b* c", [("a ", ()), ("b", ("i",)), (" c", ())]),
        ("\\*not italic\\*", [("*not italic*", ())]),
        ("\\_not under\\_ \\\\", [("_not under_ \\", ())]),
        ("*no closing mark", [("*no closing mark", ())]),
        ("**bold without end *and italic*", [("**bold without end ", ()), ("and italic", ("i",))]),
        ("a * b * c", [("a * b * c", ())]),
        ("snake_case_name", [("snake_case_name", ())]),
        ("*across\nlines*", [("*across\nlines*", ())]),
        ("not*italics*", [("not*italics*", ())]),
        ("*italic*s", [("*italic*s", ())]),
        ("**bold **", [("**bold **", ())]),
        ("**a **b**", [("**a ", ()), ("b", ("b",))]),
        ("**\\*9765\\***", [("*9765*", ("b",))]),
        ("*_x_* _*y*_", [("x", ("i", "u")), (" ", ()), ("y", ("i", "u"))]),
        ("*a _b* c_", [("a _b", ("i",)), (" c_", ())]),
        ("", []),
    ],
)
def test_emphasis_runs(text: str, runs: list) -> None:
    assert emphasis_runs(text) == runs


def test_deeply_nested_emphasis_needs_no_recursion() -> None:
    depth = 20_000  # far past the recursion limit
    runs = emphasis_runs("*a " * depth + "b" + " c*" * depth)
    assert runs == [("a " * depth + "b" + " c" * depth, ("i",))]


def test_runs_in_json_are_lists_of_text_and_styles() -> None:
    element = parse("BOB\n**Get** *down*!").to_json()["elements"][1]
    assert element["text"] == "**Get** *down*!"
    assert element["runs"] == [["Get", ["b"]], [" ", []], ["down", ["i"]], ["!", []]]


_FOUNTAIN_PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        "  \n",
        "\r\n",
        "\r",
        "\t",
        " ",
        "INT. ",
        "EXT ",
        ".",
        "!",
        "@",
        "^",
        "~",
        "#",
        "=",
        "===",
        ">",
        "<",
        "[[",
        "]]",
        "/*",
        "*/",
        "*",
        "**",
        "_",
        "\\",
        "(",
        ")",
        "TO:",
        "Title:",
        "BOB",
        "bob",
        "李",
        "\ufeff",
        "#1A#",
        ":",
        "    ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_FOUNTAIN_PIECES, st.text(max_size=8)), max_size=40))
def test_any_text_parses_without_exception(pieces: list[str]) -> None:
    text = "".join(pieces)
    sp = parse(text)
    for element in sp.to_json()["elements"]:
        assert element["type"] in ELEMENT_TYPES
        if "start_line" in element:
            assert (
                1
                <= element["start_line"]
                <= element["end_line"]
                <= text.count("\n") + 1 + (text.count("\r"))
            )


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_unicode_text_parses(text: str) -> None:
    parse(text)
    emphasis_runs(text)
