"""Importing a roster file: a preview of every line before anything is stored.

The file is read on the worker thread (a big one shows its progress, with Cancel), and no
transaction is open while it is read: only the import itself writes, in one go."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
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
    preview_rows,
    read_roster_file,
    roster_standing,
)
from ui.common.fit import fit_to_screen
from ui.common.plain import plain_label, plain_tooltip, window_title
from ui.common.table_model import SnapshotTableModel
from ui.common.widgets import named, table_view
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations

Index = QModelIndex | QPersistentModelIndex
PROBLEM_BACKGROUND = QColor("#fde8e4")
CLOSE_BACKGROUND = QColor("#fff3cd")
# The counts under the preview; those after NEW only when some line is so.
SUMMARY_ORDER = (
    Placement.NEW,
    Placement.BACK,
    Placement.CLOSE,
    Placement.ON_ROSTER,
    Placement.REPEATED,
    Placement.SKIPPED,
)
ALWAYS_COUNTED = (Placement.NEW, Placement.ON_ROSTER, Placement.REPEATED)
# What the encoding chooser offers when the reader was unsure: the ones spreadsheets and
# contacts apps write (Japanese, Chinese and Korean ones too), by the names Python's codecs know.
ENCODINGS = (
    "UTF-8",
    "Windows-1252",
    "Windows-1250",
    "Windows-1251",
    "ISO-8859-1",
    "ISO-8859-2",
    "ISO-8859-15",
    "Mac-Roman",
    "KOI8-R",
    "Shift_JIS",
    "EUC-JP",
    "GB18030",
    "Big5",
    "EUC-KR",
    "UTF-16",
)
FILE_KINDS = (
    "Rosters (*.csv *.txt *.vcf *.xlsx *.xls *.ods);;CSV and text files (*.csv *.txt);;vCard files (*.vcf);;"
    "Excel workbooks (*.xlsx *.xls);;OpenDocument spreadsheets (*.ods);;All files (*)"
)


class PreviewModel(SnapshotTableModel[PreviewRow]):
    columns = ("Line", "Name", "Note", "What happens")

    def cell(self, row: PreviewRow, row_number: int, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(row.line), row.name, " ".join(row.note.split()), row.outcome)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(row.outcome if column == 3 else row.note or row.name)
        if role == Qt.ItemDataRole.BackgroundRole and row.placement is Placement.PROBLEM:
            return QBrush(PROBLEM_BACKGROUND)
        if role == Qt.ItemDataRole.BackgroundRole and row.placement is Placement.CLOSE:
            return QBrush(CLOSE_BACKGROUND)
        return None


class ReadStopped(Exception):
    """The user pressed Cancel while the file was being read."""


@dataclass(frozen=True)
class Choices:
    """What the user chose of how to read the file (None: as the reader sees fit)."""

    name_column: str | None = None
    encoding: str | None = None
    sheet: str | None = None


class QtImportDialog(QDialog):
    """Shows what a roster file holds and what importing it would do; Import stores it in one go."""

    def __init__(self, operations: Operations, group: GroupInfo, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(f"Import Roster — {window_title(path.name)}")
        self._operations = operations
        self._group = group
        self._path = path
        self._choices = Choices()
        self.roster: RosterFile | None = None
        self.stopped = False  # the user cancelled the reading
        self.result: ImportResult | None = None  # type: ignore[assignment]  # hides QDialog.result() (the exit code), which exec() gives

        self.file_label = plain_label("", object_name="importFile")
        self.doubt_label = plain_label("", object_name="importDoubt")
        self.doubt_label.setWordWrap(True)
        self.guess_label = plain_label("", object_name="importGuess")
        self.guess_label.setWordWrap(True)
        self.sheet = self._chooser("sheetChooser", "Sheet of the workbook to read")
        self.encoding = self._chooser("encodingChooser", "How the file's text is written")
        self.column = self._chooser("nameColumn", "Column holding the names")
        self.summary = plain_label("", object_name="importSummary")
        self.summary.setWordWrap(True)
        self.model = PreviewModel(self)
        # The note is the long column, cut if need be (its tooltip holds it whole): what happens to
        # each line is shown whole.
        self.view = table_view("importPreview", "What importing each line would do", self.model, stretch=2)
        self.good_rows = named(QCheckBox("Import the &good rows, leaving out the lines with a problem"), "goodRows")
        self.add_close = named(QCheckBox("Add names &close to someone on the roster as new people"), "addClose")
        for box in (self.good_rows, self.add_close):
            box.toggled.connect(self._show_counts)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        self.form = QFormLayout()
        self.form.addRow("File:", self.file_label)
        self.form.addRow(self.doubt_label)
        self.form.addRow("&Text is in:", self.encoding)
        self.form.addRow("&Sheet:", self.sheet)
        self.form.addRow("&Names are in:", self.column)
        self.form.addRow(self.guess_label)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.good_rows)
        layout.addWidget(self.add_close)
        layout.addWidget(buttons)
        # Wide enough for the longest outcome whole: "skipped: no name (only a company and a phone number)".
        fit_to_screen(self, QSize(960, 600))

        self.column.currentIndexChanged.connect(lambda _i: self._reread(name_column=self.column.currentData()))
        self.encoding.currentIndexChanged.connect(lambda _i: self._reread(encoding=self.encoding.currentData()))
        # Another sheet has columns of its own: where its names are is found afresh.
        self.sheet.currentIndexChanged.connect(
            lambda _i: self._reread(sheet=self.sheet.currentData(), name_column=None)
        )
        self._read()

    def _chooser(self, name: str, accessible: str) -> QComboBox:
        chooser = named(QComboBox(), name)
        chooser.setAccessibleName(accessible)
        chooser.setToolTip(accessible)
        return chooser

    def _reread(self, **choices: str | None) -> None:
        """The file read again with one more of the user's choices."""
        self._choices = replace(self._choices, **choices)
        self._read()

    def _read(self) -> None:
        """Read the file on the worker thread, then place its names against the roster as it
        stands (read in a short transaction of its own) and show every line."""
        stop = threading.Event()
        read = [0]

        def progress(count: int) -> None:
            if stop.is_set():
                raise ReadStopped()
            read[0] = count

        def work() -> tuple[RosterFile, list[PreviewRow]] | InvalidInput | None:
            choices = self._choices
            try:
                roster = read_roster_file(
                    self._path,
                    name_column=choices.name_column,
                    encoding=choices.encoding,
                    sheet=choices.sheet,
                    progress=progress,
                )
            except ReadStopped:
                return None
            except InvalidInput as exc:
                return exc
            with self._operations.db.begin() as session:
                standing = roster_standing(session, self._group.id)
            return roster, preview_rows(standing, roster)

        outcome = self._operations.in_background(
            work,
            f"Reading {self._path.name}…",
            cancel=stop.set,
            status=lambda: f"Reading {self._path.name}: {read[0]:,} lines so far…",
        )
        if outcome is REFUSED or outcome is None or isinstance(outcome, InvalidInput):
            self.stopped = outcome is None
            self.roster = None
            self.model.set_rows([])
            self.summary.setText("Reading was stopped; nothing was imported." if outcome is None else str(outcome))
            self._show_choices()
            self.import_button.setEnabled(False)
            return
        self.roster, rows = outcome
        self.model.set_rows(rows)
        self._show_choices()
        self._show_counts()

    def _show_choices(self) -> None:
        """What the file is and how it was read, with a chooser wherever the reading could be otherwise."""
        roster = self.roster
        if roster is None:
            self.file_label.setText(self._path.name)
            for field in (self.encoding, self.sheet):
                self.form.setRowVisible(field, False)
            self.doubt_label.setVisible(False)
            self.guess_label.setVisible(False)
            return
        what = ", ".join(
            part for part in (roster.kind, roster.encoding, roster.sheet and f"sheet “{roster.sheet}”") if part
        )
        self.file_label.setText(f"{self._path.name} ({what})")
        asking = bool(roster.doubt) or self._choices.encoding is not None
        self.doubt_label.setText(
            f"{roster.doubt} The names below are as read: if they look wrong, choose how the text is written.".strip()
        )
        self.doubt_label.setVisible(asking)
        self._fill(self.encoding, list(ENCODINGS), roster.encoding)
        self.form.setRowVisible(self.encoding, asking)
        self._fill(self.sheet, roster.sheets, roster.sheet)
        self.form.setRowVisible(self.sheet, len(roster.sheets) > 1)
        columns = [column for column in roster.columns if column]
        first = roster.name_column.split(" + ")[0]
        self._fill(
            self.column, columns, first if first in columns and " + " not in roster.name_column else roster.name_column
        )
        self.guess_label.setText(
            f"No heading says where the names are: they were taken from the column “{roster.name_column}” "
            "by what it holds. Check them below."
        )
        self.guess_label.setVisible(roster.guessed)

    def _fill(self, chooser: QComboBox, items: list[str], current: str) -> None:
        """`items` in `chooser`, `current` chosen (put first when it is none of them), quietly."""
        chooser.blockSignals(True)
        chooser.clear()
        if current and current not in items:
            chooser.addItem(current, None)
        for item in items:
            chooser.addItem(item, item)
        chooser.setCurrentIndex(max(0, chooser.findText(current)))
        chooser.blockSignals(False)

    def _show_counts(self) -> None:
        """The counts under the preview, the choices the lines call for, and the Import button."""
        counts = Counter(row.placement for row in self.model.rows())
        parts = [f"{counts[each]} {each.text}" for each in SUMMARY_ORDER if counts[each] or each in ALWAYS_COUNTED]
        problems = counts[Placement.PROBLEM]
        if problems:
            parts.append(f"{problems} with a problem (shown in red): fix the file, or import the good rows")
        self.summary.setText(" · ".join(parts) + ".")
        self.good_rows.setVisible(bool(problems))
        self.add_close.setVisible(bool(counts[Placement.CLOSE]))
        adding = counts[Placement.NEW] + counts[Placement.BACK]
        if self.add_close.isChecked():
            adding += counts[Placement.CLOSE]
        self.import_button.setText(f"Import {adding} {plural(adding, 'Person', 'People')}")
        self.import_button.setEnabled(adding > 0 and (not problems or self.good_rows.isChecked()))

    def accept(self) -> None:
        roster = self.roster
        if roster is None:
            return
        skip, close = self.good_rows.isChecked(), self.add_close.isChecked()
        result = self._operations.run_in_background(
            lambda session: import_roster(session, self._group.id, roster, skip_bad_rows=skip, add_close=close),
            f"Importing {self.import_button.text().removeprefix('Import ').lower()}…",
        )
        if result is not REFUSED:
            self._operations.announce(Change.ROSTER)
            self.result = result
            super().accept()
