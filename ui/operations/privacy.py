"""Privacy from the window: forgetting a person who asks, and how long a group keeps its meetings.
Each deletes only after a backup has been taken."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QWidget
from sqlalchemy.orm import Session

from facilitator.rules.groups import GroupInfo
from ui.common.plain import confirm
from ui.operations.changes import Change
from ui.operations.records_safety import RecordsSafety
from ui.operations.runner import Operations


class Privacy(QObject):
    def __init__(self, operations: Operations, safety: RecordsSafety, parent: QWidget) -> None:
        super().__init__(parent)
        self._operations = operations
        self._safety = safety
        self._parent = parent

    def _backed_up(self, reason: str) -> bool:
        """A backup before deleting; on a server (no file to copy) its own backups stand for it."""
        return self._operations.db.location.database_path is None or self._safety.back_up(reason) is not None

    def forget_person(self, participant_id: int) -> None:
        from facilitator.rules.privacy import forget_person, person_records

        records = self._operations.run(lambda session: person_records(session, participant_id))
        if records is None:
            return
        if not confirm(
            self._parent,
            "Forget Person",
            f"Delete {records.display_name} and everything about them?\n\n"
            f"Groups: {', '.join(records.groups) or 'none'}. {records.check_ins} check-ins, "
            f"{records.share_turns} share turns, {records.letters} letters issued.\n\n"
            "Do this when someone asks to be forgotten. A backup is taken first; nothing else can bring it back.",
            "Forget",
        ):
            return
        if not self._backed_up("before-forgetting"):
            return  # no backup, no deleting
        forgotten = self._operations.run(
            lambda session: forget_person(session, participant_id), Change.ROSTER | Change.ATTENDANCE
        )
        if forgotten is not None:
            self._operations.say(f"{records.display_name} was forgotten.")

    def apply_retention_rules(self) -> None:
        """At start-up: meetings that have grown older than their group keeps go, after a backup."""
        from facilitator.rules.groups import list_groups
        from facilitator.rules.privacy import apply_retention, retention_preview

        def due(session: Session) -> list[int]:
            groups = list_groups(session, include_archived=True)
            return [group.id for group in groups if retention_preview(session, group.id).meetings]

        groups = self._operations.run(due) or []
        if not groups or not self._backed_up("before-retention"):
            return
        gone = self._operations.run(
            lambda session: sum(apply_retention(session, group).meetings for group in groups),
            Change.GROUPS | Change.MEETING | Change.ATTENDANCE,
        )
        if gone:
            self._operations.say(f"{gone} meetings older than their group keeps were deleted.")

    def set_retention(self, group: GroupInfo) -> None:
        from facilitator.rules.privacy import (
            RETENTION_RANGE,
            apply_retention,
            retention_preview,
            retention_years,
            set_retention_years,
        )

        current = self._operations.run(lambda session: retention_years(session, group.id))
        years, accepted = QInputDialog.getInt(
            self._parent,
            "How Long to Keep Records",
            f"Years of meetings {group.name} keeps (0 keeps them all).\n"
            "Older meetings and their attendance are deleted.",
            current or 0,
            RETENTION_RANGE.start,
            RETENTION_RANGE.stop - 1,
        )
        if not accepted:
            return
        preview = self._operations.run(lambda session: retention_preview(session, group.id, years))
        if preview is None:
            return
        if preview.meetings and not confirm(
            self._parent,
            "How Long to Keep Records",
            f"{group.name} will keep {preview.kept_for}. That deletes {preview.meetings} meetings from before "
            f"{preview.before:%d %b %Y} now, with their {preview.check_ins} check-ins. A backup is taken first.",
            "Delete",
        ):
            return
        if preview.meetings and not self._backed_up("before-retention"):
            return

        def keep(session: Session) -> object:
            set_retention_years(session, group.id, years)
            return apply_retention(session, group.id)

        if self._operations.run(keep, Change.GROUPS | Change.MEETING | Change.ATTENDANCE) is not None:
            self._operations.say(f"{group.name} keeps {preview.kept_for}.")
