import numpy as np
import pytest
import soundfile

from studio.domain import Scene, Shot, TakeKind
from studio.domain.entities import CharacterSheet
from studio.domain.timeline import Clip
from studio.errors import InvalidInput
from studio.media.decode import encode_png
from studio.media.encode import encode_frames
from studio.services import characters, dubbing, timeline
from studio.services.generation import import_takes, keyframe_request, queue_clips


def _png(path, seed=0):
    rng = np.random.default_rng(seed)
    path.write_bytes(encode_png(rng.integers(0, 255, (36, 64, 3), dtype=np.uint8)))
    return path


def test_reference_images_go_into_requests_for_backends_that_take_them(scripted, tmp_path):
    store = scripted.store
    sheet = characters.add_references(scripted, "ash", [_png(tmp_path / "ash.png")])
    shot = next(s for s in store.shots.in_order() if sheet.id in s.characters)
    sha = store.assets.get(sheet.reference_assets[0]).sha256
    assert keyframe_request(store, shot, backend="diffusers").references == (sha,)
    assert keyframe_request(store, shot, backend="previz").references == ()
    scripted.history.undo()
    assert store.characters.get(sheet.id).reference_assets == []


def test_a_corrupt_reference_is_refused_by_name(scripted, tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    with pytest.raises(InvalidInput, match="broken.png"):
        characters.add_references(scripted, "ASH", [bad])


def test_bring_your_own_keyframes_and_clips(scripted, tmp_path):
    store = scripted.store
    still = _png(tmp_path / "drawn.png", 3)
    frames = [np.full((36, 64, 3), i * 10, np.uint8) for i in range(12)]
    video = tmp_path / "shot.mp4"
    encode_frames(frames, video, 64, 36, 24)
    made = import_takes(scripted, "1", [still, video])
    assert [t.kind for t in made] == [TakeKind.KEYFRAME, TakeKind.CLIP]
    shot = store.shots.by_number("1")
    assert shot.active_keyframe_take_id == made[0].id and shot.active_clip_take_id == made[1].id
    assert store.assets.get(made[1].asset_id).duration.value == 12
    truncated = tmp_path / "cut.mp4"
    truncated.write_bytes(video.read_bytes()[: video.stat().st_size // 2])
    with pytest.raises(InvalidInput, match="cut.mp4"):
        import_takes(scripted, "1", [truncated])
    with pytest.raises(InvalidInput, match="neither an image nor a video"):
        import_takes(scripted, "1", [tmp_path / "dunes.fountain"])


def test_clips_can_be_asked_at_a_generation_size(scripted, tmp_path):
    import_takes(scripted, "1", [_png(tmp_path / "drawn.png", 3)])
    native, sized = (
        queue_clips(scripted, "1", backend="diffusers-video", model="m", generation_size=size)[0]
        for size in (None, (832, 480))
    )
    assert "generation_size" not in native.request  # the model's native size: as before
    assert tuple(sized.request["generation_size"]) == (832, 480)
    assert sized.request_hash != native.request_hash


def test_turnaround_adds_three_reference_panels(scripted):
    sheet = characters.turnaround(scripted, "ASH", backend="previz", size=128)
    assert len(sheet.reference_assets) == 3
    again = characters.turnaround(scripted, "ASH", backend="previz", size=128)
    assert again.reference_assets == sheet.reference_assets  # fixed seed: the same panels


def test_turnaround_panels_turn_and_draw_what_the_sheet_says(scripted):
    from studio.media.decode import read_image

    def panels() -> list[np.ndarray]:
        sheet = scripted.store.characters.by_name("ASH")
        assets = [scripted.store.assets.get(i) for i in sheet.reference_assets[-3:]]
        return [read_image(scripted.store.media.read_bytes(a.path), a.path) for a in assets]

    characters.turnaround(scripted, "ASH", backend="previz", size=160)
    front, three_quarter, profile = panels()
    assert not np.array_equal(front, three_quarter) and not np.array_equal(front, profile)
    characters.set_character(scripted, "ASH", description="ASH, a rusty robot")
    characters.turnaround(scripted, "ASH", backend="previz", size=160)
    robot_front = panels()[0]
    assert robot_front.shape == front.shape and not np.array_equal(robot_front, front)


def test_a_line_can_override_its_characters_voice(scripted):
    line = dubbing.set_line_voice(scripted, 1, pitch_semitones=7.0, delivery="shout")
    assert line.voice_override == {"pitch_semitones": 7.0, "delivery": "shout"}
    request = dubbing.voice_request(scripted.store, line)
    sheet = scripted.store.characters.get(line.character_id)
    assert request.pitch_semitones > sheet.voice.pitch_semitones
    assert "shout" in request.delivery
    whisper = dubbing.voice_request(scripted.store, scripted.store.lines.in_order()[1])
    assert "whisper" in whisper.delivery
    scripted.history.undo()
    assert scripted.store.lines.get(line.id).voice_override == {}


def test_timeline_edits_are_undoable_and_effects_get_their_own_tracks(scripted, tmp_path):
    sound = tmp_path / "gust.wav"
    soundfile.write(sound, np.zeros((48000, 2), np.float32), 48000)
    timeline.add_effect(scripted, sound, at=0.5, gain_db=-3)
    timeline.add_effect(scripted, sound, at=1.0)  # overlaps the first: a second track
    cut = timeline.assemble(scripted)
    assert [t.name for t in cut.tracks] == ["V1", "dialogue", "sfx1", "sfx2"]
    first = cut.track("V1").items[3]  # after the fade up, the title card and the dip
    assert isinstance(first, Clip)
    before = first.duration.value
    trimmed = timeline.trim(scripted, "V1", 3, 0, -6).timeline
    assert trimmed.track("V1").items[3].duration.value == before - 6
    split = timeline.split(scripted, "V1", 3).timeline
    assert (
        len([i for i in split.track("V1").items if isinstance(i, Clip)])
        == len([i for i in trimmed.track("V1").items if isinstance(i, Clip)]) + 1
    )
    scripted.history.undo()
    scripted.history.undo()
    assert timeline.load_timeline(scripted.store) == cut
    with pytest.raises(InvalidInput, match="cannot trim"):
        timeline.trim(scripted, "V1", 3, 0, -10_000)


def test_music_and_effects_are_laid_under_an_edited_cut_undoably(scripted, tmp_path):
    bed, gust = tmp_path / "bed.wav", tmp_path / "gust.wav"
    soundfile.write(bed, np.zeros((96000, 2), np.float32), 48000)
    soundfile.write(gust, np.zeros((24000, 2), np.float32), 48000)
    timeline.assemble(scripted)
    edited = timeline.trim(scripted, "V1", 3, 0, -6).timeline  # the editor's work must survive
    timeline.set_music_bed(scripted, bed)
    timeline.add_effect(scripted, gust, at=0.25)
    cut = timeline.load_timeline(scripted.store)
    assert [t.name for t in cut.tracks] == ["V1", "dialogue", "music", "sfx1"]
    for kept in ("V1", "dialogue"):
        assert cut.track(kept) == edited.track(kept)
    assert cut.track("music").duration == edited.track("V1").duration  # under the whole picture
    gap, effect = cut.track("sfx1").items
    assert gap.duration.value == 6 and effect.name == "gust.wav"  # at 0.25 s: 6 frames in
    scripted.history.undo()
    scripted.history.undo()
    assert timeline.load_timeline(scripted.store) == edited


def test_a_shot_without_media_is_a_slate_and_dialogue_sets_its_length(project):
    store = project.store
    scene = store.scenes.add(Scene(order=0, heading="INT. HALL - NIGHT", int_ext="INT"))
    sheet = store.characters.add(CharacterSheet(name="BO"))
    shot = store.shots.add(Shot(scene_id=scene.id, order=0, number="1", characters=[sheet.id]))
    from studio.domain.entities import DialogueLine

    store.lines.add(
        DialogueLine(
            scene_id=scene.id,
            character_id=sheet.id,
            shot_id=shot.id,
            order=0,
            text="A very long line " * 12,
        )
    )
    cut = timeline.assemble(project)
    clip = cut.track("V1").items[3]
    assert clip.metadata["title_card"]["lines"][0] == "SHOT 1"
    assert clip.duration.value > shot.duration.value  # dialogue first: longer than planned
