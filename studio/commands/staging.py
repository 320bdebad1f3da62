"""Commands on a scene's plan: placing a character or a thing (undo puts back what was there)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from studio.domain.entities import SceneMark
from studio.store.project_store import ProjectStore


@dataclass
class PlaceMark:
    """Put `mark` on its scene's plan, replacing the placement of the same name and beat;
    undo restores the one it replaced, or the derived mark when there was none."""

    mark: SceneMark
    label: str = "place on the plan"
    _before: SceneMark | None = field(default=None, repr=False)
    _placed_id: int | None = field(default=None, repr=False)

    def do(self, store: ProjectStore) -> None:
        repo = store.scene_marks
        self._before = repo.at(self.mark.scene_id, self.mark.name, self.mark.beat)
        if self._before is not None:
            repo.update(replace(self.mark, id=self._before.id))
            self._placed_id = self._before.id
        else:
            self._placed_id = repo.add(replace(self.mark, id=self._placed_id)).id

    def undo(self, store: ProjectStore) -> None:
        if self._before is not None:
            store.scene_marks.update(self._before)
        elif self._placed_id is not None:
            store.scene_marks.delete(self._placed_id)
