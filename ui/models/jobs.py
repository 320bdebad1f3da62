"""The job queue as a table: one row per job that is queued, running, failed or just finished;
and the history: every job that ended, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from studio.domain.entities import Job, JobState, TakeKind
from studio.domain.events import JobEvent

COLUMNS = ("Job", "Kind", "Shot", "Backend", "State", "Progress", "Message")
PROGRESS = COLUMNS.index("Progress")
JobRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex
SHOWN = (JobState.RUNNING, JobState.QUEUED, JobState.FAILED)


class JobTableModel(QAbstractTableModel):
    """Running first, then the queue in the order it will run, then failures; jobs that end
    during this session stay listed (done or cancelled) until the next refresh."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.store = None
        self._jobs: list[Job] = []
        self._row_of: dict[int, int] = {}
        self._shot_numbers: dict[int, str] = {}
        self.finished_this_run = 0
        self.total_this_run = 0

    def set_store(self, store) -> None:
        self.store = store
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._jobs = self.store.jobs.in_state(*SHOWN) if self.store else []
        self._jobs.sort(key=lambda j: SHOWN.index(j.state))
        self._row_of = {j.id: i for i, j in enumerate(self._jobs)}
        self._shot_numbers = self._numbers_of(self._jobs)
        self.endResetModel()

    def _numbers_of(self, jobs: list[Job]) -> dict[int, str]:
        """The shot numbers of the jobs listed (one query for those shots, not all of them)."""
        return _shot_numbers(self.store, jobs)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        job = self._jobs[index.row()]
        if role == JobRole:
            return job
        if role == Qt.ItemDataRole.ToolTipRole and job.error:
            return job.error
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if job.kind.value == "voice":
            owner = f"line {job.owner_id}"
        else:
            owner = self._shot_numbers.get(job.owner_id, str(job.owner_id))
        values = (
            job.id,
            job.kind.value,
            owner,
            job.backend,
            job.state.value,
            job.progress,
            job.error or job.message,
        )
        return values[index.column()]

    def job_at(self, row: int) -> Job:
        return self._jobs[row]

    def row_of(self, job_id: int) -> int | None:
        return self._row_of.get(job_id)

    def states(self) -> dict[int, JobState]:
        return {j.id: j.state for j in self._jobs}

    def overall(self) -> float:
        """The fraction of this run's jobs that have ended (running ones count their part)."""
        active = [j for j in self._jobs if j.state in (JobState.QUEUED, JobState.RUNNING)]
        running = sum(j.progress for j in active if j.state is JobState.RUNNING)
        total = self.finished_this_run + len(active)
        return (self.finished_this_run + running) / total if total else 1.0

    def job_event(self, event: JobEvent) -> None:
        row = self._row_of.get(event.job_id)
        if row is None:
            if event.state in (JobState.QUEUED, JobState.RUNNING) and self.store is not None:
                self.refresh()
            return
        job = self._jobs[row]
        if job.state in (JobState.QUEUED, JobState.RUNNING) and event.state not in (
            JobState.QUEUED,
            JobState.RUNNING,
        ):
            self.finished_this_run += 1
        job.state = event.state
        job.progress = 1.0 if event.state is JobState.DONE else event.progress
        job.message = event.message or job.message
        job.error = event.error or job.error
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))


ENDED = (JobState.DONE, JobState.FAILED, JobState.CANCELLED)
MARKS = {JobState.DONE: "✓", JobState.FAILED: "✕", JobState.CANCELLED: "–"}


@dataclass(frozen=True)
class FinishedJob:
    """One line of the history: a job that ended, and when."""

    job_id: int
    kind: TakeKind
    owner: str  # the shot's number, or "line 12"
    state: JobState
    note: str  # the error of a failure, else the job's last message
    finished: datetime | None

    @property
    def text(self) -> str:
        when = ""
        if self.finished is not None:  # stored as naive UTC
            when = self.finished.replace(tzinfo=UTC).astimezone().strftime("%H:%M:%S")
        what = f"{MARKS[self.state]} {when}  #{self.job_id} {self.kind.value} {self.owner}"
        return f"{what} — {self.state.value}" + (f": {self.note}" if self.note else "")


class JobHistoryModel(QAbstractListModel):
    """Jobs that ended, the newest first: read from the project when it opens, then one line
    added per JobEvent that ends a job (a retried job moves back to the top)."""

    LIMIT = 200

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.store = None
        self._lines: list[FinishedJob] = []

    def set_store(self, store) -> None:
        self.beginResetModel()
        self.store = store
        jobs = store.jobs.finished(self.LIMIT) if store is not None else []
        numbers = _shot_numbers(store, jobs)
        self._lines = [
            FinishedJob(
                j.id,
                j.kind,
                _owner(j.kind, j.owner_id, numbers),
                j.state,
                j.error or j.message,
                j.finished,
            )
            for j in jobs
        ]
        self.endResetModel()

    def job_event(self, event: JobEvent) -> None:
        if event.state not in ENDED or self.store is None or event.kind is None:
            return
        self.forget(event.job_id)
        numbers = _shot_numbers(self.store, [event])
        line = FinishedJob(
            event.job_id,
            event.kind,
            _owner(event.kind, event.owner_id, numbers),
            event.state,
            event.error or event.message,
            datetime.now(UTC).replace(tzinfo=None),
        )
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._lines.insert(0, line)
        self.endInsertRows()
        if len(self._lines) > self.LIMIT:
            self.beginRemoveRows(QModelIndex(), self.LIMIT, len(self._lines) - 1)
            del self._lines[self.LIMIT :]
            self.endRemoveRows()

    def forget(self, job_id: int) -> None:
        for row, line in enumerate(self._lines):
            if line.job_id == job_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._lines[row]
                self.endRemoveRows()
                return

    def line_at(self, row: int) -> FinishedJob:
        return self._lines[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._lines)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        line = self._lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return line.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return line.note or None
        return None


def _owner(kind: TakeKind, owner_id: int, numbers: dict[int, str]) -> str:
    if kind is TakeKind.VOICE:
        return f"line {owner_id}"
    return f"shot {numbers.get(owner_id, owner_id)}"


def _shot_numbers(store, jobs) -> dict[int, str]:
    owners = sorted({j.owner_id for j in jobs if j.kind is not TakeKind.VOICE})
    if store is None or not owners:
        return {}
    return {shot.id: shot.number for shot in store.shots.with_ids(owners)}
