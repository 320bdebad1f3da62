"""Content-addressed media: `media/ab/abcdef….ext`, named by the sha256 of the bytes.

Every write goes to a temporary file in `media/.incoming`, is fsynced, then renamed into place
(`studio.atomic.commit`, which every output the studio writes goes through), so
a crash never leaves a partial file under a final name. The same bytes stored twice take one file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from studio.atomic import commit

CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    path: str  # relative to the project folder
    size: int


class MediaStore:
    def __init__(self, project_dir: Path) -> None:
        self.root = project_dir
        self.media = project_dir / "media"
        self.incoming = self.media / ".incoming"

    def relative_path(self, sha256: str, extension: str) -> str:
        extension = extension if extension.startswith(".") or not extension else f".{extension}"
        return f"media/{sha256[:2]}/{sha256}{extension.lower()}"

    def absolute(self, relative: str) -> Path:
        return self.root / relative

    def put_bytes(self, data: bytes, extension: str) -> StoredBlob:
        sha = hashlib.sha256(data).hexdigest()
        relative = self.relative_path(sha, extension)
        target = self.absolute(relative)
        if not _same_size(target, len(data)):
            self._write_atomically(target, lambda f: f.write(data))
        return StoredBlob(sha, relative, len(data))

    def put_file(self, source: Path, extension: str | None = None) -> StoredBlob:
        """Copy a file in, hashing it as it streams (large videos never sit in memory)."""
        extension = source.suffix if extension is None else extension
        self.incoming.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(dir=self.incoming, suffix=".part")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                for chunk in iter(lambda: src.read(CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
            sha = digest.hexdigest()
            relative = self.relative_path(sha, extension)
            target = self.absolute(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            commit(tmp, target)
            return StoredBlob(sha, relative, target.stat().st_size)
        finally:
            tmp.unlink(missing_ok=True)

    def _write_atomically(self, target: Path, write) -> None:
        self.incoming.mkdir(parents=True, exist_ok=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=self.incoming, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                write(out)
            commit(Path(tmp_name), target)
        finally:
            Path(tmp_name).unlink(missing_ok=True)

    def read_bytes(self, relative: str) -> bytes:
        return self.absolute(relative).read_bytes()

    def open(self, relative: str) -> BinaryIO:
        return self.absolute(relative).open("rb")

    def files(self) -> Iterator[str]:
        """Every stored file, as a path relative to the project folder."""
        if not self.media.exists():
            return
        for sub in sorted(self.media.iterdir()):
            if sub.is_dir() and sub.name != ".incoming":
                for f in sorted(sub.iterdir()):
                    yield f"media/{sub.name}/{f.name}"

    def clean_incoming(self) -> int:
        """Remove leftovers of writes a crash interrupted. Returns how many were removed."""
        if not self.incoming.exists():
            return 0
        leftovers = list(self.incoming.iterdir())
        for leftover in leftovers:
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
        return len(leftovers)


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _same_size(path: Path, size: int) -> bool:
    try:
        return path.stat().st_size == size
    except FileNotFoundError:
        return False
