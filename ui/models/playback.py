"""Playing the cut in real time: the clock, the sound out, and the counts a test or a bench reads.

`CutSource` holds a `studio.render.preview.CutPreview` (the picture and the mix drawn ahead on
its threads). `Playback` runs on the UI thread: a timer ticks every few milliseconds, reads the
clock, shows the picture of the frame the clock reached if it was drawn (else counts it dropped
and keeps the last one), and hands the mix to the sound out. The clock is the sound device's
(the samples it played) when QtMultimedia has one, else the monotonic clock; without a device
the samples are still taken from the mix, in real time, into `SoundCapture`, so that what
would have been heard is produced and measurable (offscreen, in tests, on a bench).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QImage

from studio.render.preview import CutPreview
from ui.bridge.inbox import inbox

TICK_MS = 5


class CutSource:
    """The cut as the player's source: `frames`, `fps`, and its preview drawn ahead."""

    def __init__(self, preview: CutPreview, owner: QObject, shown: Callable[[int], None]):
        self.preview = preview
        self.frames = preview.frames
        self.fps = int(round(float(preview.fps)))
        self.wanted = -1  # the frame the player waits for (a seek); read on the picture thread
        self._owner, self._shown = owner, shown
        preview.on_frame = self._drawn

    def _drawn(self, index: int) -> None:  # on the preview's picture thread
        if index == self.wanted:
            inbox().post_for(self._owner, self._shown, index)

    def seek(self, frame: int) -> None:
        self.wanted = frame
        self.preview.seek(frame)
        if self.preview.frame(frame) is not None:
            inbox().post_for(self._owner, self._shown, frame)

    def image(self, frame: int) -> QImage | None:
        """The drawn picture of `frame` as a QImage (None when it is not drawn)."""
        rgb = self.preview.frame(frame)
        return None if rgb is None else to_qimage(rgb)

    def close(self) -> None:
        self.wanted = -1
        self.preview.close()


def to_qimage(rgb: np.ndarray) -> QImage:
    h, w, _ = rgb.shape
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class SoundCapture:
    """Where the sound goes without a sound device: kept, so that it can be measured."""

    def __init__(self, rate: int, keep_seconds: float = 600.0) -> None:
        self.rate = rate
        self.samples = 0
        self._blocks: list[np.ndarray] = []
        self._room = int(keep_seconds * rate)

    def write(self, block: np.ndarray) -> None:
        self.samples += len(block)
        if self._room > 0:
            self._blocks.append(block[: self._room])
            self._room -= len(block)

    def array(self) -> np.ndarray:
        return np.concatenate(self._blocks) if self._blocks else np.zeros((0, 2), np.float32)


class _DeviceOut:
    """The default sound device through QtMultimedia's QAudioSink (push mode, float stereo)."""

    def __init__(self, rate: int, parent: QObject) -> None:
        from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

        device = QMediaDevices.defaultAudioOutput()
        if device.isNull():
            raise RuntimeError("no sound device")
        fmt = QAudioFormat()
        fmt.setSampleRate(rate)
        fmt.setChannelCount(2)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Float)
        self.rate = rate
        self.sink = QAudioSink(device, fmt, parent)
        self.io = self.sink.start()
        if self.io is None:
            raise RuntimeError("the sound device did not start")

    def room(self) -> int:
        return self.sink.bytesFree() // 8

    def write(self, block: np.ndarray) -> None:
        self.io.write(np.ascontiguousarray(block, np.float32).tobytes())

    def played_seconds(self) -> float:
        return self.sink.processedUSecs() / 1e6

    def stop(self) -> None:
        self.sink.stop()


def open_device(rate: int, parent: QObject) -> _DeviceOut | None:
    """The sound device, or None where there is none (offscreen, no QtMultimedia, no output)."""
    try:
        return _DeviceOut(rate, parent)
    except Exception:  # noqa: BLE001 - ImportError, no libpulse, no device: the timer clock
        return None


class Playback(QObject):
    """Plays a `CutSource` from a frame: the clock, the picture shown, the sound out."""

    def __init__(self, show: Callable[[int, QImage], None], parent: QObject | None = None):
        super().__init__(parent)
        self._show = show
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.source: CutSource | None = None
        self.capture: SoundCapture | None = None
        self.device: _DeviceOut | None = None
        self.frame = 0
        self.dropped = 0  # frames whose time passed before they were drawn
        self.shown = 0  # frames shown on time
        self.longest_tick = 0.0  # seconds: the longest the UI thread spent in one tick
        self.on_end: Callable[[], None] | None = None
        self._start_frame = 0
        self._started = 0.0
        self._taken = 0  # samples taken from the mix since the start
        self._frame_shown = False

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def start(self, source: CutSource, frame: int, use_device: bool = True) -> None:
        """Play `source` from `frame` (the preview is seeked there)."""
        self.stop()
        self.source, self.frame, self._start_frame = source, frame, frame
        self._frame_shown = False
        source.wanted = -1
        source.preview.seek(frame)
        rate = source.preview.rate
        self.device = open_device(rate, self) if use_device else None
        self.capture = None if self.device is not None else SoundCapture(rate)
        self._taken = 0
        self._started = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.device is not None:
            self.device.stop()
            self.device = None

    def elapsed(self) -> float:
        if self.device is not None:
            return self.device.played_seconds()
        return time.perf_counter() - self._started

    def tick(self) -> None:
        began = time.perf_counter()
        source = self.source
        if source is None:
            self.stop()
            return
        preview = source.preview
        frame = self._start_frame + int(self.elapsed() * float(preview.fps))
        if frame >= source.frames:
            self.stop()
            if self.on_end is not None:
                self.on_end()
            return
        self._feed_sound(preview)
        if frame > self.frame:  # the clock moved on: the frames it passed unseen are dropped
            self.dropped += frame - self.frame - 1 + (0 if self._frame_shown else 1)
            self.frame, self._frame_shown = frame, False
            preview.advance(frame)
        if not self._frame_shown:
            image = source.image(frame)
            if image is not None:
                self.shown += 1
                self._frame_shown = True
                self._show(frame, image)
        self.longest_tick = max(self.longest_tick, time.perf_counter() - began)

    def _feed_sound(self, preview: CutPreview) -> None:
        if self.device is not None:
            room = self.device.room()
            if room > 0:
                self.device.write(preview.take_sound(room))
            return
        due = int((time.perf_counter() - self._started) * preview.rate) - self._taken
        if due > 0:
            self.capture.write(preview.take_sound(due))
            self._taken += due
