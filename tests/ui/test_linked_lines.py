"""The timeline shows each line linked to its picture, how far it sits from it, and unlinks it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from studio.domain.timeline import Clip, TrackKind
from studio.services import timeline as timeline_service
from studio.services.dubbing import queue_dub
from studio.services.generation import run_queue
from studio.services.script import import_script
from studio.services.timeline import assemble
from tests.speech import loudness_ms, onset_near
from tests.ui.conftest import screenshot
from tests.ui.test_views import _short_project


def _lines(window) -> list:
    window.timeline.reload()
    items = window.timeline.canvas.items_by_place
    return [i for i in items if i.kind is TrackKind.DIALOGUE]


def test_linked_lines_show_their_offset_and_unlink_undoably(window, qtbot, tmp_path):
    project = _short_project(window, tmp_path)
    queue_dub(project)
    assert run_queue(project, executor="inline").done == 1
    assemble(project)
    (line,) = _lines(window)
    assert line.place.clip.link is not None and line.offset == 0 and line.sync_text == ""
    assert len(window.timeline.canvas.links) == 1

    # moved away from its picture by hand: the label says by how much
    track, index = line.place.track, line.place.index
    window.session.call(
        timeline_service.move_clip, project, track, index, line.place.start + 6
    )
    (line,) = _lines(window)
    assert line.offset == 6 and line.sync_text == "+6f"
    screenshot(window.timeline, "linked-lines")

    # unlinked: no link drawn, no offset; undo links it again
    line.setSelected(True)
    window.timeline.unlink_selected()
    (line,) = _lines(window)
    assert line.place.clip.link is None and line.offset is None
    assert window.timeline.canvas.links == []
    window.actions.undo.trigger()
    (line,) = _lines(window)
    assert line.place.clip.link is not None and line.offset == 6


SCRIPT = """Title: Three Lamps

EXT. QUAY - NIGHT

Rain on the stones. A lamp swings.

NORA
Did you bring the key?

ELI
It was never locked.

INT. WORKSHOP - NIGHT

Eli lights a small lamp.

NORA
Then why did we wait all winter?

ELI
Because you asked me to.
"""


def _speech_by_shot(store, cut, film) -> dict[int, list[float]]:
    """Each linked line's speech onset in the exported film's sound, as a frame of its shot's
    media (the picture frame shown when the line starts speaking), by line."""
    from studio.services.export import dialogue_placements

    loud = loudness_ms(film)
    rate = float(cut.rate)
    pictures = {}
    for item, span in cut.track("V1").spans():
        if isinstance(item, Clip) and item.shot_id is not None:
            pictures[item.shot_id] = (span.start.value, item.source_range.start.value)
    lines = {
        (round(float(span.start.seconds) * 1000)): item
        for item, span in cut.track("dialogue").spans()
        if isinstance(item, Clip)
    }
    found: dict[int, float] = {}
    for place in dialogue_placements(store, cut):
        item = lines[round(place["start"] * 1000)]
        onset = onset_near(loud, int(place["start"] * 1000))
        assert onset is not None, place["text"]
        at, source = pictures[item.shot_id]
        found[item.line_id] = onset / 1000 * rate - at + source
    return found


def test_a_trim_keeps_every_later_line_in_sync_in_the_exported_sound(window, qtbot, tmp_path):
    """Measured on the exported audio, before and after the trims: each line still starts
    speaking within one frame of the same picture frame of its shot."""
    from studio.services.export import export_film
    from studio.services.export_options import ExportOptions

    script = tmp_path / "lamps.fountain"
    script.write_text(SCRIPT, encoding="utf-8")
    window.new_project(tmp_path / "lamps", "Three Lamps")
    project = window.session.project
    import_script(project, script)
    window.session.changed()
    queue_dub(project)
    assert run_queue(project, executor="inline").done == 4
    window.docks["timeline"].raise_()
    window.timeline.assemble()
    options = ExportOptions(preset="draft", subtitles="none", cut_formats=(), storyboard=False)
    store = project.store

    def exported(name: str) -> dict[int, float]:
        out = tmp_path / name
        export_film(project, out, options)
        return _speech_by_shot(store, window.timeline.timeline, out / "film.mp4")

    before = exported("before")
    assert len(before) == 4

    # the editor shortens the first shot's tail (everything after it ripples earlier) and
    # trims the head of a later shot by fewer frames than its line waits before speaking
    pictures = window.timeline.timeline.track("V1").items
    shots = [i for i, c in enumerate(pictures) if isinstance(c, Clip) and c.shot_id is not None]
    window.timeline.trim("V1", shots[0], 0, -10)
    window.timeline.trim("V1", shots[2], 3, 0)
    assert window.timeline.lines_notice.isHidden()  # no line lost a frame: nothing to say
    after = exported("after")
    assert after.keys() == before.keys()
    for line_id, frame in before.items():
        assert abs(after[line_id] - frame) <= 1.0, (line_id, before, after)

    # a trim that cuts into a line's speech says so over the tracks, and undo takes it back
    last = window.timeline.timeline.track("V1").items
    index = max(i for i, c in enumerate(last) if isinstance(c, Clip) and c.shot_id is not None)
    window.timeline.trim("V1", index, 0, -(last[index].duration.value - 2))
    notice = window.timeline.lines_notice
    assert not notice.isHidden() and notice.changes
    assert "frames whose picture was cut" in notice.text.text() or "removed" in notice.text.text()
    screenshot(window.timeline, "linked-lines-notice")
    notice.dismiss.click()
    assert notice.isHidden()


def test_delete_ripples_the_selected_picture_and_says_its_line_went_with_it(
    window, qtbot, tmp_path
):
    project = _short_project(window, tmp_path)
    queue_dub(project)
    assert run_queue(project, executor="inline").done == 1
    assemble(project)
    (line,) = _lines(window)
    canvas = window.timeline.canvas
    shot = next(
        i for i in canvas.items_by_place
        if i.kind is TrackKind.VIDEO and i.place.clip.shot_id == line.place.clip.shot_id
    )  # fmt: skip
    pictures = len(window.timeline.timeline.track("V1").items)
    shot.setSelected(True)
    canvas.setFocus()
    qtbot.keyClick(canvas.viewport(), Qt.Key.Key_Delete)
    assert len(window.timeline.timeline.track("V1").items) < pictures
    assert _lines(window) == []
    notice = window.timeline.lines_notice
    assert not notice.isHidden() and "was removed" in notice.text.text()
    window.actions.undo.trigger()
    assert len(_lines(window)) == 1 and len(window.timeline.timeline.track("V1").items) == pictures
