"""Character sheets: description, appearance, reference images (drop files), turnaround, voice."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.domain.entities import CharacterSheet
from studio.services import characters as character_service
from studio.services import dubbing
from ui.bridge.tasks import Task
from ui.session import Session
from ui.views.inspector import CommitTextEdit

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


class ReferenceList(QListWidget):
    """Reference images; dropping image files on it adds them to the sheet."""

    def __init__(self, on_files, parent=None) -> None:
        super().__init__(parent)
        self.on_files = on_files
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(120, 120))
        self.setAcceptDrops(True)
        self.setMinimumHeight(150)
        self.setToolTip("Drop reference images here")

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    dragMoveEvent = dragEnterEvent  # noqa: N815

    def dropEvent(self, event) -> None:  # noqa: N802
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        images = [f for f in files if f.suffix.lower() in IMAGE_SUFFIXES]
        if images:
            self.on_files(images)
            event.acceptProposedAction()


class CharactersView(QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("characters")
        self.session = session
        self.sheet: CharacterSheet | None = None
        self.last_preview: Path | None = None
        self.names = QListWidget()
        self.names.currentTextChanged.connect(lambda _t: self.show_sheet())
        self.heading = QLabel("", objectName="heading")
        self.description = CommitTextEdit()
        self.appearance = CommitTextEdit()
        for box in (self.description, self.appearance):
            box.setMaximumHeight(70)
        self.description.committed.connect(lambda: self.commit("description"))
        self.appearance.committed.connect(lambda: self.commit("appearance"))
        self.voice = QComboBox()
        self.rate = QDoubleSpinBox(minimum=0.5, maximum=2.0, singleStep=0.05, decimals=2)
        self.pitch = QDoubleSpinBox(minimum=-12, maximum=12, singleStep=0.5, suffix=" st")
        self.voice.currentIndexChanged.connect(lambda _i: self.commit("voice"))
        self.rate.editingFinished.connect(lambda: self.commit("rate"))
        self.pitch.editingFinished.connect(lambda: self.commit("pitch_semitones"))
        self.references = ReferenceList(self.add_references)
        self._loading = False
        self._build()
        session.project_changed.connect(self.reload)
        session.data_changed.connect(self.show_sheet)

    def _build(self) -> None:
        from studio.audio.voices import list_voices

        for info in list_voices():
            self.voice.addItem(f"{info.name} ({info.language})", info.id)
        self.turn_button = QPushButton("Turnaround")
        self.turn_button.setToolTip("Front, three-quarter and profile panels with the sheet's seed")
        self.turn_button.clicked.connect(self.turnaround)
        self.preview_button = QPushButton("▶ Preview voice")
        self.preview_button.clicked.connect(self.preview_voice)
        form = QFormLayout()
        form.addRow("Description", self.description)
        form.addRow("Appearance", self.appearance)
        form.addRow("Voice", self.voice)
        voice_row = QHBoxLayout()  # a second row: the sheet fits a narrow dock
        for widget in (QLabel("rate"), self.rate, QLabel("pitch"), self.pitch):
            voice_row.addWidget(widget)
        voice_row.addStretch(1)
        voice_row.addWidget(self.preview_button)
        form.addRow("", voice_row)
        sheet = QWidget()
        right = QVBoxLayout(sheet)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.turn_button)
        right.addLayout(top)
        right.addLayout(form)
        right.addWidget(QLabel("References (drop images here)", objectName="muted"))
        right.addWidget(self.references, 1)
        split = QSplitter(Qt.Orientation.Vertical)  # names above the sheet
        split.addWidget(self.names)
        split.addWidget(sheet)
        split.setSizes([120, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(split)

    def reload(self) -> None:
        self.names.clear()
        store = self.session.store
        if store is None:
            return
        for sheet in store.characters.all():
            if sheet.status.value == "archived":
                continue
            swatch = QPixmap(12, 12)
            swatch.fill(QColor(sheet.colour))
            self.names.addItem(QListWidgetItem(QIcon(swatch), sheet.name))
        if self.names.count():
            self.names.setCurrentRow(0)

    def show_sheet(self) -> None:
        item = self.names.currentItem()
        store = self.session.store
        if item is None or store is None:
            self.sheet = None
            return
        self.sheet = store.characters.by_name(item.text())
        self._loading = True
        try:
            self.heading.setText(self.sheet.name)
            for box, text in (
                (self.description, self.sheet.description),
                (self.appearance, self.sheet.appearance),
            ):
                if box.toPlainText() != text:
                    box.setPlainText(text)
            self.voice.setCurrentIndex(max(0, self.voice.findData(self.sheet.voice.voice)))
            self.rate.setValue(self.sheet.voice.rate)
            self.pitch.setValue(self.sheet.voice.pitch_semitones)
        finally:
            self._loading = False
        self._show_references()

    def _show_references(self) -> None:
        self.references.clear()
        store = self.session.store
        for asset_id in self.sheet.reference_assets:
            asset = store.assets.find(asset_id)
            if asset is None:
                continue
            pixmap = QPixmap(str(store.media.absolute(asset.path)))
            icon = QIcon(pixmap.scaled(120, 120, Qt.AspectRatioMode.KeepAspectRatio))
            self.references.addItem(QListWidgetItem(icon, asset.original_name or asset.path))

    # -- edits ------------------------------------------------------------------------------
    def commit(self, name: str) -> None:
        if self._loading or self.sheet is None or self.session.project is None:
            return
        values = {
            "description": self.description.toPlainText(),
            "appearance": self.appearance.toPlainText(),
            "voice": self.voice.currentData(),
            "rate": round(self.rate.value(), 2),
            "pitch_semitones": self.pitch.value(),
        }
        current = {
            "description": self.sheet.description,
            "appearance": self.sheet.appearance,
            "voice": self.sheet.voice.voice,
            "rate": round(self.sheet.voice.rate, 2),
            "pitch_semitones": self.sheet.voice.pitch_semitones,
        }
        if values[name] is None or values[name] == current[name]:
            return
        self.session.call(
            character_service.set_character,
            self.session.project,
            self.sheet.name,
            **{name: values[name]},
        )

    def add_references(self, files: list[Path]) -> None:
        if self.sheet is not None and self.session.project is not None:
            self.session.call(
                character_service.add_references, self.session.project, self.sheet.name, files
            )

    def turnaround(self) -> Task | None:
        if self.sheet is None or self.session.project is None:
            return None
        self.turn_button.setEnabled(False)

        def done(_sheet: object) -> None:
            self.turn_button.setEnabled(True)
            self.session.changed()

        return self.session.run(
            character_service.turnaround,
            self.session.project,
            self.sheet.name,
            size=256,
            owner=self,
            on_done=done,
        )

    def first_line_number(self) -> int | None:
        """The 1-based place in the script of this character's first line."""
        lines = self.session.store.lines.in_order()
        for number, line in enumerate(lines, start=1):
            if line.character_id == self.sheet.id:
                return number
        return None

    def preview_voice(self) -> Task | None:
        if self.sheet is None or self.session.store is None:
            return None
        number = self.first_line_number()
        if number is None:
            self.session.notice.emit(f"{self.sheet.name} has no dialogue to preview")
            return None
        out = self.session.store.cache / f"voice-preview-{self.sheet.name.lower()}.wav"
        out.parent.mkdir(parents=True, exist_ok=True)
        self.preview_button.setEnabled(False)
        return self.session.run(
            dubbing.preview_line, self.session.store, number, out, owner=self, on_done=self._play
        )

    def _play(self, path: Path) -> None:
        self.preview_button.setEnabled(True)
        self.last_preview = Path(path)
        from ui.views.player import play_sound

        play_sound(self.last_preview, self)
