import pytest

from studio.commands import SetFields
from studio.domain import Scene, Shot


@pytest.fixture
def shot(project):
    scene = project.store.scenes.add(Scene(order=0, heading="EXT. PIER - DAY"))
    return project.store.shots.add(Shot(scene_id=scene.id, order=0, number="1", prompt="sea"))


def test_undo_redo_and_saved_point(project, shot):
    history, shots = project.history, project.store.shots
    assert not history.dirty
    history.execute(SetFields("shots", shot.id, {"prompt": "storm"}, "edit prompt"))
    assert shots.get(shot.id).prompt == "storm" and history.dirty
    assert history.undo_label == "edit prompt"
    history.undo()
    assert shots.get(shot.id).prompt == "sea" and not history.dirty
    history.redo()
    assert shots.get(shot.id).prompt == "storm"
    history.mark_saved()
    assert not history.dirty


def test_transaction_is_one_step(project, shot):
    history, shots = project.history, project.store.shots
    with history.transaction("restage"):
        history.execute(SetFields("shots", shot.id, {"prompt": "fog"}))
        history.execute(SetFields("shots", shot.id, {"lens": 85}))
    assert (shots.get(shot.id).prompt, shots.get(shot.id).lens) == ("fog", 85)
    history.undo()
    assert (shots.get(shot.id).prompt, shots.get(shot.id).lens) == ("sea", 35)
    assert not history.can_undo


def test_transaction_rolls_back_on_error(project, shot):
    history, shots = project.history, project.store.shots
    with pytest.raises(ValueError, match="no field"):
        with history.transaction("bad"):
            history.execute(SetFields("shots", shot.id, {"prompt": "fog"}))
            history.execute(SetFields("shots", shot.id, {"no_such_field": 1}))
    assert shots.get(shot.id).prompt == "sea"
    assert not history.can_undo
