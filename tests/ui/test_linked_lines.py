"""The timeline shows each line linked to its picture, how far it sits from it, and unlinks it."""

from __future__ import annotations

from studio.domain.timeline import TrackKind
from studio.services import timeline as timeline_service
from studio.services.dubbing import queue_dub
from studio.services.generation import run_queue
from studio.services.timeline import assemble
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
