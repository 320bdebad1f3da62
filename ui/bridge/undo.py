"""A QUndoStack that mirrors the project's History.

Services push their commands onto `project.history`, on whichever thread they run; the History
publishes each change on the project's event stream and the Session hands it to `heard()` on
the UI thread (through the inbox). Each push appears here as one QUndoCommand whose
undo()/redo() call history.undo()/history.redo(); the first redo (QUndoStack.push calls it) is
skipped: the service already did the work. Undo and redo only ever start from this stack, so
their events need no mirroring, only the views' refresh.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from studio.commands import History
from studio.domain.events import HistoryAction, HistoryChanged


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
        self._mirror.history.redo()

    def undo(self) -> None:
        self._mirror.history.undo()


class HistoryMirror:
    """Keeps `stack` in step with `history`; `on_change()` runs after every change."""

    def __init__(
        self, history: History, stack: QUndoStack, on_change: Callable[[], None] | None = None
    ) -> None:
        self.history = history
        self.stack = stack
        self.on_change = on_change
        stack.clear()

    def heard(self, event: HistoryChanged) -> None:
        """A change of the History, on the UI thread."""
        if self.on_change is None:
            return  # detached: the project is closed
        if event.action is HistoryAction.PUSH:
            self.stack.push(HistoryCommand(self, event.label or "edit"))
        elif event.action is HistoryAction.SAVED:
            self.stack.setClean()
        self.on_change()

    def mark_saved(self) -> None:
        """The current state is the saved one (the title loses its mark)."""
        self.history.mark_saved()

    def detach(self) -> None:
        self.on_change = None
