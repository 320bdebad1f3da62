"""A project folder on disk: `project.db`, `media/`, `renders/`, `cache/`, and its lock.

One process writes a project at a time: opening for writing takes an exclusive lock on
`project.lock`; a second writer gets ProjectInUse naming the holder. Readers (info, doctor) open
the database read-only and need no lock: SQLite in WAL mode lets them read beside the writer.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from studio.domain.project import Project, ProjectSettings
from studio.errors import (
    READ_ONLY_HINT,
    MigrationFailed,
    ProjectDamaged,
    ProjectInUse,
    ProjectNotFound,
    ReadOnlyStorage,
)

from . import migrate, schema
from .blobs import MediaStore
from .db import make_engine
from .repositories import (
    AssetRepo,
    CharacterRepo,
    JobRepo,
    LineRepo,
    MusicBedRepo,
    ProjectRepo,
    SceneMarkRepo,
    SceneRepo,
    ScriptRepo,
    SettingsRepo,
    ShotRepo,
    SoundEffectRepo,
    TakeRepo,
    TimelineRepo,
)

DB_NAME = "project.db"
LOCK_NAME = "project.lock"


class ProjectStore:
    """An open project: its engine, repositories and media store."""

    def __init__(self, folder: Path, engine: sa.Engine, lock_fd: int | None) -> None:
        self.folder = folder
        self.engine = engine
        self._lock_fd = lock_fd
        self.media = MediaStore(folder)
        self.project_repo = ProjectRepo(engine)
        self.scripts = ScriptRepo(engine)
        self.scenes = SceneRepo(engine)
        self.scene_marks = SceneMarkRepo(engine)
        self.shots = ShotRepo(engine)
        self.characters = CharacterRepo(engine)
        self.lines = LineRepo(engine)
        self.assets = AssetRepo(engine)
        self.takes = TakeRepo(engine)
        self.jobs = JobRepo(engine)
        self.timelines = TimelineRepo(engine)
        self.music_bed = MusicBedRepo(engine)
        self.sound_effects = SoundEffectRepo(engine)
        self.values = SettingsRepo(engine)

    @property
    def readonly(self) -> bool:
        return self._lock_fd is None

    @property
    def db_path(self) -> Path:
        return self.folder / DB_NAME

    @property
    def renders(self) -> Path:
        return self.folder / "renders"

    @property
    def cache(self) -> Path:
        return self.folder / "cache"

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """One transaction for several repository writes (pass the connection to each):
        committed at the end of the block, rolled back if it raises."""
        with self.engine.begin() as conn:
            yield conn

    def project(self) -> Project:
        return self.project_repo.the_project()

    def settings(self) -> ProjectSettings:
        return self.project().settings

    def close(self) -> None:
        self.engine.dispose()
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def create(folder: Path, project: Project) -> ProjectStore:
    """Make a new project folder with an up-to-date database."""
    folder = Path(folder)
    if (folder / DB_NAME).exists():
        raise ProjectDamaged(f"{folder} already holds a project", "open it instead")
    if folder.exists() and any(folder.iterdir()):
        raise ProjectDamaged(
            f"{folder} is not empty", "choose a new folder or an empty one for a new project"
        )
    for sub in ("media", "renders", "cache"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    lock_fd = _take_lock(folder)
    migrate.run_migration(folder / DB_NAME)
    store = ProjectStore(folder, make_engine(folder / DB_NAME), lock_fd)
    store.project_repo.add(project)
    return store


def open_store(
    folder: Path, readonly: bool = False, on_step: Callable[[str], None] | None = None
) -> ProjectStore:
    """Open an existing project. Its database must hold what the migrations make and nothing
    else (`schema.inspect_database`). For writing, it is locked, upgraded (with a backup) and
    cleaned of half-written media; read-only opens need no lock and work in a folder that
    cannot be written (where an older schema cannot be upgraded: that is refused)."""
    folder = Path(folder)
    db_path = folder / DB_NAME
    writable = can_write(folder) if db_path.is_file() else True
    if not readonly and not writable:
        raise ReadOnlyStorage(
            f"the project {folder} is read-only here, and this command changes it",
            READ_ONLY_HINT,
        )
    inspection = inspect(folder)
    inspection.refuse(str(folder))
    immutable = reads_immutable(folder)
    if readonly:
        if inspection.revision != migrate.head_revision():
            if not writable:
                raise MigrationFailed(
                    f"{folder} has an older schema ({inspection.revision}) and is read-only "
                    "here, so it cannot be upgraded",
                    "open it once where it can be written, or copy it",
                )
            _upgrade_briefly(folder, on_step)
        return ProjectStore(folder, make_engine(db_path, readonly=True, immutable=immutable), None)
    lock_fd = _take_lock(folder)
    try:
        migrate.upgrade_with_backup(db_path, on_step=on_step)
        store = ProjectStore(folder, make_engine(db_path), lock_fd)
        store.media.clean_incoming()
        return store
    except BaseException:
        fcntl.flock(lock_fd, fcntl.LOCK_UN)
        os.close(lock_fd)
        raise


def inspect(folder: Path, full: bool = False) -> schema.Inspection:
    """What the database of the project at `folder` holds, against what the migrations make
    (`schema.inspect_database`; `full`: SQLite's integrity_check rather than quick_check)."""
    db_path = Path(folder) / DB_NAME
    if not db_path.is_file():
        raise ProjectNotFound(
            f"no project at {folder} (no {DB_NAME})", "create one with `studio new PATH`"
        )
    _check_sqlite(db_path)
    return schema.inspect_database(db_path, full=full, immutable=reads_immutable(Path(folder)))


def reads_immutable(folder: Path) -> bool:
    """Whether the project at `folder` is read as immutable: its folder cannot be written, so
    SQLite could not make the WAL's index, and no write is pending in a WAL file."""
    return not can_write(folder) and not _has_wal(folder / DB_NAME)


def can_write(folder: Path) -> bool:
    """Whether this process may write the project at `folder` (its folder and its database)."""
    return os.access(folder, os.W_OK) and os.access(folder / DB_NAME, os.W_OK)


def _has_wal(db_path: Path) -> bool:
    wal = db_path.with_name(db_path.name + "-wal")
    return wal.is_file() and wal.stat().st_size > 0


def _upgrade_briefly(folder: Path, on_step: Callable[[str], None] | None) -> None:
    """A reader found an old schema: upgrade it now, if no other process has the project."""
    try:
        lock_fd = _take_lock(folder)
    except ProjectInUse as exc:
        raise MigrationFailed(
            f"{folder} needs a schema upgrade, but it is open in another process",
            "close it there; the next open upgrades it",
        ) from exc
    try:
        migrate.upgrade_with_backup(folder / DB_NAME, on_step=on_step)
    finally:
        fcntl.flock(lock_fd, fcntl.LOCK_UN)
        os.close(lock_fd)


def _check_sqlite(db_path: Path) -> None:
    with db_path.open("rb") as f:
        header = f.read(16)
    if header != b"SQLite format 3\x00":
        raise ProjectDamaged(
            f"{db_path} is not an SQLite database (damaged or overwritten)",
            "restore it from a project.backup-*.db copy or a .studio bundle",
        )


def _take_lock(folder: Path) -> int:
    path = folder / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _read_holder(fd)
        os.close(fd)
        raise ProjectInUse(
            f"the project {folder} is open in another process{holder}",
            "close it there first, or use read-only commands such as `studio info`",
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()} {socket.gethostname()}\n".encode(), 0)
    return fd


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode(errors="replace").split()
    except OSError:
        return ""
    return f" (pid {text[0]} on {text[1]})" if len(text) >= 2 else ""
