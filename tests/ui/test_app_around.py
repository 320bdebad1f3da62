"""The app around the film: the welcome view, the take picker in its dock, the jobs' history, the
draft export, the inspector's keys and model chooser, the model library, unsaved edits on quit
and an output folder that cannot be opened."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from studio.domain.entities import JobState
from studio.generation.models import ModelLibrary
from studio.media.decode import probe
from studio.services.generation import queue_keyframes
from studio.services.project import open_project
from studio.services.script import import_script
from studio.services.shots import set_shot
from tests.ui.conftest import screenshot
from ui import theme
from ui.views.dock_tabs import stray_tab_bars
from ui.views.take_picker import CARD

SHORT = """Title: TWO SHOTS

EXT. PIER - DAWN

Fog over the water. A lamp blinks once.

KIT
Is it still on?
"""


def _short_project(window, tmp_path, name: str = "Two Shots"):
    script = tmp_path / "short.fountain"
    script.write_text(SHORT, encoding="utf-8")
    window.new_project(tmp_path / "short", name)
    import_script(window.session.project, script)
    window.session.changed()
    return window.session.project


def _run_keyframes(window, qtbot, number: str = "1", takes: int = 1) -> None:
    queue_keyframes(
        window.session.project, number, width=320, height=180, takes=takes, force=takes > 1
    )
    assert window.session.run_queue()
    qtbot.waitUntil(lambda: not window.session.jobs.running, timeout=60000)


# -- the welcome view ---------------------------------------------------------------------------
def test_the_welcome_view_starts_a_project_and_lists_it_as_recent(
    window, qtbot, tmp_path, monkeypatch
):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))  # folders under it are shown from `~`
    actions = window.actions
    qtbot.waitUntil(lambda: not stray_tab_bars(window))  # no stray tab bar over the window
    assert window.pages.currentWidget() is window.welcome
    for action in (actions.generate, actions.run_queue, actions.export, actions.import_script):
        assert not action.isEnabled(), action.text()
    assert actions.open.isEnabled() and actions.new.isEnabled()
    assert not window.docks["inspector"].widget().isEnabled()
    assert window.inspector.form.isHidden()  # no invented values while nothing is selected

    welcome = window.welcome
    window.new_project(home / "Films" / "The Last Lamp", "The Last Lamp")
    window.session.close_project()
    welcome.name.setText("Night Ferry")
    assert welcome.folder.text() == "~/Microfilm Studio/Night Ferry"  # it follows the name
    welcome.folder.setText("~/Films/Night Ferry")
    welcome.fps.setCurrentIndex(welcome.fps.findData(25))
    welcome.aspect.setCurrentIndex(welcome.aspect.findData("2.39:1"))
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    project = window.session.project
    assert project is not None and project.store.project().name == "Night Ferry"
    settings = project.store.settings()
    assert (settings.fps, settings.aspect) == (25, "2.39:1")
    assert window.pages.currentWidget() is not window.welcome
    assert actions.generate.isEnabled() and window.docks["inspector"].widget().isEnabled()

    window.session.close_project()
    assert window.pages.currentWidget() is window.welcome
    ferry = home / "Films" / "Night Ferry"
    assert welcome.recent_folders()[0] == str(ferry.resolve())
    assert welcome.recent.item(0).text() == "Night Ferry\n~/Films/Night Ferry"
    welcome.name.clear()
    screenshot(window, "welcome")
    welcome.recent.itemActivated.emit(welcome.recent.item(0))  # Enter or a double click
    qtbot.waitUntil(lambda: window.session.project is not None, timeout=30000)
    assert window.session.store.folder.resolve() == ferry.resolve()


def test_a_recent_project_whose_folder_is_gone_is_shown_and_not_opened(window, tmp_path):
    window.new_project(tmp_path / "gone", "Gone")
    window.session.close_project()
    shutil.rmtree(tmp_path / "gone")
    window.welcome.reload()
    item = window.welcome.recent.item(0)
    assert "(missing)" in item.text()
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    window.welcome.recent.itemActivated.emit(item)
    assert window.session.project is None and window.progress_dialog is None


def test_a_project_started_from_a_screenplay_previews_its_import(window, qtbot, tmp_path):
    script = tmp_path / "the_last_lamp.fountain"
    script.write_text(SHORT, encoding="utf-8")
    window.welcome.folder.setText(str(tmp_path / "lamp"))
    window.welcome.folder.setModified(True)
    window.welcome.start_from_script(script)
    project = window.session.project
    assert project is not None and project.store.project().name == "The Last Lamp"
    dialog = window.script.dialog
    assert dialog.isVisible() and window.docks["script"].isVisible()
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: window.shot_model.rowCount() > 0, timeout=30000)
    assert window.shot_model.rowCount() == len(project.store.shots.in_order())


# -- the take picker ----------------------------------------------------------------------------
def test_the_take_picker_shows_whole_cards_at_the_default_layout(window, qtbot, tmp_path):
    _short_project(window, tmp_path)
    window.apply_default_sizes()
    _run_keyframes(window, qtbot, "1", takes=3)
    shot = window.session.shots()[0]
    window._show_takes(shot.id)
    picker = window.takes
    qtbot.waitUntil(lambda: picker.model.rowCount() == 3)
    picker.rate_current(4)
    qtbot.waitUntil(lambda: picker.model.take_at(0).rating == 4)
    for row in range(3):
        qtbot.waitUntil(lambda r=row: picker.model.thumbnail_at(r) is not None, timeout=10000)
    qtbot.waitUntil(lambda: not picker.b_view.pixmap().isNull(), timeout=10000)
    strip = picker.strip
    card = strip.visualRect(picker.model.index(0))
    assert card.height() >= CARD.height()
    assert strip.viewport().rect().contains(card), (card, strip.viewport().rect())
    image = strip.viewport().grab().toImage()
    picture = image.pixelColor(card.center().x(), card.top() + 40)
    assert picture.lightness() > 120  # the previz keyframe (paper-white), not the empty well
    accent = QColor(theme.ACCENT)
    star_row = range(card.bottom() - 26, card.bottom() - 6)
    stars = [
        image.pixelColor(x, y) for x in range(card.center().x(), card.right() - 6) for y in star_row
    ]
    assert any(_near(c, accent) for c in stars), "no star is drawn"
    screenshot(window.docks["takes"], "take-picker-dock")


def _near(colour: QColor, target: QColor, tolerance: int = 40) -> bool:
    return all(
        abs(a - b) <= tolerance
        for a, b in zip(colour.getRgb()[:3], target.getRgb()[:3], strict=True)
    )


# -- the jobs' history --------------------------------------------------------------------------
def test_finished_jobs_stay_in_the_history(window, qtbot, tmp_path):
    _short_project(window, tmp_path)
    _run_keyframes(window, qtbot, "1-2")
    history = window.jobs.history
    qtbot.waitUntil(lambda: history.rowCount() == 2)
    assert all(history.line_at(r).state is JobState.DONE for r in range(2))
    assert history.line_at(0).text.count("keyframe") == 1 and "done" in history.line_at(0).text
    assert window.jobs.model.rowCount() in (0, 2)  # the queue table: only what is left to do
    folder = window.session.store.folder
    window.session.close_project()
    window.session.set_project(open_project(folder))
    assert window.jobs.history.rowCount() == 2  # read back from the project
    assert {window.jobs.history.line_at(r).owner for r in range(2)} == {"shot 1", "shot 2"}


# -- the export ---------------------------------------------------------------------------------
def test_the_draft_preset_exports_480p_and_a_folder_that_cannot_open_is_said(
    window, qtbot, tmp_path
):
    _short_project(window, tmp_path)
    window.timeline.assemble()
    dialog = window.show_export_dialog(open_url=lambda _url: False)  # no file manager answers
    dialog.preset.setCurrentIndex(dialog.preset.findData("draft"))
    dialog.folder.setText(str(tmp_path / "draft"))
    assert dialog.options().encoding() == {"crf": 30, "preset": "ultrafast"}
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60000)
    info = probe(dialog.report.files["film"])
    assert (info.width, info.height) == (854, 480)
    assert dialog.message.text().startswith(f"Could not open {tmp_path / 'draft'}")
    shutil.rmtree(tmp_path / "draft")
    assert not dialog.open_folder()
    assert "it is gone" in dialog.message.text()


# -- the inspector ------------------------------------------------------------------------------
def test_tab_leaves_the_prompt_and_the_edit_is_kept(window, qtbot, tmp_path):
    _short_project(window, tmp_path)
    window.session.select_shot(window.session.shots()[0].id)
    window.activateWindow()
    prompt = window.inspector.fields["prompt"]
    prompt.setFocus()
    qtbot.waitUntil(prompt.hasFocus)
    prompt.selectAll()
    qtbot.keyClicks(prompt, "a lamp in fog")
    qtbot.keyClick(prompt, Qt.Key.Key_Tab)
    assert "\t" not in prompt.toPlainText()
    assert not prompt.hasFocus() and window.inspector.fields["negative_prompt"].hasFocus()
    assert window.session.store.shots.find(window.session.current_shot_id).prompt == (
        "a lamp in fog"
    )


def test_the_model_chooser_lists_the_library(window, qtbot, tmp_path):
    folder = tmp_path / "models" / "tiny-sd"
    folder.mkdir(parents=True)
    (folder / "model_index.json").write_text(
        '{"_class_name": "StableDiffusionPipeline"}', encoding="utf-8"
    )
    entry = ModelLibrary(tmp_path / "studio-home").add(folder)
    window.models.refresh()  # the library changed: the chooser follows
    _short_project(window, tmp_path)
    shot = window.session.shots()[0]
    window.session.select_shot(shot.id)
    box = window.inspector.fields["model"]
    assert [box.itemData(i) for i in range(box.count())] == ["", entry.id]
    assert box.currentData() == ""
    box.setCurrentIndex(box.findData(entry.id))
    assert window.session.store.shots.find(shot.id).model == entry.id
    set_shot(window.session.project, shot.number, model="/elsewhere/a-model")
    qtbot.waitUntil(lambda: box.currentData() == "/elsewhere/a-model")
    assert box.currentText() == "/elsewhere/a-model (not in the model library)"


def test_the_model_library_lists_built_in_backends_and_a_vanished_model(window, tmp_path):
    models = window.models
    assert models.status_of("previz").startswith("built in: usable")
    assert models.status_of("camera").startswith("built in: usable")
    assert models.status_of("diffusers").startswith("built in: runs a model")
    folder = tmp_path / "models" / "gone-sd"
    folder.mkdir(parents=True)
    (folder / "model_index.json").write_text(
        '{"_class_name": "StableDiffusionPipeline"}', encoding="utf-8"
    )
    ModelLibrary(tmp_path / "studio-home").add(folder)
    models.refresh()
    assert models.status_of("gone-sd").startswith("usable")
    shutil.rmtree(folder)
    models.refresh()
    assert models.status_of("gone-sd").startswith(f"missing: {folder.resolve()} is gone")


# -- unsaved edits ------------------------------------------------------------------------------
def _answer(window, qtbot, button_text: str) -> None:
    qtbot.waitUntil(lambda: getattr(window, "unsaved_box", None) is not None)
    box = window.unsaved_box
    qtbot.waitUntil(box.isVisible)
    window.unsaved_box = None
    (button,) = [b for b in box.buttons() if b.text().replace("&", "") == button_text]
    button.click()


def test_the_title_the_undo_stack_and_the_quit_question_agree_on_unsaved(window, qtbot, tmp_path):
    project = _short_project(window, tmp_path, "Lamps")
    session, stack = window.session, window.session.undo_stack

    def state() -> tuple[bool, bool, bool]:
        return ("•" in window.windowTitle(), session.dirty, not stack.isClean())

    assert state() == (False, False, False)  # an import is stored, not an undoable edit
    set_shot(project, "1", size="CU")
    assert state() == (True, True, True)
    window.actions.save.trigger()
    assert state() == (False, False, False)
    set_shot(project, "1", size="WS")
    assert state() == (True, True, True)
    stack.undo()
    assert state() == (False, False, False)  # back at the saved state
    stack.undo()
    assert state() == (True, True, True)  # before it
    stack.redo()
    lens = session.store.shots.in_order()[0].lens
    set_shot(project, "1", lens=85 if lens != 85 else 50)

    window.actions.quit.trigger()  # Cancel: nothing changes, the window stays
    _answer(window, qtbot, "Cancel")
    assert window.isVisible() and state() == (True, True, True)

    window.actions.quit.trigger()  # Discard: undone back to the save, then closed
    _answer(window, qtbot, "Discard them")
    qtbot.waitUntil(lambda: not window.isVisible())
    reopened = open_project(tmp_path / "short")
    try:
        shot = reopened.store.shots.in_order()[0]
        assert (shot.size.value, shot.lens) == ("CU", lens)  # the saved state, not the lens edit
    finally:
        reopened.close()


def test_closing_with_unsaved_edits_can_keep_them(window, qtbot, tmp_path):
    project = _short_project(window, tmp_path, "Kept")
    set_shot(project, "1", size="CU")
    window.ask_close_project()
    _answer(window, qtbot, "Save")
    assert window.session.project is None and window.pages.currentWidget() is window.welcome
    reopened = open_project(tmp_path / "short")
    try:
        assert reopened.store.shots.in_order()[0].size.value == "CU"
    finally:
        reopened.close()
