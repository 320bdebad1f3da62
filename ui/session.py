"""The open project as the UI sees it: one QObject that views observe.

It owns the OpenProject, the QUndoStack mirroring its History, the job bridge and the tasks
views started. It subscribes to the project's one event stream and hands every event to the UI
thread through the inbox, where it becomes a signal (`job_event`, `take_made`, `data_changed`…).
Views call services through `call()` (quick edits, on the UI thread) or `run()` (slow work, on a
worker thread, owned by the view that asked); a StudioError becomes the `error` signal and the
app stays up. Closing the project drops every task and stops the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from studio.domain.entities import JobState, Shot, TakeKind
from studio.domain.events import HistoryChanged, JobEvent, ProjectChanged, TakeMade
from studio.errors import StudioError
from studio.progress import JobContext
from studio.services.project import OpenProject
from studio.store.project_store import ProjectStore
from ui.bridge.inbox import inbox
from ui.bridge.jobs import JobBridge
from ui.bridge.tasks import Task, TaskGroup
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
    take_made = Signal(object)  # a TakeMade (kind, owner_id, take_id)
    shot_updated = Signal(object)  # one Shot whose row changed outside the History (a new take)
    job_event = Signal(object)  # a JobEvent: queued, started, progress, done, failed, cancelled

    def __init__(self, executor: str = "local", **executor_options: Any) -> None:
        super().__init__()
        self.project: OpenProject | None = None
        self.undo_stack = QUndoStack(self)
        # the title's mark is the stack's clean state: told after the stack moved (a History
        # event of an undo arrives while QUndoStack is still inside undo())
        self.undo_stack.cleanChanged.connect(lambda _clean: self.title_changed.emit(self.title()))
        self.inbox = inbox()  # made here, on the UI thread
        self._shots: list[Shot] | None = None  # the shot list, shared until the next change
        self._shot_rows: dict[int, int] = {}
        self.data_changed.connect(self._forget_shots)  # first: views read a fresh list
        self.project_changed.connect(self._forget_shots)
        self.jobs = JobBridge(executor, **executor_options)
        self.jobs.setParent(self)
        self.jobs.summary.connect(self._queue_done)
        self.jobs.failed.connect(self.error)
        self.tasks = TaskGroup()
        self.current_shot_id: int | None = None
        self.last_export: Path | None = None
        self._mirror: HistoryMirror | None = None
        self._unsubscribe: Callable[[], None] | None = None

    # -- the project ------------------------------------------------------------------------
    @property
    def store(self) -> ProjectStore | None:
        return self.project.store if self.project else None

    def set_project(self, project: OpenProject | None) -> None:
        """Show `project` (None closes the current one)."""
        self.close_project(emit=False)
        self.project = project
        if project is not None:
            self._mirror = HistoryMirror(project.history, self.undo_stack, self._history_changed)
            self._unsubscribe = project.events.subscribe(
                lambda event: self.inbox.deliver(self._heard, project, event)
            )
            resumed = [
                j for j in project.store.jobs.in_state(JobState.QUEUED) if j.message == "resumed"
            ]
            if resumed:
                self.resumed.emit(len(resumed))
        self.project_changed.emit()
        self.title_changed.emit(self.title())

    def close_project(self, emit: bool = True) -> None:
        """Close the project: the tasks views started are dropped (asked to stop and joined),
        the queue stops (running jobs go back to it), no event of it reaches a view again."""
        self.tasks.cancel_all(wait=30)
        if self.project is None:
            return
        self.jobs.stop()
        self.jobs.wait(30)
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._mirror is not None:
            self._mirror.detach()
        self.undo_stack.clear()
        self.project.close()
        self.project, self._mirror, self.current_shot_id = None, None, None
        self._unsubscribe = None
        if emit:
            self.project_changed.emit()
            self.title_changed.emit(self.title())

    def shutdown(self) -> None:
        """The app is quitting: close the project; nothing of ours is left running."""
        self.close_project()
        self.tasks.cancel_all(wait=30)

    # -- the project's events, on the UI thread ----------------------------------------------
    def _heard(self, project: OpenProject, event: object) -> None:
        if project is not self.project:
            return  # from a project closed since
        if isinstance(event, JobEvent):
            self.job_event.emit(event)
        elif isinstance(event, TakeMade):
            self._take_made(event)
        elif isinstance(event, HistoryChanged):
            if self._mirror is not None:
                self._mirror.heard(event)
        elif isinstance(event, ProjectChanged):
            self.data_changed.emit()

    def _history_changed(self) -> None:
        self.data_changed.emit()
        self.title_changed.emit(self.title())

    @property
    def dirty(self) -> bool:
        """Edits since the last save: the undo stack away from its clean state, which the
        History's saved checkpoint sets (the title's mark and the quit question read this)."""
        return self.project is not None and not self.undo_stack.isClean()

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

    def revert_to_saved(self) -> bool:
        """Undo (or redo) back to the saved checkpoint; False when it can no longer be reached."""
        clean = self.undo_stack.cleanIndex()
        if self.project is None or clean < 0:
            return False
        self.undo_stack.setIndex(clean)
        return True

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
        owner: QObject,
        on_done: Callable[[Any], None] | None = None,
        ctx: JobContext | None = None,
        discard: Callable[[Any], None] | None = None,
        relays: dict[str, Callable[..., Any]] | None = None,
        **kwargs: Any,
    ) -> Task:
        """A slow service call on a worker thread, owned by `owner` (the view that asks):
        `on_done(result)` runs on the UI thread while the owner lives and the project is open.
        `ctx` (passed on to `fn`) is cancelled when the task is dropped; `discard(result)`
        disposes of a result that is no longer wanted; `relays` (see Task) carry partial
        results to the UI thread."""
        task = Task(fn, *args, owner=owner, ctx=ctx, discard=discard, relays=relays, **kwargs)
        if on_done is not None:
            task.done.connect(on_done)
        task.failed.connect(self.error.emit)
        return self.tasks.start(task)

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

    def _take_made(self, event: TakeMade, tries: int = 0) -> None:
        """A new take changes one shot (or line): read that row alone and say so; views
        update what shows it instead of reloading everything."""
        if self.project is None:
            return
        if self.project.store.takes.find(event.take_id) is None and tries < COMMIT_TRIES:
            # published after the commit, but a WAL reader may see it a moment later
            QTimer.singleShot(COMMIT_WAIT_MS, self, lambda: self._take_made(event, tries + 1))
            return
        if event.kind in (TakeKind.KEYFRAME, TakeKind.CLIP):
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
