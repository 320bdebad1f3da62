"""What is out of date, in one place: the film is a build, and this says what to rebuild.

- a clip whose keyframe is no longer its shot's active one (`studio.generation.lineage`);
- a voice take whose line or voice changed since it was spoken;
- the cut, per shot, where the shot's active takes or length differ from what the cut shows
  (each shot assembled alone is compared with the cut's clips of that shot);
- an export older than its cut (export.json records the cut it was made from).

The CLI (`studio shots list --json`, `studio timeline status`), the storyboard's badges and the
timeline's "Update the cut" banner all ask here. `update_cut` brings the cut up to date, keeping
the editor's work on every other clip (`studio.timeline.update`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from studio.commands.timeline import SetTimeline
from studio.domain.entities import Shot
from studio.domain.timeline import Clip, Timeline, TrackKind
from studio.generation import lineage
from studio.services.project import OpenProject
from studio.store.project_store import ProjectStore
from studio.timeline.assemble import CutInputs, ShotMedia, assemble
from studio.timeline.update import ShotUpdate, updated_cut


@dataclass(frozen=True)
class ShotBehind:
    """A shot the cut is behind, and why ("picture: take 3 → take 7", "length: 72 → 96")."""

    shot_id: int
    number: str
    reasons: tuple[str, ...]
    picture: bool = False
    dialogue: bool = False


@dataclass
class CutStatus:
    has_cut: bool
    behind: list[ShotBehind] = field(default_factory=list)
    not_in_cut: list[str] = field(default_factory=list)  # shot numbers
    clips_out_of_date: list[str] = field(default_factory=list)
    voices_out_of_date: list[int] = field(default_factory=list)  # line ids
    export_behind: bool | None = None  # None: no export to compare

    def to_json(self) -> dict:
        return {
            "has_cut": self.has_cut,
            "behind": [b.number for b in self.behind],
            "reasons": {b.number: list(b.reasons) for b in self.behind},
            "not_in_cut": self.not_in_cut,
            "clips_out_of_date": self.clips_out_of_date,
            "voices_out_of_date": self.voices_out_of_date,
            "export_behind": self.export_behind,
        }


def clip_current(store: ProjectStore, shot: Shot) -> bool | None:
    """Whether the shot's active clip was made from its active keyframe (None: no clip)."""
    return lineage.clip_current(store, shot)


def clip_status(store: ProjectStore, shots: list[Shot] | None = None) -> dict[int, bool | None]:
    """Shot id → `clip_current`, for many shots in two queries."""
    shots = shots if shots is not None else store.shots.in_order()
    takes = {t.id: t for t in store.takes.all()}
    shas = {a.id: a.sha256 for a in store.assets.all()}
    status: dict[int, bool | None] = {}
    for shot in shots:
        clip = takes.get(shot.active_clip_take_id)
        keyframe = takes.get(shot.active_keyframe_take_id)
        if clip is None:
            status[shot.id] = None
        else:
            status[shot.id] = lineage.clip_made_from(clip, keyframe and shas.get(keyframe.asset_id))
    return status


def voices_out_of_date(store: ProjectStore) -> list[int]:
    """The lines whose active voice take speaks other words or another voice than now."""
    from studio.services.dubbing import voice_request

    stale = []
    for line in store.lines.in_order():
        take = store.takes.find(line.active_voice_take_id)
        if take is not None and not lineage.voice_current(take, voice_request(store, line)):
            stale.append(line.id)
    return stale


def cut_fingerprint(timeline: Timeline) -> str:
    """The sha256 of the cut's stored form: an export records it, to know what it shows."""
    text = json.dumps(timeline.to_json(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def cut_status(
    store: ProjectStore, export_dir: Path | None = None, name: str = "main"
) -> CutStatus:
    """What the cut `name` is behind, and (given an export's folder) whether that export is
    older than the cut."""
    from studio.services.timeline import cut_inputs, load_timeline

    shots = store.shots.in_order()
    status = CutStatus(has_cut=False)
    current = clip_status(store, shots)
    status.clips_out_of_date = [s.number for s in shots if current[s.id] is False]
    status.voices_out_of_date = voices_out_of_date(store)
    timeline = load_timeline(store, name)
    if timeline is None:
        return status
    status.has_cut = True
    inputs = cut_inputs(store)
    shown = _shown(timeline)
    for media in inputs.shots:
        if media.shot.id not in shown:
            status.not_in_cut.append(media.shot.number)
            continue
        behind = _behind(media, _alone(inputs, media), *shown[media.shot.id])
        if behind is not None:
            status.behind.append(behind)
    if export_dir is not None:
        status.export_behind = export_behind(timeline, Path(export_dir))
    return status


def export_behind(timeline: Timeline, export_dir: Path) -> bool | None:
    """Whether the export in `export_dir` shows another cut than `timeline` (None: none there)."""
    report = Path(export_dir) / "export.json"
    if not report.is_file():
        return None
    made_from = json.loads(report.read_text(encoding="utf-8")).get("cut")
    return made_from != cut_fingerprint(timeline)


def update_cut(project: OpenProject, name: str = "main") -> tuple[Timeline, list[ShotBehind]]:
    """Bring the cut up to date: only the shots it is behind get their new media (undoable);
    every other clip keeps its trims, moves, transitions and gains."""
    from studio.services.timeline import cut_inputs, load_timeline

    store = project.store
    timeline = load_timeline(store, name)
    if timeline is None:
        from studio.services.timeline import assemble as assemble_project

        return assemble_project(project, name), []
    status = cut_status(store, name=name)
    if not status.behind:
        return timeline, []
    inputs = cut_inputs(store)
    media = {m.shot.id: m for m in inputs.shots}
    updates = [
        ShotUpdate(b.shot_id, _alone(inputs, media[b.shot_id]), b.picture, b.dialogue)
        for b in status.behind
    ]
    changed = updated_cut(timeline, updates)
    numbers = ", ".join(b.number for b in status.behind)
    project.history.execute(SetTimeline(name, changed, f"update the cut (shots {numbers})"))
    return changed, status.behind


# -- comparing ------------------------------------------------------------------------------


def _alone(inputs: CutInputs, media: ShotMedia) -> Timeline:
    """The shot assembled by itself: the picture and lines the assembly would give it now."""
    single = CutInputs(inputs.fps, inputs.handles, inputs.scenes, [media], name="shot")
    return assemble(single)


def _shown(timeline: Timeline) -> dict[int, tuple[list[Clip], list[Clip]]]:
    """Shot id → (its picture clips, its dialogue clips) in the cut."""
    shown: dict[int, tuple[list[Clip], list[Clip]]] = {}
    for track in timeline.tracks:
        if track.kind not in (TrackKind.VIDEO, TrackKind.DIALOGUE):
            continue
        for item in track.items:
            if isinstance(item, Clip) and item.shot_id is not None:
                pictures, lines = shown.setdefault(item.shot_id, ([], []))
                if track.kind is TrackKind.VIDEO:
                    pictures.append(item)
                else:
                    lines.append(item)
    return {shot: parts for shot, parts in shown.items() if parts[0]}


def _clips(timeline: Timeline, kind: TrackKind) -> list[Clip]:
    return [i for t in timeline.tracks if t.kind is kind for i in t.items if isinstance(i, Clip)]


def _behind(
    media: ShotMedia, fresh: Timeline, pictures: list[Clip], lines: list[Clip]
) -> ShotBehind | None:
    reasons: list[str] = []
    picture = _clips(fresh, TrackKind.VIDEO)[0]
    shown = pictures[0]
    new_picture = (shown.take_id, shown.asset_id) != (picture.take_id, picture.asset_id)
    if new_picture:
        reasons.append(f"picture: {_take(shown)} → {_take(picture)}")
    was, now = shown.assembled_duration, picture.assembled_duration
    longer = was is not None and now is not None and was.rescaled_to(now.rate).value != now.value
    if longer:
        reasons.append(f"length: {was.value} → {now.value} frames")
    heard = {(c.line_id, c.take_id) for c in lines}
    wanted = {(c.line_id, c.take_id) for c in _clips(fresh, TrackKind.DIALOGUE)}
    if heard != wanted:
        numbers = {line.id: line.order + 1 for line, _, _ in media.lines}
        changed = sorted({numbers.get(line, 0) for line, _ in heard ^ wanted if line is not None})
        reasons.append("dialogue: line " + ", ".join(map(str, changed)))
    if not reasons:
        return None
    return ShotBehind(
        media.shot.id,
        media.shot.number,
        tuple(reasons),
        picture=new_picture or longer,
        dialogue=heard != wanted or longer,
    )


def _take(clip: Clip) -> str:
    if clip.take_id is None:
        return "a slate"
    kind = "clip" if clip.move is None else "keyframe"
    return f"{kind} take {clip.take_id}"


__all__ = [
    "CutStatus",
    "ShotBehind",
    "clip_current",
    "clip_status",
    "cut_fingerprint",
    "cut_status",
    "export_behind",
    "update_cut",
    "voices_out_of_date",
]
