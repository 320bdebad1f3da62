"""0005: the scene_marks table (the user's placements on the plans) up, down and up again."""

import sqlite3

from studio.domain.entities import Scene, SceneMark
from studio.services.project import new_project, open_project
from studio.store import migrate


def _tables(db):
    con = sqlite3.connect(db)
    try:
        return {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


def test_scene_marks_round_trip(tmp_path):
    with new_project(tmp_path / "p") as p:
        scene = p.store.scenes.add(Scene(order=0, heading="INT. ROOM - DAY"))
        p.store.scene_marks.add(SceneMark(scene.id, "ANNA", 0, 1.5, 2.0, 90.0))
        db = p.store.db_path
    migrate.run_migration(db, "0004", downgrade=True)
    assert "scene_marks" not in _tables(db) and "scenes" in _tables(db)
    migrate.run_migration(db, "head")
    with open_project(tmp_path / "p") as p:  # the expected schema holds the table again
        assert p.store.scene_marks.all() == []  # a downgrade drops the placements
        p.store.scene_marks.add(SceneMark(scene.id, "ANNA", 1, -1.0, 0.5))
        assert [
            (m.name, m.beat, m.x, m.facing) for m in p.store.scene_marks.of_scene(scene.id)
        ] == [("ANNA", 1, -1.0, None)]
