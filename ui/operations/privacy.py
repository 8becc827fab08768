"""Privacy from the window: forgetting a person who asks, and how long a group keeps its meetings.
Each deletes only after a backup has been taken."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from facilitator.dates import medium_date
from facilitator.plurals import counted, plural
from facilitator.rules.groups import GroupInfo
from ui.common.plain import ask_number, confirm
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
            "Delete Person's Records",
            f"Delete all of {records.display_name}'s records?\n\n"
            f"Groups: {', '.join(records.groups) or 'none'}. {counted(records.check_ins, 'attendance mark')}, "
            f"{counted(records.share_turns, 'share turn')}, {counted(records.letters, 'letter')} issued.\n\n"
            "Do this when someone asks for their records to be deleted. They go from every backup too; "
            "nothing can bring them back.",
            "Delete Records",
        ):
            return
        forgotten = self._operations.in_background(
            lambda: forget_safely(self._operations.db, participant_id),
            f"Deleting {records.display_name}'s records here and in every backup…",
        )
        if forgotten is not REFUSED:
            self._operations.announce(Change.ROSTER | Change.ATTENDANCE)
            done = f"{records.display_name}'s records were deleted. {forgotten.copies.message}".strip()
            if forgotten.copies.still_holding:  # the user has a file to delete
                self._operations.tell(done)
            else:
                self._operations.say(done)

    def finish_forgetting(self) -> None:
        """At start-up: a forgetting the program was closed or stopped in the middle of is finished
        in every backup (the person is already gone from the records, so nobody would ask again)."""
        from facilitator.rules.privacy import finish_forgetting

        finished = self._operations.in_background(
            lambda: finish_forgetting(self._operations.db), "Finishing deleting someone's records in every backup…"
        )
        if finished is REFUSED:
            return
        for copies in finished:
            done = (
                f"Deleting someone's records, stopped when Facilitator last closed, is now finished. {copies.message}"
            )
            if copies.still_holding:  # the user has a file to delete
                self._operations.tell(done.strip())
            else:
                self._operations.say(done.strip())

    def apply_retention_rules(self) -> None:
        """At start-up: meetings that have grown older than their group keeps go, after a backup;
        by a clock that disagrees with the records, only if the facilitator says so."""
        from facilitator.rules.privacy import apply_due_retention

        swept = self._operations.attempt(lambda: apply_due_retention(self._operations.db))
        if (
            swept is not REFUSED
            and swept.clock_doubt is not None
            and self._clock_is_right(swept.clock_doubt, swept.waiting)
        ):
            swept = self._operations.attempt(lambda: apply_due_retention(self._operations.db, clock_confirmed=True))
        if swept is not REFUSED and swept.meetings:
            self._operations.announce(FORGETTING_MEETINGS)
            self._operations.say(
                f"{counted(swept.meetings, 'meeting')} older than their group keeps "
                f"{plural(swept.meetings, 'was')} deleted."
            )

    def _clock_is_right(self, doubt: str, waiting: int) -> bool:
        return confirm(
            self._parent,
            "Check the Computer's Clock",
            f"{doubt}\n\nBy this clock, {counted(waiting, 'meeting')} {plural(waiting, 'is', 'are')} older than "
            "their group keeps. If the date and time are wrong, set them right first; nothing is deleted "
            "until you apply the rule.",
            "Apply the Rule",
            "Not Now",
        )

    def set_retention(self, group: GroupInfo) -> None:
        from facilitator.rules.privacy import (
            RETENTION_RANGE,
            apply_retention_safely,
            retention_clock_doubt,
            retention_preview,
            retention_years,
        )
        from facilitator.storage.models import utc_now

        current = self._operations.run(lambda session: retention_years(session, group.id))
        years = ask_number(
            self._parent,
            "How Long to Keep Records",
            f"Years of meetings {group.name} keeps (0 keeps them all).\n"
            "Older meetings and their attendance are deleted.",
            current or 0,
            RETENTION_RANGE.start,
            RETENTION_RANGE.stop - 1,
        )
        if years is None:
            return
        now = utc_now()
        seen = self._operations.run(
            lambda session: (retention_preview(session, group.id, years), retention_clock_doubt(session, now))
        )
        if seen is REFUSED:
            return
        preview, doubt = seen
        cutoff = medium_date(preview.before) if preview.before is not None else ""
        # The question names the cutoff date, and any doubt about the clock: a yes is said knowing both.
        if preview.meetings and not confirm(
            self._parent,
            "How Long to Keep Records",
            (f"{doubt}\n\n" if doubt else "")
            + f"{group.name} will keep {preview.kept_for}. That deletes {counted(preview.meetings, 'meeting')} "
            f"from before {cutoff} now, with their {counted(preview.check_ins, 'attendance mark')}. "
            "A backup is taken first.",
            "Delete",
        ):
            return
        applied = self._operations.attempt(
            lambda: apply_retention_safely(self._operations.db, group.id, years, now=now, clock_confirmed=True)
        )
        if applied is not REFUSED:
            self._operations.announce(FORGETTING_MEETINGS)
            self._operations.say(f"{group.name} keeps {applied.gone.kept_for}.")
