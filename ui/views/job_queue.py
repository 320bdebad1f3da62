"""The job queue: a progress bar per job and overall; run, pause, resume, cancel, reorder; and
beside it the history of the jobs that ended."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio.domain.events import JobEvent
from studio.errors import StudioError
from studio.services import jobs as job_service
from ui import theme
from ui.models.jobs import PROGRESS, JobHistoryModel, JobTableModel
from ui.session import Session


class ProgressDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option, index: QModelIndex) -> None:
        fraction = float(index.data() or 0.0)
        rect = option.rect.adjusted(4, 6, -4, -6)
        painter.save()
        painter.fillRect(rect, QColor(theme.BASE))
        painter.setPen(QColor(theme.BORDER))
        painter.drawRect(rect)
        filled = QRect(rect.left(), rect.top(), int(rect.width() * fraction), rect.height())
        painter.fillRect(filled, QColor(theme.ACCENT))
        painter.setPen(QColor(theme.TEXT))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{fraction:.0%}")
        painter.restore()


class JobQueueView(QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("job_queue")
        self.session = session
        self.model = JobTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(PROGRESS, ProgressDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        # sized once per reload: ResizeToContents would measure every row on every event
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.model.modelReset.connect(self._fit_columns)
        self.history = JobHistoryModel(self)
        self.history_list = QListView()
        self.history_list.setModel(self.history)
        self.history_list.setAlternatingRowColors(True)
        self.history_list.setUniformItemSizes(True)
        self.overall = QProgressBar()
        self.overall.setRange(0, 1000)
        self.state = QLabel("idle", objectName="muted")
        self.buttons: dict[str, QPushButton] = {}
        self._build()
        session.job_event.connect(self.on_event)
        session.jobs.running_changed.connect(self._running_changed)
        session.project_changed.connect(self.reload)
        session.data_changed.connect(self._refresh_if_idle)

    def _build(self) -> None:
        bar = QHBoxLayout()
        actions = [
            ("run", "▶ Run", self.run),
            ("pause", "❚❚ Pause", self.pause),
            ("cancel", "✕ Cancel", self.cancel_selected),
            ("retry", "↻ Retry", self.retry_selected),
            ("up", "▲", lambda: self.move_selected(-1)),
            ("down", "▼", lambda: self.move_selected(1)),
        ]
        for key, text, slot in actions:
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addSpacing(12)
        bar.addWidget(self.state)
        bar.addWidget(self.overall, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        history = QWidget()
        column = QVBoxLayout(history)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("History", objectName="muted"))
        column.addWidget(self.history_list)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(history)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split)

    def _fit_columns(self) -> None:
        for column in range(self.model.columnCount() - 1):
            if column != PROGRESS:
                self.table.resizeColumnToContents(column)
        self.table.setColumnWidth(PROGRESS, 110)

    # -- observing --------------------------------------------------------------------------
    def reload(self) -> None:
        self.model.finished_this_run = 0
        self.model.set_store(self.session.store)
        self.history.set_store(self.session.store)
        self._update_overall()

    def _refresh_if_idle(self) -> None:
        if not self.session.jobs.running:
            self.model.refresh()
            self._update_overall()

    def on_event(self, event: JobEvent) -> None:
        self.model.job_event(event)
        self.history.job_event(event)
        self._update_overall()

    def _running_changed(self, running: bool) -> None:
        project = self.session.project
        paused = project is not None and job_service.is_paused(project)
        self.state.setText("running" if running else ("paused" if paused else "idle"))
        if not running:
            self._refresh_if_idle()

    def _update_overall(self) -> None:
        self.overall.setValue(int(self.model.overall() * 1000))
        self.overall.setFormat(f"{self.model.finished_this_run} done · %p%")

    # -- acting -----------------------------------------------------------------------------
    def run(self) -> None:
        project = self.session.project
        if project is None:
            return
        job_service.resume(project)
        self.model.finished_this_run = 0
        self.session.run_queue()

    def pause(self) -> None:
        """Start no new job; the running one finishes. Run resumes."""
        if self.session.project is not None:
            job_service.pause(self.session.project)
            self.state.setText("pausing" if self.session.jobs.running else "paused")

    def selected_jobs(self) -> list:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.job_at(r) for r in rows]

    def cancel_selected(self) -> None:
        """Cancel the selected queued jobs; a running one is interrupted at its next step."""
        project = self.session.project
        for job in self.selected_jobs():
            self._try(lambda j=job: job_service.cancel(project, j.id))

    def retry_selected(self) -> None:
        project = self.session.project
        for job in self.selected_jobs():
            self._try(lambda j=job: job_service.retry(project, j.id))

    def move_selected(self, step: int) -> None:
        project = self.session.project
        jobs = self.selected_jobs()
        for job in jobs:
            self._try(lambda j=job: job_service.move_by(project, j.id, step))
        self.model.refresh()  # the order changed: the events say which job, not where
        for row in (self.model.row_of(j.id) for j in jobs):
            if row is not None:
                self.table.selectRow(row)

    def _try(self, action) -> None:
        try:
            action()
        except StudioError as exc:
            self.session.error.emit(exc)
