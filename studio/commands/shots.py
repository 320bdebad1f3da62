"""Commands on the shot list: reorder, renumber, add, archive. Only RenumberShots changes a
shot's number (see `studio.domain.shot_numbers`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from studio.domain.entities import Shot, Status
from studio.store.project_store import ProjectStore


@dataclass
class ReorderShots:
    """Put the (non-archived) shots in `order` (a list of shot ids); their numbers stay."""

    order: list[int]
    label: str = "reorder shots"
    _before: dict[int, int] = field(default_factory=dict, repr=False)

    def do(self, store: ProjectStore) -> None:
        current = store.shots.in_order()
        if sorted(self.order) != sorted(s.id for s in current):
            raise ValueError("a reorder must name every shot exactly once")
        self._before = {s.id: s.order for s in current}
        with store.engine.begin() as conn:
            for position, shot_id in enumerate(self.order):
                store.shots.set_fields(shot_id, conn, order=position)

    def undo(self, store: ProjectStore) -> None:
        with store.engine.begin() as conn:
            for shot_id, order in self._before.items():
                store.shots.set_fields(shot_id, conn, order=order)


@dataclass
class RenumberShots:
    """Number the shots in the film 1, 2, 3… in their order (the one edit that renumbers)."""

    label: str = "renumber shots"
    _before: dict[int, str] = field(default_factory=dict, repr=False)

    def do(self, store: ProjectStore) -> None:
        current = store.shots.in_order()
        self._before = {s.id: s.number for s in current}
        with store.engine.begin() as conn:
            for position, shot in enumerate(current, start=1):
                store.shots.set_fields(shot.id, conn, number=str(position))

    def undo(self, store: ProjectStore) -> None:
        with store.engine.begin() as conn:
            for shot_id, number in self._before.items():
                store.shots.set_fields(shot_id, conn, number=number)


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
