"""A group's roster as a Qt table model over the core's `ParticipantInfo` snapshots."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from facilitator.dates import medium_date
from facilitator.rules.participants import ParticipantInfo
from facilitator.text import name_matches
from ui.common.collation import reading_ranks
from ui.common.plain import plain_tooltip
from ui.common.table_model import SnapshotTableModel

PARTICIPANT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class RosterModel(SnapshotTableModel[ParticipantInfo]):
    columns = ("Name", "Private note", "Joined", "Attended", "Last seen")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ranks: tuple[list[int], list[int]] = ([], [])  # the names' and the notes' places in reading order

    def set_rows(self, rows: Sequence[ParticipantInfo]) -> None:
        self._ranks = (
            reading_ranks([person.display_name for person in rows]),
            reading_ranks([self._text(person, 1) for person in rows]),
        )
        super().set_rows(rows)

    def cell(self, person: ParticipantInfo, row_number: int, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(person, column)
        if role == SORT_ROLE:
            return self._sort_value(person, row_number, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, 1):
            # Whole, where a narrow column cuts the name or the note short.
            return plain_tooltip(person.display_name if column == 0 else person.note or person.display_name)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == PARTICIPANT_ID_ROLE:
            return person.id
        return None

    def _sort_value(self, person: ParticipantInfo, row_number: int, column: int) -> object:
        if column in (0, 1):  # as people read them
            return self._ranks[column][row_number]
        if column == 2:
            return person.joined_on.isoformat()
        if column == 3:
            return person.meetings_attended
        # In UTC: meetings held in different zones still sort by when they were.
        return person.last_seen_at.astimezone(UTC).isoformat() if person.last_seen_at else ""

    @staticmethod
    def _text(person: ParticipantInfo, column: int) -> str:
        if column == 0:
            return person.display_name
        if column == 1:
            return " ".join((person.note or "").split())
        if column == 2:
            return medium_date(person.joined_on)
        if column == 3:
            return str(person.meetings_attended)
        return medium_date(person.last_seen_at.date()) if person.last_seen_at else "Not yet"


class RosterFilter(QSortFilterProxyModel):
    """The roster narrowed to names that match what is typed, sortable by any column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._typed = ""
        self.setSortRole(SORT_ROLE)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._typed = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        name = self.sourceModel().index(source_row, 0, source_parent).data(Qt.ItemDataRole.DisplayRole)
        return name_matches(self._typed, name)
