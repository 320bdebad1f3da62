"""Which media files were found whole since they last changed, so checking them again is cheap.

An export reads every media file of its cut and must not read a file whose bytes changed under
the same size (a disk error, a tool writing in place): `VerifiedMedia.check` hashes a file once
and remembers (size, mtime, ctime, inode) -> sha256 in the project's `cache/`; the next export
hashes only the files that changed since. ctime cannot be set back by a user, so a file
rewritten in place is hashed again even when its mtime is restored. The cache is derived: a
lost or unreadable one only costs a rehash, and a read-only project simply does not keep it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .blobs import hash_file

CACHE_NAME = "verified-media.json"
VERSION = 1


class VerifiedMedia:
    """The content check of a project's media files, remembered per file."""

    def __init__(self, project_dir: Path, cache_dir: Path) -> None:
        self.root = Path(project_dir)
        self.file = Path(cache_dir) / CACHE_NAME
        self._entries: dict[str, list] = {}
        self._changed = False
        self.hashed = 0  # files read in full by this instance (for tests and benchmarks)
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("version") == VERSION:
                self._entries = {k: v for k, v in data["files"].items() if isinstance(v, list)}
        except (OSError, ValueError, KeyError, AttributeError):
            self._entries = {}

    def check(self, relative: str, sha256: str) -> bool:
        """Whether the file at `relative` (from the project folder) holds the bytes `sha256`
        names: from the cache when the file is unchanged since it was last found whole."""
        path = self.root / relative
        info = path.stat()
        stamp = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, sha256]
        if self._entries.get(relative) == stamp:
            return True
        self.hashed += 1
        if hash_file(path) != sha256:
            self._changed |= self._entries.pop(relative, None) is not None
            return False
        self._entries[relative] = stamp
        self._changed = True
        return True

    def save(self) -> None:
        """Keep what was found (atomically); a project that cannot be written keeps nothing."""
        if not self._changed:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.file.parent, suffix=".part")
        except OSError:
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"version": VERSION, "files": self._entries}, out)
            os.replace(tmp, self.file)
            self._changed = False
        except OSError:
            Path(tmp).unlink(missing_ok=True)
