"""Compressed beds (MP3, M4A/AAC, Opus in WebM) read in slices: exact, flat in memory, refused
when damaged, and used by the export's mix."""

from __future__ import annotations

import os
import tracemalloc
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import soundfile

from studio.audio.compressed import (
    CompressedAudioFile,
    default_cache_dir,
    ensure_sidecar,
    open_sound,
)
from studio.audio.mix import load_audio_file
from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Timeline, Track
from studio.errors import InvalidInput, NotFound, StudioError
from studio.services import timeline as timeline_service
from studio.services.export import timeline_mix_stream

ENCODERS = {"mp3": "libmp3lame", "m4a": "aac", "webm": "libopus"}


def encode_tone(
    path: Path, seconds: float, rate: int, channels: int, options: dict | None = None
) -> Path:
    """A chord (a different one per channel) with a little noise, encoded by PyAV's encoder for
    the file's extension, block by block (the long files never sit in memory)."""
    codec = ENCODERS[path.suffix.lstrip(".")]
    if codec not in av.codecs_available:
        pytest.skip(f"PyAV's FFmpeg has no {codec} encoder")
    layout = "stereo" if channels == 2 else "mono"
    noise = np.random.default_rng(7)
    with av.open(str(path), "w", options=options or {}) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        total = int(seconds * rate)
        for start in range(0, total, 1 << 15):
            t = np.arange(start, min(total, start + (1 << 15))) / rate
            left = 0.2 * np.sin(2 * np.pi * 220 * t) + 0.1 * np.sin(2 * np.pi * 331 * t)
            right = 0.2 * np.sin(2 * np.pi * 277 * t) + 0.1 * np.sin(2 * np.pi * 415 * t)
            planes = np.stack([left, right])[:channels]
            planes = (planes + 0.01 * noise.standard_normal(planes.shape)).astype(np.float32)
            frame = av.AudioFrame.from_ndarray(planes, format="fltp", layout=layout)
            frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


@pytest.fixture(scope="module")
def beds(tmp_path_factory) -> dict[str, Path]:
    """Short beds: stereo MP3 at 44.1 kHz, mono MP3, stereo M4A (AAC), stereo Opus in WebM."""
    folder = tmp_path_factory.mktemp("beds")
    return {
        "mp3": encode_tone(folder / "bed.mp3", 3.0, 44100, 2),
        "mp3-mono": encode_tone(folder / "mono.mp3", 2.0, 22050, 1),
        "m4a": encode_tone(folder / "bed.m4a", 3.0, 48000, 2),
        "webm": encode_tone(folder / "bed.webm", 2.0, 48000, 2),
    }


@pytest.fixture(scope="module")
def long_mp3(tmp_path_factory) -> Path:
    """A 5-minute mono MP3 (decoded: 26 MB of float32)."""
    return encode_tone(tmp_path_factory.mktemp("long") / "long.mp3", 300.0, 22050, 1)


def cut(source: Path, folder: Path, keep: float) -> Path:
    """A copy of `source` holding only its first `keep` fraction of bytes."""
    data = source.read_bytes()
    target = folder / f"cut-{source.name}"
    target.write_bytes(data[: int(len(data) * keep)])
    return target


# ---------------------------------------------------------------------------- exactness


@pytest.mark.parametrize("name", ["mp3", "mp3-mono", "m4a", "webm"])
def test_length_shape_and_rate_equal_the_whole_decode(beds, name, tmp_path):
    whole, rate = load_audio_file(beds[name])
    audio = CompressedAudioFile(beds[name], cache_dir=tmp_path)
    assert len(audio) == audio.frames == len(whole)
    assert audio.shape == whole.shape and audio.ndim == whole.ndim
    assert audio.rate == rate and audio.dtype == np.float32
    assert audio.channels == (1 if whole.ndim == 1 else whole.shape[1])


@pytest.mark.parametrize("name", ["mp3", "mp3-mono", "m4a", "webm"])
def test_slices_equal_the_whole_decode_sample_for_sample(beds, name, tmp_path):
    whole, _ = load_audio_file(beds[name])
    audio = CompressedAudioFile(beds[name], cache_dir=tmp_path)
    n = len(whole)
    edges = [
        (0, 1), (0, 1151), (1151, 1153), (1024, 2048), (5000, 5001), (n // 2 - 3, n // 2 + 4001),
        (n - 1153, n), (n - 1, n), (n - 10, n + 500), (n, n), (n + 5, n + 9), (-100, None),
        (None, 10), (None, None),
    ]  # fmt: skip
    for start, stop in edges:
        part = audio[start:stop]
        assert part.dtype == np.float32 and part.flags.c_contiguous
        np.testing.assert_array_equal(part, whole[start:stop], err_msg=f"[{start}:{stop}]")
    np.testing.assert_array_equal(np.asarray(audio), whole)


@pytest.mark.parametrize("name", ["mp3", "m4a"])
def test_consecutive_slices_rebuild_the_whole_decode(beds, name, tmp_path):
    whole, _ = load_audio_file(beds[name])
    audio = CompressedAudioFile(beds[name], cache_dir=tmp_path)
    parts = [audio[start : start + 4567] for start in range(0, len(audio), 4567)]
    np.testing.assert_array_equal(np.concatenate(parts), whole)


def test_only_contiguous_slices_are_read(beds, tmp_path):
    audio = CompressedAudioFile(beds["mp3"], cache_dir=tmp_path)
    with pytest.raises(TypeError):
        audio[::2]
    with pytest.raises(TypeError):
        audio[5]


# ---------------------------------------------------------------------------- the cache


def test_a_second_open_reuses_the_sidecar_without_decoding(beds, tmp_path):
    first = CompressedAudioFile(beds["m4a"], cache_dir=tmp_path)
    stamp = first.sidecar.stat().st_mtime_ns
    second = CompressedAudioFile(beds["m4a"], cache_dir=tmp_path)
    assert second.sidecar == first.sidecar and second.sidecar.stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [first.sidecar.name]


def test_the_sidecar_is_keyed_by_the_bytes_not_the_name(beds, tmp_path):
    copy = tmp_path / "elsewhere" / "renamed.mp3"
    copy.parent.mkdir()
    copy.write_bytes(beds["mp3"].read_bytes())
    cache = tmp_path / "cache"
    assert ensure_sidecar(copy, cache) == ensure_sidecar(beds["mp3"], cache)
    assert ensure_sidecar(beds["m4a"], cache) != ensure_sidecar(beds["mp3"], cache)


def test_a_damaged_sidecar_is_decoded_again(beds, tmp_path):
    whole, _ = load_audio_file(beds["mp3"])
    sidecar = CompressedAudioFile(beds["mp3"], cache_dir=tmp_path).sidecar
    sidecar.write_bytes(b"not a wave file")
    np.testing.assert_array_equal(CompressedAudioFile(beds["mp3"], cache_dir=tmp_path)[:], whole)


def test_the_sidecar_holds_float32_samples_bit_for_bit(beds, tmp_path):
    whole, rate = load_audio_file(beds["m4a"])
    sidecar = CompressedAudioFile(beds["m4a"], cache_dir=tmp_path).sidecar
    assert soundfile.info(str(sidecar)).subtype == "FLOAT"
    stored, stored_rate = soundfile.read(str(sidecar), dtype="float32")
    assert stored_rate == rate and np.array_equal(stored, whole)


def test_outside_a_project_the_cache_is_the_users(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_CACHE", str(tmp_path / "user-cache"))
    assert default_cache_dir(tmp_path / "song.mp3") == tmp_path / "user-cache" / "audio"


# ---------------------------------------------------------------------------- memory


def _peak_bytes(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_long_bed_decoded_and_read_in_slices_keeps_memory_flat(long_mp3, tmp_path):
    whole, _ = load_audio_file(long_mp3)
    decoded = whole.nbytes
    checksum = float(np.sum(whole, dtype=np.float64))
    del whole
    seen = {}

    def read_in_slices() -> None:
        audio = CompressedAudioFile(long_mp3, cache_dir=tmp_path)  # decodes into the sidecar
        total, frames = 0.0, 0
        for start in range(0, len(audio), 1 << 16):
            part = audio[start : start + (1 << 16)]
            total += float(np.sum(part, dtype=np.float64))
            frames += len(part)
        seen.update(total=total, frames=frames, length=len(audio))

    peak = _peak_bytes(read_in_slices)
    assert seen["frames"] == seen["length"] == decoded // 4
    assert seen["total"] == checksum  # every sample read, in order, the same
    assert peak < decoded / 10, f"peak {peak / 1e6:.1f} MB for {decoded / 1e6:.1f} MB decoded"
    assert peak < 4_000_000  # a bound that does not grow with the bed's length


def test_the_memory_measure_sees_a_whole_decode(long_mp3):
    """The control for the test above: decoding whole shows up in full under tracemalloc."""
    sizes = {}

    def decode_whole() -> None:
        sizes["decoded"] = load_audio_file(long_mp3)[0].nbytes

    assert _peak_bytes(decode_whole) >= sizes["decoded"]


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("name", ["mp3", "m4a", "webm"])
def test_a_truncated_file_is_refused_naming_it(beds, name, tmp_path):
    damaged = cut(beds[name], tmp_path, 0.5)
    cache = tmp_path / "cache"
    with pytest.raises(InvalidInput) as caught:
        CompressedAudioFile(damaged, cache_dir=cache)
    assert damaged.name in str(caught.value)
    assert not cache.exists() or not any(cache.iterdir())  # no sidecar, no partial file left


def test_a_corrupt_file_is_refused_naming_it(beds, tmp_path):
    data = bytearray(beds["mp3"].read_bytes())
    middle = len(data) // 3
    data[middle : middle + 4000] = np.random.default_rng(1).bytes(4000)
    damaged = tmp_path / "garbled.mp3"
    damaged.write_bytes(bytes(data))
    noise = tmp_path / "noise.m4a"
    noise.write_bytes(np.random.default_rng(2).bytes(50_000))
    for path in (damaged, noise):
        with pytest.raises(InvalidInput) as caught:
            CompressedAudioFile(path, cache_dir=tmp_path / "cache")
        assert path.name in str(caught.value)


def test_an_mp3_without_a_length_header_is_read_whole(tmp_path):
    """No Xing/Info header: FFmpeg only guesses the length, so nothing is called truncated."""
    plain = encode_tone(tmp_path / "plain.mp3", 2.0, 44100, 2, options={"write_xing": "0"})
    assert b"Info" not in plain.read_bytes()[:4096] and b"Xing" not in plain.read_bytes()[:4096]
    whole, _ = load_audio_file(plain)
    np.testing.assert_array_equal(CompressedAudioFile(plain, cache_dir=tmp_path)[:], whole)


def test_a_cache_that_cannot_be_written_is_reported_naming_it(beds, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    with pytest.raises(StudioError) as caught:
        CompressedAudioFile(beds["mp3"], cache_dir=blocked)
    assert str(blocked) in str(caught.value) and beds["mp3"].name in str(caught.value)


def test_a_missing_file_is_not_found(tmp_path):
    with pytest.raises(NotFound):
        CompressedAudioFile(tmp_path / "nowhere.mp3", cache_dir=tmp_path)


# ---------------------------------------------------------------------------- the export's mix


def _bed_timeline(asset_id: int, seconds: int, fps: int = 24) -> Timeline:
    """Only a music track: the bed looped under `seconds` of film, faded in and out."""
    bed = Clip(
        name="Music",
        asset_id=asset_id,
        source_range=TimeRange(RationalTime(0, fps), RationalTime(seconds * fps, fps)),
        gain_db=-6.0,
        fade_in=fps,
        fade_out=2 * fps,
        metadata={"loop": True},
    )
    return Timeline("main", fps, (Track("music", "music", (bed,)),))


def test_the_export_mixes_an_mp3_bed_from_its_sidecar_exactly(project, beds, tmp_path):
    """The film's mix with an MP3 bed equals the mix with a WAV of the MP3's whole decode."""
    whole, rate = load_audio_file(beds["mp3"])
    wav = tmp_path / "decoded.wav"
    soundfile.write(str(wav), whole, rate, subtype="FLOAT")
    mp3_asset = timeline_service.import_sound(project.store, beds["mp3"])
    wav_asset = timeline_service.import_sound(project.store, wav)
    mp3_path = project.store.folder / mp3_asset.path

    opened = open_sound(mp3_path)
    assert isinstance(opened, CompressedAudioFile) and opened.rate == rate
    assert opened.sidecar.parent.resolve() == (project.store.cache / "audio").resolve()

    seconds = 8  # longer than a mix block, so the looped bed is read slice by slice
    from_mp3 = timeline_mix_stream(project.store, _bed_timeline(mp3_asset.id, seconds))
    from_wav = timeline_mix_stream(project.store, _bed_timeline(wav_asset.id, seconds))
    mixed = from_mp3.to_array()
    assert len(mixed) == seconds * 48000 and np.abs(mixed).max() > 0.01
    np.testing.assert_array_equal(mixed, from_wav.to_array())


def test_a_truncated_m4a_bed_is_refused_naming_it(project, beds, tmp_path):
    damaged = cut(beds["m4a"], tmp_path, 0.6)
    with pytest.raises(InvalidInput) as caught:
        timeline_service.import_sound(project.store, damaged)
    assert damaged.name in str(caught.value)
    stored = project.store.media.put_file(damaged)  # one that got into the media store
    path = project.store.folder / stored.path
    with pytest.raises(InvalidInput) as caught:
        open_sound(path)
    assert path.name in str(caught.value)


def test_soundfile_formats_still_open_directly(project, tmp_path):
    wav = tmp_path / "bed.wav"
    soundfile.write(str(wav), np.zeros((4800, 2), np.float32), 48000)
    stored = project.store.media.put_file(wav)
    opened = open_sound(project.store.folder / stored.path)
    assert not isinstance(opened, CompressedAudioFile) and opened.rate == 48000
    assert not (project.store.cache / "audio").exists() or not os.listdir(
        project.store.cache / "audio"
    )
