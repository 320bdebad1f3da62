"""Thumbnails decoded off the UI thread into a small LRU cache of QPixmaps.

A thumbnail is read from `cache/thumbs/` when it was made before, else scaled from the media file
and written there (the folder is deletable: it is rebuilt on demand). Decoding runs on a
QThreadPool of one thread; the QPixmap is made on the UI thread when the QImage arrives.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QPixmap

from ui.bridge.inbox import inbox

THUMB_SIZE = QSize(256, 144)


class _Decode(QRunnable):
    def __init__(
        self,
        key: str,
        source: Path,
        target: Path | None,
        size: QSize,
        deliver: Callable[[str, QImage], None],
    ) -> None:
        super().__init__()
        self.key, self.source, self.target, self.size = key, source, target, size
        self.deliver = deliver

    def run(self) -> None:
        image = QImage()
        if self.target is not None and self.target.is_file():
            image = QImage(str(self.target))
        if image.isNull():
            image = _scaled(self.source, self.size)
            if not image.isNull() and self.target is not None:
                self.target.parent.mkdir(parents=True, exist_ok=True)
                image.save(str(self.target), "JPG", 88)
        self.deliver(self.key, image)


def _scaled(source: Path, size: QSize) -> QImage:
    image = QImage(str(source))
    if image.isNull() and source.suffix.lower() in (".mp4", ".mov", ".mkv", ".webm"):
        image = _first_video_frame(source)
    if image.isNull():
        return image
    return image.scaled(
        size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def _first_video_frame(source: Path) -> QImage:
    from studio.errors import StudioError
    from studio.media.decode import read_frame

    try:
        rgb = read_frame(source, 0)
    except StudioError:
        return QImage()
    h, w, _ = rgb.shape
    return QImage(rgb.tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class ThumbnailCache(QObject):
    """`get(path)` returns a QPixmap or None (then `ready(path)` fires once it is loaded)."""

    ready = Signal(str)

    def __init__(
        self, folder: Path | None = None, capacity: int = 240, size: QSize = THUMB_SIZE
    ) -> None:
        super().__init__()
        self.folder = folder
        self.capacity = capacity
        self.size = size
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._pending: set[str] = set()
        self._failed: set[str] = set()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._inbox = inbox()

    def set_folder(self, folder: Path | None) -> None:
        """Point the cache at a project's `cache/thumbs/` (and forget the last project's)."""
        self.folder = folder
        self._pool.clear()
        self._pixmaps.clear()
        self._pending.clear()
        self._failed.clear()

    def get(self, path: Path) -> QPixmap | None:
        key = str(path)
        pixmap = self._pixmaps.get(key)
        if pixmap is not None:
            self._pixmaps.move_to_end(key)
            return pixmap
        if key not in self._pending and key not in self._failed:
            self._pending.add(key)
            target = self.folder / f"{path.stem}_{self.size.width()}.jpg" if self.folder else None
            self._pool.start(_Decode(key, path, target, self.size, self._deliver))
        return None

    def _deliver(self, key: str, image: QImage) -> None:  # on the decoding thread
        self._inbox.post_for(self, self._loaded, key, image)

    def _loaded(self, key: str, image: QImage) -> None:
        if key not in self._pending:
            return  # from a project that is closed now
        self._pending.discard(key)
        if image.isNull():
            self._failed.add(key)
            return
        self._pixmaps[key] = QPixmap.fromImage(image)
        while len(self._pixmaps) > self.capacity:
            self._pixmaps.popitem(last=False)
        self.ready.emit(key)

    def __len__(self) -> int:
        return len(self._pixmaps)

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for the decoding thread to be idle (shutdown, tests, benchmarks)."""
        return self._pool.waitForDone(msecs)
