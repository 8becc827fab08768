"""How every table sizes its columns, so that what a facilitator reads is never cut.

The short columns (a status, a time, a date, a count) are as wide as their content, and stay so
as rows come and change. The one long text column takes the room that is left, and the table
never gets narrower than it needs to show that column's text up to a readable length (its
tooltip shows the rest): the page around it makes room instead of crushing it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHeaderView, QTableView

LONG_TEXT_MIN_CHARS = 32
# Columns fit the first rows, not all of them: Qt otherwise asks every cell of ten years of
# meetings for its size each time the table fills.
SIZE_FROM_ROWS = 100


class ColumnFit(QObject):
    """Keeps `view`'s short columns as wide as their content, and its least width such that the
    long column shows a readable length."""

    def __init__(self, view: QTableView, long_column: int) -> None:
        super().__init__(view)
        self._view = view
        self._long = long_column
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(SIZE_FROM_ROWS)
        header.setSectionResizeMode(long_column, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(self._section_resized)
        model = view.model()
        # Qt fits the columns when the model resets, but not when rows come, go or change
        # (a check-in): the new "Excused" or "19:05" would be cut.
        for signal in (model.rowsInserted, model.rowsRemoved, model.dataChanged, model.layoutChanged):
            signal.connect(self.fit)
        model.modelReset.connect(self._keep_least_width)

    def fit(self) -> None:
        self._view.horizontalHeader().resizeSections()
        self._keep_least_width()

    def content_width(self) -> int:
        """The width the table needs to show every column whole."""
        return self._short_width() + self._needed(self._long) + self._furniture()

    def _section_resized(self, section: int, _old: int, _new: int) -> None:
        if section != self._long:
            self._keep_least_width()

    def _keep_least_width(self) -> None:
        readable = self._view.fontMetrics().averageCharWidth() * LONG_TEXT_MIN_CHARS
        self._view.setMinimumWidth(self._short_width() + min(self._needed(self._long), readable) + self._furniture())

    def _needed(self, column: int) -> int:
        return max(self._view.sizeHintForColumn(column), self._view.horizontalHeader().sectionSizeHint(column))

    def _short_width(self) -> int:
        header = self._view.horizontalHeader()
        return sum(
            header.sectionSize(column)
            for column in range(header.count())
            if column != self._long and not header.isSectionHidden(column)
        )

    def _furniture(self) -> int:
        """The frame, and the scroll bar that long tables show."""
        return 2 * self._view.frameWidth() + self._view.verticalScrollBar().sizeHint().width()
