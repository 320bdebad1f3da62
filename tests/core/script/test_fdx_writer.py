"""Final Draft export: a valid FDX document, and FDX → Fountain → FDX keeps every paragraph."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from studio.cli import app
from studio.script.fdx import parse_fdx
from studio.script.fdx_writer import write_fdx
from studio.script.fountain import parse, parse_file
from studio.script.writer import write_fountain

CORPUS = Path(__file__).parent / "corpus"
FINAL_DRAFT_TYPES = {
    "Scene Heading", "Action", "Character", "Dialogue", "Parenthetical", "Transition", "Shot",
    "General",
}  # fmt: skip

# Every paragraph type of a Final Draft script, styles, scene numbers, a page break, centered
# text and a dual dialogue pair (the Final Draft form: a <DualDialogue> inside a <Paragraph>).
SOURCE = b"""<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<FinalDraft DocumentType="Script" Template="No" Version="5">
  <Content>
    <Paragraph Number="7A" Type="Scene Heading"><Text>INT. LAMP ROOM - NIGHT</Text></Paragraph>
    <Paragraph Type="Action"><Text>Marta is </Text><Text Style="Bold+Italic">very</Text>
      <Text> tired, *truly* _so_.</Text></Paragraph>
    <Paragraph Type="Character"><Text>MARTA (V.O.)</Text></Paragraph>
    <Paragraph Type="Parenthetical"><Text>(quietly)</Text></Paragraph>
    <Paragraph Type="Dialogue"><Text Style="Underline">Not</Text><Text> tonight.</Text></Paragraph>
    <Paragraph><DualDialogue>
      <Paragraph Type="Character"><Text>TOM</Text></Paragraph>
      <Paragraph Type="Dialogue"><Text>Now!</Text></Paragraph>
      <Paragraph Type="Character"><Text>MARTA</Text></Paragraph>
      <Paragraph Type="Parenthetical"><Text>(shouting)</Text></Paragraph>
      <Paragraph Type="Dialogue"><Text Style="Bold">Never!</Text></Paragraph>
    </DualDialogue></Paragraph>
    <Paragraph Type="Transition"><Text>CUT TO:</Text></Paragraph>
    <Paragraph StartsNewPage="Yes" Type="Scene Heading"><Text>EXT. PIER - DAY</Text></Paragraph>
    <Paragraph Type="Action"><Text>Gulls.</Text></Paragraph>
    <Paragraph Alignment="Center" Type="General"><Text>THE END</Text></Paragraph>
  </Content>
</FinalDraft>
"""


def paragraph_types(data: bytes) -> list[str]:
    """The Type of every script paragraph in order, `DualDialogue` where a pair opens."""
    types = []
    for paragraph in ET.fromstring(data).find("Content").iter("Paragraph"):
        if paragraph.find("DualDialogue") is not None:
            types.append("DualDialogue")
        elif paragraph.get("Type"):
            types.append(paragraph.get("Type"))
    return types


def elements(data: bytes) -> list[tuple]:
    return [(e.type, e.text, e.scene_number, e.dual, e.runs) for e in parse_fdx(data).elements]


def test_fdx_to_fountain_to_fdx_keeps_every_paragraph_and_dual_dialogue() -> None:
    fountain = write_fountain(parse_fdx(SOURCE))
    again = write_fdx(parse(fountain))
    assert paragraph_types(again) == paragraph_types(SOURCE)
    assert elements(again) == elements(SOURCE)
    duals = [(e.text, e.dual) for e in parse_fdx(again).elements if e.dual]
    assert duals == [("TOM", "left"), ("MARTA", "right")]
    assert "page_break" in [e.type for e in parse_fdx(again).elements]


def test_written_document_is_a_final_draft_script() -> None:
    data = write_fdx(parse_file(CORPUS / "lighthouse.fountain"))
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"')
    root = ET.fromstring(data)
    assert (root.tag, root.get("DocumentType"), root.get("Version")) == (
        "FinalDraft",
        "Script",
        "5",
    )
    assert [child.tag for child in root] == ["Content", "TitlePage"]
    assert set(paragraph_types(data)) - {"DualDialogue"} <= FINAL_DRAFT_TYPES
    assert root.find("Content/Paragraph/DualDialogue") is not None
    title = [p.findtext("Text") for p in root.find("TitlePage").iter("Paragraph")]
    assert title[:2] == ["THE LAST LAMP", "a short film"]
    assert "ada@example.org" in title


def test_fountain_to_fdx_keeps_what_final_draft_can_hold() -> None:
    source = parse_file(CORPUS / "lighthouse.fountain")
    back = parse_fdx(write_fdx(source))
    kept = ("section", "synopsis", "note", "title_page")  # Final Draft's script has none
    lyric_as = {"lyric": "action"}
    want = [
        (lyric_as.get(e.type, e.type), e.scene_number, e.dual)
        for e in source.elements
        if e.type not in kept
    ]
    assert [
        (e.type, e.scene_number, e.dual) for e in back.elements if e.type != "title_page"
    ] == want
    assert back.title_page["Title"] == "_**THE LAST LAMP**_\na short film"


def test_script_export_writes_fdx_and_fountain_and_refuses_other_suffixes(tmp_path: Path) -> None:
    runner = CliRunner()
    fdx = tmp_path / "out.fdx"
    done = runner.invoke(app, ["script", "export", str(CORPUS / "dual.fdx"), str(fdx)])
    assert done.exit_code == 0, done.output
    assert elements(fdx.read_bytes()) == elements((CORPUS / "dual.fdx").read_bytes())
    fountain = tmp_path / "out.fountain"
    done = runner.invoke(app, ["script", "export", str(fdx), str(fountain)])
    assert done.exit_code == 0, done.output
    assert [e.type for e in parse_file(fountain).elements] == [
        e.type for e in parse_file(fdx).elements
    ]
    wrong = tmp_path / "out.docx"
    done = runner.invoke(app, ["script", "export", str(fdx), str(wrong)])
    assert done.exit_code != 0 and "out.docx" in str(done.exception)
    assert not wrong.exists() and sorted(p.name for p in tmp_path.iterdir()) == [
        "out.fdx",
        "out.fountain",
    ]


def test_shot_and_general_come_back_as_fountain_has_them() -> None:
    # Fountain has no shot and no general paragraph: they read as a scene heading and action.
    source = SOURCE.replace(b"<Content>", b'<Content><Paragraph Type="Shot"><Text>CLOSE ON HANDS'
                            b'</Text></Paragraph><Paragraph Type="General"><Text>Wind.</Text>'
                            b"</Paragraph>", 1)  # fmt: skip
    again = write_fdx(parse(write_fountain(parse_fdx(source))))
    assert paragraph_types(again)[:2] == ["Scene Heading", "Action"]
    assert elements(again)[:2] == elements(source)[:2]
