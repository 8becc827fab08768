"""A small bar chart of meetings attended per month, drawn with QPainter; the year stands under
the first month and under each January."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from facilitator.dates import MONTHS, month_year

BAR_COLOUR = QColor("#2f6f73")


class QtMonthChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monthChart")
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._months: tuple[tuple[date, int], ...] = ()

    def set_months(self, months: tuple[tuple[date, int], ...]) -> None:
        self._months = months
        total = sum(count for _, count in months)
        self.setAccessibleName("Meetings attended per month")
        self.setAccessibleDescription(
            f"{total} meetings in the last {len(months)} months: "
            + ", ".join(f"{month_year(month)} {count}" for month, count in months)
        )
        self.setToolTip(self.accessibleDescription())
        self.update()

    def month_labels(self) -> list[str]:
        """What stands under each bar: the month, and the year where a new one begins."""
        labels = []
        for position, (month, _count) in enumerate(self._months):
            name = MONTHS[month.month - 1][:3]
            labels.append(f"{name}\n{month.year}" if position == 0 or month.month == 1 else name)
        return labels

    def sizeHint(self) -> QSize:
        return QSize(480, 160)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._months:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        metrics = painter.fontMetrics()
        label_height = 2 * metrics.height() + 4  # the month, and under it the year where it changes
        top_space = metrics.height() + 2
        plot = QRectF(4, top_space, self.width() - 8, self.height() - label_height - top_space)
        peak = max(max(count for _, count in self._months), 1)
        slot = plot.width() / len(self._months)
        bar_width = slot * 0.6
        for position, ((_month, count), text) in enumerate(zip(self._months, self.month_labels(), strict=True)):
            left = plot.left() + position * slot + (slot - bar_width) / 2
            height = plot.height() * count / peak
            painter.fillRect(QRectF(left, plot.bottom() - height, bar_width, height), BAR_COLOUR)
            painter.setPen(text_colour)
            label = QRectF(plot.left() + position * slot, plot.bottom() + 2, slot, label_height)
            painter.drawText(label, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)
            if count:
                value = QRectF(left - 10, plot.bottom() - height - top_space, bar_width + 20, top_space)
                painter.drawText(value, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, str(count))
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.end()
