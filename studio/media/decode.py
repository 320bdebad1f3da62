"""Reading video, audio and still images: probing, frame-accurate decoding and PNG encoding.

Every image the studio decodes goes through `read_image`, which checks its header first.

A `source` is a path or the file's bytes. A file that is not a video, or one that was cut short
(a truncated download, a render that crashed), raises `InvalidInput` naming the file instead of
decoding half a clip.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np

from studio.errors import InvalidInput

from .image_header import DEFAULT_MAX_IMAGE_PIXELS, ImageHeader, check_pixels, image_header

Source = str | Path | bytes


@dataclass(frozen=True)
class VideoInfo:
    """What `probe` learns about a video file."""

    width: int
    height: int
    fps: Fraction
    frames: int
    duration: Fraction  # seconds, frames / fps
    codec: str
    pix_fmt: str
    has_audio: bool = False
    audio_rate: int = 0
    audio_channels: int = 0
    audio_codec: str = ""


def _label(source: Source) -> str:
    return f"{len(source)} bytes of video data" if isinstance(source, bytes) else str(source)


def _size(source: Source) -> int:
    return len(source) if isinstance(source, bytes) else os.path.getsize(source)


def _read_head(source: Source, offset: int, count: int) -> bytes:
    if isinstance(source, bytes):
        return source[offset : offset + count]
    with open(source, "rb") as handle:
        handle.seek(offset)
        return handle.read(count)


def _check_iso_boxes(source: Source) -> None:
    """Walk the top-level boxes of an MP4/MOV file; a box running past the end means truncation."""
    size, offset = _size(source), 0
    if _read_head(source, 4, 4) not in (b"ftyp", b"wide", b"moov", b"mdat", b"free", b"skip"):
        return  # not ISO media: the demuxer judges it
    while offset + 8 <= size:
        box_size, _ = struct.unpack(">I4s", _read_head(source, offset, 8))
        if box_size == 1:
            box_size = struct.unpack(">Q", _read_head(source, offset + 8, 8))[0]
        elif box_size == 0:
            return  # runs to the end of the file
        if box_size < 8 or offset + box_size > size:
            raise InvalidInput(
                f"{_label(source)} is truncated ({size} bytes, a box ends at {offset + box_size})",
                "render or copy the file again",
            )
        offset += box_size


@contextmanager
def _open(source: Source) -> Iterator[Any]:
    if not isinstance(source, bytes) and not os.path.isfile(source):
        raise InvalidInput(f"video file {source} does not exist")
    _check_iso_boxes(source)
    target = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    try:
        container = av.open(target, mode="r")
    except (av.FFmpegError, ValueError, OSError) as err:
        raise InvalidInput(f"{_label(source)} is not a readable video: {err}") from err
    try:
        yield container
    except av.FFmpegError as err:
        raise InvalidInput(f"{_label(source)} is damaged: {err}") from err
    finally:
        container.close()


# FFmpeg reads any text file as ANSI art ("tty"); such "videos" are not what a user meant
_TEXT_FORMATS = {"tty", "bintext", "xbin", "adf", "idf"}


def _video_stream(container: Any, source: Source) -> Any:
    if container.format.name in _TEXT_FORMATS or not container.streams.video:
        raise InvalidInput(f"{_label(source)} has no video stream")
    return container.streams.video[0]


def _fps(stream: Any) -> Fraction:
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    if not rate:
        raise InvalidInput("the video stream has no frame rate")
    return Fraction(rate).limit_denominator(1001)


def _declared_frames(stream: Any, fps: Fraction) -> int | None:
    """The frame count the header declares (None when it declares none)."""
    if stream.frames:
        return int(stream.frames)
    if stream.duration is not None and stream.time_base:
        return round(stream.duration * stream.time_base * fps)
    return None


def _counted_frames(container: Any, stream: Any) -> int:
    """The frames the file really holds: its video packets, demuxed (not decoded)."""
    return sum(1 for packet in container.demux(stream) if packet.size)


def _checked_count(source: Source, declared: int, counted: int) -> int:
    """The real frame count; a header that declares more than twice as many frames as the file
    holds, or fewer than half, lies about the file (a patched or damaged header)."""
    if counted == 0 or declared > 2 * counted or counted > 2 * max(declared, 1):
        raise InvalidInput(
            f"{_label(source)} declares {declared} frames but holds {counted}",
            "the file's header is damaged: render or export the file again",
        )
    return counted


def probe(source: Source, count_frames: bool = False) -> VideoInfo:
    """Describe a video file. Raises InvalidInput for a corrupt, truncated or non-video file.

    `count_frames` (for a file being imported) counts the video packets instead of trusting the
    header (a patched header can declare 2,000,000,000 frames): the count found is the one
    given, and a header that disagrees wildly with it is refused."""
    with _open(source) as container:
        stream = _video_stream(container, source)
        ctx = stream.codec_context
        if not ctx.width or not ctx.height:
            raise InvalidInput(f"{_label(source)} has a video stream with no picture size")
        fps = _fps(stream)
        frames = _declared_frames(stream, fps)
        if frames is None or count_frames:
            counted = _counted_frames(container, stream)
            frames = counted if frames is None else _checked_count(source, frames, counted)
        audio = container.streams.audio[0] if container.streams.audio else None
        return VideoInfo(
            width=ctx.width,
            height=ctx.height,
            fps=fps,
            frames=frames,
            duration=Fraction(frames) / fps,
            codec=ctx.name,
            pix_fmt=ctx.pix_fmt or "",
            has_audio=audio is not None,
            audio_rate=audio.codec_context.sample_rate if audio else 0,
            audio_channels=audio.codec_context.channels if audio else 0,
            audio_codec=audio.codec_context.name if audio else "",
        )


def iter_frames(source: Source, start: int = 0, count: int | None = None) -> Iterator[np.ndarray]:
    """Yield RGB uint8 frames from index `start` (seeking to the nearest keyframe before it),
    `count` of them or up to the end."""
    if start < 0 or (count is not None and count < 0):
        raise InvalidInput(f"cannot read frames from {start} (count {count})")
    if count == 0:
        return
    with _open(source) as container:
        stream = _video_stream(container, source)
        stream.thread_type = "AUTO"
        fps, time_base = _fps(stream), stream.time_base
        origin = stream.start_time or 0
        if start > 0:
            container.seek(origin + round(start / fps / time_base), stream=stream, backward=True)
        yielded = 0
        for frame in container.decode(stream):
            index = round((frame.pts - origin) * time_base * fps) if frame.pts is not None else 0
            if index < start:
                continue
            yield frame.to_ndarray(format="rgb24")
            yielded += 1
            if count is not None and yielded >= count:
                return


def read_frame(source: Source, index: int) -> np.ndarray:
    """The RGB frame at `index`; InvalidInput when the video has no such frame."""
    for frame in iter_frames(source, index, 1):
        return frame
    raise InvalidInput(f"{_label(source)} has no frame {index}")


def decode_audio(source: Source, rate: int = 48000, channels: int = 2) -> np.ndarray:
    """The first audio stream as an (n, channels) float32 array at `rate`; (0, channels) when the
    file has no audio."""
    layout = {1: "mono", 2: "stereo"}.get(channels)
    if layout is None:
        raise InvalidInput(f"cannot decode audio to {channels} channels", "use 1 or 2")
    with _open(source) as container:
        if not container.streams.audio:
            return np.zeros((0, channels), np.float32)
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout=layout, rate=rate)
        chunks = [
            out.to_ndarray().reshape(-1, channels)
            for frame in container.decode(stream)
            for out in resampler.resample(frame)
        ]
        chunks += [out.to_ndarray().reshape(-1, channels) for out in resampler.resample(None)]
        audio = np.concatenate(chunks) if chunks else np.zeros((0, channels), np.float32)
        if stream.duration is not None and stream.time_base:
            audio = audio[: round(stream.duration * stream.time_base * rate)]
        return np.ascontiguousarray(audio, dtype=np.float32)


def read_image(
    data: bytes, name: str = "", max_pixels: int = DEFAULT_MAX_IMAGE_PIXELS
) -> np.ndarray:
    """Decode PNG, JPEG or WebP bytes into an (h, w, 3) RGB uint8 array: the one checked image
    decode. The header is read first (`image_header`): an image of more than `max_pixels`
    (the project setting max_image_pixels), one cut short or not an image at all is refused
    with InvalidInput naming `name`, before a byte of it is decoded."""
    name = name or "(unnamed)"
    header = image_header(data, name)
    check_pixels(header, name, max_pixels)
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None or image.shape[:2] != (header.height, header.width):
        raise InvalidInput(
            f"image {name} is corrupt: its {header.format.upper()} data does not decode "
            f"({len(data)} bytes)",
            "export or copy the image again",
        )
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def check_image(data: bytes, name: str, max_pixels: int = DEFAULT_MAX_IMAGE_PIXELS) -> ImageHeader:
    """The header of an image about to be stored, checked as `read_image` checks it."""
    header = image_header(data, name)
    check_pixels(header, name, max_pixels)
    return header


def check_video(source: Source, name: str, max_pixels: int = DEFAULT_MAX_IMAGE_PIXELS) -> VideoInfo:
    """A video about to be stored: its frames counted (`probe(count_frames=True)`) and its
    picture size checked against `max_pixels` as an image's is, before a frame is decoded."""
    info = probe(source, count_frames=True)
    check_pixels(ImageHeader(info.codec, info.width, info.height), name, max_pixels)
    return info


def encode_png(rgb: np.ndarray, compression: int = 1) -> bytes:
    """Encode an (h, w, 3) RGB uint8 array as PNG bytes (deterministic for the same pixels).

    Fast by default (zlib level 1, the "sub" row filter): about 6 ms for a 640x360 panel.
    """
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise InvalidInput(f"cannot encode a {rgb.dtype} array of shape {rgb.shape} as PNG")
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    params = [cv2.IMWRITE_PNG_COMPRESSION, compression]
    params += [cv2.IMWRITE_PNG_FILTER, cv2.IMWRITE_PNG_FILTER_SUB]
    ok, png = cv2.imencode(".png", bgr, params)
    if not ok:
        raise InvalidInput("PNG encoding failed")
    return png.tobytes()
