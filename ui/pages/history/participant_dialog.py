"""One person's attendance across all their groups: figures, milestones, a chart and the timeline."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QVBoxLayout,
    QWidget,
)

from facilitator.dates import medium_date, short_day
from facilitator.plurals import plural
from facilitator.rules.history import ParticipantHistory, TimelineEntry
from ui.common.fit import fit_to_screen
from ui.common.plain import plain_label, window_title
from ui.common.roll_model import STATUS_TEXT
from ui.common.table_model import SnapshotTableModel
from ui.common.widgets import named, table_view
from ui.pages.history.month_chart import QtMonthChart

Index = QModelIndex | QPersistentModelIndex


class TimelineModel(SnapshotTableModel[TimelineEntry]):
    columns = ("Date", "Group", "Attendance")

    def cell(self, entry: TimelineEntry, row_number: int, column: int, role: int) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        status = STATUS_TEXT[entry.status] if entry.status else "Absent"
        return (short_day(entry.started_at.date()), entry.group_name, status)[column]


def _figure(value: str, caption: str) -> QWidget:
    tile = named(QWidget(), "figureTile")
    layout = QVBoxLayout(tile)
    layout.addWidget(plain_label(value, object_name="figureValue"))
    layout.addWidget(plain_label(caption, object_name="figureCaption"))
    return tile


class QtParticipantDialog(QDialog):
    def __init__(self, history: ParticipantHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("participantDialog")
        self.setWindowTitle(f"{window_title(history.display_name)} — Attendance")
        title = plain_label(history.display_name, object_name="pageTitle")
        groups = plain_label("Groups: " + (", ".join(history.groups) or "none now"))
        groups.setWordWrap(True)
        rate = history.attendance_rate
        last = history.last_seen_at
        figures = QGridLayout()
        self.figures = [
            _figure(str(history.meetings_attended), "meetings attended"),
            _figure(f"{rate:.0%}" if rate is not None else "—", "of their groups' meetings"),
            _figure(medium_date(last.date()) if last else "Not yet", "last seen"),
        ]
        for column, tile in enumerate(self.figures):
            figures.addWidget(tile, 0, column)
            figures.setColumnStretch(column, 1)
        # Shown only once there is one: "none yet" would invite comparing people.
        reached = ", ".join(str(mark) for mark in history.milestones)
        upcoming = f"next: {history.next_milestone}" if history.next_milestone else "every milestone reached"
        self.milestones = plain_label(
            f"Milestones: {reached} {plural(history.milestones[-1], 'meeting')} ({upcoming})" if reached else "",
            object_name="milestones",
        )
        self.milestones.setVisible(bool(reached))
        self.chart = QtMonthChart()
        self.chart.set_months(history.monthly)
        timeline = TimelineModel(self)
        timeline.set_rows(history.timeline)
        self.timeline = table_view("timeline", "Attendance timeline, newest first", timeline, stretch=1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(groups)
        layout.addLayout(figures)
        layout.addWidget(self.milestones)
        layout.addWidget(plain_label("Meetings attended per month", object_name="sectionTitle"))
        layout.addWidget(self.chart)
        layout.addWidget(self.timeline, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(640, 720))
