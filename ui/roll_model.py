"""A meeting's roll as a Qt table model, and the filtered views of it the check-in screen shows."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from facilitator.attendance import RollEntry
from facilitator.dates import local
from facilitator.models import AttendanceStatus
from facilitator.text import name_key, name_matches
from ui.plain import plain_tooltip

Index = QModelIndex | QPersistentModelIndex

PARTICIPANT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

COLUMNS = ("Name", "Status", "Time")
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


class RollModel(QAbstractTableModel):
    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self._entries: list[RollEntry] = []
        self._keys: list[str] = []
        self.closed = False  # a closed meeting's roll says "Absent", not "Not here yet"

    def set_entries(self, entries: list[RollEntry]) -> None:
        """Show a fresh roll. Rows that only changed status are updated in place, so that the
        selection and scroll position survive a check-in."""
        same_people = [e.participant_id for e in entries] == [e.participant_id for e in self._entries]
        if not same_people:
            self.beginResetModel()
            self._entries = list(entries)
            self._keys = [name_key(entry.display_name) for entry in entries]
            self.endResetModel()
            return
        for row, (old, new) in enumerate(zip(self._entries, entries, strict=True)):
            if old != new:
                self._entries[row] = new
                self._keys[row] = name_key(new.display_name)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def entry(self, row: int) -> RollEntry:
        return self._entries[row]

    def entries(self) -> list[RollEntry]:
        return list(self._entries)

    def _status_text(self, status: AttendanceStatus | None) -> str:
        return "Absent" if status is None and self.closed else STATUS_TEXT[status]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return entry.display_name
            if column == 1:
                return self._status_text(entry.status)
            return local(entry.checked_in_at).strftime("%H:%M") if entry.checked_in_at and entry.status else ""
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and entry.status in STATUS_COLOURS:
            return STATUS_COLOURS[entry.status]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{entry.display_name}: {self._status_text(entry.status)}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{entry.display_name}, {self._status_text(entry.status)}"
        if role == PARTICIPANT_ID_ROLE:
            return entry.participant_id
        if role == STATUS_ROLE:
            return entry.status
        if role == SEARCH_ROLE:
            return self._keys[index.row()]
        return None


class RollFilter(QSortFilterProxyModel):
    """Either those not here yet or those checked in, narrowed by what the facilitator types."""

    def __init__(self, *, checked_in: bool, parent: object = None) -> None:
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
            return STATUS_ORDER[source.data(STATUS_ROLE)], source.data(SEARCH_ROLE)

        return key(left) < key(right)
