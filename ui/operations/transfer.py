"""Moving names in and out: a roster imported from a file (CSV, vCard, workbook), the roster and
attendance exported as CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QWidget
from sqlalchemy.orm import Session

from facilitator.plurals import counted
from facilitator.rules.exports import CsvExport
from facilitator.rules.groups import GroupInfo
from ui.operations.runner import REFUSED, Operations


class Transfer(QObject):
    def __init__(self, operations: Operations, parent: QWidget) -> None:
        super().__init__(parent)
        self._operations = operations
        self._parent = parent

    def import_roster(self, group: GroupInfo, path: Path | None = None) -> bool:
        """The import dialog on `path` (chosen by the facilitator if None); True when names were imported."""
        from ui.operations.import_dialog import FILE_KINDS, QtImportDialog

        if group.archived:
            return False
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self._parent, "Import Roster", str(Path.home()), FILE_KINDS)
            if not name:
                return False
            path = Path(name)
        dialog = QtImportDialog(self._operations, group, path, self._parent)
        if dialog.stopped:
            dialog.deleteLater()
            self._operations.say(f"Stopped reading {path.name}; nothing was imported.")
            return False
        if not (dialog.exec() and dialog.result is not None):
            return False
        added = len(dialog.result.added) + len(dialog.result.back)
        self._operations.say(f"Added {counted(added, 'person')} to {group.name}.")
        return True

    def export_roster(self, group: GroupInfo) -> None:
        from facilitator.rules.exports import roster_csv

        self._export(f"{group.name} roster.csv", lambda session: roster_csv(session, group.id))

    def export_attendance(self, group: GroupInfo, date_from: date | None, date_to: date | None) -> None:
        from facilitator.rules.exports import attendance_csv

        self._export(
            f"{group.name} attendance.csv",
            lambda session: attendance_csv(session, group.id, date_from=date_from, date_to=date_to),
        )

    def _export(self, suggested: str, build: Callable[[Session], CsvExport]) -> None:
        safe = "".join(char if char.isalnum() or char in " -_.'" else "_" for char in suggested)
        name, _ = QFileDialog.getSaveFileName(self._parent, "Export", str(Path.home() / safe), "CSV files (*.csv)")
        if name:
            self.export_to(Path(name), build)

    def export_to(self, target: Path, build: Callable[[Session], CsvExport]) -> None:
        from facilitator.rules.exports import write_export

        export = self._operations.run(build)
        if export is REFUSED:
            return
        if self._operations.attempt(lambda: write_export(target, export.data)) is not REFUSED:
            self._operations.say(
                f"Saved {counted(export.rows, 'row')} to {target}. It holds names: keep it somewhere private."
            )
