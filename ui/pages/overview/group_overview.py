"""The page for one group: when and where it meets, who it is for, its figures at a glance, and its
recent meetings."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from facilitator.dates import medium_date
from facilitator.rules.groups import GroupInfo, group_info
from facilitator.rules.meetings import MeetingInfo, recent_meetings
from ui.common.meeting_table_model import MeetingTableModel
from ui.common.plain import plain_label
from ui.common.style import SUBTITLE_POINTS, set_points
from ui.common.widgets import NextStep, button, named, table_view
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations, Session

RECENT_MEETINGS = 12
CONCERNS = Change.GROUPS | Change.MEETING | Change.ATTENDANCE | Change.ROSTER


class _Figure(QFrame):
    """One number with its caption, as a tile."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setObjectName("figureTile")
        self.value = plain_label("", object_name="figureValue")
        self.caption = plain_label(caption, object_name="figureCaption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


class QtGroupOverview(QWidget):
    restore_requested = Signal()

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._operations = operations
        self.group_id: int | None = None
        self._shown: GroupInfo | None = None
        # The window's actions offered to a group that has not met yet.
        self._open_meeting: list[QAction] = []
        self._show_roster: list[QAction] = []
        self.setObjectName("groupOverview")
        self.title = plain_label("", object_name="pageTitle")
        self.title.setWordWrap(True)
        self.usual_meeting = plain_label("", object_name="usualMeeting")
        self.usual_meeting.setWordWrap(True)
        set_points(self.usual_meeting, SUBTITLE_POINTS)
        self.description = plain_label("")
        self.description.setWordWrap(True)
        set_points(self.description, SUBTITLE_POINTS)

        self.archived_banner = named(QFrame(), "archivedBanner")
        banner_text = plain_label(
            "This group is archived. Its meetings and attendance are kept; restore it to meet again."
        )
        banner_text.setWordWrap(True)
        restore = button("Restore Group", "Bring the group back into the list, to meet again")
        restore.clicked.connect(self.restore_requested)
        banner_layout = QHBoxLayout(self.archived_banner)
        banner_layout.addWidget(banner_text, 1)
        banner_layout.addWidget(restore)

        self.members = _Figure("members on the roster")
        self.meetings = _Figure("meetings held")
        self.last_met = _Figure("last meeting")
        self.share = _Figure("each share")
        figures = QGridLayout()
        figures.setSpacing(12)
        for column, tile in enumerate((self.members, self.meetings, self.last_met, self.share)):
            figures.addWidget(tile, 0, column)
            figures.setColumnStretch(column, 1)

        self.recent_model = MeetingTableModel(self)
        self.recent_view = table_view("recentMeetings", "Recent meetings", self.recent_model, stretch=1)
        self.next_step = NextStep()  # where a group that has not met yet would list its meetings

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(14)
        layout.addWidget(self.title)
        layout.addWidget(self.usual_meeting)
        layout.addWidget(self.description)
        layout.addWidget(self.archived_banner)
        layout.addLayout(figures)
        layout.addSpacing(6)
        layout.addWidget(plain_label("Recent meetings", object_name="sectionTitle"))
        layout.addWidget(self.recent_view, 1)
        layout.addWidget(self.next_step)
        layout.addStretch(0)

    def offer_first_steps(self, open_meeting: QAction, show_roster: QAction) -> None:
        """The window's actions for a group that has not met yet: they stand under what it says."""
        self._open_meeting, self._show_roster = [open_meeting], [show_roster]

    def show_group(self, group: GroupInfo | None) -> None:
        """The group and its latest meetings, read afresh."""
        if group is None:
            return
        group_id = self.group_id = group.id

        def read(session: Session) -> tuple[GroupInfo, list[MeetingInfo]]:
            return group_info(session, group_id), recent_meetings(session, group_id, RECENT_MEETINGS)

        found = self._operations.run(read)
        if found is not REFUSED:
            self._show(*found)

    def on_changes(self, changes: Change, initiator: object | None) -> None:
        if self.group_id is not None and changes & CONCERNS and self.isVisible():
            self.show_group(self._shown)

    def shut_down(self) -> None:
        """Nothing runs here between actions."""

    def _show(self, group: GroupInfo, recent: list[MeetingInfo]) -> None:
        self._shown = group
        self.title.setText(group.name)
        self.usual_meeting.setText(group.usual_meeting)
        self.usual_meeting.setVisible(bool(group.usual_meeting))
        self.description.setText(group.description)
        self.description.setVisible(bool(group.description))
        self.archived_banner.setVisible(group.archived)
        self.members.value.setText(str(group.member_count))
        self.meetings.value.setText(str(group.meeting_count))
        self.last_met.value.setText(medium_date(group.last_meeting_at.date()) if group.last_meeting_at else "Not yet")
        self.share.value.setText(f"{group.share_minutes:g} min")
        self.recent_model.set_rows(recent)
        self.recent_view.setVisible(bool(recent))
        self.next_step.setVisible(not recent)
        if not recent:
            self._show_next_step(group)
        self.recent_view.scrollToTop()

    def _show_next_step(self, group: GroupInfo) -> None:
        if group.archived:
            self.next_step.show_step("This group held no meetings.")
        elif group.member_count == 0:
            self.next_step.show_step(
                "No one is on the roster yet. Add the people who come on the Roster page, or open tonight's "
                "meeting and add them as they arrive.",
                self._open_meeting + self._show_roster,
            )
        else:
            self.next_step.show_step(
                "No meetings yet. Open tonight's meeting when the group gathers; its meetings are listed here.",
                self._open_meeting,
            )
