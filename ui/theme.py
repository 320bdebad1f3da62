"""A dark, quiet theme for long sessions in a dim room: a QPalette and a style sheet.

Neutral greys keep the pictures the brightest thing on screen; one warm accent (amber) marks what
is selected or playing, as in colour-grading and editing suites.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from studio.domain.timeline import TrackKind

WINDOW = "#1b1c1f"
PANEL = "#232428"
BASE = "#16171a"
RAISED = "#2c2e33"
BORDER = "#36383e"
TEXT = "#d8dadf"
MUTED = "#8b8f98"
ACCENT = "#f0a23b"
ACCENT_DARK = "#8a5a1a"
SELECT = "#3a6fb0"
ERROR = "#c9413a"  # what is wrong: a failed job, a line out of sync with its picture

BADGES = {
    "stale": "#d98c1f",
    "out of date": "#b5651d",
    "queued": "#5d6b82",
    "running": "#2f7fd0",
    "failed": ERROR,
    "picked": "#3f9b5c",
}

TRACK_COLOURS = {
    TrackKind.VIDEO: "#3d6e9e",
    TrackKind.DIALOGUE: "#3f8a5c",
    TrackKind.MUSIC: "#7c5aa6",
    TrackKind.SFX: "#9a6a34",
}

STYLE_SHEET = f"""
QWidget {{ color: {TEXT}; font-size: 10pt; }}
QMainWindow, QDialog {{ background: {WINDOW}; }}
QMainWindow::separator {{ background: {WINDOW}; width: 4px; height: 4px; }}
QDockWidget {{ titlebar-close-icon: none; color: {MUTED}; }}
QDockWidget::title {{
    background: {PANEL}; padding: 5px 8px; border-bottom: 1px solid {BORDER};
    text-transform: uppercase; font-weight: 600; letter-spacing: 1px;
}}
QMenuBar {{ background: {WINDOW}; border-bottom: 1px solid {BORDER}; }}
QMenuBar::item:selected, QMenu::item:selected {{ background: {SELECT}; }}
QMenu {{ background: {PANEL}; border: 1px solid {BORDER}; }}
QToolBar {{ background: {PANEL}; border: none; border-bottom: 1px solid {BORDER}; spacing: 4px;
    padding: 3px; }}
QToolButton {{ padding: 4px 8px; border-radius: 4px; }}
QToolButton:hover {{ background: {RAISED}; }}
QToolButton:checked {{ background: {ACCENT_DARK}; }}
QToolButton:disabled {{ color: {MUTED}; }}
QPushButton {{
    background: {RAISED}; border: 1px solid {BORDER}; border-radius: 4px; padding: 5px 12px;
}}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:pressed {{ background: {BORDER}; }}
QPushButton:disabled {{ color: {MUTED}; border-color: {RAISED}; }}
QPushButton#primary {{ background: {ACCENT}; color: #1b1c1f; border: none; font-weight: 600; }}
QLineEdit, QPlainTextEdit, QTextEdit, QSpinBox, QDoubleSpinBox, QComboBox {{
    background: {BASE}; border: 1px solid {BORDER}; border-radius: 4px; padding: 3px 5px;
    selection-background-color: {SELECT};
}}
QLineEdit:focus, QPlainTextEdit:focus, QSpinBox:focus, QDoubleSpinBox:focus, QComboBox:focus {{
    border-color: {ACCENT};
}}
QComboBox QAbstractItemView {{ background: {PANEL}; border: 1px solid {BORDER}; }}
QListView, QTreeView, QTableView, QListWidget, QTreeWidget, QTableWidget {{
    background: {BASE}; border: none; alternate-background-color: #1c1d21;
    selection-background-color: {SELECT}; outline: none;
}}
QHeaderView::section {{
    background: {PANEL}; color: {MUTED}; border: none; border-right: 1px solid {BORDER};
    padding: 4px 6px;
}}
QTabBar::tab {{ background: {PANEL}; color: {MUTED}; padding: 5px 12px; border: none; }}
QTabBar::tab:selected {{ color: {TEXT}; border-bottom: 2px solid {ACCENT}; }}
QProgressBar {{
    background: {BASE}; border: 1px solid {BORDER}; border-radius: 3px; text-align: center;
    height: 14px;
}}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 2px; }}
QScrollBar:vertical, QScrollBar:horizontal {{ background: {WINDOW}; width: 10px; height: 10px; }}
QScrollBar::handle {{
    background: {RAISED}; border-radius: 4px; min-height: 24px; min-width: 24px;
}}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QStatusBar {{ background: {PANEL}; color: {MUTED}; border-top: 1px solid {BORDER}; }}
QLabel#heading {{ font-size: 13pt; font-weight: 600; }}
QLabel#muted {{ color: {MUTED}; }}
QFrame#notice {{ background: #3a2d16; border: 1px solid {ACCENT_DARK}; border-radius: 4px; }}
QGroupBox {{ border: 1px solid {BORDER}; border-radius: 4px; margin-top: 14px; padding-top: 6px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; color: {MUTED}; }}
QToolTip {{ background: {PANEL}; color: {TEXT}; border: 1px solid {BORDER}; padding: 6px; }}
"""


def palette() -> QPalette:
    """The dark palette that widgets without a style-sheet rule fall back on."""
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: WINDOW,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: BASE,
        QPalette.ColorRole.AlternateBase: PANEL,
        QPalette.ColorRole.ToolTipBase: PANEL,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: RAISED,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.BrightText: ACCENT,
        QPalette.ColorRole.Highlight: SELECT,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: MUTED,
        QPalette.ColorRole.Link: ACCENT,
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(MUTED))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(MUTED))
    return p


def apply(app: QApplication) -> None:
    """Give the whole application the studio's look."""
    app.setStyle("Fusion")
    app.setPalette(palette())
    app.setStyleSheet(STYLE_SHEET)
    font = QFont(app.font())
    font.setPointSizeF(10)
    app.setFont(font)


def mono_font(size: float = 11) -> QFont:
    """Courier for screenplays and reports (the page-a-minute rule assumes it)."""
    font = QFont("Courier Prime")
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setFamilies(["Courier Prime", "Courier New", "Courier", "DejaVu Sans Mono", "monospace"])
    font.setPointSizeF(size)
    return font
