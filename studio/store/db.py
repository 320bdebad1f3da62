"""Opening the SQLite database: WAL, foreign keys, a busy timeout."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

Connection = sa.Connection  # one transaction's connection, handed to the repositories' writes


def make_engine(db_path: Path, readonly: bool = False) -> sa.Engine:
    """An engine for a project database. WAL lets readers go on while one writer writes."""
    if readonly:
        url = f"sqlite:///file:{db_path}?mode=ro&uri=true"
    else:
        url = f"sqlite:///{db_path}"
    engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        if not readonly:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine
