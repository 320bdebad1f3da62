"""What a picture clip calls its shot, taken from the shot when the cut is read.

A stored timeline keeps each picture clip's `shot_id`; its name ("Shot 27A"), its
`metadata["shot_number"]` and a slate card's first line ("SHOT 27A") are written by `assemble`
and brought up to date by `with_shot_numbers` every time the cut is loaded
(`services.timeline.load_timeline`), so the timeline view, the film, the cut files (OTIO, XML,
EDL) and a cut read back all name a shot by the number it has now. A name an editor gave a clip
(anything but "Shot …") is kept.
"""

from __future__ import annotations

import re
from dataclasses import replace

from studio.domain.timeline import Clip, Timeline, TrackKind

_ASSEMBLED = re.compile(r"^Shot \S+$")


def clip_name(number: str) -> str:
    """The name `assemble` gives a shot's picture clip."""
    return f"Shot {number}"


def slate_heading(number: str) -> str:
    """The first line of the card shown for a shot with no picture yet."""
    return f"SHOT {number}"


def _renamed(clip: Clip, number: str) -> Clip:
    metadata = dict(clip.metadata)
    if "shot_number" in metadata or clip.shot_id is not None:
        metadata["shot_number"] = number
    card = metadata.get("title_card")
    lines = card.get("lines") if isinstance(card, dict) else None
    if lines and str(lines[0]).startswith("SHOT "):
        metadata["title_card"] = {**card, "lines": [slate_heading(number), *lines[1:]]}
    name = clip_name(number) if _ASSEMBLED.match(clip.name) else clip.name
    if name == clip.name and metadata == clip.metadata:
        return clip
    return replace(clip, name=name, metadata=metadata)


def with_shot_numbers(timeline: Timeline, numbers: dict[int, str]) -> Timeline:
    """`timeline` with every picture clip named by its shot's number in `numbers` (shot id →
    number); clips of shots not in `numbers`, and sound clips, stay as they are."""
    tracks = []
    for track in timeline.tracks:
        if track.kind is not TrackKind.VIDEO:
            tracks.append(track)
            continue
        items = tuple(
            _renamed(item, numbers[item.shot_id])
            if isinstance(item, Clip) and item.shot_id in numbers
            else item
            for item in track.items
        )
        same = all(new is old for new, old in zip(items, track.items, strict=True))
        tracks.append(track if same else replace(track, items=items))
    return replace(timeline, tracks=tuple(tracks))


__all__ = ["clip_name", "slate_heading", "with_shot_numbers"]
