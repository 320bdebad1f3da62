"""Commands on the shot list: reorder, add, archive."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from studio.domain.entities import Shot, Status
from studio.store.project_store import ProjectStore


@dataclass
class ReorderShots:
    """Put the (non-archived) shots in `order` (a list of shot ids) and renumber them 1…N."""

    order: list[int]
    label: str = "reorder shots"
    _before: dict[int, tuple[int, str]] = field(default_factory=dict, repr=False)

    def do(self, store: ProjectStore) -> None:
        current = store.shots.in_order()
        if sorted(self.order) != sorted(s.id for s in current):
            raise ValueError("a reorder must name every shot exactly once")
        self._before = {s.id: (s.order, s.number) for s in current}
        with store.engine.begin() as conn:
            for position, shot_id in enumerate(self.order):
                store.shots.set_fields(shot_id, conn, order=position, number=str(position + 1))

    def undo(self, store: ProjectStore) -> None:
        with store.engine.begin() as conn:
            for shot_id, (order, number) in self._before.items():
                store.shots.set_fields(shot_id, conn, order=order, number=number)


@dataclass
class AddShot:
    shot: Shot
    label: str = "add shot"
    added_id: int | None = None

    def do(self, store: ProjectStore) -> None:
        shot = replace(self.shot, id=self.added_id)
        self.added_id = store.shots.add(shot).id

    def undo(self, store: ProjectStore) -> None:
        if self.added_id is not None:
            store.shots.delete(self.added_id)


@dataclass
class ArchiveShot:
    """Take a shot out of the film; its takes stay (restore it by undo or `shots set`)."""

    shot_id: int
    label: str = "remove shot"
    _status: Status | None = None

    def do(self, store: ProjectStore) -> None:
        self._status = store.shots.get(self.shot_id).status
        store.shots.set_fields(self.shot_id, status=Status.ARCHIVED)

    def undo(self, store: ProjectStore) -> None:
        store.shots.set_fields(self.shot_id, status=self._status or Status.CURRENT)
