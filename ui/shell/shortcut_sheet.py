"""The sheet of keyboard shortcuts (F1): every key, its sections side by side in as many columns
as the screen holds, and never taller than the screen (it scrolls when it must)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from ui.common.fit import FRAME_ROOM, fit_to_screen
from ui.common.plain import plain_label

COLUMN_GAP = 32


class QtShortcutSheet(QDialog):
    def __init__(self, sheet: str, parent: QWidget | None = None) -> None:
        """`sheet`: sections of plain text lines, one blank line between sections."""
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle("Keyboard Shortcuts")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        metrics = QFontMetrics(font)
        sections = sheet.split("\n\n")
        column_width = max(metrics.horizontalAdvance(line) for line in sheet.splitlines()) + COLUMN_GAP
        room = self.screen().availableGeometry().size() - FRAME_ROOM
        count = max(1, min(len(sections), room.width() // column_width))
        columns = QWidget()
        row = QHBoxLayout(columns)
        row.setSpacing(COLUMN_GAP)
        for text in _balanced(sections, count):
            label = plain_label(text)
            label.setFont(font)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row.addWidget(label)
        scroll = QScrollArea()
        scroll.setWidget(columns)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        content = columns.sizeHint()
        bar = scroll.verticalScrollBar().sizeHint().width()
        margins = layout.contentsMargins()
        fit_to_screen(
            self,
            QSize(
                content.width() + bar + margins.left() + margins.right(),
                content.height() + buttons.sizeHint().height() + layout.spacing() + margins.top() + margins.bottom(),
            ),
        )


def _balanced(sections: list[str], count: int) -> list[str]:
    """The sections, in order, in `count` columns of about the same number of lines."""
    per_column = -(-sum(section.count("\n") + 2 for section in sections) // count)
    columns: list[list[str]] = [[]]
    lines = 0
    for section in sections:
        size = section.count("\n") + 2
        if columns[-1] and lines + size > per_column and len(columns) < count:
            columns.append([])
            lines = 0
        columns[-1].append(section)
        lines += size
    return ["\n\n".join(column) for column in columns]
