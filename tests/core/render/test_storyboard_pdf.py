"""The storyboard PDF: pages, one panel per shot, every shot number readable in the file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader

from studio.errors import InvalidInput
from studio.media.decode import encode_png
from studio.render.storyboard_pdf import StoryboardPanel, write_storyboard


def panels(count: int, image: Path | None) -> list[StoryboardPanel]:
    return [
        StoryboardPanel(
            shot_number=f"{k // 3 + 1}{'ABC'[k % 3]}",
            image=image if k % 2 == 0 else None,
            description=f"Shot {k}: the keeper climbs the stairs towards the lamp room. " * 2,
            dialogue=[f"ANA: Line {k}, señor — ¿listo?"],
            camera="MCU · push in",
            duration_seconds=2.5 + k,
            scene_heading=f"INT. LIGHTHOUSE - NIGHT {k // 3}",
        )
        for k in range(count)
    ]


@pytest.fixture
def keyframe(tmp_path: Path) -> Path:
    path = tmp_path / "kf.png"
    picture = np.zeros((90, 160, 3), np.uint8)
    picture[:, :80] = (200, 120, 40)
    path.write_bytes(encode_png(picture))
    return path


def test_pages_and_every_shot_number(tmp_path: Path, keyframe: Path) -> None:
    board = panels(14, keyframe)
    path = tmp_path / "board.pdf"
    assert write_storyboard(board, path, title="The Lighthouse") == 3
    reader = PdfReader(str(path))
    assert len(reader.pages) == 3
    texts = [page.extract_text() for page in reader.pages]
    assert "Page 1 of 3" in texts[0] and "The Lighthouse" in texts[2]
    for index, panel in enumerate(board):
        page_text = texts[index // 6]
        assert panel.shot_number in page_text
        assert f"{panel.duration_seconds:.1f} s" in page_text
    assert sum(t.count("no keyframe") for t in texts) == 7  # the panels without an image
    assert "señor" in texts[0]
    assert len(reader.pages[0].images) == 1  # the same keyframe is stored once…
    assert reader.pages[0].get_contents().get_data().count(b" Do") == 3  # …and drawn thrice


def test_scene_heading_only_when_a_scene_starts(tmp_path: Path) -> None:
    path = tmp_path / "scenes.pdf"
    write_storyboard(panels(6, None), path, per_page=6)
    text = PdfReader(str(path)).pages[0].extract_text()
    assert text.count("INT. LIGHTHOUSE - NIGHT 0") == 1 and text.count("NIGHT 1") == 1


def test_grid_size_and_portrait_letter(tmp_path: Path) -> None:
    path = tmp_path / "four.pdf"
    assert write_storyboard(panels(9, None), path, per_page=4, landscape=False, paper="Letter") == 3
    box = PdfReader(str(path)).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (612, 792)
    landscape = tmp_path / "a4.pdf"
    write_storyboard(panels(1, None), landscape)
    box = PdfReader(str(landscape)).pages[0].mediabox
    assert round(box.width) == 842 and round(box.height) == 595


def test_empty_board_has_one_page_and_bad_arguments_are_refused(tmp_path: Path) -> None:
    assert write_storyboard([], tmp_path / "empty.pdf") == 1
    with pytest.raises(InvalidInput, match="per_page"):
        write_storyboard([], tmp_path / "x.pdf", per_page=0)


def test_a_damaged_or_missing_keyframe_is_said_on_its_panel(tmp_path: Path, keyframe: Path) -> None:
    damaged = tmp_path / "damaged.png"
    data = bytearray(keyframe.read_bytes())
    data[60:] = bytes(len(data) - 60)  # the header survives, the pixels do not
    damaged.write_bytes(bytes(data))
    board = panels(3, keyframe)
    board[0].image, board[1].image = damaged, tmp_path / "gone.png"
    path = tmp_path / "board.pdf"
    write_storyboard(board, path)
    text = PdfReader(str(path)).pages[0].extract_text()
    assert "keyframe damaged" in text and "keyframe file missing" in text
    assert "no keyframe" not in text


def unembedded_fonts(path: Path) -> tuple[list[str], list[str]]:
    """(every font each page uses, those with no font file in the PDF), read by pypdf."""
    used, bare = [], []
    for number, page in enumerate(PdfReader(str(path)).pages, 1):
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")  # a Type0 font's glyphs live there
            holder = descendant[0].get_object() if descendant else font
            descriptor = holder.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            name = f"{font['/BaseFont']} (page {number})"
            used.append(name)
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                bare.append(name)
    return used, bare


def test_every_font_the_storyboard_uses_is_embedded(tmp_path: Path, keyframe: Path) -> None:
    path = tmp_path / "fonts.pdf"
    write_storyboard(panels(8, keyframe), path, title="The Lighthouse")  # two pages
    used, bare = unembedded_fonts(path)
    assert len(used) >= 4  # regular and bold on both pages
    assert bare == []
    assert not any("Helvetica" in name for name in used)


def test_without_a_truetype_font_the_storyboard_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from studio.media import fonts
    from studio.render import storyboard_pdf

    monkeypatch.setattr(fonts, "_FOLDERS", (tmp_path / "no-fonts",))  # a machine without them
    monkeypatch.setattr(fonts, "_STAND_INS", {False: (), True: ()})
    fonts.sans_font.cache_clear()
    storyboard_pdf._fonts.cache_clear()
    try:
        write_storyboard(panels(1, None), tmp_path / "bare.pdf")
    finally:
        fonts.sans_font.cache_clear()
        storyboard_pdf._fonts.cache_clear()
    said = [r.getMessage() for r in caplog.records if r.name == storyboard_pdf.__name__]
    assert len(said) == 1 and "\n" not in said[0]
    assert "not embedded" in said[0] and "fonts-dejavu-core" in said[0]
    assert unembedded_fonts(tmp_path / "bare.pdf")[1]  # what the warning warns of


def test_the_demo_s_captions_keep_the_camera_direction_as_written(project, tmp_path: Path) -> None:
    from studio.services.export import storyboard_panels
    from studio.services.script import import_script

    sample = Path(__file__).parents[3] / "projects" / "sample" / "script.fountain"
    import_script(project, sample)
    board = storyboard_panels(project.store)
    path = tmp_path / "board.pdf"
    write_storyboard(board, path, per_page=1)
    fifth = " ".join(PdfReader(str(path)).pages[4].extract_text().split())
    assert board[4].shot_number == "5"
    assert "LOW ANGLE on the gallery rail. ODA (70s)" in fifth
    assert "low" in board[4].camera  # and the breakdown still read the angle from it
