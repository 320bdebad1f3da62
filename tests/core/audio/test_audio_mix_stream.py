"""The streamed mix: the same sound in blocks, loudness and peaks, seams, files, flat memory."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pyloudnorm
import pytest
import soundfile
from scipy.signal import resample_poly

from studio.audio.feed import SampleFeed
from studio.audio.mix import AudioClip, AudioFile, MixSettings, render_clip
from studio.audio.mix_stream import MixStream, mix, rendered_length
from studio.domain.time import RationalTime
from studio.domain.timeline import Gap, Timeline, Track
from studio.errors import InvalidInput
from studio.generation.requests import VoiceRequest
from studio.media.decode import decode_audio
from studio.render.frames import RenderSettings
from studio.render.pipeline import render_timeline

RATE = 48000


def bed(seconds: float, rate: int = RATE) -> np.ndarray:
    """A stereo chord with a little noise (a steady music bed)."""
    t = np.arange(int(seconds * rate)) / rate
    chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6, 440.0)) / 4
    noise = np.random.default_rng(0).standard_normal(len(t)) * 0.02
    left = 0.3 * chord + noise
    return np.stack([left, np.roll(left, 17)], axis=1).astype(np.float32)


def clicks(seconds: float) -> np.ndarray:
    hits = np.zeros(int(seconds * RATE), dtype=np.float32)
    hits[::4800] = 0.99  # peaky effects that the limiter must hold down
    return hits


def rms_db(x: np.ndarray) -> float:
    return 10 * np.log10(np.mean(np.square(x, dtype=np.float64)) + 1e-20)


@pytest.fixture(scope="module")
def line(speak):
    samples, rate, _ = speak(VoiceRequest(text="I told you already. The car was gone."))
    return samples.astype(np.float32), rate


def scene(line, seconds: float = 9.0):
    """Two lines (one in a reverberant room, one panned), a faded bed and loud clicks."""
    samples, rate = line
    dialogue = [
        AudioClip(samples, rate, 0.5, room="interior"),
        AudioClip(samples, rate, 4.3, pan=0.5, room="exterior"),
    ]
    music = [AudioClip(bed(seconds), RATE, 0.0, fade_in=1.0, fade_out=1.0)]
    effects = [AudioClip(clicks(0.5), RATE, 3.0, gain_db=6.0)]
    return dialogue, music, effects, seconds


def test_the_stream_is_mix_s_sound_and_blocks_leave_no_seam(line):
    """Blocks of 0.3 s cut through both lines, the reverb tail, the fades and the limiter's
    look-ahead: the result equals one block over the whole film."""
    dialogue, music, effects, seconds = scene(line)
    settings = MixSettings(target_lufs=-14.0)
    whole = MixStream(dialogue, music, effects, seconds, settings, block_seconds=60.0)
    small = MixStream(dialogue, music, effects, seconds, settings, block_seconds=0.3)
    chunks = list(small.chunks())
    assert len(chunks) == 30 and all(c.dtype == np.float32 for c in chunks)
    joined = np.concatenate(chunks)
    assert joined.shape == (small.total_samples, 2) == (9 * RATE, 2)
    reference = whole.to_array()
    assert small.report.limiter_reduction_db > 0  # the limiter worked across the seams
    assert np.abs(joined - reference).max() < 1e-6
    assert small.report == whole.report
    out, report = mix(dialogue, music, effects, seconds, settings)
    assert np.abs(out - reference).max() < 1e-6 and report == whole.report


@pytest.mark.parametrize("target", [-16.0, -23.0])
def test_streamed_loudness_hits_the_target_under_the_peak_ceiling(line, target):
    dialogue, music, effects, seconds = scene(line)
    stream = MixStream(dialogue, music, effects, seconds, MixSettings(target_lufs=target), 1.0)
    report = stream.report  # known before a single block is streamed
    out = np.concatenate(list(stream.chunks()))
    measured = pyloudnorm.Meter(RATE).integrated_loudness(out.astype(np.float64))
    assert measured == pytest.approx(target, abs=0.5)
    assert report.integrated_lufs == pytest.approx(measured, abs=0.05)
    oversampled = resample_poly(out.astype(np.float64), 4, 1, axis=0)
    assert 20 * np.log10(np.abs(oversampled).max()) <= -1.0
    assert report.true_peak_dbtp <= -1.0


def test_streamed_music_is_ducked_by_at_least_the_depth(line):
    samples, rate = line
    dialogue = [AudioClip(samples, rate, 2.0)]
    music = [AudioClip(bed(8.0), RATE, 0.0)]

    def music_under(depth: float) -> tuple[np.ndarray, int, int]:
        settings = MixSettings(rooms=False, duck_depth_db=depth)
        stream = MixStream(dialogue, music, [], 8.0, settings, block_seconds=0.7)
        assert stream.report.limiter_reduction_db == 0.0  # linear: subtracting is exact
        out = stream.to_array() / 10 ** (stream.report.gain_applied_db / 20)
        speech = render_clip(dialogue[0], settings)
        start = 2 * RATE
        out[start : start + len(speech)] -= speech
        return out, start, start + len(speech)

    ducked, start, end = music_under(12.0)
    plain, _, _ = music_under(0.0)
    span = slice(start + int(0.05 * RATE), end)
    assert rms_db(plain[span]) - rms_db(ducked[span]) >= 12.0 - 0.05
    assert rms_db(plain[:RATE]) - rms_db(ducked[:RATE]) == pytest.approx(0.0, abs=0.01)


def test_a_long_looped_bed_read_from_a_file_is_sliced_exactly(tmp_path, line):
    """A 44.1 kHz bed from a WAV, looped to 21 s with fades and a pan, rendered in slices,
    equals the same bed repeated in memory and rendered whole."""
    samples, rate = line
    source = resample_poly(bed(5.0), 147, 160, axis=0).astype(np.float32)
    soundfile.write(tmp_path / "bed.wav", source, 44100, subtype="FLOAT")
    looped = np.concatenate([source] * 5)[: 21 * 44100]
    common = dict(gain_db=-3.0, fade_in=2.0, fade_out=3.0, pan=-0.4)
    from_file = AudioClip(AudioFile(tmp_path / "bed.wav"), 44100, 0.7, loop_to=21.0, **common)
    in_memory = AudioClip(looped, 44100, 0.7, **common)
    assert rendered_length(from_file, MixSettings()) == len(render_clip(in_memory, MixSettings()))
    dialogue = [AudioClip(samples, rate, 3.0)]
    sliced = MixStream(dialogue, [from_file], [], 23.0, MixSettings(), block_seconds=1.1)
    whole = MixStream(dialogue, [in_memory], [], 23.0, MixSettings(), block_seconds=30.0)
    assert np.abs(sliced.to_array() - whole.to_array()).max() < 1e-6
    assert sliced.report == whole.report


def test_the_mix_writes_a_wav_chunk_by_chunk(tmp_path, line):
    dialogue, music, effects, seconds = scene(line, 4.0)
    stream = MixStream(dialogue, music, effects, seconds, MixSettings(), block_seconds=1.0)
    path = stream.write_wav(tmp_path / "mix.wav", subtype="FLOAT")
    written, rate = soundfile.read(path, dtype="float32")
    assert rate == RATE and np.array_equal(written, stream.to_array())


def test_the_renderer_takes_a_stream_and_writes_the_same_sound(tmp_path, line):
    dialogue, music, effects, seconds = scene(line, 3.0)
    stream = MixStream(dialogue, music, effects, seconds, MixSettings(), block_seconds=0.7)
    timeline = Timeline("t", 24, (Track("V1", "video", (Gap(RationalTime(72, 24)),)),))
    settings = RenderSettings(width=64, height=48)
    from_array = render_timeline(timeline, None, settings, tmp_path / "a.mp4", stream.to_array())
    from_stream = render_timeline(timeline, None, settings, tmp_path / "s.mp4", stream)
    expected = decode_audio(from_array.path)
    heard = decode_audio(from_stream.path)
    assert len(expected) >= 3 * RATE - 2048  # the mix from the film's first frame
    assert np.array_equal(heard, expected)
    assert rms_db(heard[: 3 * RATE]) > -30


def test_the_feed_hands_out_exact_counts_and_silence_after_the_end():
    chunks = [np.full((n, 2), n, np.float32) for n in (3, 1, 5)]
    feed = SampleFeed(chunks)
    assert feed.take(2)[:, 0].tolist() == [3, 3]
    assert feed.take(4)[:, 0].tolist() == [3, 1, 5, 5]
    assert feed.take(5)[:, 0].tolist() == [5, 5, 5, 0, 0]
    with pytest.raises(InvalidInput, match="chunk 0"):
        SampleFeed([np.zeros((4, 3))]).take(2)


def test_bad_clips_are_refused_before_any_rendering():
    with pytest.raises(InvalidInput, match="effects clip 1"):
        MixStream(
            [],
            [],
            [AudioClip(np.zeros(9), RATE, 0), AudioClip(np.zeros((9, 4)), RATE, 0)],
            1.0,
            MixSettings(),
        )
    with pytest.raises(InvalidInput, match="room"):
        MixStream([AudioClip(np.zeros(10), RATE, 0, room="cave")], [], [], 1.0, MixSettings())
    with pytest.raises(InvalidInput, match="duration"):
        MixStream([], [], [], 0.0, MixSettings())


def _film(line, seconds: float):
    """A line every 3 s (rooms alternating), a bed as long as the film, a click per second."""
    samples, rate = line
    dialogue = [
        AudioClip(samples, rate, at, room=("interior", "exterior")[k % 2])
        for k, at in enumerate(np.arange(0.5, seconds - 3.0, 3.0))
    ]
    music = [AudioClip(bed(seconds), RATE, 0.0, gain_db=-6.0)]
    effects = [AudioClip(clicks(0.2), RATE, float(at)) for at in np.arange(0.2, seconds - 1, 1.0)]
    return dialogue, music, effects, seconds


def _peak_streaming(clips) -> int:
    stream = MixStream(*clips, MixSettings(), block_seconds=2.0)
    tracemalloc.start()
    try:
        stream.report  # noqa: B018
        for _ in stream.chunks():
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_streaming_memory_is_flat_in_the_film_s_length(line):
    short, long = _film(line, 12.0), _film(line, 48.0)  # the clips exist before measuring
    _peak_streaming(short)  # first calls import scipy and pedalboard: not the mix's memory
    one, four = _peak_streaming(short), _peak_streaming(long)
    assert four <= 1.3 * one, f"{one / 2**20:.1f} MB for 12 s, {four / 2**20:.1f} MB for 48 s"
