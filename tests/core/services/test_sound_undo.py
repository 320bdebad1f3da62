"""Undo and redo of the music bed and the sound effects reach the next assembly too."""

import numpy as np
import pytest
import soundfile

from studio.services import timeline
from studio.timeline.assemble import assemble


@pytest.fixture
def gust(tmp_path):
    path = tmp_path / "gust.wav"
    soundfile.write(path, np.zeros((24000, 2), np.float32), 48000)
    return path


def _sfx(cut):
    return [t.name for t in cut.tracks if t.kind == "sfx"]


def _next_assembly(project):
    """What `studio assemble` would make now (without saving it, so that redo stays open)."""
    return assemble(timeline.cut_inputs(project.store))


def _music(cut):
    return [item.asset_id for t in cut.tracks if t.kind == "music" for item in t.items]


def test_an_undone_effect_stays_out_of_the_next_assembly_and_redo_brings_it_back(scripted, gust):
    timeline.assemble(scripted)
    timeline.add_effect(scripted, gust, at=0.25)
    assert _sfx(timeline.load_timeline(scripted.store)) == ["sfx1"]
    assert scripted.history.undo_label == "add the effect gust.wav"
    scripted.history.undo()
    assert scripted.store.sound_effects.all() == []
    assert _sfx(timeline.load_timeline(scripted.store)) == []
    assert _sfx(_next_assembly(scripted)) == []
    scripted.history.redo()
    assert [e.at_seconds for e in scripted.store.sound_effects.all()] == [0.25]
    assert _sfx(timeline.load_timeline(scripted.store)) == ["sfx1"]
    assert _sfx(timeline.assemble(scripted)) == ["sfx1"]


def test_an_effect_added_before_any_cut_is_undone_too(scripted, gust):
    timeline.add_effect(scripted, gust, at=0.5)
    scripted.history.undo()
    assert _sfx(_next_assembly(scripted)) == []
    scripted.history.redo()
    assert _sfx(timeline.assemble(scripted)) == ["sfx1"]


def test_removing_an_effect_is_undoable_and_keeps_its_place(scripted, gust):
    first = timeline.add_effect(scripted, gust, at=0.5)
    timeline.add_effect(scripted, gust, at=2.0, gain_db=-6.0)
    placed = scripted.store.sound_effects.all()
    timeline.remove_effect(scripted, placed[0].id)
    assert _sfx(_next_assembly(scripted)) == ["sfx1"]
    assert len(_next_assembly(scripted).track("sfx1").items) == 2  # gap, effect
    scripted.history.undo()
    assert scripted.store.sound_effects.all() == placed
    assert placed[0].asset_id == first.id
    assert len(_next_assembly(scripted).track("sfx1").items) == 4  # gap, effect, gap, effect


def test_an_undone_music_bed_stays_out_of_the_next_assembly_and_redo_brings_it_back(
    scripted, tmp_path
):
    bed, other = tmp_path / "bed.wav", tmp_path / "other.wav"
    soundfile.write(bed, np.zeros((96000, 2), np.float32), 48000)
    soundfile.write(other, np.full((96000, 2), 0.1, np.float32), 48000)
    timeline.assemble(scripted)
    first = timeline.set_music_bed(scripted, bed)
    second = timeline.set_music_bed(scripted, other)
    assert _music(timeline.load_timeline(scripted.store)) == [second.id]
    scripted.history.undo()
    assert _music(timeline.load_timeline(scripted.store)) == [first.id]
    assert _music(_next_assembly(scripted)) == [first.id]
    scripted.history.undo()
    assert timeline.music_bed(scripted.store) is None
    assert _music(timeline.load_timeline(scripted.store)) == []
    assert _music(_next_assembly(scripted)) == []
    scripted.history.redo()
    assert timeline.music_bed(scripted.store) == first
    assert _music(_next_assembly(scripted)) == [first.id]
    scripted.history.redo()
    assert _music(timeline.assemble(scripted)) == [second.id]


def test_clearing_the_music_bed_takes_it_off_the_cut_undoably(scripted, tmp_path):
    bed = tmp_path / "bed.wav"
    soundfile.write(bed, np.zeros((96000, 2), np.float32), 48000)
    timeline.assemble(scripted)
    asset = timeline.set_music_bed(scripted, bed)
    timeline.clear_music_bed(scripted)
    assert _music(timeline.load_timeline(scripted.store)) == []
    assert _music(_next_assembly(scripted)) == []
    scripted.history.undo()
    assert _music(timeline.load_timeline(scripted.store)) == [asset.id]
    assert _music(timeline.assemble(scripted)) == [asset.id]
