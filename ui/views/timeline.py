"""The timeline: tracks of clips (thumbnails, waveforms), a playhead, zoom, and trim, split and
move with snapping. Every edit goes through `studio.services.timeline` and so is undoable."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.domain.timeline import Clip, Timeline, TrackKind, Transition
from studio.services import cut_import
from studio.services import timeline as timeline_service
from studio.store.media_lookup import StoreMedia
from studio.timeline.linked import LinkedEdit, sync_offsets
from ui import theme
from ui.models.thumbs import ThumbnailCache
from ui.session import Session
from ui.views.cut_banner import CutBanner, LinesNotice
from ui.views.cut_preview import CutPreviewDialog

RULER = 22
HEADER = 0
ROW = {TrackKind.VIDEO: 70, TrackKind.DIALOGUE: 44, TrackKind.MUSIC: 44, TrackKind.SFX: 44}
EDGE = 7  # pixels at a clip's ends that grab a trim
SNAP_PIXELS = 8


@dataclass
class ClipPlace:
    track: str
    index: int
    start: int  # frames
    length: int
    clip: Clip


class ClipItem(QGraphicsRectItem):
    """One clip; the canvas handles its drags."""

    def __init__(
        self, place: ClipPlace, rect: QRectF, kind: TrackKind, canvas: TimelineCanvas
    ) -> None:
        super().__init__(rect)
        self.place, self.kind, self.canvas = place, kind, canvas
        self.peaks: np.ndarray | None = None
        self.offset: int | None = None  # a linked line's frames away from its picture
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setToolTip(f"{place.clip.name}\n{place.length} frames from {place.start}")

    def paint(self, painter: QPainter, option, widget=None) -> None:
        rect = self.rect()
        colour = QColor(theme.TRACK_COLOURS.get(self.kind, theme.MUTED))
        selected = self.isSelected()
        painter.setPen(
            QPen(QColor(theme.ACCENT) if selected else colour.darker(160), 2 if selected else 1)
        )
        painter.setBrush(colour.darker(130))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        if self.kind is TrackKind.VIDEO:
            self._paint_thumbnail(painter, rect)
        elif self.peaks is not None:
            self._paint_waveform(painter, rect, colour.lighter(150))
        if rect.width() > 24:
            painter.setPen(QColor("#ffffff"))
            font = QFont(painter.font())
            font.setPointSizeF(7.5)
            painter.setFont(font)
            label = rect.adjusted(4, 2, -3, 0)
            painter.drawText(
                label, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self.place.clip.name
            )
            if self.offset:  # out of sync with its picture: say by how much
                painter.setPen(QColor(theme.ERROR))
                painter.drawText(  # under the name, which a short line's label fills
                    label.adjusted(0, 0, 0, -2),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                    self.sync_text,
                )

    @property
    def sync_text(self) -> str:
        """"+5f" for a linked line 5 frames after its picture; "" in sync or unlinked."""
        return f"{self.offset:+d}f" if self.offset else ""

    def _paint_thumbnail(self, painter: QPainter, rect: QRectF) -> None:
        pixmap = self.canvas.thumbnail(self.place.clip)
        if pixmap is None:
            return
        height = rect.height() - 16
        width = height * pixmap.width() / max(1, pixmap.height())
        x = rect.left() + 2
        painter.save()
        painter.setClipRect(rect.adjusted(1, 1, -1, -1))
        while x < rect.right() - 2:
            painter.drawPixmap(
                QRectF(x, rect.top() + 14, width, height), pixmap, QRectF(pixmap.rect())
            )
            x += width + 1
            if width < 8:
                break
        painter.restore()

    def _paint_waveform(self, painter: QPainter, rect: QRectF, colour: QColor) -> None:
        peaks = self.peaks
        mid, half = rect.center().y() + 5, (rect.height() - 14) / 2
        path = QPainterPath(QPointF(rect.left(), mid))
        step = rect.width() / max(1, len(peaks))
        for i, value in enumerate(peaks):
            path.lineTo(rect.left() + i * step, mid - float(value) * half)
        for i in range(len(peaks) - 1, -1, -1):
            path.lineTo(rect.left() + i * step, mid + float(peaks[i]) * half)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPath(path)


class TimelineCanvas(QGraphicsView):
    """The tracks. Drag a clip's body to move it, its ends to trim; click empty space to move
    the playhead. `S` splits the selected track (or the video track) at the playhead."""

    playhead_moved = Signal(int)

    def __init__(self, view: TimelineView) -> None:
        super().__init__()
        self.view = view
        self.scene_ = QGraphicsScene(self)  # parented: an orphan scene is collected
        self.setScene(self.scene_)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setBackgroundBrush(QBrush(QColor(theme.BASE)))
        self.ppf = 2.0  # pixels per frame
        self.playhead = 0
        self.snapping = True
        self.items_by_place: list[ClipItem] = []
        self._drag: tuple[ClipItem, str, float] | None = None
        self._playhead_item: QGraphicsLineItem | None = None
        self._rows: dict[str, tuple[float, float]] = {}

    # -- drawing ----------------------------------------------------------------------------
    def draw(self, timeline: Timeline | None) -> None:
        self.scene_.clear()
        self.items_by_place, self._rows, self._playhead_item = [], {}, None
        self.links: list = []
        if timeline is None:
            return
        total = max(1, timeline.duration.value)
        width = total * self.ppf + 200
        self._draw_ruler(total, timeline.rate)
        y = RULER
        for track in timeline.tracks:
            height = ROW.get(track.kind, 44)
            self._rows[track.name] = (y, height)
            band = self.scene_.addRect(
                QRectF(0, y, width, height - 2),
                QPen(Qt.PenStyle.NoPen),
                QBrush(QColor(theme.PANEL)),
            )
            band.setZValue(-2)
            for place in places(timeline, track.name):
                rect = QRectF(place.start * self.ppf, y + 2, place.length * self.ppf, height - 6)
                item = ClipItem(place, rect, track.kind, self)
                self.scene_.addItem(item)
                self.items_by_place.append(item)
            label = self.scene_.addSimpleText(track.name.upper())
            label.setBrush(QColor(theme.MUTED))
            label.setPos(4, y + height - 16)
            label.setZValue(5)
            y += height
        self._draw_links(timeline)
        self.scene_.setSceneRect(QRectF(0, 0, width, y + 8))
        self._playhead_item = self.scene_.addLine(0, 0, 0, y, QPen(QColor(theme.ACCENT), 1.5))
        self._playhead_item.setZValue(10)
        self.set_playhead(self.playhead)

    def _draw_links(self, timeline: Timeline) -> None:
        """A dashed line up from each linked line to its picture's row (red when the line sits
        away from its picture), and each item's offset for its label."""
        picture = next((t for t in timeline.tracks if t.kind is TrackKind.VIDEO), None)
        if picture is None:
            return
        top, height = self._rows[picture.name]
        offsets = {
            track.name: sync_offsets(timeline, track.name)
            for track in timeline.tracks
            if track.kind is TrackKind.DIALOGUE
        }
        for item in self.items_by_place:
            if item.place.clip.link is None or item.place.track not in offsets:
                continue
            item.offset = offsets[item.place.track].get(item.place.index)
            colour = theme.ERROR if item.offset else theme.ACCENT
            pen = QPen(QColor(colour), 1, Qt.PenStyle.DashLine)
            x = item.rect().left()
            link = self.scene_.addLine(x, top + height - 4, x, item.rect().top(), pen)
            link.setZValue(4)
            self.links.append(link)

    def _draw_ruler(self, total: int, rate) -> None:
        fps = int(float(rate))
        step_seconds = next(s for s in (1, 2, 5, 10, 30, 60, 300) if s * fps * self.ppf >= 60)
        pen = QPen(QColor(theme.BORDER))
        for second in range(0, total // fps + 2, step_seconds):
            x = second * fps * self.ppf
            self.scene_.addLine(x, RULER - 8, x, RULER, pen)
            text = self.scene_.addSimpleText(f"{second // 60}:{second % 60:02d}")
            text.setBrush(QColor(theme.MUTED))
            text.setPos(x + 3, 2)

    def thumbnail(self, clip: Clip):
        return self.view.thumbnail_for(clip)

    def set_playhead(self, frame: int) -> None:
        self.playhead = max(0, frame)
        if self._playhead_item is not None:
            x = self.playhead * self.ppf
            line = self._playhead_item.line()
            self._playhead_item.setLine(x, 0, x, line.y2())
        self.playhead_moved.emit(self.playhead)

    # -- geometry ---------------------------------------------------------------------------
    def frame_at(self, x: float) -> int:
        return max(0, int(round(x / self.ppf)))

    def snapped(self, frame: int, ignore: ClipItem | None = None) -> int:
        if not self.snapping:
            return frame
        points = [self.playhead]
        for item in self.items_by_place:
            if item is not ignore:
                points += [item.place.start, item.place.start + item.place.length]
        tolerance = SNAP_PIXELS / self.ppf
        best = min(points, key=lambda p: abs(p - frame), default=frame)
        return best if abs(best - frame) <= tolerance else frame

    # -- mouse ------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:  # noqa: N802
        point = self.mapToScene(event.position().toPoint())
        item = next((i for i in self.scene_.items(point) if isinstance(i, ClipItem)), None)
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        if item is None:
            self.scene_.clearSelection()
            self.set_playhead(self.frame_at(point.x()))
            return None
        rect = item.rect()
        mode = "move"
        if point.x() - rect.left() <= EDGE:
            mode = "start"
        elif rect.right() - point.x() <= EDGE:
            mode = "end"
        self.scene_.clearSelection()
        item.setSelected(True)
        self._drag = (item, mode, point.x())
        return None

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        point = self.mapToScene(event.position().toPoint())
        if self._drag is None:
            item = next((i for i in self.scene_.items(point) if isinstance(i, ClipItem)), None)
            near_edge = (
                item is not None
                and min(abs(point.x() - item.rect().left()), abs(item.rect().right() - point.x()))
                <= EDGE
            )
            self.viewport().setCursor(
                Qt.CursorShape.SizeHorCursor if near_edge else Qt.CursorShape.ArrowCursor
            )
            return
        item, mode, origin = self._drag
        dx = point.x() - origin
        rect = QRectF(item.rect())
        if mode == "move":
            rect.moveLeft(item.place.start * self.ppf + dx)
        elif mode == "start":
            rect.setLeft(min(rect.right() - self.ppf, item.place.start * self.ppf + dx))
        else:
            rect.setRight(
                max(rect.left() + self.ppf, (item.place.start + item.place.length) * self.ppf + dx)
            )
        item.setRect(rect)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if self._drag is None:
            return
        item, mode, origin = self._drag
        self._drag = None
        point = self.mapToScene(event.position().toPoint())
        place = item.place
        delta = self.frame_at(abs(point.x() - origin)) * (1 if point.x() >= origin else -1)
        if mode == "move":
            to = self.snapped(place.start + delta, item)
            if to != place.start:
                self.view.move_clip(place.track, place.index, to)
        elif mode == "start":
            new_start = self.snapped(place.start + delta, item)
            if new_start != place.start:
                self.view.trim(place.track, place.index, new_start - place.start, 0)
        else:
            end = place.start + place.length
            new_end = self.snapped(end + delta, item)
            if new_end != end:
                self.view.trim(place.track, place.index, 0, new_end - end)
        self.view.redraw()

    def wheelEvent(self, event) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.view.zoom(1.25 if event.angleDelta().y() > 0 else 0.8)
        else:
            super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_S:
            self.view.split_at_playhead()
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.view.delete_selected()
        elif event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if event.key() == Qt.Key.Key_Left else 1
            self.set_playhead(self.playhead + step)
        else:
            super().keyPressEvent(event)


def places(timeline: Timeline, track_name: str) -> list[ClipPlace]:
    """Where each clip of a track sits, in frames at the timeline's rate."""
    track = timeline.track(track_name)
    found, start = [], 0
    for index, item in enumerate(track.items):
        length = item.duration.rescaled_to(timeline.rate).value
        if isinstance(item, Clip):
            found.append(ClipPlace(track_name, index, start, length, item))
        if not isinstance(item, Transition):
            start += length
    return found


class TimelineView(QWidget):
    def __init__(self, session: Session, thumbs: ThumbnailCache, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.session = session
        self.thumbs = thumbs
        self.timeline: Timeline | None = None
        self._peaks: dict[int, np.ndarray] = {}
        self._peak_tasks: set[int] = set()  # asset ids whose peaks are being computed
        self._peak_items: dict[int, list[ClipItem]] = {}  # asset id → its sound clips drawn
        self._generation = 0  # bumped when the project changes: late peaks are dropped
        self.dialog: CutPreviewDialog | None = None
        self.canvas = TimelineCanvas(self)
        self.position = QLabel("00:00:00:00")
        self.position.setFont(theme.mono_font(11))
        self.position.setStyleSheet(f"color: {theme.ACCENT};")
        self.canvas.playhead_moved.connect(self._show_position)
        self.snap = QCheckBox("Snap")
        self.snap.setChecked(True)
        self.snap.toggled.connect(lambda on: setattr(self.canvas, "snapping", on))
        self._build()
        self._media: StoreMedia | None = None  # assets read in one go, never again per paint
        self._document: dict | None = None  # the timeline that is drawn, as JSON
        self._dirty = False
        self.redraws = 0  # how many times the tracks were redrawn (tests read it)
        thumbs.ready.connect(lambda _key: self.canvas.viewport().update())
        session.project_changed.connect(self._project_changed)
        session.data_changed.connect(self.refresh)

    def _build(self) -> None:
        bar = QHBoxLayout()
        for text, slot in (
            ("Assemble cut", self.assemble),
            ("Split  S", self.split_at_playhead),
            ("Unlink", self.unlink_selected),
            ("−", lambda: self.zoom(0.8)),
            ("+", lambda: self.zoom(1.25)),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addWidget(self.snap)
        bar.addStretch(1)
        bar.addWidget(self.position)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        self.banner = CutBanner(self.session, self)
        layout.addWidget(self.banner)
        self.lines_notice = LinesNotice(self.session, self)
        layout.addWidget(self.lines_notice)
        layout.addWidget(self.canvas)

    def _show_position(self, frame: int) -> None:
        from ui.views.player import timecode

        fps = int(float(self.timeline.rate)) if self.timeline else 24
        self.position.setText(timecode(frame, fps))

    # -- loading ----------------------------------------------------------------------------
    def _project_changed(self) -> None:
        store = self.session.store
        self._media = StoreMedia(store) if store is not None else None
        self._peaks.clear()
        self._peak_tasks.clear()
        self._generation += 1
        self.reload()

    def reload(self) -> None:
        """Read the stored timeline and draw it."""
        self._dirty = False
        self._show(*self._stored())

    def _stored(self) -> tuple[Timeline | None, dict | None]:
        """The stored cut as loaded (its clips named by the shots' numbers now), and its JSON."""
        store = self.session.store
        timeline = timeline_service.load_timeline(store) if store else None
        return timeline, (timeline.to_json() if timeline else None)

    def _show(self, timeline: Timeline | None, document: dict | None) -> None:
        self.timeline, self._document = timeline, document
        self.redraw()

    def refresh(self) -> None:
        """After a change: redraw only if visible and the stored timeline changed (a hidden
        timeline catches up when it is shown)."""
        if not self.isVisible():
            self._dirty = True
            return
        timeline, document = self._stored()
        if document is None or document != self._document:  # an edit, or a shot renumbered
            self._show(timeline, document)
        self._dirty = False

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def redraw(self) -> None:
        self.redraws += 1
        if self._media is not None and self.timeline is not None:
            self._media.preload(
                item.asset_id
                for track in self.timeline.tracks
                for item in track.items
                if isinstance(item, Clip)
            )
        self.canvas.draw(self.timeline)
        self._attach_peaks()

    def zoom(self, factor: float) -> None:
        self.canvas.ppf = float(min(40.0, max(0.05, self.canvas.ppf * factor)))
        self.redraw()

    def thumbnail_for(self, clip: Clip):
        path = self.media_path(clip.asset_id)
        return self.thumbs.get(path) if path is not None else None

    def media_path(self, asset_id: int | None) -> Path | None:
        """An asset's file, read once (painting never queries the database again)."""
        if self._media is None or asset_id is None:
            return None
        asset = self._media.find(asset_id)
        return self._media.path(asset_id) if asset is not None else None

    def _attach_peaks(self) -> None:
        """Give the sound clips drawn their waveforms: known ones at once, the others computed
        on one worker thread, each shown as soon as it is ready."""
        self._peak_items = {}
        for item in self.canvas.items_by_place:
            asset_id = item.place.clip.asset_id
            if item.kind is TrackKind.VIDEO or asset_id is None:
                continue
            self._peak_items.setdefault(asset_id, []).append(item)
            item.peaks = self._peaks.get(asset_id)
        wanted = [
            (asset_id, path)
            for asset_id in self._peak_items
            if asset_id not in self._peaks and asset_id not in self._peak_tasks
            if (path := self.media_path(asset_id)) is not None
        ]
        if wanted:
            self._peak_tasks.update(asset_id for asset_id, _ in wanted)
            self.session.run(
                _all_peaks,
                wanted,
                self._generation,
                owner=self,
                relays={"ready": self._peaks_ready},
            )

    def _peaks_ready(self, generation: int, asset_id: int, peaks: np.ndarray | None) -> None:
        if generation != self._generation:
            return  # computed for the project shown before
        self._peak_tasks.discard(asset_id)
        if peaks is None:
            return
        self._peaks[asset_id] = peaks
        for item in self._peak_items.get(asset_id, ()):
            item.peaks = peaks
            item.update()

    # -- edits ------------------------------------------------------------------------------
    def assemble(self) -> None:
        if self.session.project is not None:
            self.session.call(timeline_service.assemble, self.session.project)

    def set_music(self, path) -> None:
        """Make `path` the film's music bed, laid under the cut (undoably)."""
        if self.session.project is not None:
            self.session.call(timeline_service.set_music_bed, self.session.project, path)

    def add_effect_at_playhead(self, path) -> None:
        """Place the sound effect `path` where the playhead stands (undoably)."""
        if self.session.project is None or self.timeline is None:
            return
        at = self.canvas.playhead / float(self.timeline.rate)
        self.session.call(timeline_service.add_effect, self.session.project, path, at)

    def preview_cut(self, path) -> CutPreviewDialog | None:
        """Show what an editor's cut would change; Apply imports it."""
        if self.session.project is None:
            return None
        report = self.session.call(cut_import.import_cut, self.session.project, path, dry_run=True)
        if report is None:
            return None
        dialog = CutPreviewDialog(report, self)
        dialog.apply_requested.connect(lambda: self.import_cut(path))
        self.dialog = dialog
        dialog.open()
        return dialog

    def import_cut(self, path) -> cut_import.ImportReport | None:
        """Replace the cut with an editor's (an .otio file), undoably; say what changed."""
        if self.session.project is None:
            return None
        report = self.session.call(cut_import.import_cut, self.session.project, path)
        if report is not None:
            counts = ", ".join(f"{n} {kind}" for kind, n in report.counts().items() if n)
            self.session.notice.emit(f"imported the cut {path.name}: {counts or 'no change'}")
        return report

    def _edit(self, fn, *args) -> LinkedEdit | None:
        """One edit of the cut through the service; the linked lines it had to trim or remove
        are said in the notice over the tracks (and the status bar), never dropped silently."""
        if self.session.project is None:
            return None
        result = self.session.call(fn, self.session.project, *args)
        if isinstance(result, LinkedEdit):
            self.lines_notice.show_changes(result.lines)
        return result

    def trim(self, track: str, index: int, start_delta: int, end_delta: int) -> None:
        self._edit(timeline_service.trim, track, index, start_delta, end_delta)

    def move_clip(self, track: str, index: int, to_frame: int) -> None:
        self._edit(timeline_service.move_clip, track, index, to_frame)

    def split_at_playhead(self) -> None:
        if self.timeline is None:
            return
        selected = [i for i in self.canvas.items_by_place if i.isSelected()]
        track = selected[0].place.track if selected else self.timeline.tracks[0].name
        self._edit(timeline_service.split, track, self.canvas.playhead)

    def delete_selected(self) -> None:
        """Ripple-delete the selected clip (its linked lines go with it, and are said)."""
        selected = [i for i in self.canvas.items_by_place if i.isSelected()]
        if selected:
            place = selected[0].place
            self._edit(timeline_service.ripple_delete, place.track, place.index)


    def unlink_selected(self) -> None:
        """Unlink the selected linked lines from their picture (undoable)."""
        chosen: dict[str, list[int]] = {}
        for item in self.canvas.items_by_place:
            if item.isSelected() and item.place.clip.link is not None:
                chosen.setdefault(item.place.track, []).append(item.place.index)
        for track, indexes in chosen.items():
            self.session.call(timeline_service.unlink_lines, self.session.project, track, indexes)


def _all_peaks(wanted: list, generation: int, ready) -> None:
    """Worker thread: each sound's peaks, handed to `ready` (a relay to the UI thread) one by
    one (a file that cannot be read gets None: its clip is drawn without a waveform)."""
    for asset_id, path in wanted:
        try:
            peaks = waveform_peaks(path)
        except Exception:  # noqa: BLE001 - a damaged sound must not stop the others
            peaks = None
        ready(generation, asset_id, peaks)


def waveform_peaks(path, buckets_per_second: int = 50) -> np.ndarray:
    """Peak levels (0..1) of an audio file, `buckets_per_second` of them (worker thread)."""
    from studio.media.decode import decode_audio

    rate = 8000
    samples = decode_audio(path, rate=rate, channels=1)[:, 0]
    size = max(1, rate // buckets_per_second)
    usable = len(samples) // size * size
    if usable == 0:
        return np.zeros(1, np.float32)
    peaks = np.abs(samples[:usable]).reshape(-1, size).max(axis=1)
    top = float(peaks.max()) or 1.0
    return (peaks / top).astype(np.float32)
