"""A project database may hold only what the migrations make: traps are refused, by name, on
open, on unbundle and in `doctor`, and nothing stored in the database runs."""

import hashlib
import json
import os
import sqlite3
import zipfile

import pytest

from studio.domain import Asset
from studio.errors import BundleRefused, MigrationFailed, ProjectDamaged
from studio.services.doctor import doctor_project
from studio.services.project import (
    new_project,
    open_project,
    open_readonly,
    unbundle_project,
)
from studio.store import migrate
from studio.store.bundle import write_bundle
from studio.store.schema import expected_shape, inspect_database, read_shape

RECURSIVE_SCENES = (
    "CREATE VIEW scenes AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
    "SELECT n AS id, n AS \"order\", 'INT. LOOP' AS heading, 'INT' AS int_ext, '' AS location, "
    "'' AS time_of_day, '' AS number, '' AS synopsis, '' AS fingerprint, 'current' AS status, "
    "'' AS transition FROM r"
)

TRAPS = {
    "trigger on takes": (
        "CREATE TRIGGER evil AFTER INSERT ON takes BEGIN DELETE FROM takes WHERE id <> NEW.id; END",
        "a trigger `evil` on table takes, which the studio does not make",
    ),
    "trigger on jobs": (
        "CREATE TRIGGER stall BEFORE UPDATE ON jobs BEGIN SELECT RAISE(IGNORE); END",
        "a trigger `stall` on table jobs, which the studio does not make",
    ),
    "looping view in place of scenes": (
        "PRAGMA foreign_keys=OFF; DROP TABLE scenes; " + RECURSIVE_SCENES,
        "a view `scenes` where the studio makes a table",
    ),
    "missing column": ("ALTER TABLE takes DROP COLUMN note", "no column `note` in table takes"),
    "extra table": ("CREATE TABLE loot (x)", "a table `loot`, which the studio does not make"),
    "extra index": (
        "CREATE INDEX ix_evil ON takes (note)",
        "an index `ix_evil` on table takes, which the studio does not make",
    ),
    "check constraint": (
        "PRAGMA writable_schema=ON; UPDATE sqlite_master SET sql = replace(sql, 'note TEXT', "
        "'note TEXT CHECK (length(note) < 0)') WHERE name = 'takes'",
        "a CHECK constraint on table takes, which the studio does not make",
    ),
}


def _project_with_takes(folder, takes=3):
    with new_project(folder, name="Trap") as project:
        store = project.store
        blob = store.media.put_bytes(b"keyframe", ".png")
        asset = store.assets.add(Asset(sha256=blob.sha256, kind="image", path=blob.path, size=8))
        con = sqlite3.connect(store.db_path)
        for n in range(takes):
            con.execute(
                "INSERT INTO takes (kind, owner_id, asset_id, recipe, cache_key, rating, stale, "
                "note, created) VALUES ('keyframe', 1, ?, '{}', ?, 0, 0, '', '2026-01-01')",
                (asset.id, f"k{n}"),
            )
        con.commit()
        con.close()
        return store.db_path, [blob.path]


def _poison(db, sql):
    con = sqlite3.connect(db)
    con.executescript(sql)
    con.commit()
    con.close()


def _bundle(folder, out, media):
    write_bundle(folder, out, folder / "project.db", media)
    return out


def _zip_bundle(out, entries):
    """A bundle written by hand: `entries` (name -> bytes) with an honest manifest."""
    files = [
        {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in entries.items()
    ]
    manifest = {
        "format": "microfilm-studio-bundle",
        "version": 1,
        "files": files,
        "total_size": sum(f["size"] for f in files),
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        zf.writestr("bundle.json", json.dumps(manifest))
    return out


def _left_in(dest):
    return sorted(p.name for p in dest.rglob("*")) if dest.exists() else []


@pytest.mark.parametrize("trap", sorted(TRAPS))
def test_a_bundle_whose_database_holds_a_trap_is_refused_by_name(tmp_path, trap):
    sql, found = TRAPS[trap]
    db, media = _project_with_takes(tmp_path / "p")
    _poison(db, sql)
    bundle = _bundle(tmp_path / "p", tmp_path / "trap.studio", media)
    with pytest.raises(BundleRefused) as err:
        unbundle_project(bundle, tmp_path / "copy")
    assert str(err.value.message).startswith(f"project.db in trap.studio has {found}")
    assert "\n" not in str(err.value)
    assert _left_in(tmp_path / "copy") == []


@pytest.mark.parametrize("trap", sorted(TRAPS))
def test_opening_a_project_whose_database_holds_a_trap_is_refused_and_runs_nothing(tmp_path, trap):
    sql, found = TRAPS[trap]
    folder = tmp_path / "p"
    db, _ = _project_with_takes(folder, takes=18)
    _poison(db, sql)
    for opener in (open_project, open_readonly):
        with pytest.raises(ProjectDamaged, match="has " + found.replace("(", r"\(")):
            opener(folder)
    if trap != "missing column":
        con = sqlite3.connect(db)
        assert con.execute("SELECT count(*) FROM takes").fetchone() == (18,)
        con.close()
    assert not list(folder.glob("project.backup-*"))


def test_doctor_lists_every_trap_instead_of_saying_healthy(tmp_path):
    folder = tmp_path / "p"
    db, _ = _project_with_takes(folder)
    _poison(db, TRAPS["looping view in place of scenes"][0] + "; " + TRAPS["trigger on jobs"][0])
    report = doctor_project(folder)
    assert report.damaged
    assert report.schema == [
        "project.db has a view `scenes` where the studio makes a table",
        "project.db has a trigger `stall` on table jobs, which the studio does not make",
    ]
    assert report.to_json()["schema"] == report.schema
    assert set(report.to_json()) >= {"checked", "missing", "corrupt", "orphans", "dangling"}


def test_random_bytes_are_not_a_project_database(tmp_path):
    folder = tmp_path / "p"
    _project_with_takes(folder)
    noise = b"SQLite format 3\x00" + os.urandom(64 * 1024)
    (folder / "project.db").write_bytes(noise)
    bundle = _zip_bundle(tmp_path / "noise.studio", {"project.db": noise})
    with pytest.raises(BundleRefused, match="project.db in noise.studio has no readable schema"):
        unbundle_project(bundle, tmp_path / "copy")
    assert _left_in(tmp_path / "copy") == []
    with pytest.raises(ProjectDamaged, match="no readable schema"):
        open_readonly(folder)
    (folder / "project.db").write_bytes(os.urandom(64 * 1024))
    with pytest.raises(ProjectDamaged, match="not an SQLite database"):
        open_project(folder)


def test_a_page_damaged_on_disk_is_found_by_sqlite(tmp_path):
    folder = tmp_path / "p"
    db, _ = _project_with_takes(folder, takes=400)
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    last = len(data) // page - 1
    data[last * page : last * page + 64] = b"\xff" * 64  # a b-tree page's header, overwritten
    db.write_bytes(bytes(data))
    found = inspect_database(db, full=True)
    assert found.problems and "damage found by SQLite's integrity_check" in found.problems[0]
    with pytest.raises(ProjectDamaged, match="damage found by SQLite's quick_check"):
        open_readonly(folder)


def test_a_project_made_by_a_newer_studio_says_so_and_writes_no_backup(tmp_path):
    folder = tmp_path / "p"
    db, media = _project_with_takes(folder)
    _poison(db, "UPDATE alembic_version SET version_num = '0099'")
    for opener in (open_project, open_readonly):
        with pytest.raises(MigrationFailed, match="made by a newer version of the studio"):
            opener(folder)
    assert not list(folder.glob("project.backup-*"))
    with pytest.raises(MigrationFailed, match="upgrading|newer"):
        migrate.upgrade_with_backup(db)
    assert not list(folder.glob("project.backup-*"))
    bundle = _bundle(folder, tmp_path / "new.studio", media)
    with pytest.raises(MigrationFailed, match="new.studio was made by a newer version"):
        unbundle_project(bundle, tmp_path / "copy")
    assert _left_in(tmp_path / "copy") == []


def test_an_older_known_revision_unbundles_and_is_upgraded_on_open(tmp_path):
    folder = tmp_path / "p"
    db, media = _project_with_takes(folder)
    migrate.run_migration(db, "0002", downgrade=True)
    bundle = _bundle(folder, tmp_path / "old.studio", media)
    unbundle_project(bundle, tmp_path / "copy")
    assert migrate.current_revision(tmp_path / "copy" / "project.db") == "0002"
    with open_project(tmp_path / "copy") as project:
        assert project.store.takes.count() == 3
    assert migrate.current_revision(tmp_path / "copy" / "project.db") == migrate.head_revision()


def test_the_expected_schema_is_what_a_new_project_holds(tmp_path):
    db, _ = _project_with_takes(tmp_path / "p")
    con = sqlite3.connect(db)
    found = read_shape(con)
    con.close()
    expected = expected_shape(migrate.head_revision())
    assert found == expected
    assert not expected.others  # the studio makes no trigger and no view
    assert {"takes", "jobs", "scenes", "alembic_version"} <= set(expected.tables)


def test_a_bundle_written_by_the_studio_still_unpacks(tmp_path):
    db, media = _project_with_takes(tmp_path / "p")
    bundle = _bundle(tmp_path / "p", tmp_path / "fine.studio", media)
    with zipfile.ZipFile(bundle) as zf:
        assert sorted(zf.namelist()) == sorted(["bundle.json", "project.db", *media])
    unbundle_project(bundle, tmp_path / "copy")
    assert not doctor_project(tmp_path / "copy").damaged
