"""What a project database may hold: exactly what the migrations make, and nothing that runs.

The expected schema of each revision is built once per process by running the migrations on an
in-memory database and reading it back, so a new migration needs no edit here. A database is
read with a plain read-only connection that executes nothing stored in it (sqlite_master and
PRAGMAs only; a table is read only once it is known to be a table): its tables with their columns,
foreign keys and CHECK constraints, its indexes with their columns, and any trigger or view,
which the studio never makes. Then SQLite checks the file itself (`quick_check` on every open,
`integrity_check` for `doctor` and bundles).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import sqlalchemy as sa

from studio.errors import MigrationFailed, ProjectDamaged, StudioError

from .db import connect_readonly, database_failure

# tables SQLite itself makes (AUTOINCREMENT, ANALYZE): their contents only steer the planner
SQLITE_TABLES = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}
_STRINGS = re.compile(r"'(?:[^']|'')*'")
_CHECK = re.compile(r"\bCHECK\s*\(", re.IGNORECASE)


@dataclass(frozen=True)
class Shape:
    """A database's schema, reduced to what matters: comparable between two databases."""

    tables: dict[str, tuple] = field(default_factory=dict)  # name -> (flags, columns, fks, checks)
    indexes: dict[str, tuple] = field(default_factory=dict)  # name -> (table, unique, ..., cols)
    others: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (type, table)


@dataclass
class Inspection:
    """What was found in a project database."""

    revision: str | None = None
    newer: bool = False  # made by a newer studio: a revision this one does not know
    problems: list[str] = field(default_factory=list)

    def refuse(
        self, where: str, error: type[StudioError] = ProjectDamaged, hint: str | None = None
    ) -> None:
        """Raise one line naming the first problem (and how many more) found in `where`."""
        if self.newer:
            raise MigrationFailed(
                f"{where} was made by a newer version of the studio "
                f"(schema revision {self.revision}, which this version does not know)",
                "update the studio to open it; nothing was changed",
            )
        if self.problems:
            more = len(self.problems) - 1
            tail = f" (and {more} more: `studio doctor` lists them)" if more else ""
            raise error(
                f"project.db in {where} has {self.problems[0]}{tail}",
                hint
                or "it was not opened: restore it from a project.backup-*.db copy or a bundle "
                "you trust",
            )


def inspect_database(db_path: Path, full: bool = False, immutable: bool = False) -> Inspection:
    """Read `db_path`'s schema and revision (running nothing stored in it) and compare them with
    what the migrations make at that revision; `full` runs `integrity_check` instead of
    `quick_check`. `immutable`: the folder cannot be written (see `db.sqlite_uri`)."""
    from . import migrate

    found = Inspection()
    try:
        con = connect_readonly(db_path, immutable)
    except sqlite3.Error as exc:
        raise database_failure(exc, db_path) or ProjectDamaged(f"{db_path}: {exc}") from None
    try:
        try:
            master = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
        except sqlite3.DatabaseError as exc:
            found.problems.append(f"no readable schema ({exc})")
            return found
        kinds = {name: kind for kind, name, _, _ in master}
        if kinds.get("alembic_version") != "table":
            found.problems.append("no schema revision (alembic_version): not a studio database")
            return found
        found.revision = _revision(con)
        if found.revision is None:
            found.problems.append("no schema revision (an empty or doubled alembic_version)")
            return found
        if found.revision not in migrate.known_revisions():
            found.newer = True
            return found
        expected = expected_shape(found.revision)
        found.problems += compare(expected, read_shape(con, master))
        if not found.problems:
            found.problems += _checked(con, full)
        return found
    except sqlite3.DatabaseError as exc:
        found.problems.append(f"damage that SQLite reports while reading its schema ({exc})")
        return found
    finally:
        con.close()


def _revision(con: sqlite3.Connection) -> str | None:
    rows = con.execute("SELECT version_num FROM alembic_version LIMIT 2").fetchall()
    return rows[0][0] if len(rows) == 1 else None


def _checked(con: sqlite3.Connection, full: bool) -> list[str]:
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = [r[0] for r in con.execute(f"PRAGMA {pragma}(20)").fetchall()]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    if rows == ["ok"]:
        return []
    return [f"damage found by SQLite's {pragma}: {row}" for row in rows]


def read_shape(con: sqlite3.Connection, master: list | None = None) -> Shape:
    """The shape of the database on `con`, from sqlite_master and PRAGMAs only."""
    if master is None:
        master = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    shape = Shape()
    for kind, name, table, sql in master:
        if kind == "table":
            shape.tables[name] = _table(con, name, sql or "")
        elif kind == "index":
            shape.indexes[name] = _index(con, name, table)
        else:
            shape.others[name] = (kind, table)
    return shape


def _table(con: sqlite3.Connection, name: str, sql: str) -> tuple:
    if sql.lstrip().upper().startswith("CREATE VIRTUAL"):
        return ("virtual", (), (), 0)
    quoted = _quoted(name)
    flags = con.execute(f"PRAGMA table_list({quoted})").fetchall()
    columns = tuple(
        (cid, col, typ.upper(), notnull, default, pk, hidden)
        for cid, col, typ, notnull, default, pk, hidden in con.execute(
            f"PRAGMA table_xinfo({quoted})"
        )
    )
    fks = tuple(sorted(tuple(r[2:]) for r in con.execute(f"PRAGMA foreign_key_list({quoted})")))
    checks = len(_CHECK.findall(_STRINGS.sub("''", sql)))
    return (tuple(tuple(f[2:]) for f in flags), columns, fks, checks)


def _index(con: sqlite3.Connection, name: str, table: str) -> tuple:
    quoted = _quoted(name)
    listed = {row[1]: row for row in con.execute(f"PRAGMA index_list({_quoted(table)})")}
    _, _, unique, origin, partial = listed.get(name, (0, name, None, None, None))
    keys = tuple(
        (cid, col, desc, coll)
        for _, cid, col, desc, coll, key in con.execute(f"PRAGMA index_xinfo({quoted})")
        if key
    )
    return (table, unique, origin, partial, keys)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def compare(expected: Shape, found: Shape) -> list[str]:
    """Each difference between what the migrations make and what was found, as a phrase."""
    problems: list[str] = []
    for name, (kind, table) in sorted(found.others.items()):
        on = f" on table {table}" if kind == "trigger" else ""
        if name in expected.tables:
            problems.append(f"a {kind} `{name}` where the studio makes a table")
        elif expected.others.get(name) != (kind, table):
            problems.append(f"a {kind} `{name}`{on}, which the studio does not make")
    for name in sorted(expected.tables.keys() - found.tables.keys() - found.others.keys()):
        problems.append(f"no table `{name}`")
    for name in sorted(found.tables.keys() - expected.tables.keys() - SQLITE_TABLES):
        problems.append(f"a table `{name}`, which the studio does not make")
    for name in sorted(expected.tables.keys() & found.tables.keys()):
        problems += _table_differences(name, expected.tables[name], found.tables[name])
    for name in sorted(found.indexes.keys() - expected.indexes.keys()):
        table = found.indexes[name][0]
        if table in found.tables.keys() - expected.tables.keys():
            continue  # its table is reported already
        problems.append(f"an index `{name}` on table {table}, which the studio does not make")
    for name in sorted(expected.indexes.keys() - found.indexes.keys()):
        if expected.indexes[name][0] in found.tables:
            problems.append(f"no index `{name}` on table {expected.indexes[name][0]}")
    for name in sorted(expected.indexes.keys() & found.indexes.keys()):
        if expected.indexes[name] != found.indexes[name]:
            problems.append(f"an index `{name}` that differs from the one the studio makes")
    return problems


def _table_differences(name: str, expected: tuple, found: tuple) -> list[str]:
    if found[0] == "virtual":
        return [f"a virtual table `{name}` where the studio makes a plain table"]
    problems = []
    want = {c[1]: c for c in expected[1]}
    have = {c[1]: c for c in found[1]}
    for column in sorted(want.keys() - have.keys()):
        problems.append(f"no column `{column}` in table {name}")
    for column in sorted(have.keys() - want.keys()):
        problems.append(f"a column `{column}` in table {name}, which the studio does not make")
    for column in sorted(want.keys() & have.keys()):
        if want[column][2:] != have[column][2:]:
            problems.append(f"a column `{column}` in table {name} that is defined differently")
    if not problems and [c[1] for c in expected[1]] != [c[1] for c in found[1]]:
        problems.append(f"the columns of table {name} in another order")
    if expected[0] != found[0]:
        problems.append(f"a table `{name}` of another kind (rowid or strictness)")
    if expected[2] != found[2]:
        problems.append(f"foreign keys on table {name} that the studio does not make")
    if expected[3] != found[3]:
        problems.append(f"a CHECK constraint on table {name}, which the studio does not make")
    return problems


@cache
def expected_shape(revision: str) -> Shape:
    """The shape the migrations give a database at `revision` (built once per process)."""
    from alembic import command

    from . import migrate

    engine = sa.create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            config = migrate.alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            return read_shape(conn.connection.driver_connection)
    finally:
        engine.dispose()
