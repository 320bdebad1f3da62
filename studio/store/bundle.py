"""`.studio` bundles: a project folder as one zip, to move it between machines.

A bundle holds `bundle.json` (format, version, every file with its size and sha256, and the total
size), `project.db` (a consistent snapshot) and `media/`. Unbundling checks every entry before it
writes anything: no absolute paths, no `..`, no links or devices, nothing undeclared, sizes that
agree with the manifest and fit the limits and the free space, no entry that inflates like a bomb
or past its declared size. project.db is unpacked first and checked like any project's database
(`schema.inspect_database`, with `integrity_check`) before any media; only media that its assets
name is unpacked. It writes only inside the destination folder.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from studio.errors import BundleRefused

from .blobs import hash_file
from .db import make_engine
from .migrate import backup_database

FORMAT = "microfilm-studio-bundle"
VERSION = 1
MANIFEST = "bundle.json"
CHUNK = 1 << 20


def write_bundle(folder: Path, out: Path, db_path: Path, media_files: list[str]) -> dict:
    """Pack the project at `folder` into `out`. Returns the manifest."""
    files: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = Path(tmp) / "project.db"
        backup_database(db_path, snapshot)
        sources = [("project.db", snapshot)] + [(rel, folder / rel) for rel in media_files]
        partial = out.with_name(out.name + ".part")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, source in sources:
                files.append(
                    {"path": name, "size": source.stat().st_size, "sha256": hash_file(source)}
                )
                compress = zipfile.ZIP_STORED if name.endswith((".mp4", ".png")) else None
                zf.write(source, name, compress_type=compress)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "files": files,
                "total_size": sum(f["size"] for f in files),
            }
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1))
        os.replace(partial, out)
    return manifest


def read_manifest(zf: zipfile.ZipFile, bundle: Path) -> dict:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError:
        raise BundleRefused(f"{bundle} has no {MANIFEST}: not a studio bundle") from None
    except ValueError as exc:
        raise BundleRefused(f"{bundle}: {MANIFEST} is not valid JSON ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BundleRefused(f"{bundle} is not a studio bundle (format {manifest.get('format')!r})")
    if manifest.get("version", 0) > VERSION:
        raise BundleRefused(
            f"{bundle} was written by a newer studio (bundle version {manifest['version']})",
            "update the studio to open it",
        )
    return manifest


def check_entry(info: zipfile.ZipInfo, bundle: Path) -> PurePosixPath:
    """Refuse an entry whose name or type could write outside the destination."""
    name = info.filename
    path = PurePosixPath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or path.is_absolute() or (len(name) > 1 and name[1] == ":"):
        raise BundleRefused(f"{bundle}: entry {name!r} has an absolute path; refusing the bundle")
    if ".." in path.parts:
        raise BundleRefused(f"{bundle}: entry {name!r} climbs out with '..'; refusing the bundle")
    mode = info.external_attr >> 16
    if mode and (
        stat.S_ISLNK(mode)
        or stat.S_ISCHR(mode)
        or stat.S_ISBLK(mode)
        or stat.S_ISFIFO(mode)
        or stat.S_ISSOCK(mode)
    ):
        raise BundleRefused(f"{bundle}: entry {name!r} is a link or a device; refusing the bundle")
    return path


@dataclass(frozen=True)
class Limits:
    """How much a bundle may unpack to: `max_size` bytes in all (and never more than the free
    space of the destination's disk, less `reserve`), and no entry over `ratio_floor` bytes that
    inflates more than `max_ratio` times its compressed size."""

    max_size: int = 32 << 30
    max_ratio: float = 100.0
    ratio_floor: int = 32 << 20
    reserve: int = 256 << 20


def extract_bundle(
    bundle: Path,
    dest: Path,
    limits: Limits = Limits(),
) -> dict:
    """Unpack `bundle` into the new or empty folder `dest`, after checking every entry: names,
    declared sizes against `limits` and the free space, compression ratios; then project.db
    (its schema and integrity) before any media, and only media that its assets name.
    On a refusal nothing is left in `dest` (a folder it made is removed again)."""
    _check_destination(dest)
    try:
        zf = zipfile.ZipFile(bundle)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BundleRefused(f"{bundle} is not a readable bundle ({exc})") from None
    with zf:
        manifest = read_manifest(zf, bundle)
        declared = _declared(manifest, bundle)
        entries = [i for i in zf.infolist() if i.filename != MANIFEST and not i.is_dir()]
        for info in entries:
            check_entry(info, bundle)
            if info.filename not in declared:
                raise BundleRefused(f"{bundle}: entry {info.filename!r} is not in its manifest")
        if sum(i.file_size for i in entries) > manifest["total_size"]:
            raise BundleRefused(f"{bundle} is larger than its declared size; refusing the bundle")
        _check_sizes(bundle, dest, entries, declared, limits)
        # project.db first: it is checked before any media is written, and names the media
        entries.sort(key=lambda i: i.filename != "project.db")
        if not entries or entries[0].filename != "project.db":
            raise BundleRefused(f"{bundle} holds no project.db; refusing the bundle")
        made = not dest.exists()
        dest.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".unbundle-", dir=dest))
        try:
            _extract_one(zf, entries[0], staging, declared["project.db"], bundle)
            allowed = _check_database(staging / "project.db", bundle)
            for info in entries[1:]:
                if info.filename not in allowed:
                    raise BundleRefused(
                        f"{bundle}: entry {info.filename!r} is not media of the project "
                        "(no asset in its project.db names it); refusing the bundle"
                    )
                _extract_one(zf, info, staging, declared[info.filename], bundle)
            for child in staging.iterdir():
                os.replace(child, dest / child.name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if made:
                shutil.rmtree(dest, ignore_errors=True)
            raise
        shutil.rmtree(staging, ignore_errors=True)
    for sub in ("renders", "cache"):
        (dest / sub).mkdir(exist_ok=True)
    return manifest


def _check_destination(dest: Path) -> None:
    hint = "unbundle into a new or empty folder"
    if dest.is_symlink() and not dest.exists():
        raise BundleRefused(f"{dest} is a broken link", hint)
    if dest.exists() and not dest.is_dir():
        raise BundleRefused(f"{dest} is a file, not a folder", hint)
    if dest.is_dir() and any(dest.iterdir()):
        raise BundleRefused(f"{dest} is not empty", hint)
    parent = _existing_parent(dest)
    if not parent.is_dir():
        raise BundleRefused(f"{dest} cannot be made: {parent} is a file", hint)


def _existing_parent(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _declared(manifest: dict, bundle: Path) -> dict[str, dict]:
    try:
        declared = {str(f["path"]): f for f in manifest["files"]}
        for entry in declared.values():
            size = entry["size"]
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                raise ValueError(f"size {size!r} of {entry['path']!r}")
        if not isinstance(manifest["total_size"], int):
            raise ValueError(f"total_size {manifest['total_size']!r}")
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleRefused(f"{bundle}: {MANIFEST} is malformed ({exc})") from None
    return declared


def _check_sizes(
    bundle: Path, dest: Path, entries: list, declared: dict[str, dict], limits: Limits
) -> None:
    """Refuse before writing anything: sizes that disagree with the manifest, a total past the
    limit or the free space, an entry that inflates like a bomb."""
    for info in entries:
        size = int(declared[info.filename]["size"])
        if info.file_size != size:
            raise BundleRefused(
                f"{bundle}: entry {info.filename!r} holds {info.file_size} bytes but its "
                f"manifest says {size}; refusing the bundle"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise BundleRefused(
                f"{bundle}: entry {info.filename!r} inflates {ratio:,.0f} times "
                f"({human_size(info.compress_size)} to {human_size(info.file_size)}), past the "
                f"{limits.max_ratio:g}× limit; refusing the bundle",
                "if you trust it, unbundle with a higher --max-ratio",
            )
    total = sum(int(declared[i.filename]["size"]) for i in entries)
    if total > limits.max_size:
        raise BundleRefused(
            f"{bundle} unpacks to {human_size(total)}, more than the "
            f"{human_size(limits.max_size)} a bundle may hold; refusing the bundle",
            f"if you trust it, unbundle with --max-size {human_size(total, exact=True)}",
        )
    parent = _existing_parent(dest)
    free = shutil.disk_usage(parent).free
    if total + limits.reserve > free:
        raise BundleRefused(
            f"{bundle} unpacks to {human_size(total)}, but the disk holding {parent} has "
            f"{human_size(free)} free; nothing was unpacked",
            "free some space there or unbundle onto another disk",
        )


def _check_database(db: Path, bundle: Path) -> set[str]:
    """Refuse a project.db that is not what the studio makes; the media paths its assets name."""
    from .repositories import AssetRepo
    from .schema import inspect_database

    inspect_database(db, full=True).refuse(
        bundle.name, BundleRefused, "nothing was unpacked; ask for a bundle the studio wrote"
    )
    engine = make_engine(db, readonly=True)
    try:
        return AssetRepo(engine).paths()
    finally:
        engine.dispose()


def human_size(size: int, exact: bool = False) -> str:
    """1.5 GiB, 300 MiB, 12 KiB; with `exact`, rounded up so that it parses back to ≥ `size`."""
    for unit, shift in (("T", 40), ("G", 30), ("M", 20), ("K", 10)):
        if size >= 1 << shift:
            value = size / (1 << shift)
            if exact:
                return f"{math.ceil(value * 10) / 10:g}{unit}"
            return f"{value:.1f} {unit}iB"
    return f"{size}" if exact else f"{size} bytes"


def parse_size(text: str) -> int:
    """`500M`, `2G`, `1.5T`, `123456` (bytes) as a number of bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", text, re.IGNORECASE)
    if not match:
        raise ValueError(f"{text!r} is not a size (e.g. 500M, 2G, 1.5T)")
    shift = {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}[match.group(2).upper()]
    return int(float(match.group(1)) * (1 << shift))


def _extract_one(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, staging: Path, declared: dict, bundle: Path
) -> None:
    target = staging.joinpath(*PurePosixPath(info.filename).parts)
    if staging.resolve() not in target.resolve().parents:
        raise BundleRefused(f"{bundle}: entry {info.filename!r} resolves outside the destination")
    target.parent.mkdir(parents=True, exist_ok=True)
    limit = int(declared["size"])
    written = 0
    digest = hashlib.sha256()
    with zf.open(info) as src, target.open("wb") as out:
        while chunk := _read(src, info, bundle):
            written += len(chunk)
            if written > limit:
                raise BundleRefused(
                    f"{bundle}: entry {info.filename!r} inflates past its declared "
                    f"{limit} bytes; refusing the bundle"
                )
            digest.update(chunk)
            out.write(chunk)
    if written != limit or digest.hexdigest() != declared["sha256"]:
        raise BundleRefused(f"{bundle}: entry {info.filename!r} does not match its manifest")


def _read(src, info: zipfile.ZipInfo, bundle: Path) -> bytes:
    try:
        return src.read(CHUNK)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise BundleRefused(
            f"{bundle}: entry {info.filename!r} is damaged ({exc}); refusing the bundle"
        ) from None
