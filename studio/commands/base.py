"""Commands and the History that runs them.

Every edit a service makes is a Command: `do(store)` applies it, `undo(store)` takes it back.
`History.transaction(label)` groups the commands run inside it into one undoable step and, if
anything raises, undoes what already ran (pitivi's `action_log.started`). The UI wraps these
commands in QUndoCommands; the title's "unsaved" mark is the History against its saved point.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from studio.domain.events import EventStream, HistoryAction, HistoryChanged
from studio.store.project_store import ProjectStore


class Command(Protocol):
    label: str

    def do(self, store: ProjectStore) -> None: ...

    def undo(self, store: ProjectStore) -> None: ...


@dataclass
class SetFields:
    """Set fields of one row (a shot, a character, a line…), remembering the old values."""

    repo: str  # the ProjectStore attribute: "shots", "characters", "lines", "takes", "scenes"
    item_id: int
    changes: dict[str, Any]
    label: str = "edit"
    _before: dict[str, Any] = field(default_factory=dict, repr=False)

    def do(self, store: ProjectStore) -> None:
        repo = getattr(store, self.repo)
        current = repo.get(self.item_id)
        unknown = [k for k in self.changes if not hasattr(current, k) or k == "id"]
        if unknown:
            raise ValueError(f"{repo.label} has no field(s) {', '.join(unknown)}")
        self._before = {k: getattr(current, k) for k in self.changes}
        repo.set_fields(self.item_id, **self.changes)

    def undo(self, store: ProjectStore) -> None:
        getattr(store, self.repo).set_fields(self.item_id, **self._before)


@dataclass
class CompositeCommand:
    label: str
    commands: list[Command] = field(default_factory=list)

    def do(self, store: ProjectStore) -> None:
        done: list[Command] = []
        try:
            for command in self.commands:
                command.do(store)
                done.append(command)
        except BaseException:
            for command in reversed(done):
                command.undo(store)
            raise

    def undo(self, store: ProjectStore) -> None:
        for command in reversed(self.commands):
            command.undo(store)


class History:
    """The undo/redo stacks of one open project. Every change is published as a
    `HistoryChanged` on the project's event stream (from the thread that made it: a UI hears it
    through its inbox). Safe to use from several threads: one change at a time."""

    def __init__(self, store: ProjectStore, events: EventStream | None = None) -> None:
        self.store = store
        self.events = events or EventStream()
        self._undo: list[Command] = []
        self._redo: list[Command] = []
        self._open: list[CompositeCommand] = []
        self._saved_marker: Command | None = None
        self._serial = 0
        self._lock = threading.RLock()

    def _changed(self, action: HistoryAction, label: str) -> None:
        self._serial += 1
        self.events.publish(HistoryChanged(action, label, self._serial))

    @property
    def serial(self) -> int:
        """How many changes this History has published (the last event's serial)."""
        return self._serial

    def execute(self, command: Command) -> Command:
        with self._lock:
            command.do(self.store)
            if self._open:
                self._open[-1].commands.append(command)
            else:
                self._push(command)
            return command

    def _push(self, command: Command) -> None:
        self._undo.append(command)
        self._redo.clear()
        self._changed(HistoryAction.PUSH, command.label)

    @contextmanager
    def transaction(self, label: str) -> Iterator[CompositeCommand]:
        with self._lock:
            group = CompositeCommand(label)
            self._open.append(group)
            try:
                yield group
            except BaseException:
                self._open.pop()
                group.undo(self.store)
                raise
            self._open.pop()
            if not group.commands:
                return
            if self._open:
                self._open[-1].commands.append(group)
            else:
                self._push(group)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_label(self) -> str:
        return self._undo[-1].label if self._undo else ""

    @property
    def redo_label(self) -> str:
        return self._redo[-1].label if self._redo else ""

    def undo(self) -> Command | None:
        return self._step(self._undo, self._redo, HistoryAction.UNDO)

    def redo(self) -> Command | None:
        return self._step(self._redo, self._undo, HistoryAction.REDO)

    def _step(self, source: list, target: list, action: HistoryAction) -> Command | None:
        """Take the newest command off `source`, undo or redo it, and put it on `target`."""
        with self._lock:
            if not source:
                return None
            command = source.pop()
            if action is HistoryAction.UNDO:
                command.undo(self.store)
            else:
                command.do(self.store)
            target.append(command)
            self._changed(action, command.label)
            return command

    def mark_saved(self) -> None:
        with self._lock:
            self._saved_marker = self._undo[-1] if self._undo else None
            self._changed(HistoryAction.SAVED, "")

    @property
    def dirty(self) -> bool:
        top = self._undo[-1] if self._undo else None
        return top is not self._saved_marker
