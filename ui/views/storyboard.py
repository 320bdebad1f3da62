"""The storyboard: a virtualised grid of shot cards (thousands stay smooth), drag to reorder."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from studio.domain.entities import Shot
from ui import theme
from ui.models.shots import MIME, ShotListModel, seconds_text

CARD = QSize(212, 170)
PICTURE = QSize(200, 112)


class ShotCardDelegate(QStyledItemDelegate):
    """Paints a card: the active keyframe, the shot number, duration, framing, badges."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        return CARD

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        model: ShotListModel = index.model()  # type: ignore[assignment]
        shot: Shot = model.shot_at(index.row())
        rect = option.rect.adjusted(3, 3, -3, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(
            QPen(QColor(theme.ACCENT if selected else theme.BORDER), 2 if selected else 1)
        )
        painter.setBrush(QColor(theme.RAISED if selected else theme.PANEL))
        painter.drawRoundedRect(rect, 6, 6)
        picture = QRect(rect.left() + 3, rect.top() + 3, rect.width() - 6, PICTURE.height())
        self._paint_picture(painter, picture, model.thumbnail_of(shot), shot)
        self._paint_badges(painter, picture, model.badges(shot))
        self._paint_caption(painter, rect, picture, shot)
        painter.restore()

    def _paint_picture(self, painter: QPainter, area: QRect, pixmap, shot: Shot) -> None:
        painter.fillRect(area, QColor("#0e0f11"))
        if pixmap is not None and not pixmap.isNull():
            scaled = pixmap.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(QPoint(0, 0), scaled)
            target.moveCenter(area.center())
            painter.drawPixmap(target, pixmap)
            return
        painter.setPen(QColor(theme.BORDER))
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter, f"{shot.size.value}\nno keyframe")

    def _paint_badges(self, painter: QPainter, area: QRect, badges: list[str]) -> None:
        font = QFont(painter.font())
        font.setPointSizeF(7.5)
        font.setBold(True)
        painter.setFont(font)
        x = area.right() - 4
        for badge in reversed(badges):
            width = painter.fontMetrics().horizontalAdvance(badge.upper()) + 10
            pill = QRect(x - width, area.top() + 4, width, 15)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.BADGES.get(badge, theme.MUTED)))
            painter.drawRoundedRect(pill, 7, 7)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, badge.upper())
            x -= width + 4

    def _paint_caption(self, painter: QPainter, card: QRect, picture: QRect, shot: Shot) -> None:
        line = QRect(card.left() + 8, picture.bottom() + 5, card.width() - 16, 20)
        font = QFont(painter.font())
        font.setPointSizeF(11)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(theme.ACCENT))
        painter.drawText(
            line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shot.number
        )
        font.setPointSizeF(8.5)
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(QColor(theme.TEXT))
        framing = (
            f"{shot.size.value} · {shot.angle.value} · {shot.movement.value.replace('_', ' ')}"
        )
        painter.drawText(
            line.adjusted(34, 0, 0, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            framing,
        )
        painter.setPen(QColor(theme.MUTED))
        painter.drawText(
            line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, seconds_text(shot)
        )
        text = QRect(
            line.left(), line.bottom() + 1, line.width(), card.bottom() - line.bottom() - 4
        )
        elided = painter.fontMetrics().elidedText(
            shot.description, Qt.TextElideMode.ElideRight, text.width()
        )
        painter.drawText(text, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, elided)


class StoryboardView(QListView):
    """The grid. Emits `generate(ids, takes)`, `make_clips(ids)`, `pick(id)` for context actions;
    dropping cards calls the model's `move_rows` (which reorders through the service)."""

    generate = Signal(list, int)
    make_clips = Signal(list)
    pick = Signal(int)
    add_after = Signal(int)  # a new shot after this shot id (numbered 27A after 27)
    renumber = Signal()  # number every shot 1, 2, 3… again

    def __init__(self, model: ShotListModel, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("storyboard")
        self.setModel(model)
        self.setItemDelegate(ShotCardDelegate(self))
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setSpacing(4)
        self.setWrapping(True)
        self.setMovement(QListView.Movement.Snap)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)

    def shot_model(self) -> ShotListModel:
        return self.model()  # type: ignore[return-value]

    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes())
        return [self.shot_model().shot_at(r).id for r in rows]

    # -- drag and drop ----------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        if event.source() is not self or not event.mimeData().hasFormat(MIME):
            return
        self.move_selection_to(self.drop_row(event.position().toPoint()))
        event.setDropAction(Qt.DropAction.IgnoreAction)  # the model was reordered already
        event.accept()

    def drop_row(self, point: QPoint) -> int:
        """The row a drop at `point` lands before (after the card's middle: the next row)."""
        index = self.indexAt(point)
        if not index.isValid():
            return self.model().rowCount()
        rect = self.visualRect(index)
        return index.row() + (1 if point.x() > rect.center().x() else 0)

    def move_selection_to(self, row: int) -> list[int]:
        rows = [i.row() for i in self.selectionModel().selectedIndexes()]
        return self.shot_model().move_rows(rows, row) if rows else []

    # -- context menu -----------------------------------------------------------------------
    def contextMenuEvent(self, event) -> None:  # noqa: N802
        menu = self.context_menu()
        if menu is not None:
            menu.exec(event.globalPos())

    def context_menu(self) -> QMenu | None:
        ids = self.selected_ids()
        if not ids:
            return None
        menu = QMenu(self)
        for n in (1, 2, 4):
            action = QAction(f"Generate {n} keyframe take{'s' if n > 1 else ''}", menu)
            action.triggered.connect(lambda _=False, n=n: self.generate.emit(ids, n))
            menu.addAction(action)
        clip = QAction("Make clip from the picked keyframe", menu)
        clip.triggered.connect(lambda: self.make_clips.emit(ids))
        menu.addAction(clip)
        pick = QAction("Pick a take…", menu)
        pick.triggered.connect(lambda: self.pick.emit(ids[0]))
        menu.addAction(pick)
        menu.addSeparator()
        add = QAction("Add a shot after this one", menu)
        add.triggered.connect(lambda: self.add_after.emit(ids[-1]))
        menu.addAction(add)
        renumber = QAction("Renumber all shots 1, 2, 3…", menu)
        renumber.triggered.connect(self.renumber.emit)
        menu.addAction(renumber)
        return menu
