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
        self._widths: dict[tuple[int, str], int] = {}
        self._padding: dict[int, int] = {}
        header = view.horizontalHeader()
        # Sized here, not by Qt's ResizeToContents: Qt fits those only when the model resets,
        # not when rows come or change (a check-in's "Excused" or "19:05" was cut), and once they
        # fit it measures every cell again at each layout, which slows every check-in.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(long_column, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(self._section_resized)
        model = view.model()
        model.rowsInserted.connect(lambda _parent, first, last: self._rows_came(first, last))
        model.dataChanged.connect(lambda top_left, bottom_right, *_roles: self.fit(top_left.row(), bottom_right.row()))
        model.modelReset.connect(self.fit_all)
        model.layoutChanged.connect(self.fit_all)
        self.fit_all()

    def fit_all(self) -> None:
        """Every short column as wide as its title and its first hundred rows."""
        header = self._view.horizontalHeader()
        for column in self._short_columns():
            header.resizeSection(column, max(header.sectionSizeHint(column), self._widest(column, 0, SIZE_FROM_ROWS)))
        self._keep_least_width()

    def _rows_came(self, first: int, last: int) -> None:
        # One row is a check-in (or a new person); many at once are a filter showing again rows
        # it hid as the facilitator typed, already fitted when they first came.
        if first == last:
            self.fit(first, last)

    def fit(self, first: int, last: int) -> None:
        """Widen the short columns if rows `first` to `last` need more room than they have."""
        header = self._view.horizontalHeader()
        for column in self._short_columns():
            widest = self._widest(column, first, last)
            if widest > header.sectionSize(column):
                header.resizeSection(column, widest)

    def _widest(self, column: int, first: int, last: int) -> int:
        """The widest text in `column` from row `first` to `last` (the first hundred of them),
        measured once for each text: this runs at every check-in, where asking each cell's full
        size, a dozen calls into Python each, would hold up the next keystroke."""
        model = self._view.model()
        widest = 0
        for row in range(first, min(last, first + SIZE_FROM_ROWS - 1, model.rowCount() - 1) + 1):
            text = model.index(row, column).data()
            if isinstance(text, str) and text:
                widest = max(widest, self._text_width(row, column, text))
        return widest

    def _text_width(self, row: int, column: int, text: str) -> int:
        width = self._widths.get((column, text))
        if width is None:
            metrics = self._view.fontMetrics()
            if column not in self._padding:  # the cell's margins in this column, as the view draws them
                hint = self._view.sizeHintForIndex(self._view.model().index(row, column)).width()
                # (a pixel more: the view rounds some texts' widths up)
                self._padding[column] = hint - metrics.horizontalAdvance(text) + 1
            width = self._widths[(column, text)] = metrics.horizontalAdvance(text) + self._padding[column]
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
