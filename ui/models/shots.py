"""The shot list as a Qt list model: one row per shot in film order, with its active keyframe's
thumbnail (loaded lazily) and status badges (stale, out of date, queued, running, failed)."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPixmap

from studio.domain.entities import JobState, Shot, Status, TakeKind
from studio.domain.events import JobEvent
from studio.services import freshness
from ui.models.thumbs import ThumbnailCache

MIME = "application/x-studio-shot-ids"
ShotRole = Qt.ItemDataRole.UserRole + 1
ThumbRole = Qt.ItemDataRole.UserRole + 2
BadgesRole = Qt.ItemDataRole.UserRole + 3
IdRole = Qt.ItemDataRole.UserRole + 4
ShotIndex = QModelIndex | QPersistentModelIndex
_VISUAL = (TakeKind.KEYFRAME.value, TakeKind.CLIP.value)
_ORDER = (JobState.RUNNING, JobState.QUEUED, JobState.FAILED)
OUT_OF_DATE = "out of date"  # the badge of a shot whose clip was made from another keyframe


def seconds_text(shot: Shot) -> str:
    return f"{float(shot.duration.seconds):.1f}s"


class ShotListModel(QAbstractListModel):
    """Rows are `Shot`s. `reorder` is called with the new id order after a drag."""

    def __init__(self, thumbs: ThumbnailCache, parent=None) -> None:
        super().__init__(parent)
        self.thumbs = thumbs
        self.store = None
        self.on_reorder = None  # callable(list[int]) set by the owner
        self._shots: list[Shot] = []
        self._row_of: dict[int, int] = {}
        self._jobs: dict[int, dict[int, JobState]] = {}  # shot id → job id → state
        self._paths: dict[int, Path | None] = {}  # take id → media path
        self._keys: dict[str, set[int]] = {}  # thumbnail key (media path) → take ids
        self._row_of_take: dict[int, int] = {}  # active keyframe take id → row
        self._clip_current: dict[int, bool | None] = {}  # shot id → `freshness.clip_current`
        self.resets = 0  # model resets so far (a take event must not cause one)
        thumbs.ready.connect(self._thumb_ready)

    # -- loading ----------------------------------------------------------------------------
    def set_store(self, store, shots: list[Shot] | None = None) -> None:
        """Show `store`'s shots (`shots`: the list already read, in film order)."""
        self.store = store
        self._paths.clear()
        self._keys.clear()
        self._reset(shots)

    def _reset(self, shots: list[Shot] | None) -> None:
        self.beginResetModel()
        self._load(shots)
        self.endResetModel()
        self.resets += 1

    def _load(self, shots: list[Shot] | None = None) -> None:
        if shots is None:
            shots = self.store.shots.in_order() if self.store else []
        self._shots = list(shots)
        self._row_of = {s.id: i for i, s in enumerate(self._shots)}
        self._row_of_take = {
            s.active_keyframe_take_id: i
            for i, s in enumerate(self._shots)
            if s.active_keyframe_take_id is not None
        }
        self._jobs = {}
        if self.store is None:
            self._clip_current = {}
            return
        self._clip_current = freshness.clip_status(self.store, self._shots)
        for job in self.store.jobs.in_state(*_ORDER):
            if job.kind.value in _VISUAL:
                self._jobs.setdefault(job.owner_id, {})[job.id] = job.state

    def refresh(self, shots: list[Shot] | None = None) -> None:
        """Reload (from `shots` when the caller read them already), keeping selections when the
        same shots are only reordered. O(n) in memory, one query for the running jobs."""
        if self.store is None:
            return
        old_ids = [s.id for s in self._shots]
        fresh = self.store.shots.in_order() if shots is None else shots
        if sorted(old_ids) != sorted(s.id for s in fresh):
            self._reset(fresh)
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [old_ids[p.row()] for p in persistent]
        self._load(fresh)
        self.changePersistentIndexList(persistent, [self.index(self._row_of[i]) for i in ids])
        self.layoutChanged.emit()
        if self._shots:
            self.dataChanged.emit(self.index(0), self.index(len(self._shots) - 1))

    # -- Qt model ---------------------------------------------------------------------------
    def rowCount(self, parent: ShotIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._shots)

    def data(self, index: ShotIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        shot = self._shots[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{shot.number}"
        if role == ShotRole:
            return shot
        if role == IdRole:
            return shot.id
        if role == ThumbRole:
            return self.thumbnail_of(shot)
        if role == BadgesRole:
            return self.badges(shot)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"Shot {shot.number} · {shot.size.value} · {seconds_text(shot)}\n{shot.description}"
            )
        return None

    def flags(self, index: ShotIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return Qt.ItemFlag.ItemIsDropEnabled

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # noqa: N802
        data = QMimeData()
        rows = sorted({i.row() for i in indexes})
        data.setData(MIME, json.dumps([self._shots[r].id for r in rows]).encode())
        return data

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    # -- what the cards show ----------------------------------------------------------------
    def keyframe_path(self, shot: Shot) -> Path | None:
        take_id = shot.active_keyframe_take_id
        if take_id is None or self.store is None:
            return None
        if take_id not in self._paths:  # read once, when the card is first painted
            take = self.store.takes.find(take_id)
            asset = self.store.assets.find(take.asset_id) if take else None
            path = self.store.media.absolute(asset.path) if asset else None
            self._paths[take_id] = path
            if path is not None:
                self._keys.setdefault(str(path), set()).add(take_id)
        return self._paths[take_id]

    def thumbnail_of(self, shot: Shot) -> QPixmap | None:
        """The card's picture (None until it is decoded: `thumbs.ready` follows)."""
        path = self.keyframe_path(shot)
        return self.thumbs.get(path) if path else None

    def badges(self, shot: Shot) -> list[str]:
        found = []
        if shot.status is Status.STALE:
            found.append("stale")
        if self._clip_current.get(shot.id) is False:
            found.append(OUT_OF_DATE)
        states = set(self._jobs.get(shot.id, {}).values())
        for state in _ORDER:
            if state in states:
                found.append(state.value)
                break
        return found

    def shot_at(self, row: int) -> Shot:
        return self._shots[row]

    def row_of(self, shot_id: int) -> int | None:
        return self._row_of.get(shot_id)

    def shot_ids(self) -> list[int]:
        return [s.id for s in self._shots]

    # -- changes ----------------------------------------------------------------------------
    def move_rows(self, rows: list[int], to_row: int) -> list[int]:
        """The id order after moving `rows` to before `to_row` (rowCount: to the end); handed
        to `on_reorder`, which calls the reorder service."""
        moving = [self._shots[r].id for r in sorted(set(rows))]
        before = sum(1 for r in rows if r < to_row)
        order = [i for i in self.shot_ids() if i not in moving]
        at = max(0, min(len(order), to_row - before))
        order[at:at] = moving
        if order != self.shot_ids() and self.on_reorder is not None:
            self.on_reorder(order)
        return order

    def shot_updated(self, shot: Shot) -> None:
        """One shot changed outside the History (a take arrived): repaint its card only."""
        row = self._row_of.get(shot.id)
        if row is None:
            return
        before = self._shots[row].active_keyframe_take_id
        if self._row_of_take.get(before) == row:
            del self._row_of_take[before]
        if shot.active_keyframe_take_id is not None:
            self._row_of_take[shot.active_keyframe_take_id] = row
        self._shots[row] = shot
        if self.store is not None:
            self._clip_current[shot.id] = freshness.clip_current(self.store, shot)
        self.dataChanged.emit(self.index(row), self.index(row))

    def job_event(self, event: JobEvent) -> None:
        """Update one card's badges (no query: the event says what changed)."""
        if event.kind not in _VISUAL or event.owner_id not in self._row_of:
            return
        jobs = self._jobs.setdefault(event.owner_id, {})
        if event.state in _ORDER:
            jobs[event.job_id] = event.state
        else:
            jobs.pop(event.job_id, None)
        row = self._row_of[event.owner_id]
        self.dataChanged.emit(self.index(row), self.index(row), [BadgesRole])

    def _thumb_ready(self, key: str) -> None:
        for take_id in self._keys.get(key, ()):
            row = self._row_of_take.get(take_id)
            if row is not None:
                self.dataChanged.emit(self.index(row), self.index(row), [ThumbRole])
