"""The banner over the timeline that says when the cut is behind its shots, with the action
"Update the cut" (`studio.services.freshness`: the same answer as `studio timeline status`), and
the notice under it that says what an edit of the picture did to the lines linked to it.

It asks again when the project changes, after an edit or an undo (`data_changed`) and when a
take lands (`take_made`), on a worker thread; it never polls.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from studio.services import freshness
from studio.timeline.linked import LineChange
from ui import theme
from ui.session import Session


class CutBanner(QFrame):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("cut-banner")
        self.session = session
        self.status: freshness.CutStatus | None = None
        self._asking = False
        self._again = False
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton("Update the cut")
        self.button.clicked.connect(self.update_cut)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.setStyleSheet(f"#cut-banner {{ background: {theme.BADGES['stale']}; }}")
        self.hide()
        session.project_changed.connect(self.ask)
        session.data_changed.connect(self.ask)
        session.take_made.connect(lambda _event: self.ask())

    def ask(self) -> None:
        """Find out (on a worker thread) what the cut is behind; one question at a time."""
        store = self.session.store
        if store is None:
            self._show(None)
            return
        if self._asking:
            self._again = True
            return
        self._asking = True
        self.session.run(freshness.cut_status, store, owner=self, on_done=self._answered)

    def _answered(self, status: freshness.CutStatus) -> None:
        self._asking = False
        if self._again:
            self._again = False
            self.ask()
            return
        self._show(status)

    def _show(self, status: freshness.CutStatus | None) -> None:
        self.status = status
        if status is None or not status.behind:
            self.hide()
            return
        numbers = ", ".join(b.number for b in status.behind[:8])
        more = f" and {len(status.behind) - 8} more" if len(status.behind) > 8 else ""
        self.text.setText(f"The cut is behind shots {numbers}{more}: their takes changed.")
        self.text.setToolTip(
            "\n".join(f"{b.number}: {'; '.join(b.reasons)}" for b in status.behind)
        )
        self.show()

    def update_cut(self) -> None:
        """Replace the behind shots' media in the cut, keeping every other edit (undoable)."""
        if self.session.project is None:
            return
        result = self.session.call(freshness.update_cut, self.session.project)
        if result is not None:
            numbers = ", ".join(b.number for b in result[1])
            self.session.notice.emit(f"updated the cut: shots {numbers}")


class LinesNotice(QFrame):
    """What the last edit of the picture did to its linked lines besides moving them (a line
    trimmed with its picture, one removed with it): said until dismissed or the next edit."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.session = session
        self.changes: tuple[LineChange, ...] = ()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.dismiss = QPushButton("Dismiss")
        self.dismiss.clicked.connect(lambda: self.show_changes(()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.dismiss)
        self.hide()
        session.project_changed.connect(lambda: self.show_changes(()))

    def show_changes(self, changes: tuple[LineChange, ...]) -> None:
        self.changes = tuple(changes)
        if not self.changes:
            self.hide()
            return
        first = self.changes[0].describe()
        others = len(self.changes) - 1
        more = f" (and {others} more line{'s' if others > 1 else ''})" if others else ""
        self.text.setText(f"{first}{more}. Undo brings it back.")
        self.text.setToolTip("\n".join(c.describe() for c in self.changes))
        self.session.notice.emit(f"{first}{more}")
        self.show()
