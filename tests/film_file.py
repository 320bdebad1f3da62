"""What a film file says about itself, read without the studio's code: its ISO media boxes
(MP4/MOV, walked as ISO/IEC 14496-12 and Apple's QuickTime format lay them out) and its
keyframes and colour tags as PyAV demuxes them."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import av
from av.video.reformatter import ColorPrimaries, ColorRange, Colorspace, ColorTrc

# the boxes on the way from the file to a track's sample description
_PATH = (b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsd")
_SAMPLE_ENTRY_HEADER = 78  # a visual sample entry's fields before its child boxes (both formats)


def boxes(data: bytes, start: int = 0, end: int | None = None) -> list[tuple[bytes, int, int]]:
    """The boxes in data[start:end]: (type, where its payload starts, where it ends)."""
    end = len(data) if end is None else end
    found, at = [], start
    while at + 8 <= end:
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        header = 8
        if size == 1:  # a 64-bit size follows the type
            size, header = struct.unpack(">Q", data[at + 8 : at + 16])[0], 16
        elif size == 0:  # runs to the end
            size = end - at
        found.append((kind, at + header, at + size))
        at += size
    return found


def top_level(path: Path) -> list[bytes]:
    """The types of the file's top-level boxes, in order (`ftyp`, `moov`, `mdat`…)."""
    return [kind for kind, _, _ in boxes(path.read_bytes())]


def _children(data: bytes, box: tuple[bytes, int, int], kind: bytes) -> list[tuple]:
    return [child for child in boxes(data, box[1], box[2]) if child[0] == kind]


@dataclass(frozen=True)
class Colr:
    kind: bytes  # b"nclx" (MP4) or b"nclc" (QuickTime)
    primaries: int
    transfer: int
    matrix: int
    full_range: bool | None  # only nclx says


def video_colr(path: Path) -> Colr | None:
    """The `colr` box of the video track's sample entry, or None without one."""
    data = path.read_bytes()
    (moov,) = [box for box in boxes(data) if box[0] == b"moov"]
    for trak in _children(data, moov, b"trak"):
        (mdia,) = _children(data, trak, b"mdia")
        (hdlr,) = _children(data, mdia, b"hdlr")
        if data[hdlr[1] + 8 : hdlr[1] + 12] != b"vide":  # version, flags, pre_defined, handler
            continue
        (stsd,) = _children(data, _children(data, _children(data, mdia, b"minf")[0], b"stbl")[0],
                            b"stsd")  # fmt: skip
        entry = boxes(data, stsd[1] + 8, stsd[2])[0]  # after version, flags and the count
        for kind, payload, _end in boxes(data, entry[1] + _SAMPLE_ENTRY_HEADER, entry[2]):
            if kind == b"colr":
                colour_type = data[payload : payload + 4]
                numbers = data[payload + 4 : payload + 10]
                primaries, transfer, matrix = struct.unpack(">HHH", numbers)
                full = bool(data[payload + 10] >> 7) if colour_type == b"nclx" else None
                return Colr(colour_type, primaries, transfer, matrix, full)
    return None


def keyframe_seconds(path: Path) -> list[float]:
    """When each keyframe of the video stream is shown, in seconds, as PyAV demuxes them."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        times = [
            float(packet.pts * stream.time_base)
            for packet in container.demux(stream)
            if packet.is_keyframe and packet.pts is not None
        ]
    return sorted(times)


def _name(kind: type, value: int) -> str:
    try:
        return kind(value).name
    except ValueError:  # a code point PyAV has no name for (2, unspecified, for a matrix)
        return str(value)


def colour_tags(path: Path) -> tuple[str, str, str, str]:
    """The video stream's (primaries, transfer, matrix, range) as FFmpeg names them."""
    with av.open(str(path)) as container:
        context = container.streams.video[0].codec_context
        return (
            _name(ColorPrimaries, context.color_primaries),
            _name(ColorTrc, context.color_trc),
            _name(Colorspace, context.colorspace),
            _name(ColorRange, context.color_range),
        )
