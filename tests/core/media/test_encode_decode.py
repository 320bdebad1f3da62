"""Video I/O: real MP4 and MOV files encoded with PyAV and decoded back."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np
import pytest

from studio.errors import InvalidInput
from studio.media.decode import (
    decode_audio,
    encode_png,
    iter_frames,
    probe,
    read_frame,
    read_image,
)
from studio.media.encode import VideoEncoder, encode_frames

W, H = 96, 64


def make_frames(count: int, width: int = W, height: int = H) -> list[np.ndarray]:
    """Frames that differ from each other: a horizontal ramp and a square that moves."""
    ramp = np.linspace(30, 220, width, dtype=np.float32)[None, :, None]
    frames = []
    for i in range(count):
        frame = np.broadcast_to(ramp, (height, width, 3)).astype(np.uint8).copy()
        frame[:, :, 1] = (i * 7) % 200 + 20
        x = (i * 3) % (width - 16)
        frame[20:36, x : x + 16] = (250, 250, 40)
        frames.append(frame)
    return frames


def sine(seconds: float, rate: int = 48000, hz: float = 440.0) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    tone = (0.4 * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    return np.stack([tone, -tone], axis=1)


def test_h264_round_trip_keeps_count_size_rate_and_pictures(tmp_path: Path) -> None:
    frames = make_frames(30)
    path = tmp_path / "clip.mp4"
    assert encode_frames(frames, path, W, H, 24, crf=12) == 30

    info = probe(path)
    assert (info.width, info.height, info.fps, info.frames) == (W, H, Fraction(24), 30)
    assert info.duration == Fraction(30, 24)
    assert (info.codec, info.pix_fmt, info.has_audio) == ("h264", "yuv420p", False)
    decoded = list(iter_frames(path))
    assert len(decoded) == 30
    assert decoded[0].shape == (H, W, 3) and decoded[0].dtype == np.uint8
    errors = [np.abs(a.astype(int) - b).mean() for a, b in zip(decoded, frames, strict=True)]
    assert max(errors) < 6


def test_prores_round_trip_is_422_10_bit_mov(tmp_path: Path) -> None:
    frames = make_frames(12)
    path = tmp_path / "master.mov"
    with VideoEncoder(path, W, H, 25, codec="prores") as encoder:
        for frame in frames:
            encoder.write_frame(frame)
        assert encoder.frames_written == 12

    info = probe(path)
    assert (info.codec, info.pix_fmt, info.frames, info.fps) == ("prores", "yuv422p10le", 12, 25)
    assert path.read_bytes()[4:8] == b"ftyp" and b"qt  " in path.read_bytes()[:32]
    decoded = list(iter_frames(path))
    assert len(decoded) == 12
    assert np.abs(decoded[5].astype(int) - frames[5]).mean() < 3


def test_ntsc_rate_24000_1001_is_exact(tmp_path: Path) -> None:
    fps = Fraction(24000, 1001)
    path = tmp_path / "ntsc.mp4"
    encode_frames(make_frames(25), path, W, H, fps)

    info = probe(path)
    assert info.fps == fps
    assert info.frames == 25
    assert info.duration == Fraction(25 * 1001, 24000)
    assert sum(1 for _ in iter_frames(path)) == 25


def test_seeking_returns_the_same_frames_as_decoding_through(tmp_path: Path) -> None:
    # 300 frames: past libx264's 250-frame keyframe interval, so the seek lands mid-stream
    frames = make_frames(300, 64, 48)
    path = tmp_path / "long.mp4"
    encode_frames(frames, path, 64, 48, 30, preset="ultrafast")
    everything = list(iter_frames(path))
    assert len(everything) == 300

    for start in (0, 17, 262):
        part = list(iter_frames(path, start=start, count=4))
        assert len(part) == 4
        for offset, frame in enumerate(part):
            assert np.array_equal(frame, everything[start + offset])
    assert np.array_equal(read_frame(path, 299), everything[299])
    assert len(list(iter_frames(path, start=296))) == 4
    with pytest.raises(InvalidInput, match="no frame 300"):
        read_frame(path, 300)


def test_audio_in_odd_chunks_keeps_its_duration_and_pitch(tmp_path: Path) -> None:
    audio = sine(1.5)
    path = tmp_path / "talk.mp4"
    with VideoEncoder(path, W, H, 24, audio_rate=48000) as encoder:
        for frame in make_frames(36):
            encoder.write_frame(frame)
        for start in range(0, len(audio), 1001):  # not a multiple of AAC's 1024-sample frames
            encoder.write_audio(audio[start : start + 1001])

    info = probe(path)
    assert (info.has_audio, info.audio_rate, info.audio_channels) == (True, 48000, 2)
    assert info.audio_codec == "aac"
    decoded = decode_audio(path)
    assert decoded.dtype == np.float32 and decoded.shape[1] == 2
    assert abs(len(decoded) - len(audio)) <= 1024
    spectrum = np.abs(np.fft.rfft(decoded[:, 0]))
    peak_hz = np.argmax(spectrum) * 48000 / len(decoded)
    assert abs(peak_hz - 440) < 3
    assert np.corrcoef(decoded[:, 0], -decoded[:, 1])[0, 1] > 0.99  # channels kept apart

    mono = decode_audio(path, rate=22050, channels=1)
    assert mono.shape[1] == 1 and abs(len(mono) - 1.5 * 22050) <= 600


def test_encoding_into_bytes_and_probing_bytes() -> None:
    buffer = io.BytesIO()
    with VideoEncoder(buffer, W, H, 12, audio_rate=44100, audio_channels=1) as encoder:
        for frame in make_frames(6):
            encoder.write_frame(frame)
        encoder.write_audio(sine(0.5, 44100)[:, :1])
    data = buffer.getvalue()

    info = probe(data)
    assert (info.frames, info.fps, info.audio_rate, info.audio_channels) == (6, 12, 44100, 1)
    assert len(list(iter_frames(data))) == 6
    assert len(decode_audio(data, rate=44100, channels=1)) == pytest.approx(22050, abs=1024)


def test_a_file_without_audio_decodes_to_empty_audio(tmp_path: Path) -> None:
    path = tmp_path / "silent.mp4"
    encode_frames(make_frames(3), path, W, H, 24)
    assert decode_audio(path).shape == (0, 2)


@pytest.mark.parametrize("faststart", [False, True])
def test_a_truncated_file_is_invalid_input_not_a_crash(tmp_path: Path, faststart: bool) -> None:
    buffer = io.BytesIO()
    with VideoEncoder(buffer, W, H, 24, audio_rate=48000) as encoder:
        for frame in make_frames(24):
            encoder.write_frame(frame)
        encoder.write_audio(sine(1.0))
    data = buffer.getvalue()
    if faststart:  # move the index (moov) in front of the media data, as web encoders do
        data = _moov_first(data)
        assert probe(data).frames == 24
    half = data[: len(data) // 2]
    path = tmp_path / "cut.mp4"
    path.write_bytes(half)

    for source in (half, path):
        with pytest.raises(InvalidInput):
            probe(source)
        with pytest.raises(InvalidInput):
            list(iter_frames(source))
    with pytest.raises(InvalidInput, match="cut.mp4"):
        probe(path)


def _moov_first(data: bytes) -> bytes:
    """Reorder an MP4's top-level boxes to ftyp, moov, mdat and patch the chunk offsets."""
    boxes, offset = {}, 0
    while offset < len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        boxes[data[offset + 4 : offset + 8]] = data[offset : offset + size]
        offset += size
    ftyp, moov = boxes[b"ftyp"], bytearray(boxes[b"moov"])
    rest = b"".join(v for k, v in boxes.items() if k not in (b"ftyp", b"moov"))
    old_mdat_start = data.index(b"mdat") - 4
    new_mdat_start = len(ftyp) + len(moov) + rest.index(b"mdat") - 4
    shift = new_mdat_start - old_mdat_start
    position = moov.find(b"stco")
    while position != -1:
        count = int.from_bytes(moov[position + 8 : position + 12], "big")
        for k in range(count):
            at = position + 12 + 4 * k
            value = int.from_bytes(moov[at : at + 4], "big") + shift
            moov[at : at + 4] = value.to_bytes(4, "big")
        position = moov.find(b"stco", position + 4)
    return ftyp + bytes(moov) + rest


def test_random_bytes_and_empty_data_are_invalid_input(tmp_path: Path) -> None:
    noise = np.random.default_rng(7).bytes(20_000)
    for source in (noise, b""):
        with pytest.raises(InvalidInput):
            probe(source)
        with pytest.raises(InvalidInput):
            list(iter_frames(source))
    text = tmp_path / "notes.txt"
    text.write_text("not a video at all\n" * 50)
    with pytest.raises(InvalidInput, match="notes.txt"):
        probe(text)
    with pytest.raises(InvalidInput, match="does not exist"):
        probe(tmp_path / "missing.mp4")


def test_encoder_refuses_odd_sizes_and_wrong_frames(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="even"):
        VideoEncoder(tmp_path / "odd.mp4", 95, 64, 24)
    with pytest.raises(InvalidInput, match="codec"):
        VideoEncoder(tmp_path / "x.mp4", W, H, 24, codec="mpeg1")
    with VideoEncoder(tmp_path / "ok.mp4", W, H, 24) as encoder:
        with pytest.raises(InvalidInput, match="expected uint8"):
            encoder.write_frame(np.zeros((H, W, 4), np.uint8))
        with pytest.raises(InvalidInput, match="no audio"):
            encoder.write_audio(np.zeros((10, 2), np.float32))
        encoder.write_frame(make_frames(1)[0])
    assert probe(tmp_path / "ok.mp4").frames == 1


def test_images_read_from_png_jpeg_and_webp_bytes() -> None:
    picture = make_frames(1)[0]
    png = encode_png(picture)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert np.array_equal(read_image(png, "a.png"), picture)
    for ext in (".jpg", ".webp"):
        ok, data = cv2.imencode(ext, cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
        assert ok
        decoded = read_image(data.tobytes(), "photo" + ext)
        assert decoded.shape == picture.shape
        assert np.abs(decoded.astype(int) - picture).mean() < 8


def test_corrupt_image_bytes_name_the_image() -> None:
    with pytest.raises(InvalidInput, match="keyframe 1234abcd"):
        read_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "keyframe 1234abcd")
    with pytest.raises(InvalidInput, match="empty.png"):
        read_image(b"", "empty.png")
