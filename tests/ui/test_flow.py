"""A user's walk through the studio: new project, import the sample script, generate previz
takes, pick one, reorder and undo, edit in the inspector, trim on the timeline and undo."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from studio.domain.entities import ShotSize
from studio.domain.timeline import Clip
from studio.services.dubbing import queue_dub
from studio.services.generation import run_queue
from tests.ui.conftest import SAMPLE, screenshot
from ui.models.shots import ThumbRole
from ui.models.takes import PickedRole


def _drag(view, start: QPoint, end: QPoint) -> None:
    viewport = view.viewport()
    press = QMouseEvent(
        QEvent.Type.MouseButtonPress,
        QPointF(start),
        QPointF(start),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(end),
        QPointF(end),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    release = QMouseEvent(
        QEvent.Type.MouseButtonRelease,
        QPointF(end),
        QPointF(end),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    for event in (press, move, release):
        QApplication.sendEvent(viewport, event)


def _waveforms(canvas) -> list:
    return [i for i in canvas.items_by_place if i.kind == "dialogue" and i.peaks is not None]


def test_a_film_from_script_to_trimmed_cut(window, qtbot, tmp_path):
    session, model = window.session, window.shot_model
    window.new_project(tmp_path / "lamp", "The Last Lamp")
    assert window.windowTitle() == "The Last Lamp — Microfilm Studio"

    # import the sample script: the preview says what will be made, Apply makes it
    dialog = window.import_script(SAMPLE)
    shots_row = dialog.tree.topLevelItem(1)
    assert (shots_row.text(0), shots_row.text(3)) == ("Shots", "37")
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: model.rowCount() == 37, timeout=20000)
    window.docks["browser"].raise_()  # a hidden browser catches up when it is shown
    assert window.browser.topLevelItem(0).text(0) == "Scenes (4)"
    qtbot.waitUntil(lambda: window.script.navigator.count() == 4, timeout=10000)
    assert "HEADLAND LIGHTHOUSE" in window.script.navigator.item(0).text()

    # generate two previz takes for shots 1-3 from the storyboard's context action
    window.storyboard.selectionModel().clear()
    for row in range(3):
        window.storyboard.selectionModel().select(
            model.index(row), window.storyboard.selectionModel().SelectionFlag.Select
        )
    ids = window.storyboard.selected_ids()
    window.storyboard.generate.emit(ids, 2)
    assert session.jobs.running or session.store.takes.count() == 6
    qtbot.waitUntil(lambda: not session.jobs.running, timeout=30000)
    assert session.store.takes.count() == 6
    qtbot.waitUntil(lambda: model.data(model.index(0), ThumbRole) is not None, timeout=10000)
    assert model.badges(model.shot_at(0)) == []
    assert window.jobs.model.rowCount() == 0  # nothing left queued or failed

    # pick: shot 1's second take, with the keyboard; rate it four stars
    window.storyboard.setCurrentIndex(model.index(0))
    picker = window.takes
    assert picker.title.text() == "Shot 1 — 2 takes"
    first, second = picker.model.take_at(0), picker.model.take_at(1)
    assert picker.model.data(picker.model.index(0), PickedRole) is True
    assert "Backend: previz" in picker.model.data(
        picker.model.index(1), Qt.ItemDataRole.ToolTipRole
    )
    qtbot.keyClick(picker.strip, Qt.Key.Key_Right)
    qtbot.keyClick(picker.strip, Qt.Key.Key_4)
    qtbot.keyClick(picker.strip, Qt.Key.Key_Return)
    shot_one = session.store.shots.get(ids[0])
    assert shot_one.active_keyframe_take_id == second.id != first.id
    assert session.store.takes.get(second.id).rating == 4
    assert picker.model.data(picker.model.index(1), PickedRole) is True
    assert window.windowTitle() == "The Last Lamp • — Microfilm Studio"

    # reorder: drag shot 1 to after shot 3, then undo
    description = model.shot_at(0).description
    window.storyboard.setCurrentIndex(model.index(0))
    window.storyboard.move_selection_to(3)
    assert model.shot_at(2).description == description
    assert model.shot_at(2).number == "1"  # a moved shot keeps its number
    window.actions.undo.trigger()
    assert model.shot_at(0).description == description
    window.actions.redo.trigger()
    assert model.shot_at(2).description == description
    window.actions.undo.trigger()

    # edit shot 2 in the inspector
    window.storyboard.setCurrentIndex(model.index(1))
    inspector = window.inspector
    assert inspector.heading.text() == "Shot 2"
    size = inspector.fields["size"]
    size.setCurrentIndex(size.findData("CU"))
    assert session.store.shots.get(model.shot_at(1).id).size is ShotSize.CLOSE
    assert window.actions.undo.text() == "&Undo edit shot 2"
    inspector.fields["prompt"].setPlainText("a lamp in fog, backlit")
    inspector.fields["prompt"].committed.emit()
    assert session.store.shots.get(model.shot_at(1).id).prompt == "a lamp in fog, backlit"
    window.actions.undo.trigger()
    window.actions.undo.trigger()
    assert session.store.shots.get(model.shot_at(1).id).size is not ShotSize.CLOSE
    assert inspector.value_of("size") != "CU"

    # dub two lines with the real piper voice, then assemble the cut: the dialogue track
    # shows their waveforms; trim the first clip's end by dragging it, then undo
    assert len(queue_dub(session.project, "1-2")) == 2
    assert run_queue(session.project, executor="inline").done == 2
    window.docks["timeline"].raise_()
    window.timeline.assemble()
    qtbot.waitUntil(lambda: len(_waveforms(window.timeline.canvas)) == 2, timeout=20000)
    canvas = window.timeline.canvas
    clip = canvas.items_by_place[0]
    before = clip.place.length
    right_edge = canvas.mapFromScene(clip.rect().right() - 2, clip.rect().center().y())
    window.timeline.snap.setChecked(False)
    _drag(canvas, right_edge, right_edge - QPoint(40, 0))
    after = canvas.items_by_place[0].place.length
    assert after == before - round(40 / canvas.ppf)
    assert window.actions.undo.text() == "&Undo trim clip 2"
    window.actions.undo.trigger()
    assert canvas.items_by_place[0].place.length == before

    # the editor sends back the cut without shot 3: importing it replaces the cut, undoably
    _editors_cut_without_shot_3(window, tmp_path / "edit.otio")
    pictures = _picture_clips(window)
    preview = window.timeline.preview_cut(tmp_path / "edit.otio")  # what it would change
    assert preview.report.dry_run and preview.report.counts()["removed"] == 1
    assert _picture_clips(window) == pictures  # nothing changed yet
    removed = [preview.tree.topLevelItem(0).child(i).text(0) for i in range(1)]
    assert removed == ["shot 3: removed"]
    screenshot(preview, "cut-import-preview")
    preview.apply_button.click()
    assert _picture_clips(window) == [name for name in pictures if name != "Shot 3"]
    assert window.actions.undo.text().startswith("&Undo import the cut edit.otio")
    window.actions.undo.trigger()
    assert _picture_clips(window) == pictures

    # a music bed goes under the cut and an effect where the playhead stands, both undoable
    bed, knock = _tone(tmp_path / "bed.flac", 4.0), _tone(tmp_path / "knock.wav", 0.5)
    window.timeline.set_music(bed)
    canvas.set_playhead(48)
    window.timeline.add_effect_at_playhead(knock)
    tracks = {t.name: t for t in window.timeline.timeline.tracks}
    assert tracks["music"].duration == tracks["V1"].duration
    assert tracks["sfx1"].items[0].duration.value == 48  # the effect starts at the playhead
    assert window.actions.undo.text() == "&Undo add the effect knock.wav"
    window.actions.undo.trigger()
    window.actions.undo.trigger()
    assert {t.kind for t in window.timeline.timeline.tracks} == {"video", "dialogue"}

    window.session.mark_saved()
    assert window.windowTitle() == "The Last Lamp — Microfilm Studio"
    _screenshots(window, qtbot)


def _tone(path, seconds: float):
    import numpy as np
    import soundfile

    t = np.arange(int(seconds * 48000)) / 48000
    soundfile.write(str(path), 0.2 * np.sin(2 * np.pi * 220 * t), 48000)
    return path


def _picture_clips(window) -> list[str]:
    cut = window.timeline.timeline
    return [item.name for item in cut.tracks[0].items if isinstance(item, Clip)]


def _editors_cut_without_shot_3(window, path) -> None:
    """What an editor does in their suite: open our OTIO, lift shot 3, save."""
    import opentimelineio as otio

    from studio.store.media_lookup import StoreMedia
    from studio.timeline.otio import to_otio

    store = window.session.store
    cut = to_otio(window.timeline.timeline, StoreMedia(store), {})
    picture = cut.video_tracks()[0]
    index = next(i for i, item in enumerate(picture) if item.name == "Shot 3")
    picture[index] = otio.schema.Gap(source_range=picture[index].source_range)
    otio.adapters.write_to_file(cut, str(path))


def _screenshots(window, qtbot) -> None:
    window.resize(1600, 1000)
    window.storyboard.setCurrentIndex(window.shot_model.index(0))
    window.player.reload()
    window.player.seek(30)
    qtbot.waitUntil(lambda: window.player.shown_frame == 30, timeout=5000)
    window.thumbs.wait()
    QApplication.processEvents()
    screenshot(window, "main-window")
    for name in ("script", "characters", "takes", "timeline", "jobs", "models"):
        window.docks[name].raise_()
    window.docks["takes"].widget().resize(900, 520)
    window.timeline.resize(1600, 260)  # every track, the dialogue waveforms included
    for name, widget in (
        ("storyboard", window.storyboard),
        ("inspector", window.inspector),
        ("player", window.player),
        ("script-editor", window.script),
        ("characters", window.characters),
        ("take-picker", window.takes),
        ("timeline", window.timeline),
        ("job-queue", window.jobs),
        ("model-library", window.models),
        ("browser", window.browser),
    ):
        screenshot(widget, name)
