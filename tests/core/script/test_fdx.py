"""Final Draft import: paragraph types, styles, dual dialogue, scene numbers, title page, safety."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.errors import InvalidInput
from studio.script.fdx import parse_fdx
from studio.script.fountain import parse_file

CORPUS = Path(__file__).parent / "corpus"


def _fdx(body: str) -> bytes:
    return f'<?xml version="1.0"?>\n<FinalDraft><Content>{body}</Content></FinalDraft>'.encode()


def test_paragraph_types_styles_dual_and_numbers() -> None:
    sp = parse_file(CORPUS / "dual.fdx")
    assert [(e.type, e.text, e.scene_number, e.dual) for e in sp.elements[1:]] == [
        ("scene_heading", "INT. LAMP ROOM - NIGHT", "1", None),
        ("action", "The lamp turns. Marta is **very** tired, \\*truly\\*.", None, None),
        ("character", "MARTA", None, None),
        ("parenthetical", "(quietly)", None, None),
        ("dialogue", "*Not* tonight.", None, None),
        ("character", "TOM", None, "left"),
        ("dialogue", "Now!", None, None),
        ("character", "MARTA", None, "right"),
        ("dialogue", "_**Never!**_", None, None),
        ("transition", "CUT TO:", None, None),
        ("scene_heading", "EXT. PIER - DAY", "2A", None),
        ("action", "Gulls.", None, None),
    ]
    action = sp.elements[2]
    assert action.runs == [
        ("The lamp turns. Marta is ", ()),
        ("very", ("b",)),
        (" tired, *truly*.", ()),
    ]
    assert sp.elements[9].runs == [("Never!", ("b", "u"))]


def test_title_page_from_titlepage() -> None:
    sp = parse_file(CORPUS / "dual.fdx")
    assert sp.title_page == {
        "Title": "_THE LAST LAMP_",
        "Credit": "Written by",
        "Author": "Ada Quill",
        "Contact": "ada@example.org",
    }
    assert sp.title == "_THE LAST LAMP_"
    assert sp.elements[0].type == "title_page"


def test_consecutive_dialogue_paragraphs_merge_and_empty_ones_drop() -> None:
    body = (
        '<Paragraph Type="Character"><Text>BOB</Text></Paragraph>'
        '<Paragraph Type="Dialogue"><Text>One.</Text></Paragraph>'
        '<Paragraph Type="Dialogue"><Text>Two.</Text></Paragraph>'
        '<Paragraph Type="Action"><Text>  </Text></Paragraph>'
        '<Paragraph Type="Cast List"><Text>Odd type.</Text></Paragraph>'
    )
    sp = parse_fdx(_fdx(body))
    assert sp.title_page is None
    assert [(e.type, e.text) for e in sp.elements] == [
        ("character", "BOB"),
        ("dialogue", "One.\nTwo."),
        ("action", "Odd type."),
    ]


def test_utf16_document() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><FinalDraft><Content>'
    text += '<Paragraph Type="Action"><Text>Café.</Text></Paragraph></Content></FinalDraft>'
    assert parse_fdx(text.encode("utf-16")).elements[0].text == "Café."


def test_billion_laughs_is_refused_naming_the_file() -> None:
    with pytest.raises(InvalidInput, match="laughs.fdx.*DTD or entities"):
        parse_file(CORPUS / "laughs.fdx")
    declared = b'<?xml version="1.0"?><!DOCTYPE FinalDraft SYSTEM "x.dtd"><FinalDraft/>'
    with pytest.raises(InvalidInput, match="DTD"):
        parse_fdx(declared.decode().encode("utf-16"), name="wide.fdx")


def test_malformed_and_foreign_xml_are_refused() -> None:
    with pytest.raises(InvalidInput, match="broken.fdx"):
        parse_file(CORPUS / "broken.fdx")
    with pytest.raises(InvalidInput, match="other.fdx.*<html>"):
        parse_fdx(b"<html><body/></html>", name="other.fdx")
    with pytest.raises(InvalidInput, match="empty.fdx"):
        parse_fdx(b"", name="empty.fdx")
