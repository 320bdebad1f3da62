"""Opening the SQLite database: WAL, foreign keys, a busy timeout; its failures as one line."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event

from studio.errors import (
    DAMAGED_HINT,
    READ_ONLY_HINT,
    DiskFull,
    ProjectDamaged,
    ProjectInUse,
    ReadOnlyStorage,
    StorageFailed,
    StudioError,
)

Connection = sa.Connection  # one transaction's connection, handed to the repositories' writes

# SQLite's primary result codes (the low byte of an extended code)
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN = 10, 11, 13, 14
SQLITE_NOTADB = 26


def sqlite_uri(db_path: Path, immutable: bool = False) -> str:
    """A read-only `file:` URI for `db_path` (any name: `?`, `#` and `%` are quoted).
    `immutable` reads a database in a folder that cannot be written, where SQLite could not
    make the WAL's shared-memory file: nothing may be writing it meanwhile."""
    uri = f"file:{quote(str(Path(db_path).absolute()))}?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def connect_readonly(db_path: Path, immutable: bool = False) -> sqlite3.Connection:
    """A plain read-only sqlite3 connection that runs nothing stored in the database."""
    con = sqlite3.connect(sqlite_uri(db_path, immutable), uri=True, check_same_thread=False)
    con.execute("PRAGMA trusted_schema=OFF")
    return con


def make_engine(db_path: Path, readonly: bool = False, immutable: bool = False) -> sa.Engine:
    """An engine for a project database. WAL lets readers go on while one writer writes.
    A failure of SQLite reaches the caller as one StudioError that names the database."""
    if readonly:
        engine = sa.create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(
                sqlite_uri(db_path, immutable), uri=True, check_same_thread=False, timeout=30
            ),
            poolclass=sa.pool.QueuePool,
        )
    else:
        url = f"sqlite:///{db_path}"
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        if not readonly:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA trusted_schema=OFF")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "handle_error")
    def _one_line(context) -> None:
        original = context.original_exception
        if isinstance(original, sqlite3.Error):
            failure = database_failure(original, db_path)
            if failure is not None:
                raise failure from original

    return engine


def database_failure(exc: sqlite3.Error, db_path: Path) -> StudioError | None:
    """The StudioError for a failure of SQLite on `db_path`, or None for a mistake of ours."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code == SQLITE_FULL:
        return DiskFull(
            f"the disk holding {db_path} is full: the change was not saved",
            "free some space on that disk and run the command again",
        )
    if code == SQLITE_READONLY:
        return ReadOnlyStorage(
            f"{db_path} cannot be written (a read-only file, folder or mount)",
            READ_ONLY_HINT,
        )
    if code == SQLITE_CANTOPEN:
        return StorageFailed(
            f"cannot open {db_path} ({exc})",
            "check that its folder can be read, and written to change the project",
        )
    if code == SQLITE_IOERR:
        return StorageFailed(
            f"the disk failed reading or writing {db_path} ({exc})",
            "check the disk, then run `studio doctor` on the project",
        )
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return ProjectDamaged(
            f"{db_path} is damaged ({exc})",
            DAMAGED_HINT,
        )
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return ProjectInUse(f"{db_path} stayed busy in another process ({exc})", "try again")
    return None
