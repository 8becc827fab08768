"""Keeping the records safe from the window: backups (by hand, daily, on closing), restoring one,
checking for damage, and offering to go back to a meeting a crash left open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from facilitator.storage.locations import DataLocation
from ui.common.plain import confirm, message_box
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations

BACKUP_CHECK_MS = 60 * 60 * 1000  # hourly: is a day's backup due?
ON_A_SERVER = "Your records are on a server; {} with the server's own tools."


class RecordsSafety(QObject):
    def __init__(self, operations: Operations, location: DataLocation, parent: QWidget) -> None:
        super().__init__(parent)
        self._operations = operations
        self._location = location
        self._parent = parent
        # A backup a day while the window stays open (meetings run for hours on some laptops).
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self._daily_backup)

    @property
    def _on_server(self) -> bool:
        return self._location.database_path is None

    def back_up(self, reason: str = "by-hand") -> Path | None:
        """A checked backup now (by hand, daily, before deleting, or as the window closes);
        None for a server."""
        from facilitator.storage.backups import make_backup

        if self._on_server:
            if reason == "by-hand":
                self._operations.tell("Your records are on a server; its own backups keep them safe.")
            return None
        made = self._operations.attempt(lambda: make_backup(self._location, reason))
        if made is REFUSED:
            return None
        if reason == "by-hand":
            self._operations.say(f"Backed up to {made.name} (checked).")
        return made

    def _daily_backup(self) -> None:
        from facilitator.storage.backups import backup_due

        if not self._on_server and backup_due(self._location):
            self.back_up("daily")

    def restore_backup(self, path: Path | None = None) -> bool:
        """Put a backup in place of the records open now (kept as a backup first) and reopen them."""
        from facilitator.records import open_records
        from facilitator.storage.backups import restore

        if self._on_server:
            self._operations.tell(ON_A_SERVER.format("restore them"))
            return False
        if path is None:
            name, _filter = QFileDialog.getOpenFileName(
                self._parent,
                "Restore from Backup",
                str(self._location.backup_dir),
                "Facilitator backups (*.sqlite3);;All files (*)",
            )
            if not name:
                return False
            path = Path(name)
        if not confirm(
            self._parent,
            "Restore from Backup",
            f"Put the records in {path.name} in place of the ones open now?\n\n"
            "Anything recorded since that backup will no longer show. The records open now are kept as a "
            "backup first, so this can be undone by restoring that.",
            "Restore",
        ):
            return False
        self._operations.db.close()
        chosen = path
        kept = self._operations.attempt(lambda: restore(self._location, chosen))
        self._operations.db = open_records(self._location)
        self._operations.announce(Change.EVERYTHING)
        if kept is not REFUSED:
            self._operations.say(f"Restored {path.name}. The records it replaced are in {kept.name}.")
        return kept is not REFUSED

    def check_records(self) -> None:
        from facilitator.storage.backups import check_database

        if self._on_server:
            self._operations.tell(ON_A_SERVER.format("check them"))
            return
        report = self._operations.attempt(lambda: check_database(self._location))
        if report is REFUSED:
            return
        if report.ok:
            text = "Your records passed the integrity check and every link between them is sound."
            icon = QMessageBox.Icon.Information
        else:
            text = f"Your records are damaged: {report.problems[0]}.\n\nRestore a backup: File → Restore from Backup…"
            icon = QMessageBox.Icon.Warning
        message_box(self._parent, icon, "Check Records", text).exec()

    def meeting_to_resume(self) -> int | None:
        """After a crash or power cut, offer to go back to a meeting left open: its group's id if
        the facilitator says yes."""
        from facilitator.rules.meetings import open_meetings

        left_open = self._operations.run(open_meetings)
        if not left_open:
            return None
        meeting = left_open[-1]
        since = meeting.held(meeting.started_at)
        box = message_box(
            self._parent,
            QMessageBox.Icon.Question,
            "Resume Meeting",
            f"The meeting of {meeting.group_name} opened on {since:%a %d %b at %H:%M} is still open, "
            f"with {meeting.present + meeting.late} checked in. Everything recorded is kept.\n\n"
            "Go back to it now?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("Resume Meeting")
        box.button(QMessageBox.StandardButton.No).setText("Not Now")
        return meeting.group_id if box.exec() == QMessageBox.StandardButton.Yes else None
