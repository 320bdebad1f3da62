"""A QUndoStack that mirrors the project's History.

Services push their commands onto `project.history`; each push appears here as one QUndoCommand
whose undo()/redo() call history.undo()/history.redo(). The first redo (QUndoStack.push calls
it) is skipped: the service already did the work.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from studio.commands import History


class HistoryCommand(QUndoCommand):
    """One step of the project's History, as Qt's undo framework sees it."""

    def __init__(self, mirror: HistoryMirror, text: str) -> None:
        super().__init__(text)
        self._mirror = mirror
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._mirror.replay(self._mirror.history.redo)

    def undo(self) -> None:
        self._mirror.replay(self._mirror.history.undo)


class HistoryMirror:
    """Keeps `stack` in step with `history`; `on_change()` runs after every change."""

    def __init__(
        self, history: History, stack: QUndoStack, on_change: Callable[[], None] | None = None
    ) -> None:
        self.history = history
        self.stack = stack
        self.on_change = on_change
        self._replaying = False
        stack.clear()
        history.subscribe(self._heard)

    def _heard(self) -> None:
        if self._replaying:
            return
        if self.history.can_undo and not self.history.can_redo:  # a service pushed a step
            self.stack.push(HistoryCommand(self, self.history.undo_label or "edit"))
        if self.on_change is not None:
            self.on_change()

    def replay(self, step: Callable[[], object]) -> None:
        self._replaying = True
        try:
            step()
        finally:
            self._replaying = False
        if self.on_change is not None:
            self.on_change()

    def mark_saved(self) -> None:
        """The current state is the saved one (the title loses its mark)."""
        self._replaying = True
        try:
            self.history.mark_saved()
        finally:
            self._replaying = False
        self.stack.setClean()
        if self.on_change is not None:
            self.on_change()

    def detach(self) -> None:
        self.on_change = None
        self._replaying = True  # a closed project's history no longer reaches the stack
