"""The main window's actions (menus, toolbar, shortcuts), in one place."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenuBar, QToolBar


class Actions:
    """Creates every QAction of the main window and wires it to the window's methods."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        w = window
        self.new = self._make("&New project…", w.ask_new_project, QKeySequence.StandardKey.New)
        self.open = self._make("&Open project…", w.ask_open_project, QKeySequence.StandardKey.Open)
        self.close_project = self._make("&Close project", w.ask_close_project, "Ctrl+Shift+W")
        self.import_script = self._make("&Import script…", w.ask_import_script, "Ctrl+I")
        self.save = self._make("&Save", w.session.mark_saved, QKeySequence.StandardKey.Save)
        self.save.setToolTip(
            "Everything is stored as you work: Save marks this state as the one to keep "
            "(the title's • goes; quitting asks only about edits made after it)"
        )
        self.export = self._make("&Export film…", w.show_export_dialog, "Ctrl+E")
        self.quit = self._make("&Quit", w.quit, QKeySequence.StandardKey.Quit)
        self.undo = w.session.undo_stack.createUndoAction(w, "&Undo")
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo = w.session.undo_stack.createRedoAction(w, "&Redo")
        self.redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.generate = self._make(
            "Generate &keyframes for the selection", lambda: w.generate_selected(1), "Ctrl+G"
        )
        self.generate_all = self._make("Generate keyframes for &all shots", w.generate_all)
        self.clips = self._make("Make &clips for the selection", w.clips_selected, "Ctrl+Shift+G")
        self.dub = self._make("&Dub all dialogue", w.dub_all)
        self.run_queue = self._make("&Run the queue", w.session.run_queue, "F5")
        self.assemble = self._make("&Assemble the cut", w.timeline.assemble, "Ctrl+Shift+A")
        self.import_cut = self._make("&Import an editor's cut (OTIO)…", w.ask_import_cut)
        self.music = self._make("Set the &music bed…", w.ask_music)
        self.effect = self._make("Add a sound &effect at the playhead…", w.ask_effect)
        self.reset_layout = self._make("Reset the &layout", w.reset_layout)
        always = (self.new, self.open, self.quit, self.reset_layout, self.undo, self.redo)
        self.needs_project = [  # greyed while no project is open (undo/redo follow their stack)
            a for a in vars(self).values() if isinstance(a, QAction) and a not in always
        ]

    def set_project_open(self, is_open: bool) -> None:
        """Enable what acts on a project only while one is open."""
        for action in self.needs_project:
            action.setEnabled(is_open)

    def _make(self, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def fill_menus(self, bar: QMenuBar, docks: list) -> None:
        menus = {
            "&File": [
                self.new,
                self.open,
                self.close_project,
                None,
                self.import_script,
                self.save,
                self.export,
                None,
                self.quit,
            ],
            "&Edit": [self.undo, self.redo],
            "&Generate": [
                self.generate,
                self.generate_all,
                self.clips,
                self.dub,
                None,
                self.run_queue,
            ],
            "&Cut": [self.assemble, self.import_cut, None, self.music, self.effect],
        }
        for title, actions in menus.items():
            menu = bar.addMenu(title)
            for action in actions:
                if action is None:
                    menu.addSeparator()
                else:
                    menu.addAction(action)
        view = bar.addMenu("&View")
        for dock in docks:
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        view.addAction(self.reset_layout)

    def fill_toolbar(self, bar: QToolBar) -> None:
        for action in (
            self.open,
            self.import_script,
            None,
            self.undo,
            self.redo,
            None,
            self.generate,
            self.run_queue,
            self.assemble,
            None,
            self.export,
        ):
            if action is None:
                bar.addSeparator()
            else:
                bar.addAction(action)
