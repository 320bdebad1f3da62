"""The welcome view, shown where the storyboard goes while no project is open: the recent
projects (kept in QSettings), a new project (name, folder, frame rate, aspect) and a new project
started from a screenplay."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.domain.project import ASPECTS
from studio.render.presets import FRAME_RATES
from studio.store.project_store import DB_NAME
from ui.views.forms import folder_row, shown_path, typed_path

RECENT_KEY, RECENT_LIMIT = "recent/projects", 10  # a JSON list of {folder, name}
SCRIPT_FILES = "Screenplays (*.fountain *.txt *.fdx)"
FolderRole = Qt.ItemDataRole.UserRole + 1


def recent_projects(settings: QSettings) -> list[tuple[Path, str]]:
    """The project folders opened most recently, newest first, with the film's name."""
    try:
        entries = json.loads(str(settings.value(RECENT_KEY, "[]")))
    except ValueError:
        return []  # written by something else: start the list again
    return [(Path(e["folder"]), str(e.get("name", ""))) for e in entries if "folder" in e]


def remember_project(settings: QSettings, folder: Path, name: str) -> None:
    """Put `folder` (the film `name`) first in the recent projects."""
    folder = Path(folder).resolve()
    kept = [
        {"folder": str(f), "name": n} for f, n in recent_projects(settings) if f.resolve() != folder
    ]
    entries = [{"folder": str(folder), "name": name}, *kept][:RECENT_LIMIT]
    settings.setValue(RECENT_KEY, json.dumps(entries))
    settings.sync()


def default_parent() -> Path:
    """Where a new project's folder goes unless the user chooses another."""
    return Path.home() / "Microfilm Studio"


class WelcomeView(QWidget):
    """Asks what to work on; the window acts on its signals."""

    open_requested = Signal(object)  # a project folder (Path); None: ask for one
    create_requested = Signal(object, str, int, str)  # folder, name, fps, aspect
    script_requested = Signal(object)  # a screenplay (Path) to start a new project from

    def __init__(self, settings: QSettings, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.settings = settings
        self.recent = QListWidget()
        self.recent.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.recent.setSpacing(3)
        self.recent.itemActivated.connect(self._open_item)
        self.name = QLineEdit(placeholderText="The film's name")
        self.name.textChanged.connect(self._name_changed)
        self.folder = QLineEdit()
        self.fps = QComboBox()
        for fps in FRAME_RATES:
            self.fps.addItem(f"{fps} fps", fps)
        self.aspect = QComboBox()
        for aspect in ASPECTS:
            self.aspect.addItem(aspect, aspect)
        self.create_button = QPushButton("Create the project", objectName="primary")
        self.create_button.clicked.connect(self.create)
        self._build()
        self.reload()
        self._name_changed("")

    def _build(self) -> None:
        title = QLabel("Microfilm Studio", objectName="heading")
        title.setStyleSheet("font-size: 22px;")
        hint = QLabel(
            "From a screenplay to a short film. Open a project, or start one.", objectName="muted"
        )
        open_button = QPushButton("Open another project…")
        open_button.clicked.connect(lambda: self.open_requested.emit(None))
        recent = QVBoxLayout()
        recent.addWidget(QLabel("Recent projects", objectName="heading"))
        recent.addWidget(self.recent, 1)
        recent.addWidget(open_button)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Folder", folder_row(self.folder, self._browse))
        form.addRow("Frame rate", self.fps)
        form.addRow("Aspect", self.aspect)
        script_button = QPushButton("Start from a screenplay…")
        script_button.setToolTip("A new project with these settings, named after the script")
        script_button.clicked.connect(self._choose_script)
        buttons = QHBoxLayout()
        buttons.addWidget(script_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        new = QVBoxLayout()
        new.addWidget(QLabel("New project", objectName="heading"))
        new.addLayout(form)
        new.addLayout(buttons)
        new.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(recent, 1)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.VLine)
        columns.addWidget(rule)
        columns.addLayout(new, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addSpacing(12)
        layout.addLayout(columns, 1)

    # -- the recent projects ----------------------------------------------------------------
    def reload(self) -> None:
        """List the recent projects; one whose folder is gone is shown, greyed, not opened."""
        self.recent.clear()
        for folder, name in recent_projects(self.settings):
            there = (folder / DB_NAME).is_file()
            label = (name or folder.name) + ("" if there else " (missing)")
            item = QListWidgetItem(f"{label}\n{shown_path(folder)}")
            item.setData(FolderRole, str(folder))
            item.setToolTip(str(folder))
            if not there:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.recent.addItem(item)
        if not self.recent.count():
            item = QListWidgetItem("None yet: start a project on the right.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(item)

    def recent_folders(self) -> list[str]:
        """The folders listed, in order (for tests and the menu)."""
        items = (self.recent.item(row) for row in range(self.recent.count()))
        return [item.data(FolderRole) for item in items if item.data(FolderRole)]

    def _open_item(self, item: QListWidgetItem) -> None:
        folder = item.data(FolderRole)
        if folder and item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.open_requested.emit(Path(folder))

    # -- a new project ----------------------------------------------------------------------
    def _name_changed(self, name: str) -> None:
        """The folder follows the name until the user chooses one."""
        if not self.folder.isModified():
            slug = "".join(c if c.isalnum() or c in " -_" else " " for c in name).strip()
            self.folder.setText(shown_path(default_parent() / (slug or "Untitled film")))
        self.create_button.setEnabled(bool(name.strip()))

    def _browse(self) -> None:
        start = str(typed_path(self.folder.text()))
        folder = QFileDialog.getSaveFileName(self, "The new project's folder", start)
        if folder[0]:
            self.folder.setText(shown_path(folder[0]))
            self.folder.setModified(True)

    def create(self) -> None:
        """Ask the window to create the project the form describes."""
        name = self.name.text().strip()
        if name:
            folder = typed_path(self.folder.text())
            self.create_requested.emit(
                folder, name, self.fps.currentData(), self.aspect.currentData()
            )

    def _choose_script(self) -> None:
        path = QFileDialog.getOpenFileName(self, "Start from a screenplay", "", SCRIPT_FILES)[0]
        if path:
            self.start_from_script(Path(path))

    def start_from_script(self, path: Path) -> None:
        """Name the project after the screenplay (unless named already) and ask for it."""
        if not self.name.text().strip():
            self.name.setText(Path(path).stem.replace("_", " ").replace("-", " ").title())
        self.script_requested.emit(Path(path))
