"""The export dialog: preset, frame rate, codec, look, subtitles, loudness, the cuts for editing
suites; progress and cancel; then the mix's figures and the folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from studio.errors import Cancelled
from studio.media.codecs import CODECS
from studio.progress import JobContext, Progress
from studio.render.looks import LOOKS
from studio.render.presets import PRESETS
from studio.services import export as export_service
from studio.services.export import ExportReport
from studio.services.export_options import ExportOptions
from studio.services.project import OpenProject
from studio.timeline.cut_formats import CUT_FORMATS, DEFAULT_CUT_FORMATS, CutFormat
from ui import theme
from ui.bridge.inbox import inbox
from ui.bridge.tasks import Task
from ui.session import Session
from ui.views.forms import folder_row, shown_path, typed_path

SUBTITLES = (
    ("Sidecar .srt / .vtt", "sidecar"),
    ("Burned into the picture", "burn"),
    ("None", "none"),
)
CODEC_CHOICES = tuple((codec.label, name) for name, codec in CODECS.items())
FRAME_RATES = (("The project's", None), ("24 fps", 24), ("25 fps", 25), ("30 fps", 30))
LOUDNESS = (
    ("−16 LUFS (web, podcasts)", -16.0),
    ("−14 LUFS (streaming platforms)", -14.0),
    ("−23 LUFS (EBU R128 broadcast)", -23.0),
    ("−24 LKFS (ATSC A/85 broadcast)", -24.0),
)


def _cut_box(fmt: CutFormat) -> QCheckBox:
    note = f"; {fmt.note}" if fmt.note else ""
    box = QCheckBox(f"Also the cut for {fmt.suite} ({fmt.suffix}{note})")
    if fmt.loses:
        box.setToolTip(f"It cannot carry {fmt.loses}.")
    return box


def _combo(items) -> QComboBox:
    combo = QComboBox()
    for label, value in items:
        combo.addItem(label, value)
    return combo


class ExportDialog(QDialog):
    """Runs `export_film` on a worker thread; `exported(report)` when it is done."""

    exported = Signal(object)

    def __init__(
        self,
        session: Session,
        parent=None,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export the film")
        self.setObjectName("export_dialog")
        self.resize(560, 380)
        self.session = session
        self.open_url = open_url
        self.ctx: JobContext | None = None
        self.task = None
        self.report = None
        self.preset = QComboBox()
        for name, preset in PRESETS.items():
            self.preset.addItem(f"{name} — {preset.label} ({preset.width}×{preset.height})", name)
        self.look = QComboBox()
        for name in LOOKS:
            self.look.addItem(name.replace("_", " + "), name)
        self.subtitles = _combo(SUBTITLES)
        self.codec = _combo(CODEC_CHOICES)
        self.fps = _combo(FRAME_RATES)
        self.loudness = _combo(LOUDNESS)
        self.binaural = QCheckBox("Binaural sound, for headphones")
        self.animatic = QCheckBox("Also render the animatic (storyboard panels, captions)")
        self.optional_cuts = {  # the cuts written only on request, one box each
            f.name: _cut_box(f) for f in CUT_FORMATS.values() if not f.default
        }
        self.open_when_done = QCheckBox("Open the folder when done")
        self.open_when_done.setChecked(True)
        store = session.store
        self.folder = QLineEdit(shown_path(store.renders / "export") if store else "")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.message = QLabel("", objectName="muted")
        self._inbox = inbox()
        self._build()

    def _build(self) -> None:
        form = QFormLayout()
        form.addRow("Preset", self.preset)
        form.addRow("Frame rate", self.fps)
        form.addRow("Codec", self.codec)
        form.addRow("Look", self.look)
        form.addRow("Subtitles", self.subtitles)
        form.addRow("Loudness", self.loudness)
        form.addRow("", self.binaural)
        form.addRow("Folder", folder_row(self.folder, self._browse))
        form.addRow("", self.animatic)
        for box in self.optional_cuts.values():
            form.addRow("", box)
        form.addRow("", self.open_when_done)
        self.export_button = QPushButton("Export", objectName="primary")
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button = QPushButton("Open folder")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def _browse(self) -> None:
        start = str(typed_path(self.folder.text()))
        folder = QFileDialog.getExistingDirectory(self, "Export into", start)
        if folder:
            self.folder.setText(shown_path(folder))

    # -- running ----------------------------------------------------------------------------
    def start(self) -> Task | None:
        if self.session.project is None or self.running:
            return None
        self.ctx = JobContext(on_progress=self._on_worker_progress)
        self.export_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText("starting…")
        self.task = self.session.run(
            self._export,
            self.session.project,
            typed_path(self.folder.text()),
            self.options(),
            owner=self,
            ctx=self.ctx,
            on_done=self._done,
        )
        self.task.failed.connect(self._failed)
        return self.task

    def options(self) -> ExportOptions:
        """The export the widgets describe."""
        return ExportOptions(
            preset=self.preset.currentData(),
            fps=self.fps.currentData(),
            codec=self.codec.currentData(),
            look=self.look.currentData(),
            subtitles=self.subtitles.currentData(),
            target_lufs=self.loudness.currentData(),
            binaural=self.binaural.isChecked(),
            cut_formats=self.cut_formats(),
            animatic=self.animatic.isChecked(),
        )

    def cut_formats(self) -> tuple[str, ...]:
        """The cuts to write: every default one, and those asked for."""
        asked = (name for name, box in self.optional_cuts.items() if box.isChecked())
        return (*DEFAULT_CUT_FORMATS, *asked)

    @staticmethod
    def _export(
        project: OpenProject, folder: Path, options: ExportOptions, ctx: JobContext
    ) -> ExportReport | None:
        try:
            return export_service.export_film(project, folder, options, ctx=ctx)
        except Cancelled:
            return None

    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    def _on_worker_progress(self, progress: Progress) -> None:
        self._inbox.post_for(self, self._progress, progress.fraction, progress.message)

    def _progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.message.setText(message)

    def cancel(self) -> None:
        """Cancel a running export (it stops at its next frame), or close the dialog."""
        if self.running and self.ctx is not None:
            self.ctx.cancel()
            self.message.setText("cancelling…")
        else:
            self.reject()

    def _failed(self, _exc: object) -> None:
        self.export_button.setEnabled(True)
        self.message.setText("export failed")

    def _done(self, report) -> None:
        self.export_button.setEnabled(True)
        if report is None:
            self.message.setText("cancelled")
            self.progress.setValue(0)
            return
        self.report = report
        loudness, peak = report.mix.get("integrated_lufs"), report.mix.get("true_peak_dbtp")
        sound = ""
        if isinstance(loudness, float) and isinstance(peak, float):  # silence measures none
            sound = f"; sound {loudness:.1f} LUFS, true peak {peak:.1f} dBTP"
        self.message.setText(
            f"wrote {report.files['film'].name}: "
            f"{report.duration_seconds:.1f} s in {report.seconds:.1f} s{sound}"
        )
        self.open_button.setEnabled(True)
        self.exported.emit(report)
        if self.open_when_done.isChecked():
            self.open_folder()

    def open_folder(self) -> bool:
        """Show the export's folder in the desktop's file manager; when that fails, say so
        (with the folder, to open by hand) instead of doing nothing."""
        if self.report is None:
            return False
        folder = self.report.folder
        opened = folder.is_dir() and self.open_url(QUrl.fromLocalFile(str(folder))) is not False
        if not opened:
            why = "it is gone" if not folder.is_dir() else "no file manager answered"
            self.message.setText(f"Could not open {folder} ({why}): open it yourself.")
            self.message.setStyleSheet(f"color: {theme.BADGES['failed']};")
            self.session.notice.emit(f"could not open the folder {folder}")
        return opened
