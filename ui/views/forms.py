"""Small form pieces the dialogs share."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton


def folder_row(edit: QLineEdit, browse: Callable[[], None]) -> QHBoxLayout:
    """A folder's field with a "…" button beside it that calls `browse`."""
    button = QPushButton("…")
    button.clicked.connect(browse)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row
