"""Bring an editor's cut back: `import_cut` reads an OpenTimelineIO file and makes it the
project's timeline, as one undoable step, reporting what changed against the current cut.

Formats: `.otio`, `.otioz` and `.otiod` are read by OpenTimelineIO itself; CMX 3600 EDLs, Final
Cut Pro 7 / Premiere XML and Final Cut Pro X XML through OpenTimelineIO's adapters, which come
with the studio (AAF with `otio-aaf-adapter`). Those formats carry no studio metadata, so their
clips are matched by their media files. A cut that brings picture only (an EDL) keeps our sound:
the dialogue follows its shots (`studio.timeline.conform`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from studio.commands.timeline import SetTimeline
from studio.domain.entities import Asset, TakeKind
from studio.domain.timeline import Timeline, TrackKind
from studio.errors import InvalidInput
from studio.services.project import OpenProject
from studio.services.timeline import load_timeline, music_bed, sound_effects
from studio.store.blobs import hash_file
from studio.store.project_store import ProjectStore
from studio.timeline.assemble import effect_tracks
from studio.timeline.conform import follow_picture, has_sound, keep_track_names
from studio.timeline.cut_diff import CHANGE_KINDS, TrackChanges, compare
from studio.timeline.cut_formats import CUT_FORMATS, format_for_suffix
from studio.timeline.otio_import import ForeignClip, MediaMatch, from_otio


class StoreMediaIndex:
    """The import's view of the project's media: assets by id, by stored path, by content."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store
        self._owners: dict[int, MediaMatch] | None = None
        self._hashes: dict[Path, str] = {}

    def by_asset_id(self, asset_id: int) -> MediaMatch | None:
        asset = self.store.assets.find(asset_id)
        return None if asset is None else self._match(asset)

    def by_path(self, path: Path) -> MediaMatch | None:
        path = path.expanduser().resolve()
        media = (self.store.folder / "media").resolve()
        if path.is_relative_to(media):
            asset = self.store.assets.by_sha(path.stem)
            if asset is not None:
                return self._match(asset)
        if not path.is_file():
            return None
        if path not in self._hashes:
            self._hashes[path] = hash_file(path)
        asset = self.store.assets.by_sha(self._hashes[path])
        return None if asset is None else self._match(asset)

    def _match(self, asset: Asset) -> MediaMatch:
        """The asset's take, shot and line, with the length of a video file: a clip of it must
        end within it (a still has no length of its own; a sound past its end is silence, or
        a music bed that loops)."""
        if self._owners is None:
            self._owners = self._take_owners()
        found = self._owners.get(asset.id, MediaMatch(asset.id))
        length = asset.duration if asset.kind == "video" else None
        sound = asset.duration if asset.kind == "audio" else None
        return replace(found, duration=length, sound=sound)

    def _take_owners(self) -> dict[int, MediaMatch]:
        """The first take of each asset, with its shot (and line) and a label for reports."""
        shots = {s.id: s for s in self.store.shots.all()}
        lines = {line.id: line for line in self.store.lines.all()}
        owners: dict[int, MediaMatch] = {}
        for take in self.store.takes.all():
            if take.asset_id in owners:
                continue
            if take.kind is TakeKind.VOICE and take.owner_id in lines:
                line = lines[take.owner_id]
                meta = {"character_id": line.character_id, "text": line.text}
                owners[take.asset_id] = MediaMatch(
                    take.asset_id, take.id, line.shot_id, line.id, meta
                )
            elif take.owner_id in shots:
                shot = shots[take.owner_id]
                meta = {"shot_number": shot.number, "description": shot.description}
                owners[take.asset_id] = MediaMatch(take.asset_id, take.id, shot.id, None, meta)
        return owners


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do) to the project's timeline."""

    path: Path
    dry_run: bool
    timeline: Timeline
    before_frames: int
    tracks: list[TrackChanges] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    foreign: list[ForeignClip] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(t.status != "unchanged" for t in self.tracks)

    def counts(self) -> dict[str, int]:
        return {k: sum(t.counts()[k] for t in self.tracks) for k in CHANGE_KINDS}

    def to_json(self) -> dict:
        return {
            "path": str(self.path),
            "dry_run": self.dry_run,
            "changed": self.changed,
            "frames_before": self.before_frames,
            "frames_after": self.timeline.duration.value,
            "counts": self.counts(),
            "tracks": [t.to_json() for t in self.tracks],
            "warnings": self.warnings,
            "gaps_for_missing_media": [
                {"track": f.track, "index": f.index, "name": f.name, "url": f.url}
                for f in self.foreign
            ],
        }


def _lacks(timeline: Timeline, before: Timeline, kind: TrackKind) -> bool:
    """Whether `before` has tracks of `kind` and `timeline` none."""
    return not any(t.kind is kind for t in timeline.tracks) and any(
        t.kind is kind for t in before.tracks
    )


def read_cut(path: Path):
    """The OTIO timeline in `path` (a collection holding exactly one timeline is opened too).

    A registered cut format (`studio.timeline.cut_formats`) is read with its own adapter;
    another file (.otioz, .otiod, .aaf…) with the adapter OpenTimelineIO finds for it."""
    import opentimelineio as otio

    path = Path(path)
    if not path.exists():
        raise InvalidInput(f"no cut at {path}", "give the path of an .otio file")
    registered = format_for_suffix(path)
    if registered and registered.adapter not in otio.adapters.available_adapter_names():
        raise InvalidInput(
            f"cannot read {path.name}: OpenTimelineIO has no {registered.adapter} adapter",
            registered.install_hint(),
        )
    _check_nesting(path)
    try:
        read = otio.adapters.read_from_file(
            str(path), adapter_name=registered.adapter if registered else None
        )
    except otio.exceptions.NoKnownAdapterForExtensionError:
        raise InvalidInput(
            f"cannot read {path.name}: no OpenTimelineIO adapter for {path.suffix or 'it'}",
            f"export the cut as .otio, or install the adapter ({_adapter_packages()})",
        ) from None
    except RecursionError:
        raise InvalidInput(
            f"cannot read the cut {path}: it nests elements deeper than a cut can be",
            "export the cut again from your editing suite",
        ) from None
    except (otio.exceptions.OTIOError, ValueError, OSError, RuntimeError) as err:
        raise InvalidInput(f"cannot read the cut {path}: {err}") from None
    except Exception as err:  # noqa: BLE001 - an adapter tripping over a hostile file
        raise InvalidInput(f"cannot read the cut {path}: {type(err).__name__}: {err}") from None
    if isinstance(read, otio.schema.SerializableCollection):
        found = list(read.find_children(descended_from_type=otio.schema.Timeline))
        if len(found) != 1:
            raise InvalidInput(
                f"{path.name} holds {len(found)} timelines, not one",
                "export only the sequence to bring back",
            )
        read = found[0]
    if not isinstance(read, otio.schema.Timeline):
        raise InvalidInput(
            f"{path} is not an OpenTimelineIO timeline (it holds a {type(read).__name__})"
        )
    return read


# OpenTimelineIO's JSON reader is C++ that recurses per level: a file nested some ten thousand
# levels deep crashes the process. A real cut nests a dozen levels (timeline, stack, track, clip,
# reference, range, time, and its metadata); compound clips add three each.
MAX_CUT_NESTING = 100
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


def json_nesting(data: bytes) -> int:
    """How deeply `data`'s arrays and objects nest (brackets inside strings do not count), in
    one linear pass."""
    import numpy as np

    brackets = np.frombuffer(_NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", data)), np.uint8)
    if not brackets.size:
        return 0
    steps = np.where((brackets == ord("{")) | (brackets == ord("[")), 1, -1).astype(np.int32)
    return int(np.cumsum(steps).max())


def _otio_json(path: Path) -> bytes | None:
    """The OTIO JSON an .otio, .otioz or .otiod holds; None for other formats."""
    import zipfile

    suffix = path.suffix.lower()
    try:
        if suffix == ".otio":
            return path.read_bytes()
        if suffix == ".otiod":
            return (path / "content.otio").read_bytes()
        if suffix == ".otioz":
            with zipfile.ZipFile(path) as bundle:
                return bundle.read("content.otio")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError):
        return None  # OpenTimelineIO's own reader then says what is wrong
    return None


def _check_nesting(path: Path) -> None:
    data = _otio_json(path)
    if data is not None and (depth := json_nesting(data)) > MAX_CUT_NESTING:
        raise InvalidInput(
            f"cannot read the cut {path}: it nests {depth} levels deep "
            f"(a cut needs a few dozen; at most {MAX_CUT_NESTING} are read)",
            "export the cut again from your editing suite",
        )


def _adapter_packages() -> str:
    packaged = [f"{f.package} for {f.suffix}" for f in CUT_FORMATS.values() if f.package]
    return ", ".join([*packaged, "otio-aaf-adapter for AAF"])


def import_cut(
    project: OpenProject,
    path: Path,
    dry_run: bool = False,
    allow_missing: bool = False,
    name: str = "main",
) -> ImportReport:
    """Make the cut in `path` the project's timeline `name` (undoable with project.history).

    With `dry_run` nothing is changed: the report says what would change. With `allow_missing`
    clips whose media is not in the project become gaps of their length (listed in the report)
    instead of refusing the file."""
    path = Path(path)
    cut = read_cut(path)
    store = project.store
    imported = from_otio(
        cut,
        StoreMediaIndex(store),
        store.settings().fps,
        name=name,
        allow_missing=allow_missing,
        base=path.parent.resolve(),
        source=path.name,
    )
    timeline = imported.timeline
    before = load_timeline(store, name)
    warnings = list(imported.warnings)
    if before is not None:
        music = music_bed(store)
        timeline = keep_track_names(before, timeline, music.id if music else None)
        if not has_sound(timeline) and has_sound(before):
            timeline, notes = follow_picture(before, timeline, music, sound_effects(store))
            warnings += notes
        elif _lacks(timeline, before, TrackKind.SFX):  # an EDL: picture, dialogue and music
            effects = effect_tracks(sound_effects(store), round(store.settings().fps))
            timeline = replace(timeline, tracks=(*timeline.tracks, *effects))
            warnings.append(
                "the cut has no effects tracks: the sound effects are laid at their times"
            )
    timeline.metadata["imported_from"] = path.name
    report = ImportReport(
        path=path,
        dry_run=dry_run,
        timeline=timeline,
        before_frames=before.duration.value if before else 0,
        tracks=compare(before, timeline),
        warnings=warnings,
        foreign=imported.foreign,
    )
    if not dry_run:
        project.history.execute(SetTimeline(name, timeline, f"import the cut {path.name}"))
    return report


__all__ = ["ImportReport", "StoreMediaIndex", "import_cut", "read_cut"]
