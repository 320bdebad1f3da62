"""The cut as OpenTimelineIO, for any editing suite: `to_otio` and `write_otio`.

This is the cut as the studio holds it; the files an export writes (`film.otio` too) start from
it and are shaped for every reader by `studio.timeline.interchange.interchange_cut`.

Video tracks become OTIO video tracks and dialogue, music and sfx tracks audio ones. Clips point
at their media file by URL with the media's whole length as the available range; every clip
carries its take, shot, line, asset and the take's recipe under `metadata["microfilm"]`, so a
round trip through another tool can be traced back to the generation that made each shot.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import opentimelineio as otio

from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Gap, Timeline, Track, TrackKind, Transition, TransitionKind
from studio.errors import InvalidInput

_TRANSITION_TYPES = {TransitionKind.DISSOLVE: otio.schema.TransitionTypes.SMPTE_Dissolve}


def _rate(rate: Fraction | int) -> float:
    return float(Fraction(rate))


def _time(time: RationalTime) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(time.value, _rate(time.rate))


def _range(time_range: TimeRange) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(_time(time_range.start), _time(time_range.duration))


def _plain(value: Any) -> Any:
    """A JSON-safe copy (OTIO metadata holds only plain values)."""
    return json.loads(json.dumps(value, default=str))


def _reference(clip: Clip, media) -> otio.core.MediaReference:
    if clip.asset_id is None:
        return otio.schema.MissingReference()
    path = Path(media.path(clip.asset_id)).resolve()
    available = None
    if clip.media_duration is not None:
        start = RationalTime(0, clip.source_range.start.rate)
        available = _range(TimeRange(start, clip.media_duration))
    return otio.schema.ExternalReference(target_url=path.as_uri(), available_range=available)


def _clip_metadata(clip: Clip) -> dict:
    """The clip's metadata with its camera move under "move", as OTIO cuts have always held it
    (`otio_import` lifts it back into the clip's field)."""
    if clip.move is None:
        return clip.metadata
    return {**clip.metadata, "move": clip.move.to_json()}


def _time_json(time: RationalTime | None) -> dict | None:
    return time.to_json() if time is not None else None


def _clip(clip: Clip, media, recipes: dict[int, dict]) -> otio.schema.Clip:
    made = otio.schema.Clip(
        name=clip.name,
        media_reference=_reference(clip, media),
        source_range=_range(clip.source_range),
    )
    made.metadata["microfilm"] = _plain(
        {
            "take_id": clip.take_id,
            "shot_id": clip.shot_id,
            "line_id": clip.line_id,
            "asset_id": clip.asset_id,
            "recipe": recipes.get(clip.take_id) if clip.take_id is not None else None,
            "gain_db": clip.gain_db,
            "fade_in": clip.fade_in,
            "fade_out": clip.fade_out,
            "assembled_duration": _time_json(clip.assembled_duration),
            "link": clip.link.to_json() if clip.link else None,
            "clip_metadata": _clip_metadata(clip),
        }
    )
    return made


def _transition(transition: Transition) -> otio.schema.Transition:
    made = otio.schema.Transition(
        name=transition.kind.value,
        transition_type=_TRANSITION_TYPES.get(transition.kind, otio.schema.TransitionTypes.Custom),
        in_offset=_time(transition.in_offset),
        out_offset=_time(transition.out_offset),
    )
    made.metadata["microfilm"] = {"kind": transition.kind.value}
    return made


def _track(track: Track, media, recipes: dict[int, dict]) -> otio.schema.Track:
    video = track.kind is TrackKind.VIDEO
    kind = otio.schema.TrackKind.Video if video else otio.schema.TrackKind.Audio
    made = otio.schema.Track(name=track.name, kind=kind)
    made.metadata["microfilm"] = {
        "kind": track.kind.value,
        "muted": track.muted,
        "gain_db": track.gain_db,
    }
    made.enabled = not track.muted
    for item in track.items:
        if isinstance(item, Clip):
            made.append(_clip(item, media, recipes))
        elif isinstance(item, Gap):
            made.append(
                otio.schema.Gap(
                    source_range=_range(
                        TimeRange(RationalTime(0, item.duration.rate), item.duration)
                    )
                )
            )
        else:
            made.append(_transition(item))
    return made


def to_otio(timeline: Timeline, media, recipes: dict[int, dict]) -> otio.schema.Timeline:
    """The timeline as an OTIO Timeline.

    `media` is a MediaLookup (where each asset lies); `recipes` maps a take id to its recipe."""
    made = otio.schema.Timeline(name=timeline.name)
    made.global_start_time = otio.opentime.RationalTime(0, _rate(timeline.rate))
    made.metadata["microfilm"] = _plain({"rate": str(Fraction(timeline.rate)), **timeline.metadata})
    for track in timeline.tracks:
        made.tracks.append(_track(track, media, recipes))
    return made


def write_otio(timeline: Timeline, media, recipes: dict[int, dict], path: Path) -> Path:
    """Write the cut to `path` (.otio, or .otioz / .otiod bundles); returns the path."""
    path = Path(path)
    try:
        otio.adapters.write_to_file(to_otio(timeline, media, recipes), str(path))
    except (otio.exceptions.OTIOError, ValueError) as err:
        raise InvalidInput(f"cannot write the OTIO cut to {path}: {err}") from err
    return path
