"""Stable shot numbers in the app: a shot added in the script editor is lettered (27A) and no
card's number moves; adding a shot from the storyboard does the same; "Renumber all shots" is
one undoable step, and the timeline's clip names follow it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import SAMPLE

HEADING = "EXT. SKERRY ROCKS - NIGHT #3#\n\n"  # its establishing shot is 27, then 28


def _cards(model) -> list[str]:
    role = Qt.ItemDataRole.DisplayRole
    return [model.data(model.index(row), role) for row in range(model.rowCount())]


def _numbers(session) -> dict[int, str]:
    return {s.id: s.number for s in session.store.shots.in_order()}


def _action(menu, text: str):
    return next(a for a in menu.actions() if a.text() == text)


def _picture_clips(window) -> list:
    """The shots' clips on the picture track (the title card is no shot's)."""
    window.timeline.refresh()
    items = window.timeline.canvas.items_by_place
    return [i.place.clip for i in items if i.kind.value == "video" and i.place.clip.shot_id]


def _named_by_number_now(window) -> bool:
    numbers = _numbers(window.session)
    return all(c.name == f"Shot {numbers[c.shot_id]}" for c in _picture_clips(window))


def test_adding_shots_keeps_every_number_and_renumber_is_undoable(window, qtbot, tmp_path):
    session, model = window.session, window.shot_model
    window.new_project(tmp_path / "lamp", "The Last Lamp")
    window.import_script(SAMPLE).apply_button.click()
    qtbot.waitUntil(lambda: model.rowCount() == 37, timeout=20000)
    qtbot.waitUntil(lambda: window.script.editor.toPlainText().strip() != "", timeout=10000)
    before = _numbers(session)
    window.timeline.assemble()
    window.docks["timeline"].raise_()

    # add a shot in the script: the re-breakdown preview says one is new; Apply adds it as 27A
    editor = window.script.editor
    assert HEADING in editor.toPlainText()
    editor.setPlainText(editor.toPlainText().replace(HEADING, HEADING + "Spray bursts white.\n\n"))
    dialog = window.script.preview()
    assert dialog.tree.topLevelItem(1).text(3) == "1"  # Shots: one new
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: model.rowCount() == 38, timeout=20000)
    after = _numbers(session)
    assert {i: after[i] for i in before} == before  # no existing number changed
    assert [n for i, n in after.items() if i not in before] == ["27A"]
    assert _cards(model)[26:29] == ["27", "27A", "28"]

    # add a shot after 27A from the storyboard's context menu: 27B, nothing else moves
    window.storyboard.setCurrentIndex(model.index(27))
    _action(window.storyboard.context_menu(), "Add a shot after this one").trigger()
    qtbot.waitUntil(lambda: model.rowCount() == 39, timeout=10000)
    assert _cards(model)[26:30] == ["27", "27A", "27B", "28"]
    lettered = _cards(model)

    # renumber all shots: 1…39 on the cards and on the timeline's clips; undo brings them back
    _action(window.storyboard.context_menu(), "Renumber all shots 1, 2, 3…").trigger()
    qtbot.waitUntil(lambda: _cards(model) == [str(i) for i in range(1, 40)], timeout=10000)
    assert window.actions.undo.text() == "&Undo renumber shots"
    clips = _picture_clips(window)  # the cut assembled before: 37 shots, 28 now numbered 30
    assert len(clips) == 37 and _named_by_number_now(window)
    assert [c.name for c in clips[26:28]] == ["Shot 27", "Shot 30"]
    window.actions.undo.trigger()
    qtbot.waitUntil(lambda: _cards(model) == lettered, timeout=10000)
    assert [c.name for c in _picture_clips(window)[26:28]] == ["Shot 27", "Shot 28"]
