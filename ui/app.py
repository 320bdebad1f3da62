"""The composition root: `studio-app [PATH]` builds the application, the session and the main
window, and opens a project folder when one is given."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from ui import theme
from ui.refcount_guard import protect_singletons
from ui.session import Session
from ui.views.main_window import MainWindow

ORGANISATION = "Microfilm Studio"
APPLICATION = "studio"
ICON = Path(__file__).resolve().parent.parent / "packaging" / "microfilm-studio.svg"


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (made once), with the studio's names, icon and theme."""
    protect_singletons()
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv or sys.argv[:1]))
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Microfilm Studio")
    if ICON.is_file():
        app.setWindowIcon(QIcon(str(ICON)))
    theme.apply(app)
    return app  # type: ignore[return-value]


def settings() -> QSettings:
    """Where window layouts are kept (an INI file in the user's config folder)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


def create_window(
    path: Path | None = None, executor: str = "local", model_home: Path | None = None
) -> MainWindow:
    """A main window on a new session, opening the project at `path` if given."""
    app = application()
    window = MainWindow(Session(executor), settings(), model_home)
    app.aboutToQuit.connect(window.session.shutdown)  # nothing of ours runs past the app
    if path is not None:
        window.open_project(Path(path))
    return window


def main(argv: list[str] | None = None) -> int:
    """Run the studio: `studio-app [PROJECT_FOLDER]`."""
    args = list(sys.argv[1:] if argv is None else argv)
    app = application([sys.argv[0], *args])
    folder = next((a for a in args if not a.startswith("-")), None)
    window = create_window(Path(folder) if folder else None)
    window.show()
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
