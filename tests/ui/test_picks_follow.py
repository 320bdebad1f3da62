"""The central loop as a user walks it: pick another keyframe → the clip shows out of date → a
new clip is made and becomes active → the cut shows behind → update the cut (a trim elsewhere
survives) → the export shows the new picture."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import Qt

from studio.domain.timeline import Clip
from studio.media.decode import read_frame
from studio.services.export import export_film
from studio.services.export_options import ExportOptions
from studio.services.freshness import cut_status
from studio.services.generation import queue_clips, queue_keyframes, run_queue
from tests.ui.conftest import screenshot
from ui.models.shots import OUT_OF_DATE

SCRIPT = """EXT. PIER - DAWN

Fog over the water.

A lamp blinks once.
"""


def _pictures(window) -> dict[int, Clip]:
    cut = window.timeline.timeline
    return {c.shot_id: c for c in cut.track("V1").items if isinstance(c, Clip)}


def _frame_of(store, take_id: int, index: int) -> np.ndarray:
    asset = store.assets.get(store.takes.get(take_id).asset_id)
    return read_frame(store.media.absolute(asset.path), index).astype(float)


def test_a_pick_flows_through_to_the_exported_film(window, qtbot, tmp_path):
    session, model = window.session, window.shot_model
    window.new_project(tmp_path / "pier", "Pier")
    store = session.store
    store.project_repo.set_fields(
        store.project().id, settings=replace(store.settings(), width=128, height=72)
    )
    script = tmp_path / "pier.fountain"
    script.write_text(SCRIPT, encoding="utf-8")
    window.import_script(script).apply_button.click()
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=20000)
    queue_keyframes(session.project, takes=2)
    run_queue(session.project, executor="inline")
    queue_clips(session.project)
    run_queue(session.project, executor="inline")
    window.docks["timeline"].raise_()
    window.timeline.assemble()
    banner = window.timeline.banner
    qtbot.waitUntil(lambda: banner.status is not None, timeout=10000)
    assert banner.isHidden()  # the cut is up to date

    # the editor trims shot 3's end
    first, third = store.shots.in_order()[0], store.shots.in_order()[2]
    index = next(
        i
        for i, c in enumerate(window.timeline.timeline.track("V1").items)
        if getattr(c, "shot_id", None) == third.id
    )
    window.timeline.trim("V1", index, 0, -6)
    trimmed = _pictures(window)[third.id]
    old_clip = first.active_clip_take_id

    # pick shot 1's other keyframe in the take picker: its card says the clip is out of date
    window.storyboard.setCurrentIndex(model.index(0))
    qtbot.keyClick(window.takes.strip, Qt.Key.Key_Right)
    qtbot.keyClick(window.takes.strip, Qt.Key.Key_Return)
    assert store.shots.get(first.id).active_keyframe_take_id != first.active_keyframe_take_id
    assert OUT_OF_DATE in model.badges(model.shot_at(0))

    # the clip queued from the new keyframe runs and becomes active; the cut is behind
    assert session.run_queue()
    qtbot.waitUntil(lambda: not session.jobs.running, timeout=30000)
    qtbot.waitUntil(lambda: OUT_OF_DATE not in model.badges(model.shot_at(0)), timeout=10000)
    new_clip = store.shots.get(first.id).active_clip_take_id
    assert new_clip != old_clip
    qtbot.waitUntil(lambda: not banner.isHidden(), timeout=10000)
    assert [b.number for b in banner.status.behind] == ["1"]
    assert "behind shots 1" in banner.text.text()
    screenshot(window, "cut-behind-banner")

    # update the cut: shot 1 shows the new clip, the trim on shot 3 survives
    banner.button.click()
    assert _pictures(window)[first.id].take_id == new_clip
    assert _pictures(window)[third.id] == trimmed
    qtbot.waitUntil(lambda: banner.isHidden(), timeout=10000)
    assert cut_status(store).behind == []

    # the export shows the new picture
    out = tmp_path / "export"
    options = ExportOptions(
        preset="720p", subtitles="none", cut_formats=(), storyboard=False
    )
    export_film(session.project, out, options)
    shot_one = _pictures(window)[first.id]
    middle = window.timeline.timeline.track("V1").range_of(
        next(i for i, c in enumerate(window.timeline.timeline.track("V1").items) if c is shot_one)
    )
    at = middle.start.value + middle.duration.value // 2
    film = read_frame(out / "film.mp4", at).astype(float)
    source_index = shot_one.source_range.start.value + middle.duration.value // 2

    def distance(take_id: int) -> float:
        frame = _frame_of(store, take_id, source_index)
        small = film[:: film.shape[0] // frame.shape[0], :: film.shape[1] // frame.shape[1]]
        return float(np.abs(small[: frame.shape[0], : frame.shape[1]] - frame).mean())

    assert distance(new_clip) < distance(old_clip)

    # the export knows the cut it shows: a later edit makes it older than the cut
    assert cut_status(store, out).export_behind is False
    window.timeline.trim("V1", index, 0, -2)
    assert cut_status(store, out).export_behind is True
