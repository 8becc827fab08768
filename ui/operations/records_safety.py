"""Keeping the records safe from the window: backups (by hand, daily, on closing), restoring one,
checking for damage (in full, in the background after start-up), and offering to go back to a
meeting a crash left open."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from facilitator.dates import day_at
from facilitator.storage.locations import DataLocation
from ui.common.plain import confirm, message_box
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations

BACKUP_CHECK_MS = 60 * 60 * 1000  # hourly: is a day's backup due?
ON_A_SERVER = "Your records are on a server; {} with the server's own tools."

if TYPE_CHECKING:
    from facilitator.storage.backups import CheckReport
    from facilitator.storage.database import Database


class RecordsSafety(QObject):
    # The full check's report (or None if it could not run), with the records it checked.
    full_check_done = Signal(object, object)

    def __init__(self, operations: Operations, location: DataLocation, parent: QWidget) -> None:
        super().__init__(parent)
        self._operations = operations
        self._location = location
        self._parent = parent
        self._checking: threading.Thread | None = None
        self.full_check_done.connect(self._on_full_check)
        # A backup a day while the window stays open (meetings run for hours on some laptops).
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self._daily_backup)

    @property
    def _on_server(self) -> bool:
        return self._location.database_path is None

    def back_up(self, reason: str = "by-hand") -> Path | None:
        """A checked backup now (by hand, daily, before deleting, or as the window closes);
        None for a server, and for records known to be damaged (unless asked for by hand)."""
        from facilitator.storage.backups import make_backup
        from facilitator.storage.database import known_damage

        if self._on_server:
            if reason == "by-hand":
                self._operations.tell("Your records are on a server; its own backups keep them safe.")
            return None
        if self._operations.db.damage is not None and reason != "by-hand":
            return None  # its copy would fail its check: the facilitator was told of the damage once
        made = self._operations.attempt(lambda: make_backup(self._location, reason))
        if made is REFUSED:
            damage = known_damage(self._location)  # a copy that failed its check: the records are damaged
            if damage is not None:
                self._operations.db.mark_damaged(damage)
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
        from facilitator.records import open_records, restore_records
        from facilitator.storage.instance_lock import InstanceLock

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
        chosen = path
        # Held across the swap: the records are closed meanwhile, and no other program may take them.
        with InstanceLock(self._location.data_dir):
            self._operations.db.close()
            kept = self._operations.attempt(lambda: restore_records(self._location, chosen))
            self._operations.db = open_records(self._location)
        self._operations.announce(Change.EVERYTHING)
        if kept is not REFUSED:
            self._operations.say(f"Restored {path.name}. The records it replaced are in {kept.name}.")
        return kept is not REFUSED

    def check_records(self) -> None:
        from facilitator.records import check_records

        if self._on_server:
            self._operations.tell(ON_A_SERVER.format("check them"))
            return
        report = self._operations.attempt(lambda: check_records(self._location))
        if report is REFUSED:
            return
        if report.ok:
            text = "Your records passed the full check: the file is whole and every link between them is sound."
            message_box(self._parent, QMessageBox.Icon.Information, "Check Records", text).exec()
        else:
            self._operations.db.mark_damaged(report.problems[0])
            self._offer_restore(report.problems[0])

    def check_in_background(self) -> None:
        """The full check (SQLite's integrity check, which opening leaves to this: 0.2 s on ten
        years of a big roster) on a thread of its own after start-up. Damage it finds stops
        writes, and the facilitator is told once."""
        if self._on_server or self._checking is not None:
            return
        db = self._operations.db
        self._checking = threading.Thread(target=self._full_check, args=(db,), name="facilitator-full-check")
        self._checking.start()

    def wait_for_check(self) -> None:
        """Let the background check finish (it only reads), so that no thread outlives the window."""
        if self._checking is not None:
            self._checking.join()
            self._checking = None

    def _full_check(self, db: Database) -> None:
        from facilitator.records import check_records

        try:
            report: CheckReport | None = check_records(self._location)
        except Exception:  # busy or unreadable now: the next opening, backup or check tells
            report = None
        self.full_check_done.emit(report, db)

    def _on_full_check(self, report: CheckReport | None, db: Database) -> None:
        # A restore meanwhile replaced the records checked, then that report is not about these;
        # a window closed meanwhile has no one to tell.
        if report is None or report.ok or db is not self._operations.db or not self._parent.isVisible():
            return
        db.mark_damaged(report.problems[0])
        self._offer_restore(report.problems[0])

    def _offer_restore(self, problem: str) -> None:
        if confirm(
            self._parent,
            "Your Records Are Damaged",
            f"The full check of your records found damage ({problem}). Nothing more is written to them, "
            "so that the damage cannot spread; you can still read them.\n\n"
            "Restore a backup now? (File → Restore from Backup…)",
            "Restore from Backup…",
            "Not Now",
            icon=QMessageBox.Icon.Warning,
            yes_by_default=True,
        ):
            self.restore_backup()

    def meeting_to_resume(self) -> int | None:
        """After a crash or power cut, offer to go back to a meeting left open: its group's id if
        the facilitator says yes."""
        from facilitator.rules.meetings import open_meetings

        left_open = self._operations.run(open_meetings)
        if not left_open:
            return None
        meeting = left_open[-1]
        since = meeting.held(meeting.started_at)
        resume = confirm(
            self._parent,
            "Resume Meeting",
            f"The meeting of {meeting.group_name} opened on {day_at(since)} is still open, "
            f"with {meeting.present + meeting.late} marked here. Everything recorded is kept.\n\n"
            "Go back to it now?",
            "Resume Meeting",
            "Not Now",
            yes_by_default=True,
        )
        return meeting.group_id if resume else None
