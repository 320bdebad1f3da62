"""Streaming video encoding with PyAV: H.264 (MP4) or ProRes 422 HQ (MOV), with optional AAC.

Frames go to the encoder one at a time, so memory stays flat however long the video is. Video
timestamps count frames at a time base of 1/fps (fractional rates such as 24000/1001 work);
audio timestamps count samples, and audio is fed to the encoder in frames of exactly the
encoder's frame size, whatever chunk sizes the caller writes.

What a web player or an editing suite needs from the file: a file written to a path has its
index (the `moov` box) before the media (`+faststart`: it plays while it downloads); the
picture is BT.709, limited range, and tagged so (`media.colour`); a keyframe comes at least
every `KEYFRAME_SECONDS` and wherever the caller asks for one (`key=True`: the renderer asks at
every cut), so a seek or a conform lands on a whole picture.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

import av
import numpy as np
from av.video.frame import PictureType

from studio.errors import InvalidInput
from studio.media import colour
from studio.media.codecs import DEFAULT_CODEC, Codec, container_for_suffix, video_codec

_LAYOUTS = {1: "mono", 2: "stereo"}
KEYFRAME_SECONDS = 2  # the longest run between keyframes (x264's default, 250 frames, is 10 s)
# the index before the media; FFmpeg rewrites the file at the end, so only a path can take it
_PATH_OPTIONS = {"movflags": "+faststart"}


def _as_fraction(fps: int | float | Fraction) -> Fraction:
    rate = Fraction(fps).limit_denominator(1001) if isinstance(fps, float) else Fraction(fps)
    if rate <= 0:
        raise InvalidInput(f"frame rate must be positive, got {fps}")
    return rate


def _container_for(target: str | Path | BinaryIO, codec: Codec, container: str | None) -> str:
    if container:
        return container
    named = container_for_suffix(target) if isinstance(target, str | Path) else None
    return named or codec.container


class VideoEncoder:
    """Encode RGB frames (and optionally float audio) into a video file or a binary stream.

    Use it as a context manager, or call `close()`; closing flushes the encoders and writes the
    trailer. `target` is a path or a writable, seekable binary stream such as `io.BytesIO`.
    """

    def __init__(
        self,
        target: str | Path | BinaryIO,
        width: int,
        height: int,
        fps: int | Fraction,
        codec: str = DEFAULT_CODEC,
        crf: int = 18,
        preset: str = "veryfast",
        threads: int = 0,
        audio_rate: int | None = None,
        audio_channels: int = 2,
        audio_bitrate: int = 160_000,
        container: str | None = None,
    ) -> None:
        entry = video_codec(codec)  # the registered codec: encoder, pixel format, options
        if width <= 0 or height <= 0 or width % 2 or height % 2:
            raise InvalidInput(
                f"video size {width}x{height} cannot be encoded", "width and height must be even"
            )
        if audio_rate is not None and audio_channels not in _LAYOUTS:
            raise InvalidInput(f"{audio_channels} audio channels are not supported", "use 1 or 2")
        self.width, self.height = width, height
        self.fps = _as_fraction(fps)
        self.codec = codec
        self.frames_written = 0
        self.samples_written = 0
        self._time_base = 1 / self.fps
        fmt = _container_for(target, entry, container)
        target_arg = str(target) if isinstance(target, Path) else target
        options = _PATH_OPTIONS if isinstance(target_arg, str) else {}
        self._container = av.open(target_arg, mode="w", format=fmt, options=options)
        self._closed = False
        try:
            self._video = self._add_video(entry, crf, preset, threads)
            self._audio = (
                self._add_audio(audio_rate, audio_channels, audio_bitrate) if audio_rate else None
            )
        except Exception:
            self._container.close()
            raise
        self._channels = audio_channels
        self._pending = np.zeros((audio_channels, 0), np.float32)
        self._held: deque[av.Packet] = deque()  # video packets waiting for their sound
        self.held_bytes = 0
        self._yuv = colour.YuvConverter(entry.pix_fmt)

    def _add_video(self, codec: Codec, crf: int, preset: str, threads: int) -> Any:
        stream = self._container.add_stream(codec.encoder, rate=self.fps)
        stream.width, stream.height, stream.pix_fmt = self.width, self.height, codec.pix_fmt
        stream.time_base = self._time_base
        stream.codec_context.time_base = self._time_base
        stream.codec_context.thread_count = threads
        stream.codec_context.gop_size = max(1, round(KEYFRAME_SECONDS * self.fps))
        colour.tag(stream.codec_context)
        if codec.frame_threads:
            stream.codec_context.thread_type = "AUTO"
        stream.options = codec.encoder_options(crf, preset)
        return stream

    def _add_audio(self, rate: int, channels: int, bitrate: int) -> Any:
        codec = video_codec(self.codec).audio_codec
        stream = self._container.add_stream(codec, rate=rate, layout=_LAYOUTS[channels])
        stream.bit_rate = bitrate
        stream.time_base = Fraction(1, rate)
        stream.codec_context.open()
        return stream

    # ---- video -------------------------------------------------------------------------------
    def write_frame(self, rgb: np.ndarray, key: bool = False) -> None:
        """Append one frame: an (height, width, 3) uint8 RGB array; with `key`, a keyframe."""
        if rgb.shape != (self.height, self.width, 3) or rgb.dtype != np.uint8:
            raise InvalidInput(
                f"frame {self.frames_written} is {rgb.dtype} {rgb.shape}, "
                f"expected uint8 ({self.height}, {self.width}, 3)"
            )
        self._encode(self._yuv.frame(rgb), key)

    def write_i420(self, planes: np.ndarray, key: bool = False) -> None:
        """Append one frame already in I420 (H.264 only): an (height*3/2, width) uint8 array
        laid out as `colour.rgb_to_i420` gives it (Y, then U and V at half size), BT.709
        limited range. Skips the colour conversion of `write_frame`. With `key`, a keyframe."""
        expected = (self.height * 3 // 2, self.width)
        if self._video.pix_fmt != "yuv420p":
            raise InvalidInput(f"the {self.codec} encoder takes RGB frames", "use write_frame")
        if planes.shape != expected or planes.dtype != np.uint8:
            raise InvalidInput(
                f"I420 frame {self.frames_written} is {planes.dtype} {planes.shape}, "
                f"expected uint8 {expected}"
            )
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(planes), format="yuv420p")
        self._encode(frame, key)

    def _encode(self, frame: av.VideoFrame, key: bool) -> None:
        frame.pts = self.frames_written
        frame.time_base = self._time_base
        if key:  # x264 makes it an IDR frame (its GOPs are closed) and counts its GOP from it
            frame.pict_type = PictureType.I
        self._mux_video(self._video.encode(frame))
        self.frames_written += 1

    def _mux_video(self, packets: list[av.Packet]) -> None:
        """With a sound track, video packets wait until the sound written reaches their time,
        so the file stays interleaved however far the picture runs ahead of the sound
        (`held_bytes` says how much waits; a caller bounds it by writing the sound)."""
        if self._audio is None:
            self._container.mux(packets)
            return
        for packet in packets:
            self._held.append(packet)
            self.held_bytes += packet.size
        self._release(final=False)

    def _release(self, final: bool) -> None:
        heard = Fraction(self.samples_written, self._audio.codec_context.sample_rate)
        while self._held:
            packet = self._held[0]
            stamp = packet.dts if packet.dts is not None else packet.pts
            if not final and stamp is not None and stamp * packet.time_base > heard:
                break
            self._held.popleft()
            self.held_bytes -= packet.size
            self._container.mux(packet)

    # ---- audio -------------------------------------------------------------------------------
    def write_audio(self, samples: np.ndarray) -> None:
        """Append audio: an (n, channels) float32 array in -1..1, in chunks of any size."""
        if self._audio is None:
            raise InvalidInput("this encoder has no audio track", "pass audio_rate to add one")
        data = np.asarray(samples, dtype=np.float32)
        if data.ndim == 1 and self._channels == 1:
            data = data[:, None]
        if data.ndim != 2 or data.shape[1] != self._channels:
            raise InvalidInput(
                f"audio chunk has shape {data.shape}, expected (n, {self._channels})"
            )
        self._pending = np.concatenate([self._pending, data.T], axis=1)
        self._drain_audio(final=False)

    def _drain_audio(self, final: bool) -> None:
        size = self._audio.codec_context.frame_size or 1024
        while self._pending.shape[1] >= size or (final and self._pending.shape[1]):
            chunk, self._pending = self._pending[:, :size], self._pending[:, size:]
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(chunk), format="fltp", layout=_LAYOUTS[self._channels]
            )
            frame.sample_rate = self._audio.codec_context.sample_rate
            frame.pts = self.samples_written
            frame.time_base = self._audio.time_base
            self.samples_written += chunk.shape[1]
            self._container.mux(self._audio.encode(frame))
        self._release(final=False)

    # ---- closing -----------------------------------------------------------------------------
    def close(self) -> None:
        """Flush the encoders and write the trailer. Closing twice is harmless."""
        if self._closed:
            return
        self._closed = True
        try:
            self._mux_video(self._video.encode(None))
            if self._audio is not None:
                self._drain_audio(final=True)
                self._container.mux(self._audio.encode(None))
                self._release(final=True)
        finally:
            self._container.close()

    def abort(self) -> None:
        """Stop without flushing the encoders (after an error or a cancel); the output is
        incomplete and should be discarded."""
        if not self._closed:
            self._closed = True
            try:
                self._container.close()
            except av.FFmpegError:
                pass

    def __enter__(self) -> VideoEncoder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def encode_frames(
    frames: Iterable[np.ndarray],
    target: str | Path | BinaryIO,
    width: int,
    height: int,
    fps: int | Fraction,
    **kw: Any,
) -> int:
    """Encode every frame of `frames` into `target`; returns the number of frames written.

    Keyword arguments go to `VideoEncoder` (codec, crf, preset, threads, container…).
    """
    with VideoEncoder(target, width, height, fps, **kw) as encoder:
        for frame in frames:
            encoder.write_frame(frame)
        return encoder.frames_written
