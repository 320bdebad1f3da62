"""The model library: scan folders, see what was found, and why something was refused."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.bridge.tasks import Task
from ui.session import Session

COLUMNS = ("Name", "Kind", "Pipeline", "Source", "Size", "Status")
BACKEND_COLUMNS = ("Built-in backend", "Makes", "Status")
Row = tuple[tuple[str, ...], str, str]  # the cells, the status colour (a badge), its tooltip


def built_in_rows() -> list[Row]:
    """One row per backend that ships with the studio: what it makes, whether it needs a model."""
    from studio.generation.backends.base import registry

    rows = []
    for name in registry.names():
        if not registry.is_built_in(name):
            continue
        backend = registry.get(name)
        kind = backend.capabilities.kind.value
        if backend.capabilities.needs_model:
            status = "built in: runs a model of the library (Model in the inspector)"
        else:
            status = "built in: usable, needs no model"
        rows.append(((name, f"{kind}s", status), "picked", status))
    return rows


def model_row(entry) -> Row:
    """A model of the library; one whose folder vanished is marked, it cannot run."""
    size = f"{entry.size_bytes / 1e6:.1f} MB" if entry.size_bytes else ""
    if entry.refused:
        status, colour, tip = f"refused: {entry.refused}", "failed", entry.refused
    elif entry.missing:
        status = f"missing: {entry.path} is gone (moved or deleted?): rescan or add it again"
        colour, tip = "stale", entry.path
    else:
        status, colour, tip = "usable: " + ", ".join(entry.capabilities), "picked", entry.path
    return ((entry.name, entry.kind, entry.pipeline_class, entry.source, size, status), colour, tip)


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[Row]) -> None:
    """Write `rows` into `table`; the last column (the status) in its badge colour."""
    table.setRowCount(len(rows))
    for row, (values, colour, tip) in enumerate(rows):
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column == len(values) - 1:
                item.setForeground(QColor(theme.BADGES[colour]))
                item.setToolTip(tip)
            table.setItem(row, column, item)


class ModelLibraryView(QWidget):
    changed = Signal()  # the list was read again (the inspector's model chooser follows)

    def __init__(self, session: Session, home: Path | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("model_library")
        self.session = session
        self.home = home
        self.backends = _table(BACKEND_COLUMNS)  # what runs with no model file at all
        self.table = _table(COLUMNS)  # the library: models found on disk
        self.folders = QLabel("", objectName="muted")
        self.task = None
        scan = QPushButton("Add folder and scan…")
        scan.clicked.connect(self._choose_folder)
        rescan = QPushButton("Rescan")
        rescan.clicked.connect(lambda: self.scan([]))
        bar = QHBoxLayout()
        bar.addWidget(scan)
        bar.addWidget(rescan)
        bar.addWidget(self.folders, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        tables = QSplitter()
        tables.addWidget(self.backends)
        tables.addWidget(self.table)
        tables.setStretchFactor(1, 2)
        layout.addWidget(tables)
        self.refresh()

    def library(self):
        from studio.generation.models import ModelLibrary

        return ModelLibrary(self.home)

    def refresh(self) -> None:
        """The built-in backends first, then the library's models (found, refused, gone)."""
        library = self.library()
        self.folders.setText("Folders: " + (", ".join(library.folders) or "none yet"))
        _fill(self.backends, built_in_rows())
        _fill(self.table, [model_row(entry) for entry in library.list()])
        self.changed.emit()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "A folder with models")
        if folder:
            self.scan([Path(folder)])

    def scan(self, folders: list[Path], hf_cache: bool = True) -> Task:
        """Scan on a worker thread (reading safetensors headers can take a while)."""

        def work() -> list:
            return self.library().scan(folders, hf_cache=hf_cache)

        self.task = self.session.run(work, owner=self, on_done=lambda _found: self.refresh())
        return self.task

    def status_of(self, name: str) -> str:
        """The status shown for a model (or a built-in backend) called `name`."""
        for table in (self.table, self.backends):
            for row in range(table.rowCount()):
                if table.item(row, 0).text() == name:
                    return table.item(row, table.columnCount() - 1).text()
        raise KeyError(name)
