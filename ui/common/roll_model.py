"""A meeting's roll as a Qt table model, and the filtered views of it the check-in screen shows."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from facilitator.rules.attendance import CheckIn, RollEntry
from facilitator.storage.models import AttendanceStatus
from facilitator.text import name_key, name_matches
from ui.common.collation import reading_ranks
from ui.common.plain import plain_tooltip
from ui.common.table_model import SnapshotTableModel

Index = QModelIndex | QPersistentModelIndex

PARTICIPANT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2  # the status's value, or None: Qt hands enums back as str

STATUS_TEXT = {
    None: "Not here yet",
    AttendanceStatus.PRESENT: "Present",
    AttendanceStatus.LATE: "Late",
    AttendanceStatus.EXCUSED: AttendanceStatus.EXCUSED.word.capitalize(),
}
# Beside the words, never instead of them; dark enough to read on a light background.
STATUS_COLOURS = {
    AttendanceStatus.PRESENT: QColor("#1e6b35"),
    AttendanceStatus.LATE: QColor("#8a5a00"),
    AttendanceStatus.EXCUSED: QColor("#5c5c5c"),
}
STATUS_ORDER = {AttendanceStatus.PRESENT: 0, AttendanceStatus.LATE: 1, AttendanceStatus.EXCUSED: 2, None: 3}
# The roll's three lists on the check-in screen: who is not here yet, who is here, who sent word.
NOT_HERE_YET: frozenset[AttendanceStatus | None] = frozenset({None})
HERE: frozenset[AttendanceStatus | None] = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})
EXCUSED: frozenset[AttendanceStatus | None] = frozenset({AttendanceStatus.EXCUSED})


def status_at(index: Index) -> AttendanceStatus | None:
    """The attendance status of the roll row at `index` (of the model or a filter over it)."""
    value = index.data(STATUS_ROLE)
    return None if value is None else AttendanceStatus(value)


class RollModel(SnapshotTableModel[RollEntry]):
    """Everyone on the roll with what was recorded for them."""

    columns = ("Name", "Status", "Time")
    roles = frozenset(
        (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
            PARTICIPANT_ID_ROLE,
            STATUS_ROLE,
        )
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys: list[str] = []
        self._ranks: list[int] = []  # the names' places in reading order
        self.closed = False  # a closed meeting's roll says "Absent", not "Not here yet"

    def set_rows(self, rows: Sequence[RollEntry]) -> None:
        """Show a fresh roll. Rows that only changed status are updated in place, so that the
        selection and scroll position survive a check-in."""
        if [e.participant_id for e in rows] != [e.participant_id for e in self._rows]:
            self._keys = [name_key(entry.display_name) for entry in rows]
            self._ranks = reading_ranks([entry.display_name for entry in rows])
            super().set_rows(rows)
            return
        renamed = [e.display_name for e in rows] != [e.display_name for e in self._rows]
        if renamed:
            self._ranks = reading_ranks([entry.display_name for entry in rows])
        for number, (old, new) in enumerate(zip(self._rows, rows, strict=True)):
            if old != new:
                self._rows[number] = new
                self._keys[number] = name_key(new.display_name)
                self.dataChanged.emit(self.index(number, 0), self.index(number, len(self.columns) - 1))

    def record(self, done: CheckIn) -> None:
        """Show a check-in just committed, in place: what a re-read of the roll would show."""
        for number, entry in enumerate(self._rows):
            if entry.participant_id == done.participant_id:
                self._rows[number] = replace(
                    entry, display_name=done.display_name, status=done.status, checked_in_at=done.checked_in_at
                )
                self._keys[number] = name_key(done.display_name)
                if done.display_name != entry.display_name:
                    self._ranks = reading_ranks([row.display_name for row in self._rows])
                self.dataChanged.emit(self.index(number, 0), self.index(number, len(self.columns) - 1))
                return

    def filter_key(self, row_number: int) -> tuple[AttendanceStatus | None, str]:
        """The status and the name's search key of a row, for the filters (asked of the rows
        themselves: through Qt's `data` they cost more than the rest of a check-in)."""
        return self._rows[row_number].status, self._keys[row_number]

    def sort_key(self, row_number: int) -> tuple[int, int]:
        """Where a row goes in the lists: by status, then by name as people read them."""
        return STATUS_ORDER[self._rows[row_number].status], self._ranks[row_number]

    def status_text(self, status: AttendanceStatus | None) -> str:
        return "Absent" if status is None and self.closed else STATUS_TEXT[status]

    def cell(self, entry: RollEntry, row_number: int, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return entry.display_name
            if column == 1:
                return self.status_text(entry.status)
            # Someone excused did not come: the moment they were marked is no time of arrival.
            held = entry.checked_in_where_held
            return held.strftime("%H:%M") if held and entry.status in HERE else ""
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
        return None


class RollFilter(QSortFilterProxyModel):
    """Those recorded with one of `statuses` (None: not here yet), narrowed by what the facilitator types."""

    def __init__(
        self, roll: RollModel, *, statuses: Collection[AttendanceStatus | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._roll = roll
        self._statuses = frozenset(statuses)
        self._typed = ""
        self.setDynamicSortFilter(True)
        self.setSourceModel(roll)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._typed = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        status, key = self._roll.filter_key(source_row)
        return status in self._statuses and name_matches(self._typed, key)

    def lessThan(self, left: Index, right: Index) -> bool:
        return self._roll.sort_key(left.row()) < self._roll.sort_key(right.row())
