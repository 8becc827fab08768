"""A meeting's roll as a Qt table model, and the filtered views of it the check-in screen shows."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from facilitator.dates import local
from facilitator.rules.attendance import RollEntry
from facilitator.storage.models import AttendanceStatus
from facilitator.text import name_key, name_matches
from ui.common.plain import plain_tooltip
from ui.common.table_model import SnapshotTableModel

Index = QModelIndex | QPersistentModelIndex

PARTICIPANT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2  # the status's value, or None: Qt hands enums back as str
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

STATUS_TEXT = {
    None: "Not here yet",
    AttendanceStatus.PRESENT: "Present",
    AttendanceStatus.LATE: "Late",
    AttendanceStatus.EXCUSED: "Excused",
}
# Beside the words, never instead of them; dark enough to read on a light background.
STATUS_COLOURS = {
    AttendanceStatus.PRESENT: QColor("#1e6b35"),
    AttendanceStatus.LATE: QColor("#8a5a00"),
    AttendanceStatus.EXCUSED: QColor("#5c5c5c"),
}
STATUS_ORDER = {AttendanceStatus.PRESENT: 0, AttendanceStatus.LATE: 1, AttendanceStatus.EXCUSED: 2, None: 3}


def status_at(index: Index) -> AttendanceStatus | None:
    """The attendance status of the roll row at `index` (of the model or a filter over it)."""
    value = index.data(STATUS_ROLE)
    return None if value is None else AttendanceStatus(value)


class RollModel(SnapshotTableModel[RollEntry]):
    """Everyone on the roll with what was recorded for them."""

    columns = ("Name", "Status", "Time")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys: list[str] = []
        self.closed = False  # a closed meeting's roll says "Absent", not "Not here yet"

    def set_rows(self, rows: Sequence[RollEntry]) -> None:
        """Show a fresh roll. Rows that only changed status are updated in place, so that the
        selection and scroll position survive a check-in."""
        if [e.participant_id for e in rows] != [e.participant_id for e in self._rows]:
            self._keys = [name_key(entry.display_name) for entry in rows]
            super().set_rows(rows)
            return
        for number, (old, new) in enumerate(zip(self._rows, rows, strict=True)):
            if old != new:
                self._rows[number] = new
                self._keys[number] = name_key(new.display_name)
                self.dataChanged.emit(self.index(number, 0), self.index(number, len(self.columns) - 1))

    def status_text(self, status: AttendanceStatus | None) -> str:
        return "Absent" if status is None and self.closed else STATUS_TEXT[status]

    def cell(self, entry: RollEntry, row_number: int, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return entry.display_name
            if column == 1:
                return self.status_text(entry.status)
            return local(entry.checked_in_at).strftime("%H:%M") if entry.checked_in_at and entry.status else ""
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and entry.status in STATUS_COLOURS:
            return STATUS_COLOURS[entry.status]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{entry.display_name}: {self.status_text(entry.status)}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{entry.display_name}, {self.status_text(entry.status)}"
        if role == PARTICIPANT_ID_ROLE:
            return entry.participant_id
        if role == STATUS_ROLE:
            return entry.status.value if entry.status else None
        if role == SEARCH_ROLE:
            return self._keys[row_number]
        return None


class RollFilter(QSortFilterProxyModel):
    """Either those not here yet or those checked in, narrowed by what the facilitator types."""

    def __init__(self, *, checked_in: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._checked_in = checked_in
        self._typed = ""
        self.setDynamicSortFilter(True)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._typed = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        if (index.data(STATUS_ROLE) is not None) != self._checked_in:
            return False
        return name_matches(self._typed, index.data(SEARCH_ROLE))

    def lessThan(self, left: Index, right: Index) -> bool:
        def key(index: Index) -> tuple[int, str]:
            source = self.sourceModel().index(index.row(), 0)
            return STATUS_ORDER[status_at(source)], source.data(SEARCH_ROLE)

        return key(left) < key(right)
