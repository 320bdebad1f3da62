"""The player: frame-accurate preview of the cut (the last export, or the storyboard's stills at
their durations), decoded on a worker thread. Space plays, J/K/L shuttle, arrows step a frame."""

from __future__ import annotations

import bisect
import queue
import threading
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

from ui import theme
from ui.bridge.inbox import inbox
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


class StillsSource:
    """The storyboard as a film: each shot's keyframe held for the shot's duration."""

    def __init__(self, entries: list[tuple[Path | None, int]], fps: int) -> None:
        self.fps = fps
        self.paths = [p for p, _ in entries]
        self.starts: list[int] = []
        total = 0
        for _, frames in entries:
            self.starts.append(total)
            total += max(1, frames)
        self.frames = total
        self._cache: tuple[Path | None, QImage] | None = None

    def image(self, frame: int) -> QImage:
        index = max(0, bisect.bisect_right(self.starts, frame) - 1)
        path = self.paths[index] if self.paths else None
        if self._cache is not None and self._cache[0] == path:
            return self._cache[1]
        image = QImage(str(path)) if path else QImage()
        self._cache = (path, image)
        return image


class VideoSource:
    """A video file, decoded with PyAV; consecutive frames come from one running decoder."""

    def __init__(self, path: Path) -> None:
        from studio.render.decode import probe

        info = probe(path)
        self.path = path
        self.fps = int(round(info.fps))
        self.frames = info.frames
        self.has_audio = info.has_audio
        self._iterator = None
        self._next = -1

    def image(self, frame: int) -> QImage:
        from studio.render.decode import iter_frames

        if frame != self._next or self._iterator is None:
            self._iterator = iter_frames(self.path, frame)
        try:
            rgb = next(self._iterator)
        except StopIteration:
            self._iterator = None
            return QImage()
        self._next = frame + 1
        h, w, _ = rgb.shape
        return QImage(rgb.tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class FrameDecoder(QObject):
    """Decodes requested frames on its own thread; only the newest request is served."""

    frame_ready = Signal(int, QImage)  # emitted on the UI thread

    def __init__(self) -> None:
        super().__init__()
        self._inbox = inbox()
        self.source = None
        self._requests: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="studio-decoder")
        self._thread.start()

    def request(self, frame: int) -> None:
        self._requests.put((self.source, frame))

    def _loop(self) -> None:
        while True:
            item = self._requests.get()
            while not self._requests.empty():  # drop what the playhead already passed
                item = self._requests.get_nowait()
            if item is None:
                return
            source, frame = item
            if source is None:
                continue
            try:
                image = source.image(frame)
            except Exception:  # noqa: BLE001 - a broken file shows black, the app stays up
                image = QImage()
            self._inbox.post(self.frame_ready.emit, frame, image)

    def close(self) -> None:
        self._requests.put(None)
        self._thread.join(5)


class PlayerView(QWidget):
    def __init__(self, session: Session, parent=None) -> None:  # noqa: ANN001
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
        self.screen.setMinimumSize(320, 180)
        self.screen.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.screen.setStyleSheet(f"background: #000; color: {theme.MUTED};")
        self.timecode = QLabel(timecode(0, 24))
        self.timecode.setFont(theme.mono_font(12))
        self.timecode.setStyleSheet(f"color: {theme.ACCENT};")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.valueChanged.connect(self._slider_moved)
        self.which = QComboBox()
        self.which.addItems(["Storyboard", "Last export"])
        self.which.currentIndexChanged.connect(lambda _i: self.reload())
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self._audio = None
        self._build()
        self._reload_timer = QTimer(self, singleShot=True, interval=300)
        self._reload_timer.timeout.connect(self.reload)
        session.project_changed.connect(self.reload)
        session.data_changed.connect(self._reload_timer.start)

    def _build(self) -> None:
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
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addWidget(self.slider, 1)
        bar.addWidget(self.timecode)
        bar.addWidget(self.which)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.screen, 1)
        layout.addLayout(bar)

    # -- sources ----------------------------------------------------------------------------
    def reload(self) -> None:
        self.stop()
        self.source = self._make_source()
        self.decoder.source = self.source
        frames = self.source.frames if self.source else 0
        self.slider.setRange(0, max(0, frames - 1))
        self.seek(min(self.position, max(0, frames - 1)))

    def _make_source(self):  # noqa: ANN202
        store = self.session.store
        if store is None:
            return None
        if self.which.currentIndex() == 1 and self.session.last_export is not None:
            return VideoSource(self.session.last_export)
        entries = []
        fps = store.settings().fps
        for shot in store.shots.in_order():
            path = None
            if shot.active_keyframe_take_id is not None:
                take = store.takes.find(shot.active_keyframe_take_id)
                asset = store.assets.find(take.asset_id) if take else None
                path = store.media.absolute(asset.path) if asset else None
            entries.append((path, shot.duration.rescaled_to(fps).value))
        return StillsSource(entries, fps) if entries else None

    def show_file(self, path: Path) -> None:
        """Play a rendered film (the export dialog calls this)."""
        self.session.last_export = Path(path)
        if self.which.currentIndex() == 1:
            self.reload()
        else:
            self.which.setCurrentIndex(1)

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
        self.decoder.request(self.position)

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
        self.timer.start(int(1000 / self.fps))
        self._sync_audio()

    def stop(self) -> None:
        self.speed = 0
        self.timer.stop()
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
        if image.isNull():
            self.screen.setPixmap(QPixmap())
            self.screen.setText("no keyframe")
            return
        pixmap = QPixmap.fromImage(image).scaled(
            self.screen.size(),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
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

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802
        self.decoder.close()
        super().closeEvent(event)
