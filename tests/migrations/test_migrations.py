import shutil
import sqlite3

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from studio.errors import MigrationFailed
from studio.services.project import new_project, open_project
from studio.store import migrate
from studio.store.db import make_engine
from studio.store.orm import metadata


def _populate(project):
    con = sqlite3.connect(project.store.db_path)
    con.execute(
        'INSERT INTO scenes ("order", heading, int_ext, location, time_of_day, number, '
        "synopsis, fingerprint, status) VALUES (0, 'INT. ROOM - DAY', 'INT', 'ROOM', 'DAY', '1', "
        "'', 'f1', 'current')"
    )
    con.execute(
        "INSERT INTO assets (sha256, kind, path, size, mime, width, height, original_name, "
        "created) VALUES ('ab', 'image', 'media/ab/ab.png', 1, '', 0, 0, '', '2026-01-01')"
    )
    con.execute(
        "INSERT INTO takes (kind, owner_id, asset_id, recipe, cache_key, rating, stale, note, "
        "created) VALUES ('keyframe', 1, 1, '{}', 'k', 4, 0, 'nice', '2026-01-01')"
    )
    con.commit()
    con.close()


def _rows(db, table):
    con = sqlite3.connect(db)
    try:
        return con.execute(f"SELECT * FROM {table}").fetchall()
    finally:
        con.close()


def test_tables_match_the_migrations(tmp_path):
    with new_project(tmp_path / "p") as p:
        engine = make_engine(p.store.db_path)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        engine.dispose()
    assert diff == []


def test_upgrade_downgrade_upgrade_round_trip_keeps_data(tmp_path):
    with new_project(tmp_path / "p") as p:
        _populate(p)
        db = p.store.db_path
    scenes_before = _rows(db, "scenes")
    migrate.run_migration(db, "0001", downgrade=True)
    assert migrate.current_revision(db) == "0001"
    assert _rows(db, "scenes") == [row[:-1] for row in scenes_before]  # 0003's column gone
    migrate.run_migration(db, "head")
    assert _rows(db, "scenes") == scenes_before
    migrate.run_migration(db, "0001", downgrade=True)
    migrate.run_migration(db, "base", downgrade=True)
    assert migrate.current_revision(db) is None
    migrate.run_migration(db, "head")
    assert migrate.current_revision(db) == migrate.head_revision()


def _sounds_in_settings(db):
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT key, value FROM settings WHERE key IN ('music', 'effects')")
        return dict(rows)
    finally:
        con.close()


def test_music_and_effects_move_out_of_the_settings_and_back(tmp_path):
    with new_project(tmp_path / "p") as p:
        _populate(p)  # asset 1
        db = p.store.db_path
    migrate.run_migration(db, "0003", downgrade=True)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO settings (key, value) VALUES ('music', '1')")
    effects = '[{"asset_id":1,"at":0.5,"gain_db":-3.0},{"asset_id":7,"at":1.0,"gain_db":0.0},'
    effects += '{"asset_id":1,"at":2.25}]'  # asset 7 does not exist; no gain was 0 dB
    con.execute("INSERT INTO settings (key, value) VALUES ('effects', ?)", (effects,))
    con.commit()
    con.close()
    migrate.run_migration(db, "head")
    assert _rows(db, "music_bed") == [(1, 1)]
    assert _rows(db, "sound_effects") == [(1, 1, 0.5, -3.0), (2, 1, 2.25, 0.0)]
    assert _sounds_in_settings(db) == {}
    with open_project(tmp_path / "p") as reopened:
        assert reopened.store.music_bed.current().asset_id == 1
        assert [e.at_seconds for e in reopened.store.sound_effects.all()] == [0.5, 2.25]
    migrate.run_migration(db, "0003", downgrade=True)
    kept = '[{"asset_id":1,"at":0.5,"gain_db":-3.0},{"asset_id":1,"at":2.25,"gain_db":0.0}]'
    assert _sounds_in_settings(db) == {"music": "1", "effects": kept}
    migrate.run_migration(db, "head")
    assert _rows(db, "sound_effects") == [(1, 1, 0.5, -3.0), (2, 1, 2.25, 0.0)]
    assert _sounds_in_settings(db) == {}


def test_opening_an_old_project_upgrades_it_with_a_backup(tmp_path):
    with new_project(tmp_path / "p") as p:
        _populate(p)
        db = p.store.db_path
    migrate.run_migration(db, "0001", downgrade=True)
    with open_project(tmp_path / "p") as reopened:
        take = reopened.store.takes.get(1)
        assert take.rating == 4 and take.note == ""
    backups = list((tmp_path / "p").glob("project.backup-0001-*.db"))
    assert len(backups) == 1
    assert migrate.current_revision(backups[0]) == "0001"


def test_a_failing_migration_leaves_the_original_intact(tmp_path):
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_broken.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n"
        f"revision = '0099'\ndown_revision = '{migrate.head_revision()}'\n"
        "branch_labels = None\ndepends_on = None\n"
        "def upgrade():\n"
        "    op.add_column('takes', sa.Column('half_done', sa.Integer(), nullable=True))\n"
        "    op.execute('UPDATE takes SET rating = 0')\n"
        "    raise RuntimeError('simulated failure in 0099')\n"
        "def downgrade():\n    pass\n"
    )
    with new_project(tmp_path / "p") as p:
        _populate(p)
        db = p.store.db_path
    before = _rows(db, "takes")
    with pytest.raises(MigrationFailed, match="simulated failure") as err:
        migrate.upgrade_with_backup(db, script_location=scripts)
    assert "restored" in str(err.value)
    assert _rows(db, "takes") == before
    assert migrate.current_revision(db) == migrate.head_revision()
    engine = make_engine(db)
    columns = {c["name"] for c in sa.inspect(engine).get_columns("takes")}
    engine.dispose()
    assert "half_done" not in columns
