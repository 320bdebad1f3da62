"""The mix with real speech: ducking, loudness, true peak, panning, binaural, rooms, files."""

from __future__ import annotations

import json

import av
import numpy as np
import pyloudnorm
import pytest
import soundfile
from scipy.signal import resample_poly

from studio.audio.mix import (
    AudioClip,
    MixSettings,
    duck_gain,
    integrated_loudness,
    load_audio_file,
    loudness_range,
    render_clip,
    true_peak_dbtp,
)
from studio.audio.mix_stream import mix
from studio.audio.space import pan_from_x, woodworth_itd
from studio.errors import InvalidInput, NotFound
from studio.generation.backends.piper_voice import PAD_SECONDS
from studio.generation.requests import VoiceRequest

RATE = 48000
LINE_START = 2.0


def music(seconds: float, rate: int = RATE) -> np.ndarray:
    """A stereo chord with a little noise: steady, so its level is easy to compare."""
    t = np.arange(int(seconds * rate)) / rate
    chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6, 440.0)) / 4
    noise = np.random.default_rng(0).standard_normal(len(t)) * 0.02
    left = 0.3 * chord + noise
    return np.stack([left, np.roll(left, 17)], axis=1).astype(np.float32)


def rms_db(x: np.ndarray) -> float:
    return 10 * np.log10(np.mean(np.square(x, dtype=np.float64)) + 1e-20)


@pytest.fixture(scope="module")
def line(speak):
    samples, rate, _ = speak(VoiceRequest(text="I told you already. The car was gone."))
    return samples.astype(np.float32), rate


def _music_under(dialogue, bed, settings):
    """The music in the finished mix, found by taking the known dialogue out, at unity gain."""
    out, report = mix(dialogue, bed, [], 8.0, settings)
    assert report.limiter_reduction_db == 0.0  # the chain is linear: the subtraction is exact
    gain = 10 ** (report.gain_applied_db / 20)
    speech = np.zeros_like(out)
    rendered = render_clip(dialogue[0], settings)
    start = int(LINE_START * RATE)
    speech[start : start + len(rendered)] = rendered
    return out / gain - speech, start, start + len(rendered)


def test_music_is_ducked_under_dialogue_by_at_least_the_depth(line):
    samples, rate = line
    dialogue = [AudioClip(samples, rate, LINE_START)]
    bed = [AudioClip(music(8.0), RATE, 0.0)]
    ducked, start, end = _music_under(dialogue, bed, MixSettings(rooms=False))
    plain, _, _ = _music_under(dialogue, bed, MixSettings(rooms=False, duck_depth_db=0.0))
    span = slice(start + int(0.05 * RATE), end)  # allowing for the attack
    assert rms_db(plain[span]) - rms_db(ducked[span]) >= 12.0 - 0.05  # float32 rounding
    before = slice(0, RATE)  # well before the line the music is untouched
    assert rms_db(plain[before]) - rms_db(ducked[before]) == pytest.approx(0.0, abs=0.01)


def test_the_report_measures_the_ducking(line):
    samples, rate = line
    _, report = mix(
        [AudioClip(samples, rate, 1.0)],
        [AudioClip(music(6.0), RATE, 0)],
        [],
        6.0,
        MixSettings(duck_depth_db=9.0),
    )
    assert report.ducking_db == pytest.approx(9.0, abs=0.5)


def test_the_duck_is_down_when_the_line_starts_and_back_up_after_the_release(line):
    samples, rate = line
    settings = MixSettings(rooms=False)
    bus = np.zeros((RATE * 8, 2), dtype=np.float32)
    speech = render_clip(AudioClip(samples, rate, 0.0), settings)
    bus[RATE * 2 : RATE * 2 + len(speech)] = speech
    gain_db = 20 * np.log10(duck_gain(bus, settings))
    onset = RATE * 2 + int(PAD_SECONDS * RATE)  # the line starts after its short pad
    assert np.abs(bus[onset - RATE // 100 : onset - RATE // 200]).max() < 1e-3
    assert gain_db[onset : onset + len(speech) - RATE // 10].max() == pytest.approx(-12.0, abs=0.3)
    assert gain_db[RATE // 2] == pytest.approx(0.0, abs=1e-6)
    after = RATE * 2 + len(speech) + int((0.3 + 0.4 + 0.1) * RATE)
    assert gain_db[after] == pytest.approx(0.0, abs=1e-3)


@pytest.mark.parametrize("target", [-16.0, -23.0, -14.0])
def test_the_mix_reaches_the_loudness_target_under_the_peak_ceiling(line, target):
    samples, rate = line
    settings = MixSettings(target_lufs=target)
    clips = [AudioClip(samples, rate, 0.5, room="interior"), AudioClip(samples, rate, 4.0, pan=0.5)]
    hits = np.zeros(RATE // 2, dtype=np.float32)
    hits[::4800] = 0.99  # clicks: peaky effects the limiter must hold down
    out, report = mix(
        clips,
        [AudioClip(music(9.0), RATE, 0.0, fade_in=1.0, fade_out=1.0)],
        [AudioClip(hits, RATE, 3.0, gain_db=6.0)],
        9.0,
        settings,
    )
    assert out.shape == (9 * RATE, 2) and out.dtype == np.float32
    measured = pyloudnorm.Meter(RATE).integrated_loudness(out.astype(np.float64))
    assert measured == pytest.approx(target, abs=0.5)
    oversampled = resample_poly(out.astype(np.float64), 4, 1, axis=0)
    assert 20 * np.log10(np.abs(oversampled).max()) <= -1.0
    assert report.true_peak_dbtp <= -1.0
    assert report.integrated_lufs == pytest.approx(measured, abs=0.05)
    assert report.duration_seconds == 9.0
    assert report.loudness_range is not None and report.loudness_range >= 0
    assert json.loads(json.dumps(report.to_json()))["target_lufs"] == target


def test_a_loud_mix_is_limited_to_the_true_peak_ceiling():
    t = np.arange(RATE * 3) / RATE
    quiet_tone = 0.05 * np.sin(2 * np.pi * 440 * t).astype(np.float32)
    quiet_tone[::9600] = 0.95  # a click every 200 ms
    out, report = mix([], [], [AudioClip(quiet_tone, RATE, 0.0)], 3.0, MixSettings(target_lufs=-14))
    assert true_peak_dbtp(out) <= -1.0
    assert report.limiter_reduction_db > 0


def test_a_line_placed_left_is_louder_on_the_left(line):
    samples, rate = line
    out, _ = mix([AudioClip(samples, rate, 0.2, pan=pan_from_x(0.2))], [], [], 4.0, MixSettings())
    assert rms_db(out[:, 0]) - rms_db(out[:, 1]) >= 6.0
    centred, _ = mix([AudioClip(samples, rate, 0.2, pan=0.9)], [], [], 4.0, MixSettings(pan=False))
    assert rms_db(centred[:, 0]) == pytest.approx(rms_db(centred[:, 1]), abs=0.01)


def test_binaural_puts_a_left_source_earlier_and_louder_in_the_left_ear(line):
    samples, rate = line
    settings = MixSettings(binaural=True, rooms=False)
    stereo = render_clip(AudioClip(samples, rate, 0.0, azimuth_deg=-90.0), settings)
    left, right = stereo[:, 0].astype(np.float64), stereo[:, 1].astype(np.float64)
    lags = np.arange(-60, 61)
    corr = [np.dot(left[60:-60], np.roll(right, -lag)[60:-60]) for lag in lags]
    delay = lags[int(np.argmax(corr))] / RATE  # right lags behind left by this much
    assert delay == pytest.approx(-woodworth_itd(-90.0), abs=1.5 / RATE)
    assert 0.00060 < woodworth_itd(90.0) < 0.00070
    assert rms_db(left) - rms_db(right) > 3.0


def test_an_interior_room_adds_a_short_tail_and_rooms_can_be_switched_off(line):
    samples, rate = line
    clip = AudioClip(samples, rate, 0.0, room="interior")
    wet = render_clip(clip, MixSettings())
    dry = render_clip(clip, MixSettings(rooms=False))
    end = len(dry)
    assert len(wet) > end
    assert rms_db(wet[end : end + RATE // 10]) > rms_db(dry[-RATE // 20 :]) - 30
    assert rms_db(wet[-RATE // 20 :]) < rms_db(wet[:end]) - 40  # the tail dies away


def test_an_exterior_has_a_faint_slap_echo():
    click = np.zeros(RATE, dtype=np.float32)
    click[1000] = 1.0
    out = render_clip(AudioClip(click, RATE, 0.0, room="exterior"), MixSettings(pan=False))[:, 0]
    echo = out[1000 + int(0.1 * RATE) : 1000 + int(0.13 * RATE)]
    assert 0.0 < np.abs(echo).max() < 0.2 * out[1000]
    assert np.abs(out[1100 : 1000 + int(0.1 * RATE)]).max() < 1e-3


def test_clips_outside_the_film_are_cut_and_gain_and_fades_apply():
    tone = np.full(RATE, 0.5, dtype=np.float32)
    settings = MixSettings(pan=False, rooms=False)
    out = render_clip(AudioClip(tone, RATE, 0, gain_db=-6.0, fade_in=0.5), settings)[:, 0]
    assert out[0] == 0.0 and out[-1] == pytest.approx(0.5 * 10 ** (-6 / 20) * np.sqrt(0.5), 1e-3)
    mixed, report = mix(
        [], [], [AudioClip(tone, RATE, -0.5), AudioClip(tone, RATE, 1.5)], 2.0, settings
    )
    assert mixed.shape == (2 * RATE, 2)


def test_a_silent_mix_reports_no_loudness():
    out, report = mix([], [], [], 2.0, MixSettings())
    assert not out.any()
    assert report.to_json()["integrated_lufs"] is None


def test_bad_clips_are_refused_with_their_place():
    with pytest.raises(InvalidInput, match="music clip 0"):
        mix([], [AudioClip(np.zeros((10, 3)), RATE, 0)], [], 1.0, MixSettings())
    with pytest.raises(InvalidInput, match="room"):
        mix([AudioClip(np.zeros(10), RATE, 0, room="cave")], [], [], 1.0, MixSettings())


def test_audio_files_load_from_wav_flac_and_mp3(tmp_path):
    stereo = music(1.0, 44100)
    soundfile.write(tmp_path / "a.wav", stereo, 44100, subtype="PCM_16")
    soundfile.write(tmp_path / "a.flac", stereo, 44100)
    samples, rate = load_audio_file(tmp_path / "a.wav")
    assert rate == 44100 and samples.shape == (44100, 2)
    assert np.abs(load_audio_file(tmp_path / "a.flac")[0] - stereo).max() < 1e-3
    _write_mp3(tmp_path / "a.mp3", stereo, 44100)
    decoded, rate = load_audio_file(tmp_path / "a.mp3")
    assert rate == 44100 and decoded.ndim == 2 and decoded.shape[1] == 2
    assert abs(len(decoded) - 44100) < 3000  # the encoder's padding
    assert abs(rms_db(decoded) - rms_db(stereo)) < 1.0


def _write_mp3(path, stereo, rate):
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libmp3lame", rate=rate, layout="stereo")
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(stereo.T), format="fltp", layout="stereo"
        )
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


@pytest.mark.parametrize("name", ["bad.wav", "bad.mp3"])
def test_a_corrupt_file_is_named_in_the_error(tmp_path, name):
    (tmp_path / name).write_bytes(b"RIFF\x00\x00 this is not audio at all" * 10)
    with pytest.raises(InvalidInput, match=name):
        load_audio_file(tmp_path / name)
    with pytest.raises(NotFound):
        load_audio_file(tmp_path / "missing.wav")


def test_the_streaming_meter_agrees_with_pyloudnorm(line):
    samples, rate = line
    speech = render_clip(AudioClip(samples, rate, 0.0), MixSettings(rooms=False))
    program = music(len(speech) / RATE) * 0.5 + speech
    expected = pyloudnorm.Meter(RATE).integrated_loudness(program.astype(np.float64))
    # the last partial 400 ms block is counted a little differently: on a programme of a few
    # seconds that moves the reading by hundredths of a LU (far inside the 0.5 LU we promise)
    assert integrated_loudness(program, RATE) == pytest.approx(expected, abs=0.1)
    assert integrated_loudness(program[:, 0], RATE) == pytest.approx(
        pyloudnorm.Meter(RATE).integrated_loudness(program[:, 0].astype(np.float64)), abs=0.1
    )
    assert loudness_range(program, RATE) == pytest.approx(
        pyloudnorm.Meter(RATE).loudness_range(program.astype(np.float64)), abs=0.5
    )


def test_the_limiters_envelope_skips_only_what_cannot_reach_the_ceiling():
    from studio.audio.mix import _overshoot, true_peak_envelope

    rng = np.random.default_rng(7)
    x = (rng.standard_normal((200_000, 2)) * 0.02).astype(np.float32)  # quiet room tone
    for at in (5_000, 70_000, 131_000, 199_000):  # loud bursts, some across block edges
        x[at - 900 : at] = rng.uniform(-0.95, 0.95, (900, 2))
    ceiling = 0.8
    full = true_peak_envelope(x)
    skipped = true_peak_envelope(x, skip_below=ceiling / _overshoot())
    over = full > ceiling
    assert over.sum() > 100  # the bursts do come over the ceiling
    np.testing.assert_array_equal(skipped[over], full[over])  # exact where it matters
    assert (full[skipped != full] <= ceiling).all()  # what was skipped stays under the ceiling
    assert (skipped != full).mean() > 0.5  # and most of the quiet signal was skipped
