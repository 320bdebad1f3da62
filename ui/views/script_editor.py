"""The script editor: Fountain with highlighting, a scene navigator, re-breakdown with a preview
of what will change, and the script report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.script import fountain
from studio.script.report import script_report
from studio.services import script as script_service
from ui import theme
from ui.session import Session
from ui.views.apply_preview import ApplyPreview
from ui.views.fountain_highlight import FountainHighlighter

CHANGE_KINDS = ("kept", "stale", "new", "archived")


def _label(item: object) -> str:
    for name in ("heading", "text"):
        if getattr(item, name, ""):
            return str(getattr(item, name))
    number = getattr(item, "number", "")
    description = getattr(item, "description", "")
    return f"{number}  {description}".strip()


class SyncPreviewDialog(ApplyPreview):
    """What a re-breakdown will keep, flag stale, add and archive; Apply imports it."""

    def __init__(self, plan: script_service.SyncPlan, parent=None) -> None:
        columns = ["What", "Kept", "Stale", "New", "Archived"]
        super().__init__("Re-breakdown preview", "sync_preview", columns, parent)
        self.resize(640, 460)
        self.plan = plan
        for title, change in (
            ("Scenes", plan.scenes),
            ("Shots", plan.shots),
            ("Dialogue lines", plan.lines),
        ):
            counts = change.counts()
            top = QTreeWidgetItem([title] + [str(counts[k]) for k in CHANGE_KINDS])
            self.tree.addTopLevelItem(top)
            for kind in ("stale", "new", "archived"):
                for item in getattr(change, kind)[:200]:
                    top.addChild(QTreeWidgetItem([f"{kind}: {_label(item)[:90]}"]))
        self.tree.expandAll()
        self.tree.setColumnWidth(0, 380)
        self.summary.setText(self._summary_text())

    def _summary_text(self) -> str:
        s = self.plan.shots.counts()
        return (
            f"{s['kept']} shots kept, {s['stale']} flagged stale (their takes are kept), "
            f"{s['new']} new, {s['archived']} archived (nothing is deleted)."
        )


class ScriptEditor(QWidget):
    """Edits the latest script version; `preview()` shows what a re-breakdown would change."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("script_editor")
        self.session = session
        self.editor = QPlainTextEdit()
        self.editor.setFont(theme.mono_font(11))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setPlaceholderText("Write or paste a screenplay in Fountain…")
        self.highlighter = FountainHighlighter(self.editor.document())
        self.navigator = QListWidget()
        self.navigator.itemActivated.connect(self._jump)
        self.navigator.itemClicked.connect(self._jump)
        self.dialog: QDialog | None = None
        self._outline_generation = 0
        self._outline_timer = QTimer(self, singleShot=True, interval=400)
        self._outline_timer.timeout.connect(self.update_navigator)
        self.editor.textChanged.connect(self._outline_timer.start)
        self._build()
        session.project_changed.connect(self.load)

    def _build(self) -> None:
        bar = QHBoxLayout()
        preview = QPushButton("Re-breakdown…")
        preview.setToolTip("Preview what the shot list will keep, flag, add and archive")
        preview.clicked.connect(self.preview)
        report = QPushButton("Script report")
        report.clicked.connect(self.show_report)
        self.status = QLabel("", objectName="muted")
        bar.addWidget(preview)
        bar.addWidget(report)
        bar.addStretch(1)
        bar.addWidget(self.status)
        split = QSplitter()
        split.addWidget(self.navigator)
        split.addWidget(self.editor)
        split.setSizes([180, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

    def load(self) -> None:
        store = self.session.store
        latest = store.scripts.latest() if store else None
        self.editor.setPlainText(latest.source if latest else "")
        self.status.setText(f"version {latest.version}: {latest.filename}" if latest else "")
        self.update_navigator()

    def update_navigator(self) -> None:
        """Re-read the scene headings; the text is parsed on a worker thread (a feature-length
        script takes a few hundred milliseconds) and the newest result wins."""
        self._outline_generation += 1
        generation = self._outline_generation
        self.session.run(
            scene_headings,
            self.editor.toPlainText(),
            owner=self,
            on_done=lambda headings: self._show_headings(generation, headings),
        )

    def _show_headings(self, generation: int, headings: list[tuple[str, int]]) -> None:
        if generation != self._outline_generation:
            return  # the text changed again meanwhile
        self.navigator.clear()
        for text, line in headings:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, line)
            self.navigator.addItem(item)

    def _jump(self, item: QListWidgetItem) -> None:
        line = int(item.data(Qt.ItemDataRole.UserRole) or 1)
        block = self.editor.document().findBlockByNumber(max(0, line - 1))
        cursor = QTextCursor(block)
        self.editor.setTextCursor(cursor)
        self.editor.centerCursor()
        self.editor.setFocus()

    # -- re-breakdown -----------------------------------------------------------------------
    def draft_path(self) -> Path:
        """The edited text, written where a preview and an import can read it."""
        store = self.session.store
        path = store.cache / "script-draft.fountain"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.editor.toPlainText(), encoding="utf-8")
        return path

    def preview(self, path: Path | None = None) -> SyncPreviewDialog | None:
        """Show the sync preview for `path` (default: the editor's text); Apply imports it."""
        if self.session.project is None:
            return None
        path = Path(path) if path else self.draft_path()
        plan = self.session.call(script_service.preview_import, self.session.store, path)
        if plan is None:
            return None
        dialog = SyncPreviewDialog(plan, self)
        dialog.apply_requested.connect(lambda: self.apply(path))
        self.dialog = dialog
        dialog.open()
        return dialog

    def apply(self, path: Path) -> None:
        self.status.setText("importing…")
        self.session.run(
            script_service.import_script,
            self.session.project,
            path,
            owner=self,
            on_done=self._imported,
        )

    def _imported(self, plan: script_service.SyncPlan) -> None:
        self.load()
        s = plan.shots.counts()
        self.session.notice.emit(
            f"script imported: {s['new']} new shots, {s['stale']} stale, {s['archived']} archived"
        )  # the views heard of it already: the import published ProjectChanged

    def show_report(self) -> QDialog:
        report = script_report(fountain.parse(self.editor.toPlainText()))
        dialog = QDialog(self)
        dialog.setWindowTitle("Script report")
        dialog.setObjectName("script_report")
        dialog.resize(720, 520)
        text = QPlainTextEdit(report.to_text(), readOnly=True)
        text.setFont(theme.mono_font(10))
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        self.dialog = dialog
        dialog.open()
        return dialog


def scene_headings(text: str) -> list[tuple[str, int]]:
    """The scene headings of a Fountain text with their first lines (worker thread)."""
    headings = []
    for element in fountain.parse(text).elements:
        if element.type == "scene_heading":
            number = f"{element.scene_number}  " if element.scene_number else ""
            headings.append((f"{number}{element.text}", element.start_line))
    return headings
