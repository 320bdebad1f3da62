"""What the player shows, decoded off the UI thread: the storyboard as a film of stills, or a
rendered video; and the bulk look-up of keyframe media paths (one query per 900 takes, never one
per shot)."""

from __future__ import annotations

import bisect
import queue
import threading
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage

from ui.bridge.inbox import inbox


def keyframe_paths(store, take_ids: Iterable[int]) -> dict[int, Path | None]:
    """The media file of each take in `take_ids`, read in bulk (a query per 900 takes)."""
    wanted = sorted(set(take_ids))
    found: dict[int, Path | None] = dict.fromkeys(wanted)
    takes = store.takes.with_ids(wanted)
    assets = {a.id: a for a in store.assets.with_ids(t.asset_id for t in takes)}
    for take in takes:
        asset = assets.get(take.asset_id)
        found[take.id] = store.media.absolute(asset.path) if asset else None
    return found


class StillsSource:
    """The storyboard as a film: each shot's keyframe held for the shot's duration.

    `entries` are (shot id, keyframe path or None, frames). `set_path` swaps one shot's still
    in place (a new take), without rebuilding the list.
    """

    def __init__(self, entries: list[tuple[int, Path | None, int]], fps: int) -> None:
        self.fps = fps
        self.entries = list(entries)
        self.paths = [p for _, p, _ in entries]
        self.row_of = {shot_id: row for row, (shot_id, _, _) in enumerate(entries)}
        self.starts: list[int] = []
        total = 0
        for _, _, frames in entries:
            self.starts.append(total)
            total += max(1, frames)
        self.frames = total
        self._cache: tuple[Path | None, QImage] | None = None

    def set_path(self, shot_id: int, path: Path | None) -> bool:
        """Show `path` for the shot (True when the shot is in this film)."""
        row = self.row_of.get(shot_id)
        if row is None:
            return False
        shot, _, frames = self.entries[row]
        self.entries[row] = (shot, path, frames)
        self.paths[row] = path  # one item assignment: atomic for the decoding thread
        return True

    def frames_of(self, shot_id: int) -> range:
        """The frames the shot covers in this film (empty when it is not in it)."""
        row = self.row_of.get(shot_id)
        if row is None:
            return range(0)
        end = self.starts[row + 1] if row + 1 < len(self.starts) else self.frames
        return range(self.starts[row], end)

    def image(self, frame: int) -> QImage:
        index = max(0, bisect.bisect_right(self.starts, frame) - 1)
        path = self.paths[index] if self.paths else None
        cached = self._cache
        if cached is not None and cached[0] == path:
            return cached[1]
        image = QImage(str(path)) if path else QImage()
        self._cache = (path, image)
        return image


class VideoSource:
    """A video file, decoded with PyAV; consecutive frames come from one running decoder."""

    def __init__(self, path: Path) -> None:
        from studio.media.decode import probe

        info = probe(path)
        self.path = path
        self.fps = int(round(info.fps))
        self.frames = info.frames
        self.has_audio = info.has_audio
        self._iterator = None
        self._next = -1

    def image(self, frame: int) -> QImage:
        from studio.media.decode import iter_frames

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
    """Decodes and scales requested frames on its own thread; only the newest request is
    served. The UI thread only turns the finished QImage into a pixmap."""

    frame_ready = Signal(int, QImage)  # emitted on the UI thread

    def __init__(self) -> None:
        super().__init__()
        self._inbox = inbox()
        self.source = None
        self._requests: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="studio-decoder")
        self._thread.start()

    def request(self, frame: int, size: QSize | None = None) -> None:
        """Decode `frame` of the current source, scaled to fit `size` when given."""
        self._requests.put((self.source, frame, size))

    def _loop(self) -> None:
        while True:
            item = self._requests.get()
            while not self._requests.empty():  # drop what the playhead already passed
                item = self._requests.get_nowait()
            if item is None:
                return
            source, frame, size = item
            if source is None:
                continue
            try:
                image = source.image(frame)
                if size is not None and not image.isNull() and size.isValid():
                    image = image.scaled(
                        size,
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
            except Exception:  # noqa: BLE001 - a broken file shows black, the app stays up
                image = QImage()
            self._inbox.post_for(self, self._ready, frame, image)

    def _ready(self, frame: int, image: QImage) -> None:
        self.frame_ready.emit(frame, image)

    def close(self) -> None:
        self._requests.put(None)
        self._thread.join(5)
