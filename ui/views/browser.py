"""The project browser: scenes with their shots, and the characters.

It rebuilds only when what it shows changed (shots added, removed, reordered, renamed; scenes;
characters), and only while it is visible: a hidden browser rebuilds when it is shown. Take events
never reach it (a take changes nothing it shows).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from studio.domain.entities import Status
from ui import theme
from ui.session import Session

ShotIdRole = Qt.ItemDataRole.UserRole + 1


class ProjectBrowser(QTreeWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("browser")
        self.session = session
        self.setHeaderLabels(["Project", ""])
        self.setColumnWidth(0, 230)
        self.setUniformRowHeights(True)
        self.itemSelectionChanged.connect(self._selected)
        session.project_changed.connect(self.reload)
        session.data_changed.connect(self.reload)
        session.shot_selected.connect(self._follow)
        self._shot_items: dict[int, QTreeWidgetItem] = {}
        self._shown: tuple | None = None  # what the tree shows now (None: nothing yet)
        self._dirty = False
        self.rebuilds = 0  # how many times the tree was rebuilt (tests and benchmarks read it)

    def reload(self) -> None:
        """Rebuild if visible and something shown changed; when hidden, on the next show."""
        if not self.isVisible():
            self._dirty = True
            return
        self._dirty = False
        store = self.session.store
        content = self._content(store) if store is not None else None
        if content == self._shown:
            return
        self._rebuild(content)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _content(self, store) -> tuple:
        """Everything the tree shows, as plain values (O(n), no query per row)."""
        scenes = [
            (s.id, f"{s.number}  {s.heading}", s.status is Status.STALE)
            for s in store.scenes.in_order()
        ]
        shots = tuple(
            (
                shot.scene_id,
                shot.id,
                f"Shot {shot.number} · {shot.size.value}",
                f"{float(shot.duration.seconds):.1f}s",
                shot.description,
            )
            for shot in self.session.shots()
        )
        people = tuple(
            (sheet.name, sheet.voice.voice, sheet.colour)
            for sheet in store.characters.all()
            if sheet.status is not Status.ARCHIVED
        )
        return tuple(scenes), shots, people

    def _rebuild(self, content: tuple | None) -> None:
        expanded = {
            self.topLevelItem(i).text(0)
            for i in range(self.topLevelItemCount())
            if self.topLevelItem(i).isExpanded()
        }
        self.blockSignals(True)
        self.clear()
        self._shot_items = {}
        if content is not None:
            self._fill(*content)
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            item.setExpanded(item.text(0) in expanded or not expanded)
        self.blockSignals(False)
        self._shown = content
        self.rebuilds += 1
        self._follow(self.session.current_shot_id)

    def _fill(self, scenes: tuple, shots: tuple, people: tuple) -> None:
        shots_by_scene: dict[int, list] = {}
        for row in shots:
            shots_by_scene.setdefault(row[0], []).append(row)
        root = QTreeWidgetItem(self, [f"Scenes ({len(scenes)})"])
        stale = QColor(theme.BADGES["stale"])
        for scene_id, heading, is_stale in scenes:
            rows = shots_by_scene.get(scene_id, [])
            item = QTreeWidgetItem(root, [heading, f"{len(rows)}"])
            if is_stale:
                item.setForeground(0, stale)
            for _scene, shot_id, label, seconds, description in rows:
                child = QTreeWidgetItem(item, [label, seconds])
                child.setToolTip(0, description)
                child.setData(0, ShotIdRole, shot_id)
                self._shot_items[shot_id] = child
        cast = QTreeWidgetItem(self, [f"Characters ({len(people)})"])
        for name, voice, colour in people:
            item = QTreeWidgetItem(cast, [name, voice])
            item.setForeground(0, QColor(colour).lighter(140))

    def shot_item(self, shot_id: int) -> QTreeWidgetItem | None:
        """The tree item of a shot (None when it is not shown)."""
        return self._shot_items.get(shot_id)

    def _selected(self) -> None:
        items = self.selectedItems()
        shot_id = items[0].data(0, ShotIdRole) if items else None
        if shot_id is not None:
            self.session.select_shot(int(shot_id))

    def _follow(self, shot_id) -> None:
        item = self._shot_items.get(shot_id) if shot_id is not None else None
        if item is not None and not item.isSelected():
            self.blockSignals(True)
            self.setCurrentItem(item)
            self.blockSignals(False)
