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
        deadline = threading.Event()
        while not preview.measured:  # the finished mix from here on
            deadline.wait(0.01)
        preview.seek(24)  # 24 frames = 1 s: its sound is the mix from sample 48,000
        assert np.array_equal(preview.wait_frame(24, 10), film[24])
        while preview._buffered < RATE // 2:
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
    assert not preview.measured


def test_the_sound_plays_at_once_while_the_mix_is_measured(cut, tmp_path):
    """A long mix being measured (closed long before it is): the provisional mix flows from
    the first call; it is the finished mix but for its levels (at the same gain: the same
    samples within 1e-4)."""
    tl, media = cut
    stream = _stream()
    finished = stream.to_array()
    gain = stream.plan().gain_db
    provisional = np.concatenate(list(stream.provisional_chunks(0, 12_000, gain)))
    np.testing.assert_allclose(provisional, finished, atol=1e-4)

    rng = np.random.default_rng(5)
    speech = (0.3 * rng.standard_normal(RATE * 2)).astype(np.float32)
    lines = [AudioClip(speech, RATE, 4.0 * i, room="interior") for i in range(150)]
    slow = MixStream(lines, [], [], 600.0, MixSettings())  # minutes to measure
    preview = CutPreview(FrameSeeker(tl, media, RenderSettings(width=W, height=H)), slow)
    try:
        wait = threading.Event()
        while preview._buffered < RATE // 2 and preview.error is None:
            wait.wait(0.01)
        assert not preview.measured  # still measuring, and yet:
        sound = np.concatenate([preview.take_sound(4800) for _ in range(5)])
        assert preview.late_samples == 0 and float(np.abs(sound).max()) > 0.01
    finally:
        preview.close()
    assert not _preview_threads()


def test_a_measured_mix_is_kept_for_the_same_cut_and_only_for_it(tmp_path):
    from dataclasses import replace

    from studio.audio import mix_plans

    plans = tmp_path / "mix"
    first = _stream()
    measured = mix_plans.measured(first, plans)
    again = _stream()
    assert mix_plans.adopt(again, plans) and again.measured
    assert again.report == measured.report
    np.testing.assert_array_equal(np.concatenate(list(again.chunks())), first.to_array())
    assert mix_plans.latest_gain(plans) == measured.gain_db

    changed = _stream()
    changed._clips[0][1] = replace(changed._clips[0][1], gain_db=-3.0)
    assert changed.fingerprint() != first.fingerprint()
    assert not mix_plans.adopt(changed, plans) and not changed.measured


def test_a_seek_back_to_a_still_reuses_it_and_the_kept_stills_are_bounded(cut):
    tl, media = cut
    settings = RenderSettings(width=W, height=H)
    film = list(iter_timeline_frames(tl, media, settings))
    seeker = FrameSeeker(tl, media, settings, jump=2)
    seeker.frame(20)  # the moved still "b"
    kept = dict(seeker._stills._kept)
    assert kept  # opened once, kept
    seeker.frame(0)
    assert np.array_equal(seeker.frame(20), film[20])  # a new player, the same still source
    assert all(seeker._stills.get(i) is source for i, source in kept.items())
    seeker._stills.size = 1
    seeker.frame(40)  # the card: the oldest kept still is let go
    assert len(seeker._stills._kept) == 1
    seeker.close()
    assert not seeker._stills._kept
