"""Rich progress bars for the job queue: one overall bar and one per running job."""

from __future__ import annotations

import re
import signal

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from studio.domain.entities import JobState
from studio.domain.events import JobEvent
from studio.store.project_store import ProjectStore

from .output import console

FINAL = (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


class JobProgress:
    """Listens to job events. Ctrl-C stops the runner cleanly: running jobs go back to the queue."""

    def __init__(self, store: ProjectStore) -> None:
        counts = store.jobs.counts()
        self.total = counts.get("queued", 0) + counts.get("running", 0)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
            disable=not console.is_terminal,
        )
        self.overall = self.progress.add_task("all jobs", total=max(self.total, 1))
        self.tasks: dict[int, int] = {}
        self.runner = None
        self._previous_handler = None

    def attach(self, runner) -> None:
        self.runner = runner
        self._previous_handler = signal.signal(signal.SIGINT, self._interrupt)

    def _interrupt(self, *_: object) -> None:
        console.print("stopping: running jobs go back to the queue")
        if self.runner is not None:
            self.runner.stop()

    def on_event(self, event: JobEvent) -> None:
        if event.state is JobState.RUNNING:
            if event.job_id not in self.tasks:
                self.tasks[event.job_id] = self.progress.add_task(
                    f"job {event.job_id} {event.kind}", total=100
                )
            self.progress.update(self.tasks[event.job_id], completed=event.progress * 100)
        elif event.state in FINAL:
            task = self.tasks.pop(event.job_id, None)
            if task is not None:
                self.progress.remove_task(task)
            self.progress.advance(self.overall)
            if not console.is_terminal:
                label = event.message or event.error or ""
                print(f"job {event.job_id} {event.state.value} {label}".rstrip(), flush=True)

    def __enter__(self) -> JobProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()
        if self._previous_handler is not None:
            signal.signal(signal.SIGINT, self._previous_handler)


class TaskProgress:
    """One progress bar for a long task (an export); Ctrl-C cancels it cleanly."""

    def __init__(self, label: str) -> None:
        from studio.progress import JobContext

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeRemainingColumn(),
            console=console,
            disable=not console.is_terminal,
        )
        self.task = self.progress.add_task(label, total=1000)
        self.ctx = JobContext(on_progress=self._on_progress)
        self._previous_handler = None
        self._last_message: tuple = ()

    def _on_progress(self, p) -> None:
        self.progress.update(
            self.task, completed=int(p.fraction * 1000), description=p.message or "exporting"
        )
        if not console.is_terminal and p.message:
            # in a log: a line when the step changes, and every 10 % within a step
            step = (re.sub(r"\d+", "#", p.message), int(p.fraction * 10))
            if step != self._last_message:
                self._last_message = step
                print(f"{p.fraction * 100:5.1f}% {p.message}", flush=True)

    def _interrupt(self, *_: object) -> None:
        self.ctx.cancel()

    def __enter__(self) -> TaskProgress:
        self._previous_handler = signal.signal(signal.SIGINT, self._interrupt)
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()
        if self._previous_handler is not None:
            signal.signal(signal.SIGINT, self._previous_handler)
