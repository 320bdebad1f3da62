"""The cut as Final Cut Pro 7 XML (xmeml 4), which Premiere Pro and Resolve import.

OpenTimelineIO's fcp_xml adapter writes every track, gap, dissolve and fade to and from black
from `interchange_cut`; this module then completes what Premiere reads and the adapter leaves
out or gets wrong:

- the sequence's `<format><samplecharacteristics>`: width, height, square pixels, its rate
  (and 48 kHz, 16-bit sound);
- one `<rate>` per clipitem (the adapter writes two);
- `<sourcetrack><mediatype>audio</mediatype><trackindex>1</trackindex>` on audio clipitems;
- a file's `<media>` claims only what it has: a still or a silent video no `<audio>`, a sound
  no `<video>` (a video is probed once, `studio.media.decode.probe`);
- levels: a sound clip's gain, fades and the music's ducking as an Audio Levels filter
  (`effectid` audiolevels, linear gain, keyframes `<when>` in the clip's source frames) from
  `studio.timeline.levels`.

Sound tracks become audio tracks A1, A2… in the timeline's order, named as ours.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from studio.domain.timeline import Timeline
from studio.timeline.interchange import MediaKinds, interchange_cut
from studio.timeline.levels import linear

MAX_LEVEL = "3.98109"  # +12 dB, the most Audio Levels allows


def write_fcp_xml(
    timeline: Timeline, media, recipes: dict, path: Path, picture: tuple[int, int] | None
) -> None:
    """Final Cut Pro 7 XML: every track, gaps, dissolves, fades, levels, file paths."""
    cut = interchange_cut(timeline, media, recipes)
    text = otio.adapters.write_to_string(cut, adapter_name="fcp_xml")
    root = ET.fromstring(text)
    completed(root, cut, Fraction(timeline.rate), picture, MediaKinds(media))
    ET.indent(root, space="  ")
    path.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE xmeml>\n'
        + ET.tostring(root, encoding="utf-8")
        + b"\n"
    )


def completed(
    root: ET.Element,
    cut: otio.schema.Timeline,
    rate: Fraction,
    picture: tuple[int, int] | None,
    kinds: MediaKinds,
) -> None:
    """Complete the adapter's xmeml in place (see the module's doc)."""
    sequence = root.find("./project/children/sequence")
    if sequence is None:
        sequence = root.find(".//sequence")
    _formats(sequence, rate, picture)
    tracks = {
        "video": [t for t in cut.tracks if t.kind == otio.schema.TrackKind.Video],
        "audio": [t for t in cut.tracks if t.kind == otio.schema.TrackKind.Audio],
    }
    for mediatype, ours in tracks.items():
        written = sequence.findall(f"./media/{mediatype}/track")
        for track, element in zip(ours, written, strict=False):
            items = element.findall("./clipitem")
            clips = list(track.find_clips(shallow_search=True))
            for clip, item in zip(clips, items, strict=False):
                _clipitem(item, clip, mediatype, kinds)


def _rate(rate: Fraction) -> ET.Element:
    element = ET.Element("rate")
    ET.SubElement(element, "timebase").text = str(round(rate))
    ET.SubElement(element, "ntsc").text = "TRUE" if rate.denominator == 1001 else "FALSE"
    return element


def _formats(sequence: ET.Element, rate: Fraction, picture: tuple[int, int] | None) -> None:
    video = sequence.find("./media/video")
    if video is not None and picture is not None:
        found = video.find("./format")
        if found is None:
            found = ET.Element("format")
            video.insert(0, found)
        found.clear()
        sample = ET.SubElement(found, "samplecharacteristics")
        sample.append(_rate(rate))
        ET.SubElement(sample, "width").text = str(picture[0])
        ET.SubElement(sample, "height").text = str(picture[1])
        ET.SubElement(sample, "anamorphic").text = "FALSE"
        ET.SubElement(sample, "pixelaspectratio").text = "square"
        ET.SubElement(sample, "fielddominance").text = "none"
    audio = sequence.find("./media/audio")
    if audio is not None and audio.find("./format") is None:
        found = ET.Element("format")
        sample = ET.SubElement(found, "samplecharacteristics")
        ET.SubElement(sample, "depth").text = "16"
        ET.SubElement(sample, "samplerate").text = "48000"
        audio.insert(0, found)


def _clipitem(item: ET.Element, clip: otio.schema.Clip, mediatype: str, kinds: MediaKinds) -> None:
    rates = item.findall("./rate")
    for extra in rates[1:]:
        item.remove(extra)
    file = item.find("./file")
    if file is not None and file.find("./media") is not None:
        has_video, has_audio = kinds.of(clip)
        media = file.find("./media")
        for kind, has in (("video", has_video), ("audio", has_audio)):
            for element in media.findall(f"./{kind}"):
                if not has:
                    media.remove(element)
    if mediatype != "audio":
        return
    if item.find("./sourcetrack") is None:
        source = ET.SubElement(item, "sourcetrack")
        ET.SubElement(source, "mediatype").text = "audio"
        ET.SubElement(source, "trackindex").text = "1"
    meta = clip.metadata.get("microfilm") or {}
    gain = float(meta.get("gain_db", 0.0) or 0.0)
    levels = list(meta.get("levels") or [])
    if levels or gain:
        source_in = int(round(clip.source_range.start_time.value))
        item.append(_audio_levels(gain, levels, source_in))


def _audio_levels(gain_db: float, levels: list, source_in: int) -> ET.Element:
    """An Audio Levels filter: the clip's gain, with keyframes where its level changes."""
    filter_element = ET.Element("filter")
    effect = ET.SubElement(filter_element, "effect")
    for tag, text in (
        ("name", "Audio Levels"),
        ("effectid", "audiolevels"),
        ("effectcategory", "audiolevels"),
        ("effecttype", "audiolevels"),
        ("mediatype", "audio"),
    ):
        ET.SubElement(effect, tag).text = text
    parameter = ET.SubElement(effect, "parameter", authoringApp="PremierePro")
    ET.SubElement(parameter, "parameterid").text = "level"
    ET.SubElement(parameter, "name").text = "Level"
    ET.SubElement(parameter, "valuemin").text = "0"
    ET.SubElement(parameter, "valuemax").text = MAX_LEVEL
    ET.SubElement(parameter, "value").text = f"{linear(gain_db):g}"
    for frame, db in levels:
        keyframe = ET.SubElement(parameter, "keyframe")
        ET.SubElement(keyframe, "when").text = str(source_in + int(frame))
        ET.SubElement(keyframe, "value").text = f"{linear(db):g}"
    return filter_element


__all__ = ["completed", "write_fcp_xml"]
