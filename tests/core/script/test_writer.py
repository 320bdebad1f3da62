"""The writer: parse → write → parse keeps the elements, on fixtures and generated screenplays."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.script.builders import make_element
from studio.script.elements import Element, Screenplay
from studio.script.fountain import parse, parse_file
from studio.script.fountain_lines import title_key
from studio.script.writer import write_fountain

CORPUS = Path(__file__).parent / "corpus"


def shape(sp: Screenplay) -> list[tuple]:
    return [(e.type, e.text, e.scene_number, e.level, e.dual) for e in sp.elements]


@pytest.mark.parametrize(
    "path", sorted(CORPUS.glob("*.fountain")) + sorted(CORPUS.glob("dual.fdx")), ids=str
)
def test_round_trip_on_every_fixture(path: Path) -> None:
    original = parse_file(path)
    again = parse(write_fountain(original))
    assert shape(again) == shape(original)
    assert again.title_page == original.title_page


def test_writer_forces_what_would_read_differently() -> None:
    sp = Screenplay(
        title_page=None,
        elements=[
            make_element("action", "Author: not a title page"),
            make_element("action", "INT. LOOKS LIKE A HEADING"),
            make_element("action", "BOB\nlooks like dialogue"),
            make_element("action", "# not a section\n~ not a lyric"),
            make_element("scene_heading", "SNIPER SCOPE POV", scene_number="7"),
            make_element("character", "McCLANE"),
            make_element("dialogue", "Yippee."),
            make_element("transition", "Fade out."),
        ],
    )
    text = write_fountain(sp)
    assert text.startswith("!Author: not a title page\n\n!INT. LOOKS LIKE A HEADING\n")
    assert ".SNIPER SCOPE POV #7#" in text and "@McCLANE\nYippee." in text
    assert ">Fade out." in text
    assert shape(parse(text)) == shape(sp)


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)
_UPPER = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=6)
_MARKS = st.sampled_from(["", "!", "#", "=", "~", ">", "@", ".", "*", "_", "===", "[[x]] ", "  "])


def _phrase(word: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(word, min_size=1, max_size=4).map(" ".join)


_line = st.tuples(_MARKS, _phrase(st.one_of(_WORD, _UPPER))).map("".join)
_action = st.lists(_line, min_size=1, max_size=3).map("\n".join)
_spoken = st.lists(_phrase(_WORD), min_size=1, max_size=3).map("\n".join)


@st.composite
def _block(draw: st.DrawFn) -> list[Element]:
    kind = draw(st.sampled_from(["heading", "action", "dialogue", "dual", "other"]))
    if kind == "heading":
        text = draw(st.tuples(st.sampled_from(["INT. ", "EXT. ", "", "I/E "]), _phrase(_UPPER)))
        number = draw(st.one_of(st.none(), st.from_regex(r"[1-9][0-9]?[A-C]?", fullmatch=True)))
        return [make_element("scene_heading", "".join(text), scene_number=number)]
    if kind == "action":
        return [make_element("action", draw(_action).rstrip())]
    if kind in ("dialogue", "dual"):
        speeches = [_speech(draw) for _ in range(2 if kind == "dual" else 1)]
        if kind == "dual":
            speeches[0][0].dual, speeches[1][0].dual = "left", "right"
        return [element for speech in speeches for element in speech]
    return [_other(draw)]


def _speech(draw: st.DrawFn) -> list[Element]:
    name = draw(st.one_of(_phrase(_UPPER), _phrase(_WORD)))
    elements = [make_element("character", name)]
    previous = "character"
    for _ in range(draw(st.integers(1, 3))):
        alternate = {"parenthetical": "dialogue", "dialogue": "parenthetical"}
        kind = alternate.get(previous) or draw(st.sampled_from(["dialogue", "parenthetical"]))
        text = draw(_spoken) if kind == "dialogue" else f"({draw(_phrase(_WORD))})"
        elements.append(make_element(kind, text))
        previous = kind
    return elements


def _other(draw: st.DrawFn) -> Element:
    kind = draw(st.sampled_from(["transition", "centered", "lyric", "section", "synopsis", "note"]))
    text = draw(_phrase(st.one_of(_WORD, _UPPER)))
    if kind == "transition" and draw(st.booleans()):
        text = draw(_phrase(_UPPER)) + " TO:"
    if kind == "section":
        return make_element("section", text, level=draw(st.integers(1, 4)))
    return make_element(kind, text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_block(), min_size=1, max_size=8),
    st.one_of(
        st.none(),
        st.dictionaries(
            # keys a title page can hold: "Est", "Int" or "Fade" would read as a heading or a
            # transition and cannot open a title page entry (fountain_lines.title_key says so)
            _UPPER.map(str.title).filter(lambda k: title_key(f"{k}: x") is not None),
            _phrase(_WORD),
            min_size=1,
        ),
    ),
)
def test_generated_screenplays_round_trip(blocks: list[list[Element]], title_page) -> None:
    elements = [element for block in blocks for element in block]
    original = Screenplay(title_page=title_page, elements=elements)
    again = parse(write_fountain(original))
    assert again.title_page == title_page
    body = [e for e in again.elements if e.type != "title_page"]
    assert shape(Screenplay(None, body)) == shape(original)
