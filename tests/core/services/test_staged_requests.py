"""Keyframe and clip requests carry the staged view from the scene plan, through the services on
a real project: the shot's camera and what stands in its scene, a description edit that names
a prop, and a clip of a staged previz keyframe that re-draws it along the move."""

from studio.services.generation import (
    clip_request,
    keyframe_request,
    queue_keyframes,
    run_queue,
)
from studio.services.shots import set_shot


def test_a_keyframe_request_is_staged_in_its_scene_plan(scripted) -> None:
    store = scripted.store
    shot = next(s for s in store.shots.in_order() if s.characters)
    request = keyframe_request(store, shot, backend="previz")
    stage = request.stage
    assert stage is not None and not stage.set.interior  # EXT. DUNES
    assert [f.name for f in stage.figures] == ["ASH"] and stage.subject == ("ASH",)
    assert stage.focal_mm == shot.lens and stage.sensor == (36.0, 24.0)
    assert keyframe_request(store, shot, 1, backend="previz").stage != stage  # take 1 varies

    set_shot(scripted, shot.number, description=shot.description + " A lantern at her feet.")
    edited = keyframe_request(store, store.shots.get(shot.id), backend="previz")
    assert "lantern" in [t.name for t in edited.stage.things]
    assert "lantern" not in [t.name for t in stage.things] and edited.hash != request.hash


def test_a_clip_of_a_staged_previz_keyframe_carries_it(scripted) -> None:
    store = scripted.store
    shot = next(s for s in store.shots.in_order() if s.characters)
    queue_keyframes(scripted, shot.number, backend="previz")
    run_queue(scripted, executor="inline")
    shot = store.shots.get(shot.id)
    set_shot(scripted, shot.number, move="dolly_left")
    clip = clip_request(store, store.shots.get(shot.id))
    assert clip.staged == keyframe_request(store, shot, backend="previz")


def test_an_insert_of_a_letter_shows_the_letter_and_not_the_girl_behind_it(project, tmp_path):
    from studio.generation.backends.previz import panel_layout
    from studio.services.script import import_script

    script = tmp_path / "quay.fountain"
    script.write_text(
        "EXT. QUAY - DUSK\n\nKIT (10), a girl in a raincoat, holds up a letter.\n\n"
        "KIT\nIs that for me?\n\nINSERT -- The letter, wet at one corner.\n",
        encoding="utf-8",
    )
    import_script(project, script)
    store = project.store
    insert = next(s for s in store.shots.in_order() if s.size.value == "INSERT")
    request = keyframe_request(store, insert, backend="previz")
    assert request.stage.subject == ("letter",)
    drawn = [item.name for item in panel_layout(request).staged.items]
    assert "letter" in drawn and "KIT" not in drawn
    wider = next(s for s in store.shots.in_order() if s.characters)
    assert "KIT" in [i.name for i in panel_layout(keyframe_request(store, wider)).staged.items]
