"""Project use-cases: new, open, info, settings, bundle, unbundle (doctor: `services/doctor.py`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from studio.commands import History
from studio.domain.entities import JobState
from studio.domain.events import EventStream
from studio.domain.project import DEFAULT_MAX_IMAGE_PIXELS, Project, ProjectSettings
from studio.errors import BundleRefused, InvalidInput
from studio.jobs.queue import JobQueue
from studio.store import bundle as bundles
from studio.store import project_store
from studio.store.project_store import ProjectStore


class OpenProject:
    """A project opened for work: its store, its one event stream, its one job queue and its
    undo history. Services publish what they change on `events`; the CLI's progress, the UI's
    Session and tests subscribe there. Close it when done."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store
        self.events = EventStream()
        self.queue = JobQueue(store, self.events)
        self.history = History(store, self.events)
        self.history.mark_saved()

    @property
    def folder(self) -> Path:
        return self.store.folder

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> OpenProject:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def new_project(
    folder: Path, name: str | None = None, fps: int = 24, aspect: str = "16:9", height: int = 720
) -> OpenProject:
    folder = Path(folder)
    settings = ProjectSettings.for_aspect(aspect, fps=fps, height=height)
    store = project_store.create(folder, Project(name=name or folder.name, settings=settings))
    return OpenProject(store)


def open_project(folder: Path, on_step: Callable[[str], None] | None = None) -> OpenProject:
    """Open for writing: locked, upgraded with a backup, interrupted jobs put back in the queue."""
    store = project_store.open_store(Path(folder), on_step=on_step)
    try:
        requeue_interrupted_jobs(store)
    except BaseException:
        store.close()
        raise
    return OpenProject(store)


def open_readonly(folder: Path) -> ProjectStore:
    """Open for reading: no lock, nothing written; works where the folder cannot be written."""
    return project_store.open_store(Path(folder), readonly=True)


def writable(folder: Path) -> bool:
    """Whether this process may change the project at `folder` (else: `open_readonly`)."""
    return project_store.can_write(Path(folder))


# What `studio settings PATH set` may change once a project exists. The frame size, rate and aspect
# stay: every take, the cut and its timecode are made in them.
SETTABLE = ("style", "look", "handles", "clips_follow_picks", "max_image_pixels")
MIN_IMAGE_PIXELS = 1_000_000  # below a megapixel a 1080p keyframe would be refused
MAX_HANDLES = 240  # ten seconds at 24 fps before and after every clip


def change_settings(project: OpenProject, **changes: object) -> ProjectSettings:
    """Change some of the project's settings (`SETTABLE`), each checked; returns the new ones."""
    from dataclasses import replace

    from studio.render.looks import look_named

    unknown = sorted(set(changes) - set(SETTABLE))
    if unknown:
        raise InvalidInput(
            f"setting {unknown[0]!r} cannot be changed", f"settable: {', '.join(SETTABLE)}"
        )
    if "look" in changes:
        look_named(str(changes["look"]))
    if "handles" in changes and not 0 <= int(changes["handles"]) <= MAX_HANDLES:
        raise InvalidInput(
            f"handles {changes['handles']} is out of range", f"use 0 to {MAX_HANDLES} frames"
        )
    if "max_image_pixels" in changes and int(changes["max_image_pixels"]) < MIN_IMAGE_PIXELS:
        raise InvalidInput(
            f"max_image_pixels {changes['max_image_pixels']} is below a megapixel",
            f"use at least {MIN_IMAGE_PIXELS:,}",
        )
    if "style" in changes and not str(changes["style"]).strip():
        raise InvalidInput("the style is empty", "describe the film's look in a few words")
    store = project.store
    settings = replace(store.settings(), **changes)
    store.project_repo.set_fields(store.project().id, settings=settings)
    return settings


def requeue_interrupted_jobs(store: ProjectStore) -> int:
    """Jobs left `running` by a process that died go back to the queue."""
    stuck = store.jobs.in_state(JobState.RUNNING)
    for job in stuck:
        store.jobs.set_fields(job.id, state=JobState.QUEUED, progress=0.0, message="resumed")
    return len(stuck)


@dataclass
class ProjectInfo:
    name: str
    folder: str
    settings: dict
    scenes: int
    shots: int
    characters: int
    lines: int
    takes: int
    jobs: dict[str, int] = field(default_factory=dict)
    script_versions: int = 0

    def to_json(self) -> dict:
        return dict(self.__dict__)


def project_info(store: ProjectStore) -> ProjectInfo:
    project = store.project()
    return ProjectInfo(
        name=project.name,
        folder=str(store.folder),
        settings=project.settings.to_json(),
        scenes=store.scenes.count_active(),
        shots=store.shots.count_active(),
        characters=store.characters.count_active(),
        lines=store.lines.count_active(),
        takes=store.takes.count(),
        jobs=store.jobs.counts(),
        script_versions=store.scripts.count(),
    )


def bundle_project(store: ProjectStore, out: Path) -> dict:
    """Write the project to a `.studio` bundle (a snapshot of the DB and its referenced media)."""
    media = sorted({a.path for a in store.assets.all()})
    return bundles.write_bundle(store.folder, Path(out), store.db_path, media)


def unbundle_project(
    bundle: Path,
    dest: Path,
    limits: bundles.Limits | None = None,
    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS,
) -> Path:
    """Unpack a `.studio` bundle into the new or empty folder `dest` (`store.bundle`). Its
    images are checked first against `max_image_pixels` (not against the bundle's own setting:
    a bundle could raise it), so a pixel bomb is refused before anything is written."""
    check_bundle_images(Path(bundle), max_image_pixels)
    bundles.extract_bundle(Path(bundle), Path(dest), limits or bundles.Limits())
    return Path(dest)


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def check_bundle_images(bundle: Path, max_pixels: int) -> None:
    """Refuse a bundle holding an image larger than `max_pixels` (BundleRefused naming the
    bundle and the entry), from the image's header."""
    import zipfile
    import zlib

    from studio.media.decode import check_image
    from studio.media.image_header import ImageTooLarge

    try:
        zf = zipfile.ZipFile(bundle)
    except (zipfile.BadZipFile, OSError):
        return  # extract_bundle refuses it with its own words
    with zf:
        for info in zf.infolist():
            if not info.filename.startswith("media/"):
                continue
            if Path(info.filename).suffix.lower() not in IMAGE_SUFFIXES or info.is_dir():
                continue
            name = f"{bundle.name}: {info.filename}"
            # no image of the allowed size takes more than 8 bytes a pixel (16-bit RGBA)
            if info.file_size > 8 * max_pixels + (1 << 20):
                raise BundleRefused(f"{name} is {info.file_size} bytes, too large for an image")
            try:
                check_image(zf.read(info), name, max_pixels)
            except ImageTooLarge as refused:
                raise BundleRefused(str(refused)) from None
            except InvalidInput:
                continue  # not a whole image: refused by name where it is read, never decoded
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, zlib.error) as exc:
                raise BundleRefused(f"{name} cannot be read ({exc})") from None
