"""Small form pieces the dialogs share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton


def folder_row(edit: QLineEdit, browse: Callable[[], None]) -> QHBoxLayout:
    """A folder's field with a "…" button beside it that calls `browse`."""
    button = QPushButton("…")
    button.clicked.connect(browse)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


def shown_path(path: Path | str) -> str:
    """A folder as a person reads it: under the home folder it starts with `~`."""
    path, home = Path(path), Path.home()
    try:
        return str(Path("~") / path.relative_to(home))
    except ValueError:
        return str(path)


def typed_path(text: str) -> Path:
    """The folder a field names (`~` is the home folder)."""
    return Path(text.strip()).expanduser()
