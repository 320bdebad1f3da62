"""The project browser: scenes with their shots, and the characters."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from studio.domain.entities import Status
from ui import theme
from ui.session import Session

ShotIdRole = Qt.ItemDataRole.UserRole + 1


class ProjectBrowser(QTreeWidget):
    def __init__(self, session: Session, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setObjectName("browser")
        self.session = session
        self.setHeaderLabels(["Project", ""])
        self.setColumnWidth(0, 230)
        self.itemSelectionChanged.connect(self._selected)
        session.project_changed.connect(self.reload)
        session.data_changed.connect(self.reload)
        session.shot_selected.connect(self._follow)
        self._shot_items: dict[int, QTreeWidgetItem] = {}

    def reload(self) -> None:
        expanded = {
            self.topLevelItem(i).text(0)
            for i in range(self.topLevelItemCount())
            if self.topLevelItem(i).isExpanded()
        }
        self.blockSignals(True)
        self.clear()
        self._shot_items = {}
        store = self.session.store
        if store is not None:
            self._fill(store)
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            item.setExpanded(item.text(0) in expanded or not expanded)
        self.blockSignals(False)
        self._follow(self.session.current_shot_id)

    def _fill(self, store) -> None:  # noqa: ANN001
        scenes = store.scenes.in_order()
        shots_by_scene: dict[int, list] = {}
        for shot in store.shots.in_order():
            shots_by_scene.setdefault(shot.scene_id, []).append(shot)
        root = QTreeWidgetItem(self, [f"Scenes ({len(scenes)})"])
        for scene in scenes:
            shots = shots_by_scene.get(scene.id, [])
            item = QTreeWidgetItem(root, [f"{scene.number}  {scene.heading}", f"{len(shots)}"])
            if scene.status is Status.STALE:
                item.setForeground(0, QColor(theme.BADGES["stale"]))
            for shot in shots:
                child = QTreeWidgetItem(
                    item,
                    [
                        f"Shot {shot.number} · {shot.size.value}",
                        f"{float(shot.duration.seconds):.1f}s",
                    ],
                )
                child.setToolTip(0, shot.description)
                child.setData(0, ShotIdRole, shot.id)
                self._shot_items[shot.id] = child
        people = [c for c in store.characters.all() if c.status is not Status.ARCHIVED]
        cast = QTreeWidgetItem(self, [f"Characters ({len(people)})"])
        for sheet in people:
            item = QTreeWidgetItem(cast, [sheet.name, sheet.voice.voice])
            item.setForeground(0, QColor(sheet.colour).lighter(140))

    def _selected(self) -> None:
        items = self.selectedItems()
        shot_id = items[0].data(0, ShotIdRole) if items else None
        if shot_id is not None:
            self.session.select_shot(int(shot_id))

    def _follow(self, shot_id) -> None:  # noqa: ANN001
        item = self._shot_items.get(shot_id) if shot_id is not None else None
        if item is not None and not item.isSelected():
            self.blockSignals(True)
            self.setCurrentItem(item)
            self.blockSignals(False)
