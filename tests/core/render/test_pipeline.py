"""The render pipeline: the picture does not wait for a slow sound, and the sound stays exact."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest

from studio.domain.time import RationalTime
from studio.domain.timeline import Gap, Timeline, Track
from studio.media.decode import decode_audio, probe
from studio.progress import JobContext
from studio.render.frames import RenderSettings
from studio.render.pipeline import Ahead, render_timeline

RATE = 48_000
FPS = 24


def blank(seconds: int) -> Timeline:
    return Timeline("t", FPS, (Track("V1", "video", (Gap(RationalTime(seconds * FPS, FPS)),)),))


def tone(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    wave = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    return np.stack([wave, -wave], axis=1)


class LateSound:
    """Chunks of a sound of which all but the first second are only handed out once the
    render has reported `after` frames (a mix still working); records how far the picture had
    got when they were."""

    def __init__(self, sound: np.ndarray, after: int, patience: float = 60.0) -> None:
        self.sound, self.after, self.patience = sound, after, patience
        self.frames_done = 0
        self.reached = threading.Event()

    def progress(self, event) -> None:
        if event.message.startswith("frame "):
            self.frames_done = int(event.message.split()[1])
            if self.frames_done >= self.after:
                self.reached.set()

    def __iter__(self) -> Iterator[np.ndarray]:
        yield self.sound[:RATE]
        # a render that waits for the sound before going on never reaches `after` frames
        self.reached.wait(timeout=self.patience)
        self.released_at = self.frames_done
        for start in range(RATE, len(self.sound), RATE):
            yield self.sound[start : start + RATE]


def test_the_picture_goes_on_while_the_sound_is_not_ready(tmp_path: Path) -> None:
    sound = tone(16.0)
    # the sound stalls after its first second until 12 s of film are encoded: beyond the 10 s
    # the muxer would wait before writing the picture ahead of the sound
    late = LateSound(sound, after=12 * FPS)
    settings = RenderSettings(width=64, height=48, fps=FPS)
    ctx = JobContext(on_progress=late.progress)
    report = render_timeline(blank(16), None, settings, tmp_path / "f.mp4", late, ctx)
    assert report.frames == 16 * FPS
    assert late.released_at >= 12 * FPS  # 12 s were encoded while the sound was stalled
    heard = decode_audio(report.path)
    reference = render_timeline(blank(16), None, settings, tmp_path / "r.mp4", sound)
    assert np.array_equal(heard, decode_audio(reference.path))  # and the sound is the same
    info = probe(report.path)
    assert info.audio_codec == "aac" and abs(info.duration - 16.0) < 1 / FPS
    assert largest_lead_of_picture(report.path) < 1.5  # interleaved although the sound came late


def largest_lead_of_picture(path: Path) -> float:
    """How far (seconds) the picture runs ahead of the sound written before it in the file."""
    heard, lead = 0.0, 0.0
    with av.open(str(path)) as container:
        for packet in container.demux():
            if packet.dts is None:
                continue
            at = float(packet.dts * packet.time_base)
            if packet.stream.type == "audio":
                heard = max(heard, at)
            else:
                lead = max(lead, at - heard)
    return lead


def test_the_picture_waits_for_the_sound_when_too_much_of_it_is_held(tmp_path, monkeypatch):
    import studio.render.pipeline as pipeline

    monkeypatch.setattr(pipeline, "_HOLD_BYTES", 1)  # any encoded picture waiting is too much
    late = LateSound(tone(16.0), after=12 * FPS, patience=5.0)
    settings = RenderSettings(width=64, height=48, fps=FPS)
    ctx = JobContext(on_progress=late.progress)
    report = render_timeline(blank(16), None, settings, tmp_path / "f.mp4", late, ctx)
    assert report.frames == 16 * FPS
    assert late.released_at < 4 * FPS  # it stopped near the sound's first second and waited
    assert largest_lead_of_picture(report.path) < 1.5


def test_an_error_making_the_sound_fails_the_render_and_removes_the_file(tmp_path: Path) -> None:
    def broken() -> Iterator[np.ndarray]:
        yield tone(1.0)
        raise ValueError("the music bed could not be read")

    target = tmp_path / "f.mp4"
    with pytest.raises(ValueError, match="music bed"):
        render_timeline(blank(4), None, RenderSettings(width=64, height=48), target, broken())
    assert not target.exists()


def test_ahead_hands_over_items_in_order_and_stops_early() -> None:
    produced: list[int] = []

    def numbers() -> Iterator[int]:
        for n in range(1000):
            produced.append(n)
            yield n

    ahead = Ahead(numbers(), 3)
    taken = []
    for n in ahead:
        taken.append(n)
        if n == 9:
            break
    ahead.stop()
    assert taken == list(range(10))
    assert len(produced) < 20  # it ran at most a few items ahead, then stopped
