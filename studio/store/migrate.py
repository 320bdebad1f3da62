"""Schema upgrades with a safety net: back the database up, upgrade, restore on failure."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from studio.errors import MigrationFailed

from .db import make_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(script_location: Path = MIGRATIONS) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def head_revision(script_location: Path = MIGRATIONS) -> str:
    return _scripts(script_location).get_current_head()


def known_revisions(script_location: Path = MIGRATIONS) -> frozenset[str]:
    """Every schema revision this studio's migrations know."""
    return frozenset(r.revision for r in _scripts(script_location).walk_revisions())


@cache
def _scripts(script_location: Path) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(script_location))


def current_revision(db_path: Path) -> str | None:
    engine = make_engine(db_path, readonly=True)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def run_migration(
    db_path: Path, target: str = "head", script_location: Path = MIGRATIONS, downgrade=False
) -> None:
    """Run Alembic up (or down) to `target` on the database at `db_path`, in one transaction."""
    engine = make_engine(db_path)
    config = alembic_config(script_location)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            if downgrade:
                command.downgrade(config, target)
            else:
                command.upgrade(config, target)
    finally:
        engine.dispose()


def backup_database(db_path: Path, backup_path: Path) -> None:
    """A consistent copy of a live SQLite database (WAL included), via SQLite's backup API."""
    source = sqlite3.connect(db_path)
    try:
        target = sqlite3.connect(backup_path)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def upgrade_with_backup(
    db_path: Path,
    script_location: Path = MIGRATIONS,
    on_step: Callable[[str], None] | None = None,
) -> Path | None:
    """Bring the database to the newest schema. Returns the backup's path when an upgrade ran.

    The database is copied first; if the upgrade fails, the copy is put back and MigrationFailed
    says what happened and where the backup lies. A database already at head is left alone.
    """
    head = head_revision(script_location)
    current = current_revision(db_path)
    if current == head:
        return None
    if current is not None and current not in known_revisions(script_location):
        raise MigrationFailed(
            f"{db_path.parent} was made by a newer version of the studio "
            f"(schema revision {current}, which this version does not know)",
            "update the studio to open it; nothing was changed",
        )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = db_path.with_name(f"{db_path.stem}.backup-{current or 'empty'}-{stamp}.db")
    if on_step:
        on_step(f"backing up {db_path.name} to {backup.name}")
    backup_database(db_path, backup)
    try:
        if on_step:
            on_step(f"upgrading the project database from {current or 'empty'} to {head}")
        run_migration(db_path, "head", script_location)
    except Exception as exc:
        _restore(backup, db_path)
        raise MigrationFailed(
            f"upgrading {db_path} from schema {current or 'empty'} to {head} failed: {exc}",
            f"the project was restored as it was; a copy is kept at {backup}",
        ) from exc
    return backup


def _restore(backup: Path, db_path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            side.unlink()
    shutil.copyfile(backup, db_path)
