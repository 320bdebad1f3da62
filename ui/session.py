"""The open project as the UI sees it: one QObject that views observe.

It owns the OpenProject, the QUndoStack mirroring its History, and the job bridge. Views call
services through `call()` (quick edits, on the UI thread) or `run()` (slow work, on a worker
thread); a StudioError becomes the `error` signal and the app stays up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from studio.domain.entities import JobState, Shot, TakeKind
from studio.errors import StudioError
from studio.jobs.queue import JobEvent
from studio.services.project import OpenProject
from ui.bridge.inbox import inbox
from ui.bridge.jobs import JobBridge
from ui.bridge.tasks import Task, run_task
from ui.bridge.undo import HistoryMirror

COMMIT_WAIT_MS, COMMIT_TRIES = 5, 400  # how long a take event waits for its take's commit


class Session(QObject):
    """The project that is open, and what happens to it."""

    project_changed = Signal()  # opened, created or closed
    data_changed = Signal()  # an edit, an undo, an import, a finished job
    title_changed = Signal(str)
    shot_selected = Signal(object)  # a shot id, or None
    error = Signal(object)  # a StudioError (or another exception) to show
    notice = Signal(str)  # a line for the status bar
    resumed = Signal(int)  # jobs put back in the queue after a crash
    take_made = Signal(object)  # a JobEvent that brought a take (kind, owner_id, take_id)
    shot_updated = Signal(object)  # one Shot whose row changed outside the History (a new take)

    def __init__(self, executor: str = "local", **executor_options: Any) -> None:
        super().__init__()
        self.project: OpenProject | None = None
        self.undo_stack = QUndoStack(self)
        self.inbox = inbox()  # made here, on the UI thread
        self._shots: list[Shot] | None = None  # the shot list, shared until the next change
        self._shot_rows: dict[int, int] = {}
        self.data_changed.connect(self._forget_shots)  # first: views read a fresh list
        self.project_changed.connect(self._forget_shots)
        self.jobs = JobBridge(executor, **executor_options)
        self.jobs.event.connect(self._job_event)
        self.jobs.summary.connect(self._queue_done)
        self.jobs.failed.connect(self.error)
        self.current_shot_id: int | None = None
        self.last_export: Path | None = None
        self._mirror: HistoryMirror | None = None

    # -- the project ------------------------------------------------------------------------
    @property
    def store(self):  # noqa: ANN201 - a ProjectStore
        return self.project.store if self.project else None

    def set_project(self, project: OpenProject | None) -> None:
        """Show `project` (None closes the current one)."""
        self.close_project(emit=False)
        self.project = project
        if project is not None:
            self._mirror = HistoryMirror(project.history, self.undo_stack, self._history_changed)
            resumed = [
                j for j in project.store.jobs.in_state(JobState.QUEUED) if j.message == "resumed"
            ]
            if resumed:
                self.resumed.emit(len(resumed))
        self.project_changed.emit()
        self.title_changed.emit(self.title())

    def close_project(self, emit: bool = True) -> None:
        if self.project is None:
            return
        self.jobs.stop()
        self.jobs.wait(30)
        if self._mirror is not None:
            self._mirror.detach()
        self.undo_stack.clear()
        self.project.close()
        self.project, self._mirror, self.current_shot_id = None, None, None
        if emit:
            self.project_changed.emit()
            self.title_changed.emit(self.title())

    def _history_changed(self) -> None:
        self.data_changed.emit()
        self.title_changed.emit(self.title())

    @property
    def dirty(self) -> bool:
        return bool(self.project and self.project.history.dirty)

    def title(self) -> str:
        """ "THE LAST LAMP • — Microfilm Studio" when there are unsaved edits."""
        if self.project is None:
            return "Microfilm Studio"
        mark = " •" if self.dirty else ""
        return f"{self.project.store.project().name}{mark} — Microfilm Studio"

    def mark_saved(self) -> None:
        """Everything is already in the database; this sets the checkpoint the title shows."""
        if self._mirror is not None:
            self._mirror.mark_saved()

    # -- calling services -------------------------------------------------------------------
    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A quick service call on the UI thread; a StudioError is shown, None returned."""
        try:
            return fn(*args, **kwargs)
        except StudioError as exc:
            self.error.emit(exc)
            return None

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        **kwargs: Any,
    ) -> Task:
        """A slow service call on a worker thread; `on_done(result)` runs on the UI thread."""
        return run_task(fn, *args, on_done=on_done, on_error=self.error.emit, **kwargs)

    def changed(self) -> None:
        """Tell the views that the project changed outside the History (imports, jobs)."""
        self.data_changed.emit()

    # -- selection and jobs -----------------------------------------------------------------
    def select_shot(self, shot_id: int | None) -> None:
        if shot_id != self.current_shot_id:
            self.current_shot_id = shot_id
            self.shot_selected.emit(shot_id)

    def current_shot(self) -> Shot | None:
        if self.project is None or self.current_shot_id is None:
            return None
        return self.project.store.shots.find(self.current_shot_id)

    def shots(self) -> list[Shot]:
        """The shots in film order, read once per change and shared by every view (one query
        instead of one per view; the list must not be mutated)."""
        if self.project is None:
            return []
        if self._shots is None:
            self._shots = self.project.store.shots.in_order()
            self._shot_rows = {shot.id: row for row, shot in enumerate(self._shots)}
        return self._shots

    def _forget_shots(self) -> None:
        self._shots, self._shot_rows = None, {}

    def run_queue(self) -> bool:
        """Start the job queue on its worker thread (False if it runs already)."""
        if self.project is None:
            return False
        return self.jobs.start(self.project)

    def _job_event(self, event: JobEvent, tries: int = 0) -> None:
        """A finished take changes one shot (or line): read that row alone and say so; views
        update what shows it instead of reloading everything."""
        if event.take_id is None or self.project is None:
            return
        if self.project.store.takes.find(event.take_id) is None and tries < COMMIT_TRIES:
            # the runner publishes inside the transaction that stores the take: the event can
            # arrive before the commit is visible here, so look again in a moment
            QTimer.singleShot(COMMIT_WAIT_MS, lambda: self._job_event(event, tries + 1))
            return
        if event.kind in (TakeKind.KEYFRAME.value, TakeKind.CLIP.value):
            shot = self.project.store.shots.find(event.owner_id)
            if shot is not None:
                row = self._shot_rows.get(shot.id)
                if self._shots is not None and row is not None:
                    self._shots[row] = shot
                self.shot_updated.emit(shot)
        self.take_made.emit(event)

    def _queue_done(self, summary: Any) -> None:
        # every take already arrived as an event: the views are up to date, none reloads
        self.notice.emit(
            f"queue finished: {summary.done} done, {summary.reused} reused, "
            f"{summary.failed} failed, {summary.cancelled} cancelled"
        )
