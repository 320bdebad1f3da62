"""The cut drawn ahead for a player: the same frames and the same mix as the film, from any
position, in a bounded cache, and threads that stop when closed."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from studio.audio.mix import AudioClip, MixSettings
from studio.audio.mix_stream import MixStream
from studio.domain.camera import CameraMove
from studio.domain.timeline import Transition
from studio.errors import Cancelled
from studio.progress import JobContext
from studio.render.frames import FrameSeeker, RenderSettings, iter_timeline_frames
from studio.render.preview import CutPreview
from tests.core.render.test_frames import H, Media, W, clip, t, timeline, write_image, write_video

RATE = 48_000


@pytest.fixture
def cut(tmp_path):
    """Video, a dissolve, a still with a camera move, a card with no media, a fade to black."""
    media = Media()
    colours = [(10 * i, 255 - 10 * i, (37 * i) % 256) for i in range(24)]
    media.add(1, write_video(tmp_path / "a.mp4", colours), "video")
    media.add(2, write_image(tmp_path / "b.png", (200, 40, 90), size=(96, 64)), "image")
    move = CameraMove("push_in", 1.0, 7, 0)
    tl = timeline(
        clip("a", 1, 16, start=2, media=24),
        Transition("dissolve", t(3), t(3)),
        clip("b", 2, 20, media=20, move=move),
        clip("card", None, 10, metadata={"title_card": {"lines": ["THE END"]}}),
        Transition("fade_to_black", t(4), t(0)),
    )
    return tl, media


def test_the_seeker_draws_every_frame_as_the_film_does_in_any_order(cut):
    tl, media = cut
    settings = RenderSettings(width=W, height=H)
    film = list(iter_timeline_frames(tl, media, settings))
    seeker = FrameSeeker(tl, media, settings, jump=4)
    assert seeker.frames == len(film) == 46
    order = [30, 31, 32, 5, 6, 14, 15, 16, 17, 0, 45, 20, 2, 40, 41, 3]  # back, far, near
    for index in order:
        assert np.array_equal(seeker.frame(index), film[index]), index
    seeker.close()


def _stream() -> MixStream:
    rng = np.random.default_rng(3)
    speech = (0.4 * rng.standard_normal(int(1.3 * 22050))).astype(np.float32)
    t_ = np.arange(int(6 * RATE)) / RATE
    bed = (0.2 * np.sin(2 * np.pi * 220 * t_)).astype(np.float32)
    dialogue = [AudioClip(speech, 22050, 0.7, pan=0.3), AudioClip(speech, 22050, 3.1)]
    return MixStream(dialogue, [AudioClip(bed, RATE, 0.0)], [], 5.0, MixSettings())


def test_the_mix_from_any_sample_in_any_block_is_the_same_mix():
    stream = _stream()
    whole = stream.to_array()
    for start, block in ((0, 4800), (61_117, 12_000), (150_000, 1_000)):
        part = np.concatenate(list(stream.chunks(start, block)))
        assert len(part) == len(whole) - start
        np.testing.assert_allclose(part, whole[start:], atol=1e-5)


def test_measuring_the_mix_stops_when_cancelled():
    ctx = JobContext()
    ctx.cancel()
    with pytest.raises(Cancelled):
        _stream().measure(ctx)


def _preview_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("studio-preview")]


def test_the_preview_draws_ahead_of_the_position_and_plays_the_mix(cut):
    tl, media = cut
    settings = RenderSettings(width=W, height=H)
    film = list(iter_timeline_frames(tl, media, settings))
    stream = _stream()
    whole = stream.to_array()
    drawn: list[int] = []
    preview = CutPreview(FrameSeeker(tl, media, settings), stream, cache_frames=6,
                         on_frame=drawn.append)  # fmt: skip
    try:
        assert np.array_equal(preview.wait_frame(0, 10), film[0])
        preview.seek(30)
        assert np.array_equal(preview.wait_frame(30, 10), film[30])
        assert np.array_equal(preview.wait_frame(35, 10), film[35])
        assert preview.frame(36) is None  # never more than cache_frames ahead
        preview.advance(33)
        assert preview.frame(32) is None and np.array_equal(preview.wait_frame(38, 10), film[38])
        preview.seek(24)  # 24 frames = 1 s: its sound is the mix from sample 48,000
        assert np.array_equal(preview.wait_frame(24, 10), film[24])
        deadline = threading.Event()
        while not (preview.sound_ready and preview._buffered >= RATE // 2):
            deadline.wait(0.01)
        late = preview.late_samples
        got = np.concatenate([preview.take_sound(4800) for _ in range(5)])
        assert preview.late_samples == late
        np.testing.assert_allclose(got, whole[RATE : RATE + 24_000], atol=1e-5)
        assert float(np.abs(got).max()) > 0.01
    finally:
        preview.close()
    assert not _preview_threads()
    assert set(drawn) >= {0, 30, 35, 38, 24}


def test_closing_a_preview_while_its_mix_is_measured_joins_its_threads(cut):
    tl, media = cut
    long = [AudioClip(np.ones(RATE * 60, np.float32) * 0.1, RATE, 0.0, room="interior")]
    stream = MixStream(long, [], [], 60.0, MixSettings())
    preview = CutPreview(FrameSeeker(tl, media, RenderSettings(width=W, height=H)), stream)
    preview.close()
    assert not _preview_threads()
    assert not preview.sound_ready
