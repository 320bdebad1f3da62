"""Videos and sounds whose headers lie about their length: the real length is stored, or the
file is refused by name."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import soundfile

from studio.errors import InvalidInput
from studio.media.decode import probe
from studio.services.generation import import_takes
from studio.services.script import import_script
from studio.services.timeline import import_sound

from .hostile import patch_declared_frames, short_clip

SCRIPT = "EXT. DUNES - DAY\n\nWind combs the sand.\n"


@pytest.fixture
def scripted(project, tmp_path):
    path = tmp_path / "dunes.fountain"
    path.write_text(SCRIPT)
    import_script(project, path)
    return project


def test_a_patched_frame_count_is_what_the_header_says_but_not_what_import_trusts(tmp_path):
    honest = short_clip(tmp_path / "honest.mp4")
    patched = patch_declared_frames(honest, tmp_path / "patched.mp4")
    assert probe(patched).frames == 2_000_000_000  # the header's word, as a player shows it
    assert probe(honest, count_frames=True).frames == 24
    with pytest.raises(InvalidInput, match=r"patched.mp4 declares 2000000000 frames but holds 24"):
        probe(patched, count_frames=True)


def test_takes_import_refuses_the_patched_clip_and_stores_nothing(scripted, tmp_path):
    patched = patch_declared_frames(short_clip(tmp_path / "a.mp4"), tmp_path / "shot 1.mp4")
    with pytest.raises(InvalidInput, match="shot 1.mp4 declares 2000000000 frames") as refused:
        import_takes(scripted, "1", [patched])
    assert "\n" not in str(refused.value)
    assert scripted.store.takes.all() == [] and scripted.store.assets.all() == []


def test_a_slightly_wrong_count_is_stored_as_counted(scripted, tmp_path):
    slightly = patch_declared_frames(short_clip(tmp_path / "a.mp4"), tmp_path / "b.mp4", 30)
    (take,) = import_takes(scripted, "1", [slightly])
    assert scripted.store.assets.get(take.asset_id).duration.value == 24


def _wav(path, seconds=1.0, rate=48000):
    soundfile.write(path, np.zeros(int(seconds * rate), np.float32), rate, subtype="PCM_16")
    return path


def test_a_wav_whose_header_says_1_hz_is_refused_by_name(project, tmp_path):
    data = bytearray(_wav(tmp_path / "ok.wav").read_bytes())
    at = data.index(b"fmt ")
    data[at + 12 : at + 16] = struct.pack("<I", 1)  # sample rate: 48,000 samples are 13 hours
    data[at + 16 : at + 20] = struct.pack("<I", 2)  # byte rate to match
    lying = tmp_path / "lying rate.wav"
    lying.write_bytes(bytes(data))
    with pytest.raises(InvalidInput, match=r"lying rate.wav declares a sample rate of 1 Hz"):
        import_sound(project.store, lying)
    assert project.store.assets.all() == []


def test_a_wav_whose_data_chunk_claims_more_than_the_file_is_stored_at_its_real_length(
    project, tmp_path
):
    data = bytearray(_wav(tmp_path / "ok.wav", seconds=0.5).read_bytes())
    at = data.index(b"data")
    data[at + 4 : at + 8] = struct.pack("<I", 0x7FFFFFF0)  # "2 GB of samples follow"
    lying = tmp_path / "lying size.wav"
    lying.write_bytes(bytes(data))
    asset = import_sound(project.store, lying)
    assert asset.duration.to_seconds() == pytest.approx(0.5)


def test_truncated_and_random_media_name_the_file(scripted, tmp_path):
    clip = short_clip(tmp_path / "a.mp4")
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(clip.read_bytes()[: clip.stat().st_size * 2 // 3])
    noise = tmp_path / "noise.mov"
    noise.write_bytes(np.random.default_rng(0).integers(0, 255, 4096, np.uint8).tobytes())
    for bad in (cut, noise):
        with pytest.raises(InvalidInput, match=bad.name) as refused:
            import_takes(scripted, "1", [bad])
        assert "\n" not in str(refused.value)
    wav = tmp_path / "half.wav"
    wav.write_bytes(_wav(tmp_path / "w.wav").read_bytes()[:30])
    with pytest.raises(InvalidInput, match="half.wav"):
        import_sound(scripted.store, wav)
