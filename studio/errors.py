"""Errors a user can act on: what went wrong, where, and what to do about it."""

from __future__ import annotations


class StudioError(Exception):
    """Base of every error the studio reports to a person.

    `str(err)` is one line that says what went wrong and where; `hint`, when set, says what to do.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ProjectNotFound(StudioError):
    pass


class ProjectInUse(StudioError):
    pass


class ProjectDamaged(StudioError):
    pass


class MigrationFailed(StudioError):
    pass


class BundleRefused(StudioError):
    pass


class NotFound(StudioError):
    """A shot, take, line, character or job that the caller named does not exist."""


class InvalidInput(StudioError):
    """Input that cannot be used as it is: a malformed script, a corrupt image, a bad value."""


class OutOfMemory(StudioError):
    """The device ran out of memory during a generation; the pipeline cache has been freed."""


class Cancelled(StudioError):
    """A job or an export was cancelled by the user."""

    def __init__(self, message: str = "cancelled") -> None:
        super().__init__(message)


DAMAGED_HINT = "restore it from a project.backup-*.db copy or a .studio bundle"
READ_ONLY_HINT = (
    "read-only commands (info, doctor, shots list, timeline status, export --out to another "
    "folder) still work; copy the project somewhere writable to change it"
)


class StorageFailed(StudioError):
    """The disk or the folder refused a read or a write: it says which path and what to do."""


class DiskFull(StorageFailed):
    """No space was left on the disk that holds the named path."""


class ReadOnlyStorage(StorageFailed):
    """The named file or folder cannot be written (a read-only folder, mount or file)."""


def storage_failure(exc: OSError) -> StorageFailed:
    """One line for an OSError from the disk: what failed, on which path, and what to do."""
    import errno

    where = exc.filename if exc.filename is not None else "a file"
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(
            f"no space left on the disk holding {where}",
            "free some space there (or choose another folder) and run the command again",
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyStorage(
            f"{where} cannot be written or read here: {reason}",
            READ_ONLY_HINT,
        )
    return StorageFailed(f"{where}: {reason}")
