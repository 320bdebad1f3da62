"""The storyboard as a PDF: a grid of panels (keyframe, shot number, notes) per landscape page.

At the scale of a real micro-film (1,200 shots) the keyframes dominate: each one is scaled down
to its printed size (`IMAGE_DPI`) and embedded as a JPEG, which reportlab stores as it is,
instead of the keyframe's full-size pixels deflated (and ASCII85-encoded in pure Python). The
document's streams are binary: ASCII85 only made them a quarter bigger and slow to write.
"""

from __future__ import annotations

import io
import logging
import math
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.pagesizes import landscape as landscape_size
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from studio.domain.project import DEFAULT_MAX_IMAGE_PIXELS
from studio.errors import InvalidInput
from studio.media.fonts import MISSING_HINT, sans_font
from studio.media.image_header import ImageTooLarge

_MARGIN = 28.0
_GLOBAL_FLAG = threading.Lock()  # guards reportlab's rl_config.useA85
_HEADER = 26.0
_GUTTER = 14.0
IMAGE_DPI = 150  # a panel prints about 3.5 in wide: more pixels only make the file bigger
JPEG_QUALITY = 88
_log = logging.getLogger(__name__)


@dataclass
class StoryboardPanel:
    """One shot on the board."""

    shot_number: str
    image: Path | None
    description: str
    dialogue: list[str] = field(default_factory=list)  # "CHARACTER: text"
    camera: str = ""
    duration_seconds: float = 0.0
    scene_heading: str = ""
    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS  # the project's: larger ones are not drawn


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """(regular, bold) font names: the studio's TrueType sans (`media.fonts`), registered to be
    embedded in the PDF (a subset: the characters used), so print preflight finds every font
    in the file. Without one, Helvetica, which a PDF only names: said once, in one line."""
    regular, bold = sans_font(), sans_font(bold=True)
    if regular is None:
        _log.warning(
            "storyboard.pdf: no TrueType font found, so its text is in Helvetica, which is not "
            "embedded (print preflight will reject it); %s",
            MISSING_HINT,
        )
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont("StudioSans", str(regular)))
    pdfmetrics.registerFont(TTFont("StudioSans-Bold", str(bold or regular)))
    return "StudioSans", "StudioSans-Bold"


def _grid(per_page: int) -> tuple[int, int]:
    columns = {1: 1, 2: 2, 4: 2}.get(per_page, 3 if per_page <= 9 else 4)
    return columns, math.ceil(per_page / columns)


def write_storyboard(
    panels: list[StoryboardPanel],
    path: Path,
    title: str = "",
    per_page: int = 6,
    landscape: bool = True,
    paper: str = "A4",
) -> int:
    """Write the storyboard PDF to `path`, one panel per shot; returns the number of pages."""
    if per_page < 1:
        raise InvalidInput(f"a storyboard page needs at least one panel, got per_page={per_page}")
    if paper not in ("A4", "Letter"):
        raise InvalidInput(f"unknown paper size {paper!r}", "use 'A4' or 'Letter'")
    size = A4 if paper == "A4" else LETTER
    size = landscape_size(size) if landscape else size
    pages = max(1, math.ceil(len(panels) / per_page))
    with _binary_streams():
        # every page opens with the initial font set: it too must be the embedded one
        canvas = Canvas(str(path), pagesize=size, pageCompression=1, initialFontName=_fonts()[0])
        canvas.setTitle(title or "Storyboard")
        previous_scene = None
        for page in range(pages):
            _header(canvas, size, title, page + 1, pages)
            chunk = panels[page * per_page : (page + 1) * per_page]
            for slot, panel in enumerate(chunk):
                new_scene = bool(panel.scene_heading) and panel.scene_heading != previous_scene
                _panel(canvas, _cell(size, per_page, slot), panel, new_scene)
                previous_scene = panel.scene_heading or previous_scene
            canvas.showPage()
        canvas.save()
    return pages


@contextmanager
def _binary_streams():
    """reportlab's streams without the ASCII85 filter while this document is made (reportlab
    reads the flag when it adds a stream; its pure-Python encoder took most of the time). The
    flag is global, so storyboards are written one at a time."""
    with _GLOBAL_FLAG:
        before = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = before


def _header(canvas: Canvas, size, title: str, page: int, pages: int) -> None:
    regular, bold = _fonts()
    width, height = size
    y = height - _MARGIN - 12
    canvas.setFont(bold, 13)
    canvas.drawString(_MARGIN, y, title or "Storyboard")
    canvas.setFont(regular, 9)
    canvas.drawRightString(width - _MARGIN, y, f"Page {page} of {pages}")
    canvas.setLineWidth(0.5)
    canvas.line(_MARGIN, y - 6, width - _MARGIN, y - 6)


def _cell(size, per_page: int, slot: int) -> tuple[float, float, float, float]:
    """(x, y of the top, width, height) of panel `slot` on the page."""
    columns, rows = _grid(per_page)
    width, height = size
    usable_w = width - 2 * _MARGIN - (columns - 1) * _GUTTER
    usable_h = height - 2 * _MARGIN - _HEADER - (rows - 1) * _GUTTER
    cell_w, cell_h = usable_w / columns, usable_h / rows
    column, row = slot % columns, slot // columns
    x = _MARGIN + column * (cell_w + _GUTTER)
    top = height - _MARGIN - _HEADER - row * (cell_h + _GUTTER)
    return x, top, cell_w, cell_h


def _panel(canvas: Canvas, cell, panel: StoryboardPanel, new_scene: bool) -> None:
    regular, bold = _fonts()
    x, top, width, height = cell
    y = top - 14
    canvas.setFont(bold, 14)
    canvas.drawString(x, y, panel.shot_number)
    if new_scene:
        canvas.setFont(bold, 7.5)
        heading = _fit_line(panel.scene_heading, bold, 7.5, width - 60)
        canvas.drawRightString(x + width, y + 2, heading)
    frame_h = min(width * 9 / 16, height * 0.58)
    frame_w = frame_h * 16 / 9
    frame_top = y - 6
    _image(canvas, panel, x, frame_top - frame_h, frame_w, frame_h)
    lines = _notes(panel, width)
    text_y = frame_top - frame_h - 11
    bottom = top - height
    for font_name, size, line in lines:
        if text_y < bottom + 2:
            break
        canvas.setFont(bold if font_name == "bold" else regular, size)
        canvas.drawString(x, text_y, line)
        text_y -= size + 2.5


def _fit_line(text: str, font_name: str, size: float, width: float) -> str:
    lines = simpleSplit(text, font_name, size, width)
    if len(lines) <= 1:
        return text
    return lines[0].rstrip() + "…"


def _notes(panel: StoryboardPanel, width: float) -> list[tuple[str, float, str]]:
    regular, _ = _fonts()
    lines: list[tuple[str, float, str]] = []
    for line in simpleSplit(panel.description, regular, 8, width):
        lines.append(("regular", 8, line))
    for spoken in panel.dialogue:
        for line in simpleSplit(spoken, regular, 7.5, width):
            lines.append(("regular", 7.5, line))
    facts = " · ".join(part for part in (panel.camera, f"{panel.duration_seconds:.1f} s") if part)
    lines.append(("regular", 7, facts))
    return lines


def _image(canvas: Canvas, panel: StoryboardPanel, x: float, y: float, w: float, h: float) -> None:
    canvas.setLineWidth(0.8)
    canvas.rect(x, y, w, h)
    reader, why, image = None, "no keyframe", panel.image
    if image is not None and Path(image).is_file():
        try:
            reader = _print_image(Path(image), w, h, panel.max_image_pixels)
        except ImageTooLarge:
            reader, why = None, "keyframe too large (project setting max_image_pixels)"
        except Exception:  # noqa: BLE001 - an unreadable keyframe is drawn as such
            reader, why = None, "keyframe damaged: run studio doctor"
    elif image is not None:
        why = "keyframe file missing: run studio doctor"
    if reader is None:
        regular, _ = _fonts()
        canvas.setFont(regular, 9)
        canvas.setFillGray(0.45)
        canvas.drawCentredString(x + w / 2, y + h / 2 - 3, why)
        canvas.setFillGray(0.0)
        return
    canvas.drawImage(reader, x, y, w, h, preserveAspectRatio=True, anchor="c")


def _print_image(image: Path, w: float, h: float, max_pixels: int) -> ImageReader:
    """The keyframe scaled down (never up) to fit w×h points at IMAGE_DPI, as a JPEG reader
    (its header checked first, as every image the studio decodes)."""
    from PIL import Image

    from studio.media.decode import check_image

    data = image.read_bytes()
    check_image(data, image.name, max_pixels)
    limit = (max(1, round(w / 72 * IMAGE_DPI)), max(1, round(h / 72 * IMAGE_DPI)))
    with Image.open(io.BytesIO(data)) as picture:
        picture.draft("RGB", limit)  # a JPEG keyframe decodes at a reduced scale
        rgb = picture.convert("RGB")
    rgb.thumbnail(limit, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    rgb.save(buffer, "JPEG", quality=JPEG_QUALITY)
    buffer.seek(0)
    return ImageReader(buffer)
