"""The main window: the storyboard in the middle, every other view in a dock whose place is
remembered (QSettings saveState/restoreState)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from studio.domain.entities import TakeKind
from studio.errors import StudioError
from studio.services import generation
from studio.services import project as project_service
from studio.services import shots as shot_service
from ui.actions import Actions
from ui.bridge.tasks import Task
from ui.models.shots import ShotListModel
from ui.models.takes import TakeListModel
from ui.models.thumbs import ThumbnailCache
from ui.session import Session
from ui.views.browser import ProjectBrowser
from ui.views.characters import CharactersView
from ui.views.dock_tabs import hide_stray_tab_bars
from ui.views.export_dialog import ExportDialog
from ui.views.forms import typed_path
from ui.views.inspector import Inspector
from ui.views.job_queue import JobQueueView
from ui.views.model_library import ModelLibraryView
from ui.views.player import PlayerView
from ui.views.script_editor import ScriptEditor
from ui.views.storyboard import StoryboardView
from ui.views.take_picker import TakePicker
from ui.views.timeline import TimelineView
from ui.views.unsaved import ask_about_unsaved
from ui.views.welcome import WelcomeView, remember_project

STATE_VERSION = 2  # 2: the storyboard grid widened (docks narrower)
LEFT_SHARE, RIGHT_SHARE, BOTTOM_SHARE = 0.22, 0.26, 0.26


SOUND_FILES = "*.wav *.flac *.aif *.aiff *.ogg *.mp3 *.m4a *.aac *.opus *.webm"


class NoticeBar(QFrame):
    """A line across the top for things that need a decision (resumed jobs)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, objectName="notice")
        self.text = QLabel("")
        self.action = QPushButton("Run the queue", objectName="primary")
        dismiss = QPushButton("Dismiss")
        dismiss.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        layout.addWidget(dismiss)
        self.hide()

    def show_text(self, text: str) -> None:
        self.text.setText(text)
        self.show()


def _scrolling(widget: QWidget) -> QScrollArea:
    """`widget` in a scroll area: a wide form then cannot force its dock (and the storyboard
    beside it) to its own minimum width; it scrolls when the dock is narrower."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class MainWindow(QMainWindow):
    def __init__(
        self, session: Session, settings: QSettings, model_home: Path | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("main_window")
        session.setParent(self)  # the window owns its session: nothing of it outlives the window
        self.session = session
        self.settings = settings
        self.thumbs = ThumbnailCache()
        self.shot_model = ShotListModel(self.thumbs, self)
        self.shot_model.on_reorder = self.reorder
        self.storyboard = StoryboardView(self.shot_model)
        self.browser = ProjectBrowser(session)
        self.script = ScriptEditor(session)
        self.characters = CharactersView(session)
        from studio.generation.backends.base import registry

        self.inspector = Inspector(
            session, registry.names(kind=TakeKind.KEYFRAME), model_home=model_home
        )
        self.takes = TakePicker(session, TakeListModel(self.thumbs, self))
        self.timeline = TimelineView(session, self.thumbs)
        self.player = PlayerView(session)
        self.player.lock_to(self.timeline.canvas)  # one frame of the cut, both ways
        self.jobs = JobQueueView(session)
        self.models = ModelLibraryView(session, model_home)
        self.models.changed.connect(self.inspector.fill_models)
        self.welcome = WelcomeView(settings)
        self.notice = NoticeBar()
        self.notice.action.clicked.connect(self._run_resumed)
        self.message_box: QMessageBox | None = None
        self.export_dialog: ExportDialog | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.docks: dict[str, QDockWidget] = {}
        self._layout()
        self.actions = Actions(self)
        self.actions.fill_menus(self.menuBar(), list(self.docks.values()))
        toolbar = QToolBar("Main", objectName="toolbar")
        self.actions.fill_toolbar(toolbar)
        self.addToolBar(toolbar)
        self._default_state = self.saveState(STATE_VERSION)
        self._connect()
        self.restore_layout()
        self.setWindowTitle(session.title())
        self._show_project_or_welcome()

    # -- layout -----------------------------------------------------------------------------
    def _layout(self) -> None:
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.notice)
        layout.addWidget(self.storyboard)
        self.pages = QStackedWidget()  # the welcome view while no project is open
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(centre)
        self.setCentralWidget(self.pages)
        self.setDockNestingEnabled(True)
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        right = Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self._dock("browser", "Project", self.browser, left)
        self._dock("script", "Script", self.script, left)
        self._dock("characters", "Characters", _scrolling(self.characters), left)
        self._dock("player", "Player", self.player, right)
        self._dock("inspector", "Inspector", _scrolling(self.inspector), right)
        self._dock("takes", "Takes", self.takes, right)
        self._dock("timeline", "Timeline", self.timeline, bottom)
        self._dock("jobs", "Jobs", self.jobs, bottom)
        self._dock("models", "Models", self.models, bottom)
        # tabified once every dock is in place: tabifying between additions left stray,
        # never-hidden tab bars drawn over the window (Qt 6.12)
        for first, *others in (
            ("browser", "script", "characters"),
            ("inspector", "takes"),
            ("timeline", "jobs", "models"),
        ):
            for other in others:
                self.tabifyDockWidget(self.docks[first], self.docks[other])
            self.docks[first].raise_()
        self.resize(1600, 1000)
        self._sized = False

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._sized and self.settings.value("window/state") is None:
            QTimer.singleShot(0, self, self.apply_default_sizes)  # once the docks are laid out
        self._sized = True
        self._tidy_tab_bars()

    def _tidy_tab_bars(self) -> None:
        """Hide the dock tab bars Qt left behind, once the layout has placed the real ones."""
        QTimer.singleShot(0, self, lambda: hide_stray_tab_bars(self))

    def apply_default_sizes(self) -> None:
        """The default proportions: the storyboard grid gets most of the width (project and
        script ~22 % on the left, player over inspector/takes ~26 % on the right), the
        timeline ~26 % of the height along the bottom."""
        width, height = self.width(), self.height()
        self.resizeDocks(
            [self.docks["browser"], self.docks["player"]],
            [int(width * LEFT_SHARE), int(width * RIGHT_SHARE)],
            Qt.Orientation.Horizontal,
        )
        self.resizeDocks(
            [self.docks["timeline"]], [int(height * BOTTOM_SHARE)], Qt.Orientation.Vertical
        )
        self.resizeDocks(
            [self.docks["player"], self.docks["inspector"]],
            [int(height * 0.27), int(height * 0.37)],
            Qt.Orientation.Vertical,
        )

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks[name] = dock

    def restore_layout(self) -> bool:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            restored = self.restoreState(state, STATE_VERSION)
            self._tidy_tab_bars()
            return restored
        return False

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState(STATE_VERSION))
        self.settings.sync()

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, STATE_VERSION)
        self.apply_default_sizes()
        self._tidy_tab_bars()

    # -- observing --------------------------------------------------------------------------
    def _connect(self) -> None:
        s = self.session
        s.title_changed.connect(self.setWindowTitle)
        s.error.connect(self.show_error)
        s.notice.connect(lambda text: self.statusBar().showMessage(text, 8000))
        s.resumed.connect(
            lambda n: self.notice.show_text(
                f"Resumed {n} job{'s' if n != 1 else ''} that a crash interrupted. "
                "They are back in the queue."
            )
        )
        s.project_changed.connect(self._project_changed)
        self.welcome.open_requested.connect(
            lambda folder: self.ask_open_project() if folder is None else self.open_project(folder)
        )
        self.welcome.create_requested.connect(self.new_project)
        self.welcome.script_requested.connect(self.new_project_from_script)
        s.data_changed.connect(lambda: self.shot_model.refresh(self.session.shots()))
        s.shot_updated.connect(self.shot_model.shot_updated)
        s.job_event.connect(self.shot_model.job_event)
        self.storyboard.selectionModel().selectionChanged.connect(self._storyboard_selection)
        s.shot_selected.connect(self._follow_shot)
        self.storyboard.generate.connect(lambda ids, n: self.generate(ids, n))
        self.storyboard.make_clips.connect(self.make_clips)
        self.storyboard.pick.connect(self._show_takes)
        self.storyboard.add_after.connect(self.add_shot_after)
        self.storyboard.renumber.connect(self.renumber_shots)
        self.storyboard.doubleClicked.connect(
            lambda index: self._show_takes(self.shot_model.shot_at(index.row()).id)
        )

    def _project_changed(self) -> None:
        store = self.session.store
        self.thumbs.set_folder(store.cache / "thumbs" if store else None)
        self.shot_model.set_store(store, self.session.shots() if store else None)
        self.jobs.reload()
        if store is not None and self.shot_model.rowCount():
            self.storyboard.setCurrentIndex(self.shot_model.index(0))
        self.statusBar().showMessage(str(store.folder) if store else "no project open")
        if store is not None:
            remember_project(self.settings, store.folder, store.project().name)
        self._show_project_or_welcome()

    def _show_project_or_welcome(self) -> None:
        """With no project open, the welcome view takes the storyboard's place, the views in
        the docks are greyed and so is every action that needs a project."""
        is_open = self.session.project is not None
        if not is_open:
            self.welcome.reload()
        self.pages.setCurrentIndex(1 if is_open else 0)
        for dock in self.docks.values():
            dock.widget().setEnabled(is_open)
        self.actions.set_project_open(is_open)

    def _storyboard_selection(self, *_args: object) -> None:
        ids = self.storyboard.selected_ids()
        current = self.storyboard.currentIndex()
        if current.isValid() and self.shot_model.shot_at(current.row()).id in ids:
            self.session.select_shot(self.shot_model.shot_at(current.row()).id)
        elif ids:
            self.session.select_shot(ids[0])

    def _follow_shot(self, shot_id) -> None:
        row = self.shot_model.row_of(shot_id) if shot_id is not None else None
        if row is not None and row not in {
            i.row() for i in self.storyboard.selectionModel().selectedIndexes()
        }:
            self.storyboard.setCurrentIndex(self.shot_model.index(row))
            self.storyboard.scrollTo(self.shot_model.index(row))

    def _show_takes(self, shot_id: int) -> None:
        self.session.select_shot(shot_id)
        self.docks["takes"].raise_()
        self.takes.strip.setFocus()

    def show_error(self, exc: object) -> None:
        """Say what went wrong and what to do; the app stays up (a non-blocking message box)."""
        if isinstance(exc, StudioError):
            text, hint = exc.message, exc.hint
        else:
            text, hint = f"Unexpected {type(exc).__name__}: {exc}", "See the log for details."
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Microfilm Studio", text, QMessageBox.StandardButton.Ok, self
        )
        if hint:
            box.setInformativeText(hint)
        self.message_box = box
        box.open()

    # -- projects ---------------------------------------------------------------------------
    def open_project(self, folder: Path) -> Task:
        """Open on a worker thread; migration steps show in a progress dialog."""
        dialog = QProgressDialog("Opening the project…", "", 0, 0, self)
        dialog.setCancelButton(None)
        dialog.setWindowTitle("Opening")
        dialog.setMinimumDuration(0)
        self.progress_dialog = dialog
        self.progress_steps: list[str] = []
        def opened(project) -> None:
            dialog.close()
            self.session.set_project(project)

        task = self.session.run(
            project_service.open_project,
            Path(folder),
            owner=self,
            on_done=opened,
            relays={"on_step": self._opening_step},
            discard=lambda project: project.close(),  # the window closed while it opened
        )
        task.failed.connect(lambda _e: dialog.close())
        dialog.show()
        return task

    def _opening_step(self, text: str) -> None:
        self.progress_steps.append(text)
        if self.progress_dialog is not None:
            self.progress_dialog.setLabelText(text)

    def new_project(
        self, folder: Path, name: str | None = None, fps: int = 24, aspect: str = "16:9"
    ) -> bool:
        project = self.session.call(
            project_service.new_project, Path(folder), name, fps=fps, aspect=aspect
        )
        if project is not None:
            self.session.set_project(project)
        return project is not None

    def new_project_from_script(self, script: Path) -> None:
        """A new project as the welcome form describes, then the screenplay's import
        previewed in the script editor (Apply imports it)."""
        welcome = self.welcome
        folder, name = typed_path(welcome.folder.text()), welcome.name.text().strip()
        if self.new_project(folder, name, welcome.fps.currentData(), welcome.aspect.currentData()):
            self.import_script(script)

    def ask_close_project(self) -> None:
        """Close the project (asking first about edits since the last save)."""
        ask_about_unsaved(self, self.session, self.session.close_project)

    def quit(self) -> None:
        """File ▸ Quit: ask about unsaved edits, then close the window."""
        ask_about_unsaved(self, self.session, self.close)

    def ask_new_project(self) -> None:
        ask_about_unsaved(self, self.session, self._ask_new_project)

    def _ask_new_project(self) -> None:
        folder = QFileDialog.getSaveFileName(self, "New project folder")[0]
        if folder:
            name, ok = QInputDialog.getText(
                self, "New project", "The film's name:", text=Path(folder).name
            )
            self.new_project(Path(folder), name if ok and name else None)

    def ask_open_project(self) -> None:
        ask_about_unsaved(self, self.session, self._ask_open_project)

    def _ask_open_project(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a project folder")
        if folder:
            self.open_project(Path(folder))

    def ask_import_script(self) -> None:
        path = QFileDialog.getOpenFileName(
            self, "Import a screenplay", "", "Screenplays (*.fountain *.txt *.fdx)"
        )[0]
        if path:
            self.import_script(Path(path))

    def _ask_sound(self, title: str) -> Path | None:
        path = QFileDialog.getOpenFileName(self, title, "", f"Sound ({SOUND_FILES})")[0]
        return Path(path) if path else None

    def ask_music(self) -> None:
        path = self._ask_sound("The film's music bed")
        if path is not None:
            self.timeline.set_music(path)

    def ask_effect(self) -> None:
        path = self._ask_sound("A sound effect at the playhead")
        if path is not None:
            self.timeline.add_effect_at_playhead(path)

    def ask_import_cut(self) -> None:
        path = QFileDialog.getOpenFileName(
            self,
            "Import an editor's cut",
            "",
            "Cuts (*.otio *.otioz *.otiod *.xml *.fcpxml *.edl)",
        )[0]
        if path:
            self.timeline.preview_cut(Path(path))

    def import_script(self, path: Path):
        """Preview what the script will change; Apply imports it."""
        self.docks["script"].raise_()
        return self.script.preview(Path(path))

    # -- generating -------------------------------------------------------------------------
    def _numbers(self, ids: list[int]) -> str:
        return ",".join(self.shot_model.shot_at(self.shot_model.row_of(i)).number for i in ids)

    def generate(self, ids: list[int], takes: int = 1) -> None:
        if self.session.project is None or not ids:
            return
        jobs = self.session.call(
            generation.queue_keyframes,
            self.session.project,
            self._numbers(ids),
            takes=takes,
            force=takes > 1,
        )
        if jobs is not None:
            self.session.notice.emit(f"queued {len(jobs)} keyframe jobs")
            self.jobs.reload()
            self.shot_model.refresh(self.session.shots())
            self.session.run_queue()

    def generate_selected(self, takes: int = 1) -> None:
        self.generate(self.storyboard.selected_ids(), takes)

    def generate_all(self) -> None:
        self.generate(self.shot_model.shot_ids(), 1)

    def make_clips(self, ids: list[int]) -> None:
        if self.session.project is None or not ids:
            return
        if (
            self.session.call(generation.queue_clips, self.session.project, self._numbers(ids))
            is not None
        ):
            self.jobs.reload()
            self.session.run_queue()

    def clips_selected(self) -> None:
        self.make_clips(self.storyboard.selected_ids())

    def dub_all(self) -> None:
        from studio.services.dubbing import queue_dub

        if self.session.project is not None:
            if self.session.call(queue_dub, self.session.project, only_missing=True):
                self.jobs.reload()
                self.session.run_queue()

    def _run_resumed(self) -> None:
        self.notice.hide()
        self.session.run_queue()

    # -- edits ------------------------------------------------------------------------------
    def reorder(self, ids: list[int]) -> None:
        self.session.call(shot_service.reorder_shots, self.session.project, ids)

    def add_shot_after(self, shot_id: int) -> None:
        """A new shot after `shot_id`, numbered between its neighbours (27A); undoable."""
        if self.session.project is None:
            return
        number = self._numbers([shot_id])
        shot = self.session.call(shot_service.add_shot, self.session.project, number)
        if shot is not None:
            self.session.select_shot(shot.id)  # the new card is the current one
            self.session.notice.emit(f"added shot {shot.number} after shot {number}")

    def renumber_shots(self) -> None:
        """Number every shot 1, 2, 3… in film order; undoable (Edit > Undo)."""
        if self.session.project is not None:
            self.session.call(shot_service.renumber_shots, self.session.project)

    def show_export_dialog(self, open_url=None) -> ExportDialog | None:
        if self.session.project is None:
            return None
        kwargs = {"open_url": open_url} if open_url is not None else {}
        dialog = ExportDialog(self.session, self, **kwargs)
        dialog.exported.connect(lambda report: self.player.show_file(report.files["film"]))
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def closeEvent(self, event) -> None:  # noqa: N802
        if event.spontaneous() and self.session.dirty:  # the window's close button: ask
            event.ignore()
            self.quit()
            return
        self.save_layout()
        self.session.close_project()
        self.thumbs.wait(5000)
        self.player.shutdown()
        super().closeEvent(event)
