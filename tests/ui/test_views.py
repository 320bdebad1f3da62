"""The other views and the app's safety nets: export, the job queue, crash resume, migration,
layouts, characters, the player and errors."""

from __future__ import annotations

import wave

from PySide6.QtCore import Qt

from studio.domain.entities import JobState
from studio.media.decode import probe
from studio.services.dubbing import queue_dub
from studio.services.generation import queue_keyframes, run_queue
from studio.services.project import new_project
from studio.services.script import import_script
from studio.store import migrate
from tests.ui import fake_backend
from tests.ui.conftest import SAMPLE, screenshot

SHORT = """Title: TWO SHOTS

EXT. PIER - DAWN

Fog over the water. A lamp blinks once.

KIT
Is it still on?
"""


def _short_project(window, tmp_path):
    script = tmp_path / "short.fountain"
    script.write_text(SHORT, encoding="utf-8")
    window.new_project(tmp_path / "short", "Two Shots")
    import_script(window.session.project, script)
    window.session.changed()
    return window.session.project


def test_export_through_the_dialog_reports_progress_and_opens_the_folder(window, qtbot, tmp_path):
    _short_project(window, tmp_path)
    window.timeline.assemble()
    opened = []
    dialog = window.show_export_dialog(open_url=opened.append)
    dialog.preset.setCurrentIndex(dialog.preset.findData("720p"))
    dialog.subtitles.setCurrentIndex(dialog.subtitles.findData("sidecar"))
    dialog.folder.setText(str(tmp_path / "out"))
    task = dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60000)
    assert task.error is None
    assert dialog.report.files["film"].is_file()
    assert (tmp_path / "out" / "film.srt").is_file()
    cuts = {"film.otio", "film.xml", "film.edl"}  # and .fcpxml only when asked
    assert cuts <= {p.name for p in (tmp_path / "out").iterdir()}
    assert not (tmp_path / "out" / "film.fcpxml").exists()
    assert dialog.progress.value() == 1000
    assert dialog.message.text().startswith("wrote film.mp4")
    assert [url.toLocalFile() for url in opened] == [str(tmp_path / "out")]
    assert window.session.last_export == dialog.report.files["film"]
    screenshot(dialog, "export-dialog")


def test_the_dialog_exports_prores_at_another_rate_and_loudness(window, qtbot, tmp_path):
    project = _short_project(window, tmp_path)
    queue_dub(project, "1")  # Kit's line, with the real piper voice
    assert run_queue(project, executor="inline").done == 1
    window.timeline.assemble()
    dialog = window.show_export_dialog(open_url=lambda url: None)
    dialog.open_when_done.setChecked(False)
    dialog.preset.setCurrentIndex(dialog.preset.findData("720p"))
    dialog.codec.setCurrentIndex(dialog.codec.findData("prores"))
    dialog.fps.setCurrentIndex(dialog.fps.findData(25))
    dialog.loudness.setCurrentIndex(dialog.loudness.findData(-23.0))
    dialog.optional_cuts["fcpxml"].setChecked(True)
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=120000)
    film = dialog.report.files["film"]
    info = probe(film)
    assert film.suffix == ".mov" and info.codec == "prores" and info.fps == 25
    assert dialog.report.files["fcpxml"].is_file()
    assert dialog.report.mix["target_lufs"] == -23.0
    assert abs(dialog.report.mix["integrated_lufs"] + 23.0) < 0.5
    assert "LUFS" in dialog.message.text()


def test_cancelling_an_export_stops_it(window, qtbot, tmp_path):
    _short_project(window, tmp_path)
    dialog = window.show_export_dialog(open_url=lambda url: None)
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.ctx = None
    task = dialog.start()
    dialog.cancel()
    qtbot.waitUntil(lambda: not task.running, timeout=60000)
    assert dialog.report is None
    assert dialog.message.text() == "cancelled"


def test_job_queue_runs_pauses_cancels_and_interrupts(window, qtbot, tmp_path):
    project = _short_project(window, tmp_path)
    fake_backend.gate.clear()
    fake_backend.entered.clear()
    jobs = queue_keyframes(project, shots="1", takes=3, backend="fake", force=True)
    view = window.jobs
    view.reload()
    assert view.model.rowCount() == 3
    view.run()
    qtbot.waitUntil(lambda: fake_backend.entered.is_set(), timeout=10000)
    qtbot.waitUntil(lambda: view.model.states().get(jobs[0].id) is JobState.RUNNING)
    view.pause()
    view.table.selectRow(view.model.row_of(jobs[2].id))
    view.cancel_selected()
    assert window.session.store.jobs.get(jobs[2].id).state is JobState.CANCELLED
    view.table.selectRow(view.model.row_of(jobs[0].id))
    view.cancel_selected()  # the running one is interrupted at its next step
    qtbot.waitUntil(lambda: not window.session.jobs.running, timeout=10000)
    store = window.session.store
    assert store.jobs.get(jobs[0].id).state is JobState.CANCELLED
    assert store.jobs.get(jobs[1].id).state is JobState.QUEUED  # paused: not started
    assert view.state.text() == "paused"
    fake_backend.gate.set()
    view.run()
    qtbot.waitUntil(
        lambda: (
            not window.session.jobs.running and store.jobs.get(jobs[1].id).state is JobState.DONE
        ),
        timeout=10000,
    )
    assert view.overall.value() == 1000


def test_reopening_after_a_crash_offers_to_resume_the_queue(window, qtbot, tmp_path):
    with new_project(tmp_path / "crashed", "Crashed") as project:
        import_script(project, SAMPLE)
        jobs = queue_keyframes(project, shots="1-2")
        project.store.jobs.set_fields(jobs[0].id, state=JobState.RUNNING)
    window.open_project(tmp_path / "crashed")
    qtbot.waitUntil(lambda: window.session.project is not None, timeout=10000)
    assert window.notice.isVisible()
    assert window.notice.text.text().startswith("Resumed 1 job that a crash interrupted")
    window.notice.action.click()
    qtbot.waitUntil(
        lambda: not window.session.jobs.running and window.session.store.takes.count() == 2,
        timeout=30000,
    )
    assert not window.notice.isVisible()


def test_opening_an_old_project_migrates_it_with_progress(window, qtbot, tmp_path):
    with new_project(tmp_path / "old", "Old") as project:
        db = project.store.db_path
    migrate.run_migration(db, "0001", downgrade=True)
    window.open_project(tmp_path / "old")
    qtbot.waitUntil(lambda: window.session.project is not None, timeout=20000)
    assert window.progress_steps, "the migration reported no step"
    assert list((tmp_path / "old").glob("project.backup-0001-*.db"))
    assert window.windowTitle() == "Old — Microfilm Studio"


def test_dock_layout_is_restored_when_the_app_reopens(qtbot, settings_dir, tmp_path):
    from ui.app import create_window

    first = create_window(executor="inline", model_home=tmp_path / "home")
    qtbot.addWidget(first)
    first.show()
    first.docks["models"].hide()
    first.docks["player"].setFloating(True)
    first.close()
    second = create_window(executor="inline", model_home=tmp_path / "home")
    qtbot.addWidget(second)
    second.show()
    assert second.docks["models"].isHidden()
    assert second.docks["player"].isFloating()
    assert (settings_dir / "Microfilm Studio" / "studio.ini").is_file()


def test_an_error_is_shown_and_the_app_stays_up(window, tmp_path):
    from studio.services.shots import set_shot

    _short_project(window, tmp_path)
    assert window.session.call(set_shot, window.session.project, "99", size="CU") is None
    assert window.message_box.isVisible()
    assert window.message_box.text() == "no shot numbered 99"
    assert "studio shots" in window.message_box.informativeText()


def test_characters_voice_preview_references_and_turnaround(window, qtbot, tmp_path):
    _short_project(window, tmp_path)
    view = window.characters
    view.reload()
    assert view.names.item(0).text() == "KIT"
    view.pitch.setValue(3.0)
    view.pitch.editingFinished.emit()
    assert window.session.store.characters.by_name("KIT").voice.pitch_semitones == 3.0
    task = view.preview_voice()
    qtbot.waitUntil(lambda: view.last_preview is not None, timeout=60000)
    assert task.error is None
    with wave.open(str(view.last_preview)) as wav:
        assert wav.getnframes() > wav.getframerate() // 4
    task = view.turnaround()
    qtbot.waitUntil(lambda: not task.running and view.references.count() == 3, timeout=30000)
    screenshot(window.characters, "characters-sheet")


def test_player_steps_frame_by_frame(window, qtbot, tmp_path):
    project = _short_project(window, tmp_path)
    queue_keyframes(project, width=320, height=180)
    window.session.run_queue()
    qtbot.waitUntil(lambda: not window.session.jobs.running, timeout=30000)
    player = window.player
    player.reload()
    player.setFocus()
    qtbot.keyClick(player, Qt.Key.Key_Right)
    qtbot.keyClick(player, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: player.shown_frame == 2, timeout=5000)
    assert player.timecode.text() == "00:00:00:02"
    qtbot.keyClick(player, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert player.position == 26
    qtbot.keyClick(player, Qt.Key.Key_L)
    assert player.speed == 1
    qtbot.keyClick(player, Qt.Key.Key_L)
    assert player.speed == 2
    qtbot.keyClick(player, Qt.Key.Key_K)
    assert player.speed == 0
    assert not player.screen.pixmap().isNull()


def test_model_library_lists_what_it_refused_and_why(window, qtbot, tmp_path):
    folder = tmp_path / "models" / "broken-model"
    folder.mkdir(parents=True)
    (folder / "model_index.json").write_text("{ not json", encoding="utf-8")
    task = window.models.scan([tmp_path / "models"], hf_cache=False)
    qtbot.waitUntil(lambda: not task.running and window.models.table.rowCount() == 1, timeout=10000)
    assert window.models.status_of("broken-model").startswith("refused:")


def test_void_calls_cannot_use_up_none(window):
    import sys

    before = sys.getrefcount(None)
    for _ in range(20000):  # PySide6 6.12 on 3.11 drops a None reference per void call
        window.storyboard.viewport().update()
    assert sys.getrefcount(None) > 1_000_000 or sys.version_info >= (3, 12)
    assert before > 1_000_000 or sys.version_info >= (3, 12)
