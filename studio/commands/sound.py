"""Commands on the film's sound that is not dialogue: the music bed and the sound effects.

They change what every later assembly lays on the music and sfx tracks; the services pair each
with a `SetTimeline` that lays it on the stored cut, in one transaction, so undo takes back both.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from studio.domain.entities import SoundEffect
from studio.store.project_store import ProjectStore


@dataclass
class SetMusicBed:
    """Make the asset `asset_id` the film's music bed; None takes the music bed out."""

    asset_id: int | None
    label: str = "set the music bed"
    _before: int | None = field(default=None, repr=False)

    def do(self, store: ProjectStore) -> None:
        current = store.music_bed.current()
        self._before = current.asset_id if current else None
        store.music_bed.set(self.asset_id)

    def undo(self, store: ProjectStore) -> None:
        store.music_bed.set(self._before)


@dataclass
class AddSoundEffect:
    """Place a sound effect in the film (redo puts it back with the same id)."""

    effect: SoundEffect
    label: str = "add a sound effect"
    added_id: int | None = None

    def do(self, store: ProjectStore) -> None:
        self.added_id = store.sound_effects.add(replace(self.effect, id=self.added_id)).id

    def undo(self, store: ProjectStore) -> None:
        if self.added_id is not None:
            store.sound_effects.delete(self.added_id)


@dataclass
class RemoveSoundEffect:
    """Take a placed sound effect out of the film (undo puts it back where it was)."""

    effect_id: int
    label: str = "remove a sound effect"
    _removed: SoundEffect | None = field(default=None, repr=False)

    def do(self, store: ProjectStore) -> None:
        self._removed = store.sound_effects.get(self.effect_id)
        store.sound_effects.delete(self.effect_id)

    def undo(self, store: ProjectStore) -> None:
        if self._removed is not None:
            store.sound_effects.add(self._removed)
