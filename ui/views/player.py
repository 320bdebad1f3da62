"""The player: the cut played in real time, picture and sound (`ui.models.playback`), locked to
the timeline's playhead both ways; or the storyboard's stills at their durations, or the last
export, decoded on a worker thread. Space and the play button toggle play/pause, J/K/L shuttle,
arrows step a frame."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from studio.domain.entities import Shot
from ui import theme
from ui.models.frames import FrameDecoder, StillsSource, VideoSource, keyframe_paths
from ui.models.playback import CutSource, Playback
from ui.session import Session


def multimedia_available() -> bool:
    try:
        from PySide6 import QtMultimedia  # noqa: F401
    except ImportError:
        return False
    return True


def play_sound(path: Path, parent: QObject | None = None) -> bool:
    """Play a WAV file if QtMultimedia works here; False when it cannot (no sound, no error)."""
    if not multimedia_available():
        return False
    from PySide6.QtCore import QUrl
    from PySide6.QtMultimedia import QSoundEffect

    effect = QSoundEffect(parent)
    effect.setSource(QUrl.fromLocalFile(str(path)))
    effect.play()
    return True


def timecode(frame: int, fps: int) -> str:
    fps = max(1, int(fps))
    seconds, frames = divmod(max(0, frame), fps)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}:{frames:02d}"


CUT, STORYBOARD, LAST_EXPORT = range(3)  # what the player shows (its chooser's rows)


class PlayerView(QWidget):
    position_changed = Signal(int)  # the frame shown moved (a seek, a step, playing)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("player")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.session = session
        self.source = None
        self.position = 0
        self.shown_frame = -1
        self.speed = 0  # frames per tick: negative plays backwards
        self.decoder = FrameDecoder()
        self.decoder.frame_ready.connect(self._show)
        self.screen = QLabel("No picture")
        self.screen.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.screen.setMinimumSize(192, 108)
        self.screen.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.screen.setStyleSheet(f"background: #000; color: {theme.MUTED};")
        self.levels = QLabel("provisional levels: measuring the mix")
        self.levels.setToolTip(
            "The sound plays at once; its loudness and ducking are the finished mix's once it "
            "is measured (a measured cut is remembered)."
        )
        self.levels.setStyleSheet(f"color: {theme.MUTED};")
        self.levels.hide()
        self.timecode = QLabel(timecode(0, 24))
        self.timecode.setFont(theme.mono_font(12))
        self.timecode.setStyleSheet(f"color: {theme.ACCENT};")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.valueChanged.connect(self._slider_moved)
        self.which = QComboBox()
        self.which.addItems(["Cut", "Storyboard", "Last export"])
        self.which.currentIndexChanged.connect(lambda _i: self.reload())
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self._audio = None
        self.playback = Playback(self._show, self)
        self.playback.on_end = self.stop
        self._cut_document: dict | None = None  # the stored timeline the cut source plays
        self._cut_serial = 0  # which opening of the cut is the newest
        self._build()
        self._paths: dict[int, Path | None] = {}  # take id → media path (takes never change)
        self._dirty = False
        self.rebuilds = 0  # how many times the stills list was rebuilt (tests read it)
        self._reload_timer = QTimer(self, singleShot=True, interval=300)
        self._reload_timer.timeout.connect(self.refresh)
        session.project_changed.connect(self._project_changed)
        session.data_changed.connect(self._reload_timer.start)
        session.shot_updated.connect(self.shot_updated)

    def _build(self) -> None:
        top = QHBoxLayout()  # what plays and where: above the picture
        top.addWidget(self.which)
        top.addStretch(1)
        top.addWidget(self.levels)
        top.addWidget(self.timecode)
        bar = QHBoxLayout()
        for text, slot in (
            ("|◀", lambda: self.seek(0)),
            ("◀◀", lambda: self.shuttle(-1)),
            ("■", self.stop),
            ("▶", self.toggle),
            ("▶▶", lambda: self.shuttle(1)),
        ):
            button = QPushButton(text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setFixedWidth(40)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addWidget(self.slider, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.screen, 1)
        layout.addLayout(bar)

    # -- sources ----------------------------------------------------------------------------
    def _project_changed(self) -> None:
        self._paths.clear()
        self.reload()

    def reload(self) -> None:
        """Rebuild the source now (the cut, the storyboard's stills, or the last export)."""
        self._dirty = False
        if self._wants_cut():
            self._load_cut()
            return
        self._set_source(self._make_source())

    def _wants_cut(self) -> bool:
        store = self.session.store
        return self.which.currentIndex() == CUT and store is not None and bool(
            store.timelines.load()
        )

    def _load_cut(self) -> None:
        """Open the stored cut's preview on a worker; it replaces the source when ready."""
        store = self.session.store
        document = store.timelines.load()
        self._cut_document = document
        self._cut_serial += 1
        self.session.run(
            _open_cut, store, document, owner=self, discard=_close_preview,
            on_done=lambda preview, serial=self._cut_serial: self._cut_ready(preview, serial),
        )  # fmt: skip

    def _cut_ready(self, preview, serial: int) -> None:
        if serial != self._cut_serial:  # a newer cut is being opened
            _close_preview(preview)
            return
        if preview is None:
            self._set_source(self._make_source())
            return
        self._set_source(CutSource(preview, self, self._cut_shown))

    def _cut_shown(self, frame: int) -> None:
        """The cut's picture for the frame waited for is drawn: show it (not while playing)."""
        source = self.source
        if not isinstance(source, CutSource) or frame != source.wanted or self.playback.playing:
            return
        image = source.image(frame)
        if image is not None:
            self._show(frame, image)

    def refresh(self) -> None:
        """After an edit: rebuild only if visible and the film of stills changed (a hidden
        player rebuilds when it is shown)."""
        if not self.isVisible():
            self._dirty = True
            return
        self._dirty = False
        if isinstance(self.source, VideoSource) and self.which.currentIndex() == LAST_EXPORT:
            return
        if self._wants_cut() or isinstance(self.source, CutSource):
            if self.session.store is None or self.session.store.timelines.load() != (
                self._cut_document
            ):
                self.reload()
            return
        entries = self._entries()
        if isinstance(self.source, StillsSource) and self.source.entries == entries:
            return
        self._set_source(StillsSource(entries, self._fps()) if entries else None)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def _set_source(self, source) -> None:
        self.stop()
        if isinstance(self.source, CutSource) and self.source is not source:
            self.source.close()
        self.source = source
        self.decoder.source = None if isinstance(source, CutSource) else source
        if isinstance(source, StillsSource):
            self.rebuilds += 1
        frames = source.frames if source else 0
        self.slider.setRange(0, max(0, frames - 1))
        self.seek(min(self.position, max(0, frames - 1)))

    def shot_updated(self, shot: Shot) -> None:
        """A new take for one shot: swap that still in place; nothing else is read."""
        if not isinstance(self.source, StillsSource):
            return
        take_id = shot.active_keyframe_take_id
        if take_id is not None and take_id not in self._paths:
            self._paths.update(keyframe_paths(self.session.store, [take_id]))
        if self.source.set_path(shot.id, self._paths.get(take_id) if take_id else None):
            if self.position in self.source.frames_of(shot.id):
                self.seek(self.position)  # the still under the playhead changed

    def _fps(self) -> int:
        return self.session.store.settings().fps

    def _entries(self) -> list[tuple[int, Path | None, int]]:
        """(shot id, keyframe path, frames) in film order: O(n), one bulk query for the
        keyframe paths not seen before."""
        store = self.session.store
        if store is None:
            return []
        shots = self.session.shots()
        taken = {s.active_keyframe_take_id for s in shots} - {None}
        missing = [take_id for take_id in taken if take_id not in self._paths]
        if missing:
            self._paths.update(keyframe_paths(store, missing))
        fps = self._fps()
        return [
            (
                shot.id,
                self._paths.get(shot.active_keyframe_take_id)
                if shot.active_keyframe_take_id
                else None,
                shot.duration.rescaled_to(fps).value,
            )
            for shot in shots
        ]

    def _make_source(self):
        store = self.session.store
        if store is None:
            return None
        if self.which.currentIndex() == LAST_EXPORT and self.session.last_export is not None:
            return VideoSource(self.session.last_export)
        entries = self._entries()
        return StillsSource(entries, self._fps()) if entries else None

    def show_file(self, path: Path) -> None:
        """Play a rendered film (the export dialog calls this)."""
        self.session.last_export = Path(path)
        if self.which.currentIndex() == LAST_EXPORT:
            self.reload()
        else:
            self.which.setCurrentIndex(LAST_EXPORT)

    # -- transport --------------------------------------------------------------------------
    @property
    def fps(self) -> int:
        return self.source.fps if self.source else 24

    def seek(self, frame: int) -> None:
        if self.source is None:
            return
        self.position = max(0, min(frame, self.source.frames - 1))
        self.timecode.setText(timecode(self.position, self.fps))
        self.slider.blockSignals(True)
        self.slider.setValue(self.position)
        self.slider.blockSignals(False)
        if isinstance(self.source, CutSource):
            if self.playback.playing:
                self.playback.start(self.source, self.position)
            else:
                self.source.seek(self.position)
        else:
            self.decoder.request(self.position, self.screen.size())
        self.position_changed.emit(self.position)

    def step(self, frames: int) -> None:
        self.stop()
        self.seek(self.position + frames)

    def toggle(self) -> None:
        if self.speed:
            self.stop()
        else:
            self.shuttle(1, reset=True)

    def shuttle(self, direction: int, reset: bool = False) -> None:
        """L/J: play forwards/backwards; pressed again, faster (1×, 2×, 4×)."""
        if self.source is None:
            return
        same = self.speed and (self.speed > 0) == (direction > 0) and not reset
        self.speed = direction * min(4, abs(self.speed) * 2) if same else direction
        if isinstance(self.source, CutSource) and self.speed == 1:
            self.timer.stop()
            self.playback.start(self.source, self.position)  # real time, with its sound
            return
        self.playback.stop()
        self.timer.start(int(1000 / self.fps))
        self._sync_audio()

    def stop(self) -> None:
        self.speed = 0
        self.timer.stop()
        self.playback.stop()
        if self._audio is not None:
            self._audio.pause()

    def _tick(self) -> None:
        target = self.position + self.speed
        if self.source is None or not 0 <= target < self.source.frames:
            self.stop()
            return
        self.seek(target)

    def _slider_moved(self, value: int) -> None:
        self.stop()
        self.seek(value)

    def _show(self, frame: int, image: QImage) -> None:
        self.shown_frame = frame
        preview = getattr(self.source, "preview", None)
        measuring = preview is not None and preview.mix is not None and not preview.measured
        self.levels.setVisible(measuring)
        if self.playback.playing and frame != self.position:  # the cut playing: follow it
            self.position = frame
            self.timecode.setText(timecode(frame, self.fps))
            self.slider.blockSignals(True)
            self.slider.setValue(frame)
            self.slider.blockSignals(False)
            self.position_changed.emit(frame)
        if image.isNull():
            self.screen.setPixmap(QPixmap())
            self.screen.setText("no keyframe")
            return
        pixmap = QPixmap.fromImage(image)  # scaled on the decoding thread already
        if pixmap.width() > self.screen.width() or pixmap.height() > self.screen.height():
            pixmap = pixmap.scaled(self.screen.size(), Qt.AspectRatioMode.KeepAspectRatio)
        self.screen.setPixmap(pixmap)

    def _sync_audio(self) -> None:
        if not isinstance(self.source, VideoSource) or not self.source.has_audio:
            return
        if self.speed != 1 or not multimedia_available():
            return
        from PySide6.QtCore import QUrl
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

        if self._audio is None:
            self._audio = QMediaPlayer(self)
            self._audio.setAudioOutput(QAudioOutput(self._audio))
        self._audio.setSource(QUrl.fromLocalFile(str(self.source.path)))
        self._audio.setPosition(int(self.position * 1000 / self.fps))
        self._audio.play()

    # -- keys -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        jump = self.fps if shift else 1
        actions = {
            Qt.Key.Key_Space: self.toggle,
            Qt.Key.Key_K: self.stop,
            Qt.Key.Key_L: lambda: self.shuttle(1),
            Qt.Key.Key_J: lambda: self.shuttle(-1),
            Qt.Key.Key_Right: lambda: self.step(jump),
            Qt.Key.Key_Left: lambda: self.step(-jump),
            Qt.Key.Key_Home: lambda: self.step(-self.position),
            Qt.Key.Key_End: lambda: self.step(self.source.frames if self.source else 0),
        }
        action = actions.get(key)
        if action is None:
            super().keyPressEvent(event)
            return
        action()

    # -- the timeline's playhead ------------------------------------------------------------
    def lock_to(self, canvas) -> None:
        """Follow the timeline `canvas`'s playhead and move it: both show one frame of the cut."""
        self.position_changed.connect(
            lambda frame: canvas.playhead != frame and self._is_cut() and canvas.set_playhead(frame)
        )
        canvas.playhead_moved.connect(self._playhead_moved)

    def _is_cut(self) -> bool:
        return isinstance(self.source, CutSource)

    def _playhead_moved(self, frame: int) -> None:
        if self._is_cut() and frame != self.position:
            self.seek(frame)

    def shutdown(self) -> None:
        """Stop playing and end the player's threads (the window closes)."""
        self.stop()
        if isinstance(self.source, CutSource):
            self.source.close()
        self.source = None
        self.decoder.close()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)


def _open_cut(store, document: dict):
    """The cut's preview, opened on a worker (None for an empty cut)."""
    from studio.domain.timeline import Timeline
    from studio.services.preview import open_preview

    return open_preview(store, Timeline.from_json(document))


def _close_preview(preview) -> None:
    if preview is not None:
        preview.close()
