"""Deleting a meeting opened by mistake, from the meeting page or the history: asked first, then
deleted after a backup, and only if it recorded no one (the core refuses otherwise)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from facilitator.dates import day_at, short_day
from facilitator.rules.meetings import MeetingInfo, delete_empty_meeting
from ui.common.plain import confirm
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations


def delete_meeting_opened_by_mistake(operations: Operations, parent: QWidget, meeting: MeetingInfo) -> bool:
    """Whether the meeting was deleted: the facilitator said so, and nobody was in it."""
    opened = meeting.held(meeting.started_at)
    if not confirm(
        parent,
        "Delete Meeting",
        f"Delete the meeting of {meeting.group_name} opened on {day_at(opened)}?\n\n"
        "Nobody was marked at it and no guest was counted, so no one's record changes. "
        "A backup is taken first.",
        "Delete Meeting",
        icon=QMessageBox.Icon.Warning,
    ):
        return False
    deleted = operations.attempt(lambda: delete_empty_meeting(operations.db, meeting.id))
    if deleted is REFUSED:
        return False
    operations.announce(Change.MEETING | Change.ATTENDANCE)
    operations.say(f"The meeting of {meeting.group_name} opened on {short_day(opened.date())} was deleted.")
    return True
