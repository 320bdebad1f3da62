"""`.studio` bundles: a project folder as one zip, to move it between machines.

A bundle holds `bundle.json` (format, version, every file with its size and sha256, and the total
size), `project.db` (a consistent snapshot) and `media/`. Unbundling checks every entry before it
writes anything: no absolute paths, no `..`, no links or devices, nothing undeclared, and no entry
that inflates past its declared size. It writes only inside the destination folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from studio.errors import BundleRefused

from .blobs import hash_file
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


def extract_bundle(bundle: Path, dest: Path) -> dict:
    """Unpack `bundle` into the new or empty folder `dest`, after checking every entry."""
    if dest.exists() and any(dest.iterdir()):
        raise BundleRefused(f"{dest} is not empty", "unbundle into a new or empty folder")
    try:
        zf = zipfile.ZipFile(bundle)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BundleRefused(f"{bundle} is not a readable bundle ({exc})") from None
    with zf:
        manifest = read_manifest(zf, bundle)
        declared = {f["path"]: f for f in manifest["files"]}
        entries = [i for i in zf.infolist() if i.filename != MANIFEST and not i.is_dir()]
        for info in entries:
            check_entry(info, bundle)
            if info.filename not in declared:
                raise BundleRefused(f"{bundle}: entry {info.filename!r} is not in its manifest")
        if sum(i.file_size for i in entries) > manifest["total_size"]:
            raise BundleRefused(f"{bundle} is larger than its declared size; refusing the bundle")
        dest.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".unbundle-", dir=dest))
        try:
            for info in entries:
                _extract_one(zf, info, staging, declared[info.filename], bundle)
            for child in staging.iterdir():
                os.replace(child, dest / child.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    for sub in ("renders", "cache"):
        (dest / sub).mkdir(exist_ok=True)
    return manifest


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
        while chunk := src.read(CHUNK):
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
