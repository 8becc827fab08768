"""How every table sizes its columns, so that what a facilitator reads is never cut.

The short columns (a status, a time, a date, a count) are as wide as their content, and stay so
as rows come and change. The one long text column takes the room that is left, and the table
never gets narrower than it needs to show that column's text up to a readable length (its
tooltip shows the rest): the page around it makes room instead of crushing it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHeaderView, QTableView

LONG_TEXT_MIN_CHARS = 28
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
        self._widths: dict[str, int] = {}
        self._padding: int | None = None
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(SIZE_FROM_ROWS)
        header.setSectionResizeMode(long_column, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(self._section_resized)
        model = view.model()
        # Qt fits the columns when the model resets, but not when rows come or change (a
        # check-in): the new "Excused" or "19:05" would be cut.
        model.rowsInserted.connect(lambda _parent, first, last: self._rows_came(first, last))
        model.dataChanged.connect(lambda top_left, bottom_right, *_roles: self.fit(top_left.row(), bottom_right.row()))
        model.modelReset.connect(self._keep_least_width)

    def _rows_came(self, first: int, last: int) -> None:
        # One row is a check-in (or a new person); many at once are a filter showing again rows
        # it hid as the facilitator typed, already fitted when they first came.
        if first == last:
            self.fit(first, last)

    def fit(self, first: int, last: int) -> None:
        """Widen the short columns if rows `first` to `last` need more room than they have."""
        header = self._view.horizontalHeader()
        for column in self._short_columns():
            if self._cut(column, first, last):
                # Setting the mode again has Qt fit the columns as it does on its own, later in
                # this turn of the event loop. Asking at once (resizeSections) left every later
                # check-in twice as slow to show.
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def _cut(self, column: int, first: int, last: int) -> bool:
        """Whether a row from `first` to `last` (the first hundred) has more text in `column` than
        it shows. Measured by the text's width, once for each text: this runs at every keystroke
        in the check-in search (the lists refill) and at every check-in, where asking each cell's
        full size, a dozen calls into Python each, would hold up the next keystroke."""
        model = self._view.model()
        room = self._view.horizontalHeader().sectionSize(column)
        for row in range(first, min(last, first + SIZE_FROM_ROWS) + 1):
            text = model.index(row, column).data()
            if isinstance(text, str) and text and self._text_width(row, column, text) > room:
                return True
        return False

    def _text_width(self, row: int, column: int, text: str) -> int:
        width = self._widths.get(text)
        if width is None:
            if self._padding is None:  # the cell's margins, as the view draws them
                hint = self._view.sizeHintForIndex(self._view.model().index(row, column)).width()
                self._padding = hint - self._view.fontMetrics().horizontalAdvance(text)
            width = self._widths[text] = self._view.fontMetrics().horizontalAdvance(text) + self._padding
        return width

    def content_width(self) -> int:
        """The width the table needs to show every column whole."""
        return self._short_width() + self._needed(self._long) + self._furniture()

    def _section_resized(self, section: int, _old: int, _new: int) -> None:
        if section != self._long:
            self._keep_least_width()

    def _keep_least_width(self) -> None:
        readable = self._view.fontMetrics().averageCharWidth() * LONG_TEXT_MIN_CHARS
        least = self._short_width() + min(self._needed(self._long), readable) + self._furniture()
        if least != self._view.minimumWidth():
            self._view.setMinimumWidth(least)

    def _needed(self, column: int) -> int:
        return max(self._view.sizeHintForColumn(column), self._view.horizontalHeader().sectionSizeHint(column))

    def _short_columns(self) -> list[int]:
        header = self._view.horizontalHeader()
        return [
            column for column in range(header.count()) if column != self._long and not header.isSectionHidden(column)
        ]

    def _short_width(self) -> int:
        header = self._view.horizontalHeader()
        return sum(header.sectionSize(column) for column in self._short_columns())

    def _furniture(self) -> int:
        """The frame, and the scroll bar that long tables show."""
        return 2 * self._view.frameWidth() + self._view.verticalScrollBar().sizeHint().width()
