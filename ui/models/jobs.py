"""The job queue as a table: one row per job that is queued, running, failed or just finished."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from studio.domain.entities import Job, JobState
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
        owners = sorted({j.owner_id for j in jobs if j.kind.value != "voice"})
        if self.store is None or not owners:
            return {}
        return {shot.id: shot.number for shot in self.store.shots.with_ids(owners)}

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
