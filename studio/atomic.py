"""Files written whole or not at all: a temporary name in the target's folder, fsynced, renamed.

- `written(target)`: one file. Write to the path it yields; when the block ends without an
  error the file is fsynced and renamed over `target` (`os.replace`), and the folder is
  fsynced. Partial files of `target` that killed runs left are removed first.
- `Staging(folder, last=...)`: the files of one export. Each is written to its own temporary
  name; `commit()` renames them all at the end, `last` (the export's `export.json`) after every
  other one, so a folder never holds a report that describes files of another run.
- The media store (`studio.store.blobs`) commits its files with the same `commit`.

A temporary name is hidden and says whose it is: `.film.mp4.partial-<pid>-<n>.mp4` (the suffix
is kept, because encoders and adapters choose the format from it). A run that is killed leaves
only such files behind, never a truncated file under a final name; the next `Staging` of that
folder removes those whose process is gone (`clean_partials`): only ours, by that pattern.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PARTIAL = re.compile(r"^\.(?P<name>.+)\.partial-(?P<pid>\d+)-(?P<serial>\d+)(?P<suffix>\.[^.]*)?$")
_serial = itertools.count(1)


def partial_path(target: Path) -> Path:
    """A fresh temporary name for `target`, in its folder, that `clean_partials` recognises."""
    target = Path(target)
    return target.with_name(f".{target.name}.partial-{os.getpid()}-{next(_serial)}{target.suffix}")


def commit(partial: Path, target: Path) -> None:
    """Make the finished `partial` the file `target`: fsync it, rename it over `target`, fsync
    the folder, so after a crash `target` is either the old file or the whole new one."""
    fsync_path(partial)
    os.replace(partial, target)
    fsync_dir(Path(target).parent)


@contextmanager
def written(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write `target` at; it becomes `target` when the block ends,
    and is removed if the block raises (`target` is then untouched)."""
    target = Path(target)
    clean_partials(target.parent, target.name)
    partial = partial_path(target)
    try:
        yield partial
        commit(partial, target)
    finally:
        _remove(partial)


class Staging:
    """The outputs of one run into `folder`, made visible together by `commit()`.

    `path(name)` gives the temporary path to write `folder / name` at; `write_text` writes one
    there. Leaving the `with` block without `commit()` (an error, a cancel) removes every
    temporary file and leaves the folder as it was. Opening a staging cleans the folder's
    partial files left by runs that were killed."""

    def __init__(self, folder: Path, last: str | None = None) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.last = last
        self.cleaned = clean_partials(self.folder)
        self._staged: dict[Path, Path] = {}  # final path → temporary path

    def path(self, name: str | Path) -> Path:
        """The temporary path for the output `name` (a name, or a path in the folder)."""
        target = self.folder / Path(name).name
        if target in self._staged:
            return self._staged[target]
        partial = self._staged[target] = partial_path(target)
        return partial

    def write_text(self, name: str | Path, text: str) -> Path:
        """Write `text` as the output `name`; returns the final path it will have."""
        self.path(name).write_text(text, encoding="utf-8")
        return self.folder / Path(name).name

    def commit(self) -> list[Path]:
        """Rename every written output into place, `last` after all the others (its old copy
        is removed first, so no moment shows the old report beside new files); returns the
        final paths. Outputs never written are skipped."""
        done = [(t, p) for t, p in self._staged.items() if p.exists()]
        for _, partial in done:
            fsync_path(partial)
        last = [(t, p) for t, p in done if t.name == self.last]
        if last:
            last[0][0].unlink(missing_ok=True)
            fsync_dir(self.folder)
        for target, partial in [*(d for d in done if d not in last), *last]:
            os.replace(partial, target)
        fsync_dir(self.folder)
        self._staged.clear()
        return [target for target, _ in done]

    def discard(self) -> None:
        """Remove every temporary file of this staging; the folder keeps what it had."""
        for partial in self._staged.values():
            _remove(partial)
        self._staged.clear()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def clean_partials(folder: Path, name: str | None = None) -> list[Path]:
    """Remove the temporary files in `folder` that runs now gone left behind (named by
    `partial_path`, of a process that no longer runs), only those of the file `name` if it is
    given; returns what was removed."""
    removed = []
    try:
        entries = list(Path(folder).iterdir())
    except FileNotFoundError:
        return removed
    for entry in entries:
        match = PARTIAL.match(entry.name)
        if match is None or (name is not None and match["name"] != name):
            continue
        if _running(int(match["pid"])):
            continue
        _remove(entry)
        removed.append(entry)
    return removed


def fsync_path(path: Path) -> None:
    """fsync a file, or every file in a folder (an .otiod bundle) and the folder itself."""
    path = Path(path)
    if path.is_dir():
        for child in path.rglob("*"):
            if child.is_file():
                _fsync_file(child)
        fsync_dir(path)
    else:
        _fsync_file(path)


def fsync_dir(directory: Path) -> None:
    """fsync a folder, so a rename in it survives a power cut (POSIX; Windows has no such
    call, and its renames are journalled)."""
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    """Whether process `pid` still runs (on Windows, where asking would end it: assume so)."""
    if pid == os.getpid() or os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


__all__ = ["PARTIAL", "Staging", "clean_partials", "commit", "partial_path", "written"]
