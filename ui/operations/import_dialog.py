"""Importing a roster from a CSV file: a preview of every line before anything is stored."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from facilitator.errors import InvalidInput
from facilitator.plurals import plural
from facilitator.rules.groups import GroupInfo
from facilitator.rules.roster_import import (
    ImportResult,
    Placement,
    PreviewRow,
    RosterFile,
    import_roster,
    preview_import,
    read_roster,
)
from ui.common.fit import fit_to_screen
from ui.common.plain import plain_label, plain_tooltip, window_title
from ui.common.table_model import SnapshotTableModel
from ui.common.widgets import named, table_view
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations

Index = QModelIndex | QPersistentModelIndex
PROBLEM_BACKGROUND = QColor("#fde8e4")
# The counts under the preview; "back" only when someone is.
SUMMARY_ORDER = (Placement.NEW, Placement.BACK, Placement.ON_ROSTER, Placement.REPEATED)


class PreviewModel(SnapshotTableModel[PreviewRow]):
    columns = ("Line", "Name", "Note", "What happens")

    def cell(self, row: PreviewRow, row_number: int, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(row.line), row.name, " ".join(row.note.split()), row.outcome)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(row.outcome if column == 3 else row.note or row.name)
        if role == Qt.ItemDataRole.BackgroundRole and row.placement is Placement.PROBLEM:
            return QBrush(PROBLEM_BACKGROUND)
        return None


class QtImportDialog(QDialog):
    """Shows what a roster file holds and what importing it would do; Import stores it in one go."""

    def __init__(
        self, operations: Operations, group: GroupInfo, path: Path, data: bytes, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(f"Import Roster — {window_title(path.name)}")
        self._operations = operations
        self._group = group
        self._data = data
        self.roster: RosterFile | None = None
        self.result: ImportResult | None = None  # type: ignore[assignment]  # hides QDialog.result() (the exit code), which exec() gives

        self.file_label = plain_label("")
        self.column = named(QComboBox(), "nameColumn")
        self.column.setAccessibleName("Column holding the names")
        self.column.setToolTip("Which column of the file holds the names")
        self.summary = plain_label("", object_name="importSummary")
        self.summary.setWordWrap(True)
        self.model = PreviewModel(self)
        self.view = table_view("importPreview", "What importing each line would do", self.model, stretch=3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("File:", self.file_label)
        form.addRow("&Names are in:", self.column)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(760, 520))

        self._read(None)
        if self.roster is not None:
            self.column.blockSignals(True)
            for column in self.roster.columns:
                self.column.addItem(column, column)
            self.column.setCurrentIndex(max(0, self.column.findData(self.roster.name_column.split(" + ")[0])))
            if self.roster.name_column not in self.roster.columns:
                self.column.insertItem(0, self.roster.name_column, None)
                self.column.setCurrentIndex(0)
            self.column.blockSignals(False)
            self.column.currentIndexChanged.connect(lambda _i: self._read(self.column.currentData()))
            self.file_label.setText(f"{path.name} ({self.roster.encoding})")

    def _read(self, name_column: str | None) -> None:
        try:
            self.roster = read_roster(self._data, name_column=name_column)
        except InvalidInput as exc:
            self.model.set_rows([])
            self.summary.setText(str(exc))
            self.import_button.setEnabled(False)
            return
        roster = self.roster
        rows = self._operations.run(lambda session: preview_import(session, self._group.id, roster)) or []
        self.model.set_rows(rows)
        counts = Counter(row.placement for row in rows)
        parts = [f"{counts[each]} {each.text}" for each in SUMMARY_ORDER if counts[each] or each is not Placement.BACK]
        if counts[Placement.PROBLEM]:
            parts.append(f"{counts[Placement.PROBLEM]} with a problem (shown in red); fix the file to import")
        self.summary.setText(" · ".join(parts) + ".")
        new = counts[Placement.NEW] + counts[Placement.BACK]
        self.import_button.setText(f"Import {new} {plural(new, 'Person', 'People')}")
        self.import_button.setEnabled(new > 0 and not roster.problems)

    def accept(self) -> None:
        roster = self.roster
        if roster is None:
            return
        result = self._operations.run(lambda session: import_roster(session, self._group.id, roster), Change.ROSTER)
        if result is not REFUSED:
            self.result = result
            super().accept()
