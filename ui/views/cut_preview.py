"""What an editor's cut will change, track by track and clip by clip, before it replaces ours."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from studio.services.cut_import import ImportReport
from studio.timeline.cut_diff import CHANGE_KINDS

_SHOWN = 300  # clips listed per track; the counts cover them all


class CutPreviewDialog(QDialog):
    """The dry run of `import_cut`: counts per track, each changed clip, the warnings; Apply
    imports the cut (one undoable step)."""

    apply_requested = Signal()

    def __init__(self, report: ImportReport, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle(f"Import the cut {report.path.name}")
        self.setObjectName("cut_preview")
        self.resize(720, 480)
        self.report = report
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Track", *(kind.capitalize() for kind in CHANGE_KINDS)])
        for track in report.tracks:
            counts = track.counts()
            title = f"{track.track} ({track.status}, {track.frames_before} → {track.frames_after})"
            top = QTreeWidgetItem([title, *(str(counts[kind]) for kind in CHANGE_KINDS)])
            self.tree.addTopLevelItem(top)
            changed = [c for c in track.clips if c.changes != ("kept",)]
            for clip in changed[:_SHOWN]:
                top.addChild(QTreeWidgetItem([f"{clip.label}: {', '.join(clip.changes)}"]))
            for transition in track.transitions:
                top.addChild(QTreeWidgetItem([transition]))
            top.setExpanded(bool(changed or track.transitions))
        self.tree.setColumnWidth(0, 300)
        for column in range(1, len(CHANGE_KINDS) + 1):
            self.tree.setColumnWidth(column, 80)
        self.summary = QLabel(self._summary_text(), objectName="muted")
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("primary")
        self.apply_button.setEnabled(report.changed)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)

    def _summary_text(self) -> str:
        counts = self.report.counts()
        text = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "no change"
        lines = [f"{text}; the cut will be {self.report.timeline.duration.value} frames long."]
        lines += [f"⚠ {warning}" for warning in self.report.warnings[:8]]
        return "\n".join(lines)

    def _apply(self) -> None:
        self.apply_requested.emit()
        self.accept()
