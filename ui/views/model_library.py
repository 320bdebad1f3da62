"""The model library: scan folders, see what was found, and why something was refused."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.bridge.tasks import Task
from ui.session import Session

COLUMNS = ("Name", "Kind", "Pipeline", "Source", "Size", "Status")


class ModelLibraryView(QWidget):
    def __init__(self, session: Session, home: Path | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("model_library")
        self.session = session
        self.home = home
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
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
        layout.addWidget(self.table)
        self.refresh()

    def library(self):
        from studio.generation.models import ModelLibrary

        return ModelLibrary(self.home)

    def refresh(self) -> None:
        library = self.library()
        self.folders.setText("Folders: " + (", ".join(library.folders) or "none yet"))
        entries = library.list()
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            size = f"{entry.size_bytes / 1e6:.1f} MB" if entry.size_bytes else ""
            status = (
                f"refused: {entry.refused}"
                if entry.refused
                else "usable: " + ", ".join(entry.capabilities)
            )
            values = (entry.name, entry.kind, entry.pipeline_class, entry.source, size, status)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 5:
                    item.setForeground(
                        QColor(theme.BADGES["failed"] if entry.refused else theme.BADGES["picked"])
                    )
                    item.setToolTip(entry.refused or entry.path)
                self.table.setItem(row, column, item)

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
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).text() == name:
                return self.table.item(row, 5).text()
        raise KeyError(name)
