"""The cut as FCPXML 1.8 for Final Cut Pro X, written here with ElementTree: `write_fcpxml`.

OpenTimelineIO's FCPXML writer drops transitions and looks elements up in a way that grows
with the square of the clips (32 s at 1,200 shots); this one is a single pass. The file is what
Final Cut imports: `<fcpxml version="1.8">` with `<resources>` (the film's `<format>`, one
`<asset>` per media file with its length and whether it has picture and sound, the Cross
Dissolve `<effect>`), then `<library><event name=…><project name=…><sequence>` holding the
`<spine>`:

- the picture (the first video track) as the primary storyline: `asset-clip`s and `gap`s end to
  end, and each dissolve, fade or dip as a `<transition>` between them, over the cut (its
  offset `in_offset` before the cut, its duration both offsets): Final Cut takes the overlap
  from the clips' handles, so the clips keep their places. A transition with no clip on one
  side fades from or to black. A dip to black is written as a Cross Dissolve named
  "dip_to_black" (Final Cut has no dip among its built-in transitions' stable ids).
- every other track as clips connected to the storyline element under their start, on lanes
  below it (sound: -1, -2… in the timeline's order; further picture tracks above: 1, 2…), with
  roles (dialogue, music, effects) and their levels as `adjust-volume` (gain, and keyframes for
  fades and ducking, `studio.timeline.levels`).

Times are rational seconds on the film's frame grid (`72/24s`; `1001/24000s` frames at 23.976).
OpenTimelineIO's fcpx_xml reader reads it back frame-exact, without the transitions (it has
none).
"""

from __future__ import annotations

import bisect
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from studio.domain.timeline import Timeline, TrackKind
from studio.errors import InvalidInput
from studio.timeline.interchange import MediaKinds, interchange_cut

VERSION = "1.8"
CROSS_DISSOLVE = "FxPlug:4731E73A-8DAC-4113-9A30-AE85B1761265"  # Final Cut's Cross Dissolve
SILENT_DB = "-96dB"
_ROLES = {TrackKind.DIALOGUE: "dialogue", TrackKind.MUSIC: "music", TrackKind.SFX: "effects"}


def write_fcpxml(
    timeline: Timeline, media, recipes: dict, path: Path, picture: tuple[int, int] | None
) -> None:
    """Final Cut Pro X: the picture as the primary storyline with its transitions, the other
    tracks connected on lanes, inside a library, an event and a project."""
    cut = interchange_cut(timeline, media, recipes)
    root = fcpxml_tree(timeline, cut, picture, MediaKinds(media), event=timeline.name)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="utf-8")
    path.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n' + body + b"\n")


def video_format_name(picture: tuple[int, int] | None, rate: Fraction) -> str:
    """Final Cut's name for the film's format: FFVideoFormat1080p24, FFVideoFormat720p2398."""
    if picture is None:
        return "FFVideoFormatRateUndefined"
    width, height = picture
    size = {(1920, 1080): "1080", (1280, 720): "720"}.get((width, height), f"{width}x{height}")
    shown = f"{float(rate):.2f}".rstrip("0").rstrip(".").replace(".", "")
    return f"FFVideoFormat{size}p{shown}"


class _Clock:
    """Frames as FCPXML times on the film's frame grid."""

    def __init__(self, rate: Fraction) -> None:
        self.rate = rate
        self.frame = 1 / rate

    def __call__(self, frames: int | float) -> str:
        frames = round(frames)
        if frames == 0:
            return "0s"
        return f"{frames * self.frame.numerator}/{self.frame.denominator}s"

    def duration(self) -> str:
        return f"{self.frame.numerator}/{self.frame.denominator}s"


class _Resources:
    def __init__(self, element: ET.Element, kinds: MediaKinds, clock: _Clock) -> None:
        self.element = element
        self.kinds = kinds
        self.clock = clock
        self.assets: dict[str, str] = {}
        self.dissolve: str | None = None

    def _next_id(self) -> str:
        return f"r{len(self.element) + 1}"

    def asset(self, clip: otio.schema.Clip) -> str:
        url = clip.media_reference.target_url
        if url in self.assets:
            return self.assets[url]
        has_video, has_audio = self.kinds.of(clip)
        available = clip.media_reference.available_range
        ident = self._next_id()
        attributes = {
            "id": ident,
            "name": Path(url).name,
            "src": url,
            "start": "0s",
            "duration": self.clock(available.duration.value),
            "hasVideo": "1" if has_video else "0",
            "hasAudio": "1" if has_audio else "0",
        }
        if has_video:
            attributes["format"] = "r1"
        if has_audio:
            attributes["audioSources"] = "1"
        # an empty <metadata/>: OTIO's reader tests an asset's truth (its children) before
        # reading hasVideo, so a sound with no child would read back as picture
        ET.SubElement(ET.SubElement(self.element, "asset", attributes), "metadata")
        self.assets[url] = ident
        return ident

    def cross_dissolve(self) -> str:
        if self.dissolve is None:
            self.dissolve = self._next_id()
            ET.SubElement(
                self.element,
                "effect",
                {"id": self.dissolve, "name": "Cross Dissolve", "uid": CROSS_DISSOLVE},
            )
        return self.dissolve


def fcpxml_tree(
    timeline: Timeline,
    cut: otio.schema.Timeline,
    picture: tuple[int, int] | None,
    kinds: MediaKinds,
    event: str = "Microfilm",
) -> ET.Element:
    """The FCPXML document of an interchange cut (`interchange_cut`) of `timeline`."""
    rate = Fraction(timeline.rate)
    clock = _Clock(rate)
    root = ET.Element("fcpxml", version=VERSION)
    resources = ET.SubElement(root, "resources")
    format_attributes = {
        "id": "r1",
        "name": video_format_name(picture, rate),
        "frameDuration": clock.duration(),
    }
    if picture is not None:
        format_attributes.update(width=str(picture[0]), height=str(picture[1]))
    ET.SubElement(resources, "format", format_attributes)
    found = _Resources(resources, kinds, clock)
    kinds_of = [t.kind for t in timeline.tracks]
    primary = next((i for i, k in enumerate(kinds_of) if k is TrackKind.VIDEO), None)
    if primary is None:
        raise InvalidInput("the cut has no picture track to write as FCPXML")
    end = timeline.duration.rescaled_to(timeline.rate).value
    library = ET.SubElement(root, "library")
    event_element = ET.SubElement(library, "event", name=event or "Microfilm")
    project = ET.SubElement(event_element, "project", name=cut.name or timeline.name)
    sequence = ET.SubElement(
        project,
        "sequence",
        format="r1",
        duration=clock(end),
        tcStart="0s",
        tcFormat="NDF",
        audioLayout="stereo",
        audioRate="48k",
    )
    spine = ET.SubElement(sequence, "spine")
    parents = _storyline(spine, cut.tracks[primary], found, clock)
    lanes = _lanes(kinds_of, primary)
    for index, track in enumerate(cut.tracks):
        if index != primary:
            _connect(track, lanes[index], kinds_of[index], parents, found, clock)
    return root


def _lanes(kinds: list[TrackKind], primary: int) -> dict[int, int]:
    lanes, below, above = {}, 0, 0
    for index, kind in enumerate(kinds):
        if index == primary:
            continue
        if kind is TrackKind.VIDEO:
            above += 1
            lanes[index] = above
        else:
            below -= 1
            lanes[index] = below
    return lanes


class _Parents:
    """The storyline's elements by where they start, to connect clips to."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.elements: list[tuple[ET.Element, int, int]] = []  # element, offset, start

    def add(self, element: ET.Element, offset: int, start: int) -> None:
        self.starts.append(offset)
        self.elements.append((element, offset, start))

    def under(self, frame: int) -> tuple[ET.Element, int, int]:
        index = max(0, bisect.bisect_right(self.starts, frame) - 1)
        return self.elements[index]


def _storyline(
    spine: ET.Element, track: otio.schema.Track, found: _Resources, clock: _Clock
) -> _Parents:
    parents = _Parents()
    at = 0
    for child in track:
        if isinstance(child, otio.schema.Transition):
            into, out = round(child.in_offset.value), round(child.out_offset.value)
            if into + out == 0:
                continue
            name = (child.metadata.get("microfilm") or {}).get("kind") or child.name
            transition = ET.SubElement(
                spine,
                "transition",
                name=name or "Cross Dissolve",
                offset=clock(at - into),
                duration=clock(into + out),
            )
            ET.SubElement(
                transition, "filter-video", ref=found.cross_dissolve(), name="Cross Dissolve"
            )
            continue
        frames = round(child.duration().value)
        if isinstance(child, otio.schema.Clip) and _has_file(child):
            start = round(child.source_range.start_time.value)
            element = _asset_clip(spine, child, found, clock, at, start)
        else:
            start = 0
            element = ET.SubElement(
                spine,
                "gap",
                name=getattr(child, "name", "") or "Gap",
                offset=clock(at),
                start="0s",
                duration=clock(frames),
            )
        parents.add(element, at, start)
        at += frames
    return parents


def _has_file(clip: otio.schema.Clip) -> bool:
    reference = clip.media_reference
    return isinstance(reference, otio.schema.ExternalReference) and bool(reference.target_url)


def _asset_clip(
    parent: ET.Element,
    clip: otio.schema.Clip,
    found: _Resources,
    clock: _Clock,
    offset: int,
    start: int,
    lane: int | None = None,
    role: str | None = None,
) -> ET.Element:
    attributes = {"ref": found.asset(clip), "name": clip.name}
    if lane is not None:
        attributes["lane"] = str(lane)
    attributes.update(
        offset=clock(offset),
        start=clock(start),
        duration=clock(clip.source_range.duration.value),
    )
    if role is not None:
        attributes["audioRole"] = role
    element = ET.SubElement(parent, "asset-clip", attributes)
    meta = clip.metadata.get("microfilm") or {}
    if role is not None:
        _volume(element, float(meta.get("gain_db", 0.0) or 0.0), meta.get("levels"), start, clock)
    return element


def _volume(element: ET.Element, gain_db: float, levels, start: int, clock: _Clock) -> None:
    """The clip's level as `adjust-volume`, with keyframes in the clip's own time."""
    if not levels and not gain_db:
        return
    volume = ET.SubElement(element, "adjust-volume", amount=f"{gain_db:g}dB")
    if levels:
        param = ET.SubElement(volume, "param", name="amount")
        animation = ET.SubElement(param, "keyframeAnimation")
        for frame, db in levels:
            value = SILENT_DB if db is None else f"{db:g}dB"
            ET.SubElement(animation, "keyframe", time=clock(start + frame), value=value)


def _connect(
    track: otio.schema.Track,
    lane: int,
    kind: TrackKind,
    parents: _Parents,
    found: _Resources,
    clock: _Clock,
) -> None:
    """The track's clips connected to the storyline element under each one's start."""
    role = _ROLES.get(kind)
    at = 0
    for child in track:
        frames = round(child.duration().value)
        if isinstance(child, otio.schema.Clip) and _has_file(child) and frames > 0:
            parent, offset, start = parents.under(at)
            local = start + at - offset  # the parent's own time at this frame of the film
            _asset_clip(
                parent,
                child,
                found,
                clock,
                local,
                round(child.source_range.start_time.value),
                lane,
                role,
            )
        at += frames


__all__ = ["VERSION", "fcpxml_tree", "video_format_name", "write_fcpxml"]
