"""The take picker: every take of a shot side by side, A/B compare, rate 1–5, Enter to pick."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QKeyEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.domain.entities import TakeKind
from studio.domain.events import TakeMade
from studio.services import generation
from ui import theme
from ui.models.takes import TakeListModel, recipe_text
from ui.session import Session

CARD = QSize(196, 140)  # one take: its picture (16:9 at the card's width), number and stars
TEXT_LINE = 20


class TakeDelegate(QStyledItemDelegate):
    def sizeHint(self, option, index: QModelIndex) -> QSize:  # noqa: N802
        return CARD

    def paint(self, painter: QPainter, option, index: QModelIndex) -> None:
        model: TakeListModel = index.model()  # type: ignore[assignment]
        row = index.row()
        take = model.take_at(row)
        rect = option.rect.adjusted(4, 4, -4, -4)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(
            QPen(QColor(theme.ACCENT if selected else theme.BORDER), 2 if selected else 1)
        )
        painter.setBrush(QColor(theme.PANEL))
        painter.drawRoundedRect(rect, 6, 6)
        picture = QRect(
            rect.left() + 4, rect.top() + 4, rect.width() - 8, rect.height() - TEXT_LINE - 14
        )
        painter.fillRect(picture, QColor("#0e0f11"))
        pixmap = model.thumbnail_at(row)
        if pixmap is not None:
            size = pixmap.size().scaled(picture.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(QPoint(0, 0), size)
            target.moveCenter(picture.center())
            painter.drawPixmap(target, pixmap)
        if model.is_picked(row):
            pill = QRect(picture.left() + 6, picture.top() + 6, 58, 16)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.BADGES["picked"]))
            painter.drawRoundedRect(pill, 8, 8)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, "PICKED")
        line = QRect(rect.left() + 8, picture.bottom() + 6, rect.width() - 16, TEXT_LINE)
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(theme.TEXT))
        painter.drawText(line, Qt.AlignmentFlag.AlignLeft, f"Take {row + 1}")
        painter.setPen(QColor(theme.ACCENT))
        stars = "★" * take.rating + "☆" * (5 - take.rating)
        painter.drawText(line, Qt.AlignmentFlag.AlignRight, stars)
        painter.restore()


class TakeStrip(QListView):
    """The row of takes; 1–5 rate the current one, Enter picks it, arrows move."""

    def __init__(self, picker: TakePicker) -> None:
        super().__init__(picker)
        self.picker = picker
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setItemDelegate(TakeDelegate(self))
        self.setSpacing(2)
        # always room for a whole card (picture, number, stars) and the scroll bar under it,
        # however short the dock: the comparison below gives way instead
        scrollbar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        frame = 2 * self.frameWidth()
        self.setMinimumHeight(CARD.height() + 4 * self.spacing() + scrollbar + frame)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_5:
            self.picker.rate_current(key - Qt.Key.Key_0)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.picker.pick_current()
        else:
            super().keyPressEvent(event)


class TakePicker(QWidget):
    def __init__(self, session: Session, model: TakeListModel, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("take_picker")
        self.session = session
        self.model = model
        self.title = QLabel("No shot selected", objectName="heading")
        self.kind = QComboBox()
        self.kind.addItem("Keyframes", TakeKind.KEYFRAME)
        self.kind.addItem("Clips", TakeKind.CLIP)
        self.kind.currentIndexChanged.connect(lambda _: self.reload())
        self.strip = TakeStrip(self)
        self.strip.setModel(model)
        self.strip.selectionModel().currentChanged.connect(self._current_changed)
        self.a_view, self.b_view = QLabel("A"), QLabel("B")
        for label in (self.a_view, self.b_view):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setMinimumSize(112, 63)
            label.setStyleSheet(f"background: #0e0f11; color: {theme.MUTED};")
        self.a_take = None
        self.recipe = QPlainTextEdit(readOnly=True)
        self.recipe.setFont(theme.mono_font(9))
        self._build()
        self.reloads = 0  # how many times the strip was reloaded (tests read it)
        self._loading: dict[QLabel, int] = {}  # label → id of the take whose picture loads
        session.shot_selected.connect(lambda _id: self.reload())
        session.data_changed.connect(self.reload)
        session.project_changed.connect(self.reload)
        session.take_made.connect(self._take_made)

    def _build(self) -> None:
        pin = QPushButton("Set as A")
        pin.clicked.connect(self.pin_a)
        pick = QPushButton("Pick  ⏎", objectName="primary")
        pick.clicked.connect(self.pick_current)
        rerun = QPushButton("Re-run recipe")
        rerun.clicked.connect(self.rerun_current)
        heading = QHBoxLayout()  # two rows: the picker fits a narrow dock beside the grid
        heading.addWidget(self.title, 1)
        heading.addWidget(self.kind)
        bar = QHBoxLayout()
        bar.addStretch(1)
        for widget in (pin, rerun, pick):
            bar.addWidget(widget)
        compare = QSplitter()
        compare.addWidget(self.a_view)
        compare.addWidget(self.b_view)
        self.details = QTabWidget()  # one at a time: a short dock keeps the strip whole
        self.details.setDocumentMode(True)
        self.details.addTab(compare, "Compare A / B")
        self.details.addTab(self.recipe, "Recipe")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(heading)
        layout.addLayout(bar)
        layout.addWidget(self.strip)
        layout.addWidget(self.details, 1)

    # -- showing ----------------------------------------------------------------------------
    def _take_made(self, event: TakeMade) -> None:
        """Reload only when the new take belongs to the shot and kind shown."""
        shot = self.model.shot
        if (
            shot is not None
            and event.owner_id == shot.id
            and event.kind == TakeKind(self.model.kind).value
        ):
            self.reload()

    def reload(self) -> None:
        self.reloads += 1
        shot = self.session.current_shot()
        current = self.current_take()
        self.model.show(self.session.store, shot, self.kind.currentData())
        if shot is None:
            self.title.setText("No shot selected")
            return
        self.title.setText(f"Shot {shot.number} — {self.model.rowCount()} takes")
        row = 0
        for r in range(self.model.rowCount()):
            take = self.model.take_at(r)
            if (current is not None and take.id == current.id) or (
                current is None and take.id == self.model.picked_id()
            ):
                row = r
        if self.model.rowCount():
            self.strip.setCurrentIndex(self.model.index(row))

    def current_take(self):
        index = self.strip.currentIndex()
        return self.model.take_at(index.row()) if index.isValid() else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        take = self.current_take()
        self.recipe.setPlainText(recipe_text(take) if take else "")
        self._show(self.b_view, take, "B")

    def _show(self, label: QLabel, take, letter: str) -> None:
        """Show a take's picture in `label`, read and scaled on a worker thread."""
        path = self.model.path_of(take) if take else None
        label.setPixmap(QPixmap())
        label.setText(letter)
        if path is None:
            self._loading.pop(label, None)
            return
        self._loading[label] = take.id
        self.session.run(
            scaled_image,
            path,
            label.size(),
            owner=self,
            on_done=lambda image, lb=label, t=take.id: self._picture_ready(lb, t, image),
        )

    def _picture_ready(self, label: QLabel, take_id: int, image: QImage) -> None:
        if self._loading.get(label) != take_id:
            return  # another take was chosen meanwhile
        del self._loading[label]
        if not image.isNull():
            label.setPixmap(QPixmap.fromImage(image))

    def pin_a(self) -> None:
        self.a_take = self.current_take()
        self._show(self.a_view, self.a_take, "A")

    # -- acting -----------------------------------------------------------------------------
    def rate_current(self, stars: int) -> None:
        take = self.current_take()
        if take is not None and self.session.project is not None:
            self.session.call(generation.rate_take, self.session.project, take.id, stars)

    def pick_current(self) -> None:
        take = self.current_take()
        if take is not None and self.session.project is not None:
            self.session.call(generation.pick_take, self.session.project, take.id)

    def rerun_current(self) -> None:
        take = self.current_take()
        if take is not None and self.session.project is not None:
            if self.session.call(generation.rerun_take, self.session.project, take.id):
                self.session.run_queue()


def scaled_image(path, size: QSize) -> QImage:
    """An image file read and scaled to fit `size` (on a worker thread: never the UI's)."""
    image = QImage(str(path))
    if image.isNull() or not size.isValid():
        return image
    return image.scaled(
        size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
