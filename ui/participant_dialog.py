"""One person's attendance across all their groups: figures, milestones, a chart and the timeline."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from facilitator.dates import local
from facilitator.history import ParticipantHistory, TimelineEntry
from ui.month_chart import QtMonthChart
from ui.plain import plain_label
from ui.roll_model import STATUS_TEXT

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Date", "Group", "Attendance")


class TimelineModel(QAbstractTableModel):
    def __init__(self, entries: tuple[TimelineEntry, ...], parent: object = None) -> None:
        super().__init__(parent)
        self._entries = entries

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid() or index.row() >= len(self._entries):
            return None
        entry = self._entries[index.row()]
        status = STATUS_TEXT[entry.status] if entry.status else "Absent"
        return (f"{local(entry.started_at):%a %d %b %Y}", entry.group_name, status)[index.column()]


def _figure(value: str, caption: str) -> QWidget:
    tile = QWidget(objectName="figureTile")
    layout = QVBoxLayout(tile)
    layout.addWidget(plain_label(value, object_name="figureValue"))
    layout.addWidget(plain_label(caption, object_name="figureCaption"))
    return tile


class QtParticipantDialog(QDialog):
    def __init__(self, history: ParticipantHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("participantDialog")
        self.setWindowTitle(f"{history.display_name.replace('[*]', '[*][*]')} — Attendance")
        title = plain_label(history.display_name, object_name="pageTitle")
        groups = plain_label("Groups: " + (", ".join(history.groups) or "none now"))
        groups.setWordWrap(True)
        rate = history.attendance_rate
        last = history.last_seen_at
        figures = QGridLayout()
        self.figures = [
            _figure(str(history.meetings_attended), "meetings attended"),
            _figure(f"{rate:.0%}" if rate is not None else "—", "of their groups' meetings"),
            _figure(f"{local(last):%d %b %Y}" if last else "Not yet", "last seen"),
        ]
        for column, tile in enumerate(self.figures):
            figures.addWidget(tile, 0, column)
            figures.setColumnStretch(column, 1)
        reached = ", ".join(str(mark) for mark in history.milestones)
        upcoming = f"next: {history.next_milestone}" if history.next_milestone else "every milestone reached"
        self.milestones = plain_label(
            f"Milestones: {reached} meetings ({upcoming})" if reached else f"Milestones: none yet ({upcoming})",
            object_name="milestones",
        )
        self.chart = QtMonthChart()
        self.chart.set_months(history.monthly)
        self.timeline = QTableView(objectName="timeline")
        self.timeline.setModel(TimelineModel(history.timeline, self))
        self.timeline.setAccessibleName("Attendance timeline, newest first")
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.verticalHeader().hide()
        self.timeline.setShowGrid(False)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
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
        self.resize(640, 720)
