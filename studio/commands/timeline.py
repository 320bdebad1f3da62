"""Commands on the stored cut."""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.domain.timeline import Timeline
from studio.store.project_store import ProjectStore


@dataclass
class SetTimeline:
    """Replace a stored timeline (an assembly or an edit), remembering the one before."""

    name: str
    timeline: Timeline
    label: str = "edit the timeline"
    _before: dict | None = field(default=None, repr=False)

    def do(self, store: ProjectStore) -> None:
        self._before = store.timelines.load(self.name)
        store.timelines.save(self.timeline.to_json(), self.name)

    def undo(self, store: ProjectStore) -> None:
        if self._before is not None:
            store.timelines.save(self._before, self.name)
        else:
            store.timelines.delete(self.name)
