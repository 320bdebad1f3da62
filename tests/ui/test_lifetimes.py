"""No callback outlives its owner: every kind of background work the views start, cut short by
closing the window, delivers nothing to a deleted widget, stops, and leaves nothing running."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import QCoreApplication, QEvent

from studio.domain.events import JobEvent
from studio.media.decode import encode_png
from studio.services.generation import import_takes, queue_keyframes
from studio.services.project import new_project, open_project
from studio.services.script import import_script
from studio.services.timeline import assemble, set_music_bed
from tests.ui import fake_backend
from tests.ui.conftest import SAMPLE

OURS = ("studio-task", "studio-queue", "studio-inline")


def _prepared(tmp_path):
    """A project with a script, an imported keyframe take, a music bed and a cut."""
    folder = tmp_path / "film"
    with new_project(folder, "Lifetimes") as project:
        import_script(project, SAMPLE)
        picture = tmp_path / "still.png"
        picture.write_bytes(encode_png(np.full((90, 160, 3), 120, np.uint8)))
        import_takes(project, project.store.shots.in_order()[0].number, [picture])
        bed = tmp_path / "bed.wav"
        t = np.arange(48000 * 4) / 48000
        soundfile.write(bed, 0.2 * np.sin(2 * np.pi * 220 * t), 48000)
        set_music_bed(project, bed)
        assemble(project)
    other = tmp_path / "other"
    new_project(other, "Other").close()
    return folder, other


def _start_everything(window, other, tmp_path) -> list:
    """Each kind of background task the views use, all at once, none given time to finish."""
    session = window.session
    editor = window.script
    editor.update_navigator()  # scene headings, parsed on a worker
    editor.apply(SAMPLE)  # a script import
    shot = session.shots()[0]
    session.select_shot(shot.id)
    window.takes.reload()  # the take's picture, read and scaled on a worker
    window.characters.reload()
    window.characters.preview_voice()  # a voice spoken by Piper
    window.characters.turnaround()  # reference panels drawn
    window.timeline.reload()  # the music bed's waveform
    window.models.scan([tmp_path])  # a model scan
    dialog = window.show_export_dialog(open_url=lambda _url: None)
    dialog.folder.setText(str(tmp_path / "export"))
    dialog.start()  # an export (it stops when its context is cancelled)
    fake_backend.gate.clear()
    fake_backend.entered.clear()
    queue_keyframes(session.project, shot.number, backend="fake", width=64, height=36)
    assert session.run_queue()  # the queue on its thread: a job held at the gate
    window.open_project(other)  # opening another project on a worker
    return [dialog]



@pytest.mark.parametrize("attempt", range(3))
def test_closing_the_window_drops_every_background_task(qtbot, settings_dir, tmp_path, attempt):
    from ui.app import create_window
    from ui.bridge.inbox import inbox

    folder, other = _prepared(tmp_path)
    window = create_window(executor="inline", model_home=tmp_path / "studio-home")
    window.show()
    window.session.set_project(open_project(folder))
    project = window.session.project
    heard: list = []
    project.events.subscribe(heard.append, JobEvent)
    dialogs = _start_everything(window, other, tmp_path)
    tasks = window.session.tasks.tasks()
    kinds = {t.name for t in tasks}
    assert len(tasks) >= 8, kinds
    delivered: list = []
    for task in tasks:
        task.done.connect(delivered.append)
        task.failed.connect(delivered.append)

    window.close()  # before any of it could reach the UI thread
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    while inbox().drain():  # whatever the workers posted meanwhile reaches no deleted widget
        pass

    assert delivered == []
    assert not [t.name for t in threading.enumerate() if t.name in OURS]
    assert all(not task.live for task in tasks)
    assert dialogs[0].ctx.cancelled  # the export was asked to stop
    assert len(window.session.tasks) == 0
    # both projects were closed: the one shown, and the one being opened when the window closed
    for path in (folder, other):
        open_project(path).close()
    assert any(e.state.value == "running" for e in heard)  # the queue had really started


def test_closing_the_project_drops_the_views_tasks_and_keeps_the_window(window, qtbot, tmp_path):
    from ui.bridge.inbox import inbox

    folder, _other = _prepared(tmp_path)
    window.session.set_project(open_project(folder))
    window.script.update_navigator()
    window.characters.reload()
    window.characters.preview_voice()
    tasks = window.session.tasks.tasks()
    assert {"scene_headings", "preview_line"} <= {t.name for t in tasks}
    window.session.set_project(None)
    while inbox().drain():
        pass
    assert all(not task.live for task in tasks) and len(window.session.tasks) == 0
    assert window.characters.last_preview is None  # the preview made was not played
    assert window.script.navigator.count() == 0  # nor the old script's headings shown
    assert not [t.name for t in threading.enumerate() if t.name in OURS]
    open_project(folder).close()  # the project really is closed
