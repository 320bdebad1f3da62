import pytest

from studio.domain import Scene, Shot


@pytest.fixture
def shots(project):
    """Three shots in one scene."""
    store = project.store
    scene = store.scenes.add(Scene(order=0, heading="EXT. HARBOUR - NIGHT", int_ext="EXT"))
    return [
        store.shots.add(Shot(scene_id=scene.id, order=i, number=str(i + 1), description=f"s{i}"))
        for i in range(3)
    ]
