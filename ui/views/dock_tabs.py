"""Tab bars that Qt's dock layout leaves behind.

Tabifying docks in one area while another area already has tabs makes QMainWindow create extra
tab bars that it never places nor hides (Qt 6.12; a plain QMainWindow shows it too): they are
drawn at a stale place over the window, a "Inspector | Takes" strip in the middle of the
storyboard. A tab bar the layout uses sits against the dock of its current tab; the others are
hidden (the layout shows a bar again when it takes it into use)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar

GAP = 4  # px between a dock and its tab bar


def _against(bar: QRect, dock: QRect) -> bool:
    overlaps = bar.left() < dock.right() and dock.left() < bar.right()
    below = abs(bar.top() - dock.bottom()) <= GAP
    above = abs(dock.top() - bar.bottom()) <= GAP
    return overlaps and (below or above)


def stray_tab_bars(window: QMainWindow) -> list[QTabBar]:
    """The window's dock tab bars that are shown but belong to no placed dock."""
    docks = {dock.windowTitle(): dock for dock in window.findChildren(QDockWidget)}
    stray = []
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    for bar in window.findChildren(QTabBar, options=direct):
        if bar.isHidden() or bar.count() == 0:
            continue
        dock = docks.get(bar.tabText(bar.currentIndex()))
        placed = dock is not None and dock.isVisible() and not dock.isFloating()
        if not placed or not _against(bar.geometry(), dock.geometry()):
            stray.append(bar)
    return stray


def hide_stray_tab_bars(window: QMainWindow) -> int:
    """Hide them; how many there were."""
    stray = stray_tab_bars(window)
    for bar in stray:
        bar.hide()
    return len(stray)
