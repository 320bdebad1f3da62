"""What an editor's cut will change, track by track and clip by clip, before it replaces ours."""

from __future__ import annotations

from PySide6.QtWidgets import QTreeWidgetItem

from studio.services.cut_import import ImportReport
from studio.timeline.cut_diff import CHANGE_KINDS
from ui.views.apply_preview import ApplyPreview

_SHOWN = 300  # clips listed per track; the counts cover them all


class CutPreviewDialog(ApplyPreview):
    """The dry run of `import_cut`: counts per track, each changed clip, the warnings; Apply
    imports the cut (one undoable step)."""

    def __init__(self, report: ImportReport, parent=None) -> None:
        columns = ["Track", *(kind.capitalize() for kind in CHANGE_KINDS)]
        super().__init__(f"Import the cut {report.path.name}", "cut_preview", columns, parent)
        self.resize(720, 480)
        self.report = report
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
        self.summary.setText(self._summary_text())
        self.apply_button.setEnabled(report.changed)

    def _summary_text(self) -> str:
        counts = self.report.counts()
        text = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "no change"
        lines = [f"{text}; the cut will be {self.report.timeline.duration.value} frames long."]
        lines += [f"⚠ {warning}" for warning in self.report.warnings[:8]]
        return "\n".join(lines)
