"""Privacy from the window: forgetting a person who asks, and how long a group keeps its meetings.
Each deletes only after a backup has been taken."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QWidget

from facilitator.rules.groups import GroupInfo
from ui.common.plain import confirm
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations

FORGETTING_MEETINGS = Change.GROUPS | Change.MEETING | Change.ATTENDANCE


class Privacy(QObject):
    def __init__(self, operations: Operations, parent: QWidget) -> None:
        super().__init__(parent)
        self._operations = operations
        self._parent = parent

    def forget_person(self, participant_id: int) -> None:
        from facilitator.rules.privacy import forget_safely, person_records

        records = self._operations.run(lambda session: person_records(session, participant_id))
        if records is REFUSED:
            return
        if not confirm(
            self._parent,
            "Forget Person",
            f"Delete {records.display_name} and everything about them?\n\n"
            f"Groups: {', '.join(records.groups) or 'none'}. {records.check_ins} check-ins, "
            f"{records.share_turns} share turns, {records.letters} letters issued.\n\n"
            "Do this when someone asks to be forgotten. They go from every backup too; nothing can bring them back.",
            "Forget",
        ):
            return
        forgotten = self._operations.in_background(
            lambda: forget_safely(self._operations.db, participant_id),
            f"Forgetting {records.display_name} in the records and in every backup…",
        )
        if forgotten is not REFUSED:
            self._operations.announce(Change.ROSTER | Change.ATTENDANCE)
            done = f"{records.display_name} was forgotten. {forgotten.copies.message}".strip()
            if forgotten.copies.still_holding:  # the user has a file to delete
                self._operations.tell(done)
            else:
                self._operations.say(done)

    def apply_retention_rules(self) -> None:
        """At start-up: meetings that have grown older than their group keeps go, after a backup."""
        from facilitator.rules.privacy import apply_due_retention

        swept = self._operations.attempt(lambda: apply_due_retention(self._operations.db))
        if swept is not REFUSED and swept.meetings:
            self._operations.announce(FORGETTING_MEETINGS)
            self._operations.say(f"{swept.meetings} meetings older than their group keeps were deleted.")

    def set_retention(self, group: GroupInfo) -> None:
        from facilitator.rules.privacy import (
            RETENTION_RANGE,
            apply_retention_safely,
            retention_preview,
            retention_years,
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
        if preview is REFUSED:
            return
        if preview.meetings and not confirm(
            self._parent,
            "How Long to Keep Records",
            f"{group.name} will keep {preview.kept_for}. That deletes {preview.meetings} meetings from before "
            f"{preview.before:%d %b %Y} now, with their {preview.check_ins} check-ins. A backup is taken first.",
            "Delete",
        ):
            return
        applied = self._operations.attempt(lambda: apply_retention_safely(self._operations.db, group.id, years))
        if applied is not REFUSED:
            self._operations.announce(FORGETTING_MEETINGS)
            self._operations.say(f"{group.name} keeps {applied.gone.kept_for}.")
