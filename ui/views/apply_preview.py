"""A preview of a change before it is made: a summary, a tree of what changes, Apply / Cancel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QVBoxLayout,
)


class ApplyPreview(QDialog):
    """Fill `tree` and `summary`; Apply emits `apply_requested` and closes."""

    apply_requested = Signal()

    def __init__(self, title: str, name: str, columns: list[str], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName(name)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(columns)
        self.summary = QLabel("", objectName="muted")
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("primary")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)

    def _apply(self) -> None:
        self.apply_requested.emit()
        self.accept()
