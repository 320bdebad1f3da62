import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from studio.domain import Scene, Shot, ShotSize, Status, Take, TakeKind
from studio.domain.entities import CharacterSheet, VoiceProfile
from studio.domain.time import RationalTime
from studio.errors import ProjectDamaged, ProjectInUse, ProjectNotFound
from studio.services.project import new_project, open_project, open_readonly, project_info


def test_new_project_has_settings_for_its_aspect(tmp_path):
    with new_project(tmp_path / "v", fps=25, aspect="9:16") as p:
        s = p.store.settings()
        assert (s.width, s.height, s.fps) == (720, 1280, 25)
    for sub in ("media", "renders", "cache"):
        assert (tmp_path / "v" / sub).is_dir()


def test_database_is_wal(project):
    con = sqlite3.connect(project.store.db_path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_rows_round_trip_as_domain_objects(project):
    store = project.store
    scene = store.scenes.add(Scene(order=0, heading="INT. LIGHTHOUSE - NIGHT", int_ext="INT"))
    sheet = store.characters.add(
        CharacterSheet(name="MAYA", voice=VoiceProfile(pitch_semitones=3.0), reference_assets=[])
    )
    shot = store.shots.add(
        Shot(
            scene_id=scene.id,
            order=0,
            number="1",
            size=ShotSize.CLOSE,
            duration=RationalTime(60, 24),
            characters=[sheet.id],
            blocking={str(sheet.id): 0.25},
        )
    )
    loaded = store.shots.get(shot.id)
    assert loaded == shot
    assert loaded.size is ShotSize.CLOSE and loaded.duration == RationalTime(60, 24)
    assert store.characters.by_name("maya").voice.pitch_semitones == 3.0
    info = project_info(store)
    assert (info.scenes, info.shots, info.characters) == (1, 1, 1)
    store.shots.set_fields(shot.id, status=Status.ARCHIVED)
    assert project_info(store).shots == 0


def test_a_second_writer_gets_a_clear_message(project):
    code = (
        "import sys\n"
        "from studio.services.project import open_project\n"
        "from studio.errors import ProjectInUse\n"
        "try:\n"
        f"    open_project({str(project.folder)!r})\n"
        "except ProjectInUse as e:\n"
        "    print(e); sys.exit(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 3, result.stderr
    assert "open in another process" in result.stdout and "pid" in result.stdout


def test_readers_work_beside_the_writer(project):
    with open_readonly(project.folder) as reader:
        assert project_info(reader).name == "Test Film"


def test_in_process_second_open_is_refused_and_reopen_after_close_works(tmp_path):
    p = new_project(tmp_path / "x")
    with pytest.raises(ProjectInUse):
        open_project(tmp_path / "x")
    p.close()
    open_project(tmp_path / "x").close()


def test_missing_and_damaged_projects(tmp_path):
    with pytest.raises(ProjectNotFound):
        open_project(tmp_path / "nothing")
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "project.db").write_bytes(b"this is not a database at all")
    with pytest.raises(ProjectDamaged, match="not an SQLite database"):
        open_project(folder)


def test_takes_keep_recipes(project):
    store = project.store
    asset = store.media.put_bytes(b"png bytes", ".png")
    from studio.domain import Asset

    a = store.assets.add(Asset(sha256=asset.sha256, kind="image", path=asset.path, size=asset.size))
    take = store.takes.add(
        Take(kind=TakeKind.KEYFRAME, owner_id=1, asset_id=a.id, recipe={"seed": 7})
    )
    assert store.takes.get(take.id).recipe == {"seed": 7}
    assert store.takes.of_owner(TakeKind.KEYFRAME, 1)[0].id == take.id


def test_new_refuses_a_non_empty_folder(tmp_path: Path):
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "notes.txt").write_text("mine")
    with pytest.raises(ProjectDamaged, match="not empty"):
        new_project(tmp_path / "f")
