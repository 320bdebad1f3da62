"""The takes of one shot (keyframes or clips) as a list model, oldest first."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPixmap

from studio.domain.entities import Shot, Take, TakeKind
from ui.models.thumbs import ThumbnailCache

TakeRole = Qt.ItemDataRole.UserRole + 1
ThumbRole = Qt.ItemDataRole.UserRole + 2
PickedRole = Qt.ItemDataRole.UserRole + 3
AnyIndex = QModelIndex | QPersistentModelIndex


def recipe_text(take: Take) -> str:
    """What made a take, in a few lines (the tooltip and the inspector show it)."""
    recipe = take.recipe
    if "imported" in recipe:
        return f"Imported file: {recipe['imported']}"
    request = recipe.get("request", {})
    lines = [
        f"Backend: {recipe.get('backend', '?')} v{recipe.get('backend_version', '?')}",
        f"Model: {recipe.get('model') or '(built in)'}",
        f"Seed: {recipe.get('seed', '?')}",
        f"Size: {request.get('width', '?')}×{request.get('height', '?')}",
        f"Device: {recipe.get('device', '?')} · {recipe.get('wall_time', '?')} s",
    ]
    if request.get("prompt"):
        lines.append(f"Prompt: {request['prompt']}")
    if take.stale:
        lines.append("Stale: the script changed since this take was made")
    return "\n".join(lines)


class TakeListModel(QAbstractListModel):
    def __init__(self, thumbs: ThumbnailCache, parent=None) -> None:
        super().__init__(parent)
        self.thumbs = thumbs
        self.store = None
        self.shot: Shot | None = None
        self.kind = TakeKind.KEYFRAME
        self._takes: list[Take] = []
        self._paths: dict[int, Path] = {}
        thumbs.ready.connect(self._thumb_ready)

    def show(self, store, shot: Shot | None, kind: TakeKind | None = None) -> None:
        self.beginResetModel()
        self.store, self.shot = store, shot
        self.kind = kind or self.kind
        self._takes = store.takes.of_owner(self.kind, shot.id) if (store and shot) else []
        self._paths = {}
        for take in self._takes:
            asset = store.assets.find(take.asset_id)
            if asset is not None:
                self._paths[take.id] = store.media.absolute(asset.path)
        self.endResetModel()

    def refresh(self) -> None:
        if self.store is not None and self.shot is not None:
            shot = self.store.shots.find(self.shot.id)
            self.show(self.store, shot)

    def picked_id(self) -> int | None:
        if self.shot is None:
            return None
        if self.kind is TakeKind.CLIP:
            return self.shot.active_clip_take_id
        return self.shot.active_keyframe_take_id

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._takes)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        take = self._takes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"Take {index.row() + 1}"
        if role == TakeRole:
            return take
        if role == PickedRole:
            return take.id == self.picked_id()
        if role == ThumbRole:
            return self.thumbnail_at(index.row())
        if role == Qt.ItemDataRole.ToolTipRole:
            return recipe_text(take)
        return None

    def thumbnail_at(self, row: int) -> QPixmap | None:
        path = self._paths.get(self._takes[row].id)
        return self.thumbs.get(path) if path else None

    def is_picked(self, row: int) -> bool:
        return self._takes[row].id == self.picked_id()

    def take_at(self, row: int) -> Take:
        return self._takes[row]

    def path_of(self, take: Take) -> Path | None:
        return self._paths.get(take.id)

    def _thumb_ready(self, key: str) -> None:
        for row, take in enumerate(self._takes):
            if str(self._paths.get(take.id)) == key:
                self.dataChanged.emit(self.index(row), self.index(row))
