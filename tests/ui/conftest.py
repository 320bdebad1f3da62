"""UI tests run offscreen, with QSettings and the model library pointed into tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from studio.generation.backends.base import registry  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "projects" / "sample" / "script.fountain"
# Screenshots go to build/screenshots (ignored by git); `make screenshots` sets
# STUDIO_SCREENSHOTS=docs/screenshots to redraw the README's.
SCREENSHOTS = ROOT / os.environ.get("STUDIO_SCREENSHOTS", "build/screenshots")

registry.register_lazy("fake", "tests.ui.fake_backend:FakeBackend")


@pytest.fixture
def settings_dir(tmp_path, monkeypatch):
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "studio-home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-hf-cache"))
    return folder


@pytest.fixture
def window(qtbot, settings_dir, tmp_path):
    from ui.app import create_window

    win = create_window(executor="inline", model_home=tmp_path / "studio-home")
    qtbot.addWidget(win)
    win.show()
    yield win
    win.session.close_project()


def screenshot(widget, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path
