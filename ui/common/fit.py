"""Windows that fit: every dialog at least as wide as its title bar needs, and none larger than
the screen it opens on."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLabel, QMessageBox, QStyle, QWidget

# What a window manager draws beside a title (the icon, three buttons, the margins): more than
# the 50 pixels Qt's message boxes allow for it.
TITLE_BAR_FURNITURE = 110
# The frame and title bar around a window, which the screen must hold too.
FRAME_ROOM = QSize(16, 48)


def title_bar_width(window: QWidget) -> int:
    """The width the title bar needs to show `window`'s title whole, with the program's name
    that the window system adds to it."""
    title = window.windowTitle()
    program = QApplication.applicationDisplayName()
    if program and title != program:
        title = f"{title} — {program}"
    bold = QApplication.font()
    bold.setBold(True)
    return QFontMetrics(bold).horizontalAdvance(title) + TITLE_BAR_FURNITURE


def fit_to_screen(window: QWidget, wanted: QSize) -> None:
    """Resize `window` to `wanted`, or to what its screen holds when that is less."""
    window.resize(wanted.boundedTo(window.screen().availableGeometry().size() - FRAME_ROOM))


def fit_title(dialog: QDialog) -> None:
    """Make `dialog` wide enough to show its title whole, before it is shown: the ones that
    ask (ui.common.plain) and the form dialogs call it as they are made."""
    needed = title_bar_width(dialog)
    if isinstance(dialog, QMessageBox):
        # A message box sets its own fixed size from its layout as it is shown: its text is given
        # the width the title lacks.
        label, layout = dialog.findChild(QLabel, "qt_msgbox_label"), dialog.layout()
        lacking = needed - layout.totalMinimumSize().width() if layout is not None else 0
        if label is not None and lacking > 0:
            label.setMinimumWidth(label.minimumSizeHint().width() + lacking)
    elif isinstance(dialog, QInputDialog):
        # Its layout, made as it is shown, sets its size from its contents: the label takes the width.
        label = dialog.findChild(QLabel)
        if label is not None:
            margins = 2 * dialog.style().pixelMetric(QStyle.PixelMetric.PM_LayoutLeftMargin)
            label.setMinimumWidth(max(label.minimumWidth(), needed - margins))
    else:
        dialog.setMinimumWidth(max(dialog.minimumWidth(), needed))
