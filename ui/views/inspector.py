"""The inspector: the selected shot's fields, edited in place; every edit is one undoable step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.domain.entities import Angle, Move, Shot, ShotSize
from studio.domain.events import TakeMade
from studio.services import shots as shot_service
from ui.session import Session


class CommitTextEdit(QPlainTextEdit):
    """A text box that reports its text when it loses focus (or on Ctrl+Enter)."""

    committed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)  # Tab moves on to the next field; a prompt has no tabs

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.committed.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.committed.emit()
            return
        super().keyPressEvent(event)


def _combo(values: list[tuple[str, str]]) -> QComboBox:
    box = QComboBox()
    for label, value in values:
        box.addItem(label, value)
    return box


KEYFRAME_CAPABILITIES = ("text-to-image", "image-to-image")


def model_choices(home: Path | None) -> list[tuple[str, str]]:
    """(label, model id) for every model of the library that can make a keyframe; one whose
    folder vanished says so."""
    from studio.generation.models import ModelLibrary

    choices = []
    for entry in ModelLibrary(home).list():
        if entry.usable and set(entry.capabilities) & set(KEYFRAME_CAPABILITIES):
            gone = " — folder missing" if entry.missing else ""
            choices.append((f"{entry.name} ({entry.pipeline_class or entry.kind}){gone}", entry.id))
    return choices


class Inspector(QWidget):
    """Shows `session.current_shot()`; `commit(name)` sends one field through `set_shot`.
    The model chooser lists the model library (`model_home`: where it is kept)."""

    def __init__(
        self,
        session: Session,
        backends: list[str],
        parent=None,
        model_home: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("inspector")
        self.session = session
        self.model_home = model_home
        self.shot: Shot | None = None
        self._loading = False
        self.heading = QLabel("No shot selected", objectName="heading")
        self.scene = QLabel("", objectName="muted")
        self.scene.setWordWrap(True)
        self.fields: dict[str, QWidget] = {
            "size": _combo(
                [(f"{m.value}  {m.name.replace('_', ' ').lower()}", m.value) for m in ShotSize]
            ),
            "angle": _combo([(m.value, m.value) for m in Angle]),
            "move": _combo([(m.value.replace("_", " "), m.value) for m in Move]),
            "lens": QSpinBox(minimum=8, maximum=300, suffix=" mm"),
            "duration": QDoubleSpinBox(
                minimum=0.1, maximum=600, decimals=2, suffix=" s", singleStep=0.5
            ),
            "prompt": CommitTextEdit(),
            "negative_prompt": CommitTextEdit(),
            "seed": QSpinBox(minimum=0, maximum=2_000_000_000),
            "keyframe_backend": _combo([("project default", "")] + [(b, b) for b in backends]),
            "model": QComboBox(),
        }
        self.fill_models()
        self._build()
        self._connect()
        session.shot_selected.connect(lambda _id: self.load())
        session.data_changed.connect(self.load)
        session.project_changed.connect(self.load)
        session.take_made.connect(self._take_made)
        self.loads = 0  # how many times the fields were reloaded (tests read it)
        self.load()

    def _build(self) -> None:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        labels = {
            "size": "Size",
            "angle": "Angle",
            "move": "Move",
            "lens": "Lens",
            "duration": "Duration",
            "prompt": "Prompt",
            "negative_prompt": "Negative",
            "seed": "Seed (0: auto)",
            "keyframe_backend": "Backend",
            "model": "Model",
        }
        for name, widget in self.fields.items():
            if isinstance(widget, QPlainTextEdit):
                widget.setMinimumHeight(48)  # two lines stay readable in a short dock
                widget.setMaximumHeight(72)
            form.addRow(labels[name], widget)
        self.form = QWidget()  # hidden without a shot: no invented values on show
        self.form.setLayout(form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.scene)
        layout.addWidget(self.form)
        layout.addStretch(1)

    def fill_models(self) -> None:
        """(Re)list the model library in the model chooser, keeping the shot's choice."""
        box: QComboBox = self.fields["model"]  # type: ignore[assignment]
        self._loading = True
        try:
            box.clear()
            box.addItem("the backend's own", "")
            for label, model_id in model_choices(self.model_home):
                box.addItem(label, model_id)
            if self.shot is not None:
                self._choose_model(self.shot.model)
        finally:
            self._loading = False

    def _choose_model(self, value: str) -> None:
        """Select `value`; a model that is not in the library (a path typed in the CLI, a
        model removed since) is listed as such rather than shown as another one."""
        box: QComboBox = self.fields["model"]  # type: ignore[assignment]
        if value and box.findData(value) < 0:
            box.addItem(f"{value} (not in the model library)", value)
        box.setCurrentIndex(max(0, box.findData(value)))

    def _connect(self) -> None:
        for name, widget in self.fields.items():
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(lambda _i, n=name: self.commit(n))
            elif isinstance(widget, CommitTextEdit):
                widget.committed.connect(lambda n=name: self.commit(n))
            else:
                widget.editingFinished.connect(lambda n=name: self.commit(n))

    # -- showing ----------------------------------------------------------------------------
    def _take_made(self, event: TakeMade) -> None:
        if self.shot is not None and event.owner_id == self.shot.id and event.kind != "voice":
            self.load()

    def load(self) -> None:
        self.loads += 1
        self.shot = self.session.current_shot()
        self.setEnabled(self.shot is not None)
        self.form.setVisible(self.shot is not None)
        if self.shot is None:
            self.heading.setText("No shot selected")
            self.scene.setText("Pick a shot on the storyboard to see and edit it here.")
            return
        shot = self.shot
        store = self.session.store
        scene = store.scenes.find(shot.scene_id)
        self.heading.setText(f"Shot {shot.number}")
        self.scene.setText(f"{scene.heading if scene else ''}\n{shot.description}")
        self._loading = True
        try:
            self._choose_model(shot.model)
            for name, value in self._values(shot).items():
                self._set_widget(self.fields[name], value)
        finally:
            self._loading = False

    @staticmethod
    def _values(shot: Shot) -> dict[str, Any]:
        return {
            "size": shot.size.value,
            "angle": shot.angle.value,
            "move": shot.movement.value,
            "lens": shot.lens,
            "duration": round(float(shot.duration.seconds), 2),
            "prompt": shot.prompt,
            "negative_prompt": shot.negative_prompt,
            "seed": shot.seed,
            "keyframe_backend": shot.keyframe_backend,
            "model": shot.model,
        }

    @staticmethod
    def _set_widget(widget: QWidget, value: Any) -> None:
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(value)))
        elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
            widget.setValue(value)
        elif isinstance(widget, QPlainTextEdit):
            if widget.toPlainText() != value:
                widget.setPlainText(value)
        elif isinstance(widget, QLineEdit):
            widget.setText(value)

    def value_of(self, name: str) -> Any:
        widget = self.fields[name]
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
            return widget.value()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        return widget.text()

    # -- editing ----------------------------------------------------------------------------
    def commit(self, name: str) -> None:
        """Send the field `name` to `set_shot` if it differs from the shot's value."""
        if self._loading or self.shot is None or self.session.project is None:
            return
        value = self.value_of(name)
        if self._values(self.shot)[name] == value:
            return
        if name == "duration":
            value = f"{value:.2f}"
        self.session.call(
            shot_service.set_shot, self.session.project, self.shot.number, **{name: value}
        )
