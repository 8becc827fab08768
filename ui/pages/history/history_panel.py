"""The history page: a group's meetings over a date range, and who has not been seen lately."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QModelIndex, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QListView,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from facilitator.dates import medium_date
from facilitator.plurals import counted
from facilitator.rules.groups import GroupInfo, group_info
from facilitator.rules.history import ReachOut, reach_out_list
from facilitator.rules.meetings import MeetingInfo, list_meetings
from facilitator.storage.preferences import REACH_OUT_RANGE, reach_out_weeks, set_reach_out_weeks
from ui.common.columns import LONG_TEXT_MIN_CHARS
from ui.common.meeting_table_model import MEETING_ID_ROLE, MeetingTableModel
from ui.common.plain import plain_label
from ui.common.widgets import (
    NextStep,
    action_buttons,
    button,
    column_fit,
    date_range,
    named,
    picked,
    python_date,
    table_view,
)
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations, Session

CONCERNS = Change.MEETING | Change.ATTENDANCE | Change.ROSTER


class QtHistoryPanel(QWidget):
    meeting_requested = Signal(int)
    person_requested = Signal(int)
    export_requested = Signal()

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self._operations = operations
        self.group: GroupInfo | None = None
        self._reach_out_ids: list[int] = []
        self._first_meeting: list[QAction] = []  # offered while the group has never met

        self.splitter = splitter = named(QSplitter(), "historySplitter")
        splitter.addWidget(self._build_meetings())
        self._reach_out = self._build_reach_out()
        splitter.addWidget(self._reach_out)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(splitter)

    def _build_meetings(self) -> QWidget:
        """The group's meetings between two dates (or all), with the buttons under them."""
        filters = self._build_filters()
        self.export_button = button("Export Attendance…", "Save attendance for these dates as a CSV file")
        self.export_button.clicked.connect(self.export_requested)
        self.open_button = button("Open Meeting…", "See or correct the highlighted meeting (Enter)")
        self.open_button.clicked.connect(self._open_current)
        self.model = MeetingTableModel(self)
        self.view = table_view("meetingHistory", "Meetings", self.model, stretch=1)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.activated.connect(lambda _index: self._open_current())
        self.count_label = plain_label("")
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.open_button)
        actions.addWidget(self.export_button)
        meetings = QWidget()
        meetings_layout = QVBoxLayout(meetings)
        meetings_layout.setContentsMargins(0, 0, 0, 0)
        meetings_layout.addLayout(filters)
        meetings_layout.addWidget(self.view, 1)
        meetings_layout.addLayout(actions)
        self._meetings_layout = meetings_layout
        return meetings

    def _build_filters(self) -> QHBoxLayout:
        self.all_dates = named(QCheckBox("All dates"), "allDates")
        self.all_dates.setChecked(True)
        self.all_dates.setToolTip("Show every meeting, or only those between the two dates")
        today = QDate.currentDate()
        self.date_from, self.date_to = date_range("date", python_date(today.addMonths(-3)), python_date(today))
        # The last day can never be set before the first, so a range is never back to front.
        for widget in (self.date_from, self.date_to):
            widget.setEnabled(False)
            widget.dateChanged.connect(lambda _d: self.refresh())
        self.all_dates.toggled.connect(self._all_dates_toggled)
        filters = QHBoxLayout()
        filters.addWidget(self.all_dates)
        filters.addWidget(plain_label("From"))
        filters.addWidget(self.date_from)
        filters.addWidget(plain_label("to"))
        filters.addWidget(self.date_to)
        filters.addStretch(1)
        return filters

    def _build_reach_out(self) -> QWidget:
        """The members not seen for some weeks, to reach out to."""
        self.weeks = named(QSpinBox(), "reachOutWeeks")
        self.weeks.setRange(REACH_OUT_RANGE.start, REACH_OUT_RANGE.stop - 1)
        self.weeks.setSuffix(" weeks")
        self.weeks.setAccessibleName("Weeks without being seen")
        self.weeks.setToolTip("Members not seen for this long appear in the list")
        self.weeks.setKeyboardTracking(False)
        self.weeks.valueChanged.connect(self._weeks_changed)
        self.reach_out_model = QStringListModel(self)
        self.reach_out_view = named(QListView(), "reachOutList")
        self.reach_out_view.setModel(self.reach_out_model)
        self.reach_out_view.setAccessibleName("Members not seen lately")
        self.reach_out_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.reach_out_view.activated.connect(self._person_activated)
        self.reach_out_step = NextStep()
        self.reach_out_note = self.reach_out_step.text
        reach_out = named(QWidget(), "reachOutPanel")
        reach_layout = QVBoxLayout(reach_out)
        reach_layout.setContentsMargins(0, 0, 0, 0)
        reach_layout.addWidget(plain_label("Reach out", object_name="sectionTitle"))
        weeks_row = QHBoxLayout()
        weeks_row.addWidget(plain_label("Not seen for"))
        weeks_row.addWidget(self.weeks)
        weeks_row.addStretch(1)
        reach_layout.addLayout(weeks_row)
        reach_layout.addWidget(self.reach_out_view, 1)
        reach_layout.addWidget(self.reach_out_step)
        return reach_out

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        """The reach-out list beside the meetings when the page has room for both whole, under
        them when it has not (a narrow screen, the script panel open)."""
        reach_out = self._reach_out
        room = self.splitter.width() - self.splitter.handleWidth()
        beside = room >= column_fit(self.view).content_width() + reach_out.minimumSizeHint().width()
        orientation = Qt.Orientation.Horizontal if beside else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation:
            self.splitter.setOrientation(orientation)
            if beside:
                least = reach_out.minimumSizeHint().width()
                self.splitter.setSizes([room - least, least])

    def add_actions(self, actions: list[QAction]) -> None:
        """Buttons under the meetings for the window's actions on the group's records (reports)."""
        row = action_buttons(actions)
        row.addStretch(1)
        self._meetings_layout.addLayout(row)

    def offer_first_meeting(self, action: QAction) -> None:
        """The action the empty reach-out list offers while the group has never met."""
        self._first_meeting = [action]

    def show_group(self, group: GroupInfo | None) -> None:
        self.group = group
        self.refresh()

    def on_changes(self, changes: Change, initiator: object | None) -> None:
        if changes & CONCERNS and self.isVisible():
            self.refresh()

    def shut_down(self) -> None:
        """Nothing runs here between actions."""

    def date_range(self) -> tuple[date | None, date | None]:
        if self.all_dates.isChecked():
            return None, None
        return picked(self.date_from), picked(self.date_to)

    def refresh(self) -> None:
        group = self.group
        if group is None:
            return
        date_from, date_to = self.date_range()

        def read(session: Session) -> tuple[list[MeetingInfo], int, list[ReachOut], bool]:
            weeks = reach_out_weeks(session)
            return (
                list_meetings(session, group.id, date_from=date_from, date_to=date_to),
                weeks,
                reach_out_list(session, group.id, weeks),
                group_info(session, group.id).meeting_count > 0,
            )

        found = self._operations.run(read)
        if found is REFUSED:
            return
        meetings, weeks, quiet, has_met = found
        self.model.set_rows(meetings)
        shown = "in all" if date_from is None else "between these dates"
        self.count_label.setText(f"{counted(len(meetings), 'meeting')} {shown}.")
        self.open_button.setEnabled(bool(meetings))
        self.weeks.blockSignals(True)
        self.weeks.setValue(weeks)
        self.weeks.blockSignals(False)
        self._reach_out_ids = [person.participant_id for person in quiet]
        self.reach_out_model.setStringList(
            [
                f"{person.display_name} — last seen {medium_date(person.last_seen_at.date())}"
                if person.last_seen_at
                else f"{person.display_name} — not seen yet"
                for person in quiet
            ]
        )
        # Each name and date whole, up to a readable length (beside the meetings, the list is narrow).
        most = self.reach_out_view.fontMetrics().averageCharWidth() * LONG_TEXT_MIN_CHARS
        furniture = 2 * self.reach_out_view.frameWidth() + self.reach_out_view.verticalScrollBar().sizeHint().width()
        self.reach_out_view.setMinimumWidth(min(self.reach_out_view.sizeHintForColumn(0), most) + furniture)
        self._arrange()
        self._show_reach_out_step(bool(quiet), has_met, weeks)

    def _show_reach_out_step(self, anyone: bool, has_met: bool, weeks: int) -> None:
        if anyone:
            self.reach_out_step.show_step("A friendly word can mean a lot. Enter opens history.")
        elif not has_met:
            self.reach_out_step.show_step(
                "Nobody to reach out to yet: this list fills once the group has met.", self._first_meeting
            )
        else:
            self.reach_out_step.show_step(
                f"Everyone has been seen in the last {weeks} week{'s' * (weeks != 1)}. "
                "To look further back, raise the weeks above."
            )

    def _all_dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(not on)
        self.date_to.setEnabled(not on)
        self.refresh()

    def _weeks_changed(self, weeks: int) -> None:
        if (
            self._operations.run(lambda session: set_reach_out_weeks(session, weeks), Change.SETTINGS, self)
            is not REFUSED
        ):
            self.refresh()

    def _open_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.meeting_requested.emit(index.data(MEETING_ID_ROLE))

    def selected_person_id(self) -> int | None:
        """The person selected in the reach-out list, if any: the one an attendance letter is first offered for."""
        index = self.reach_out_view.currentIndex()
        return self._reach_out_ids[index.row()] if index.isValid() else None

    def _person_activated(self, index: QModelIndex) -> None:
        self.person_requested.emit(self._reach_out_ids[index.row()])
