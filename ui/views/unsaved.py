"""The question asked before a project with unsaved edits is closed (quitting, opening another).

Everything is stored as it is made; "saved" is a checkpoint: File ▸ Save marks the History's
current state (`Session.mark_saved`), and the undo stack's clean state follows it. Unsaved
edits are the undo steps between that checkpoint and now, the same steps the title's • counts.
Closing keeps them (Save) or undoes them back to the checkpoint (Discard). The question is
asked for what the user does (File ▸ Quit, the window's close button, Close, Open, New); a
`close()` from code closes without asking."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from ui.session import Session


def unsaved_text(session: Session) -> str:
    stack = session.undo_stack
    name = session.store.project().name if session.store else "The project"
    if stack.cleanIndex() < 0:
        return (
            f"{name} has changed since you last saved, and the saved state can no longer be "
            "undone back to. Save keeps it as it is now."
        )
    steps = abs(stack.index() - stack.cleanIndex())
    edits = f"{steps} edit{'s' if steps != 1 else ''}"
    return (
        f"{name} has {edits} since you last saved. Everything is stored as you work: Save keeps "
        "them, Discard undoes them back to the saved state."
    )


def ask_about_unsaved(parent: QWidget, session: Session, then: Callable[[], object]) -> None:
    """Run `then()` at once when nothing is unsaved; else ask (a window-modal box,
    `parent.unsaved_box`): Save marks the checkpoint, Discard undoes back to it, and both go on
    to `then()`; Cancel stops there."""
    if not session.dirty:
        then()
        return
    box = QMessageBox(QMessageBox.Icon.Question, "Unsaved edits", unsaved_text(session))
    box.setParent(parent, box.windowFlags())
    box.setWindowModality(Qt.WindowModality.WindowModal)
    save = box.addButton("Save", QMessageBox.ButtonRole.AcceptRole)
    discard = None
    if session.undo_stack.cleanIndex() >= 0:
        discard = box.addButton("Discard them", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)

    def answered(button: QAbstractButton) -> None:
        if button is save:
            session.mark_saved()
        elif discard is not None and button is discard:
            session.revert_to_saved()
        else:
            return
        then()

    box.buttonClicked.connect(answered)
    parent.unsaved_box = box  # type: ignore[attr-defined]
    box.open()
