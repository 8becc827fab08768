"""Every Qt item model of the window passes pytest-qt's model tester: empty, filled with the rows the
core hands it (from a year of demo records), and reset to different rows. Qt's own tester watches the
model through every change; pytest-qt's Python tester also checks what each role returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester

from facilitator.records import open_records
from facilitator.rules.attendance import RollEntry, check_in, meeting_roll
from facilitator.rules.demo import build_demo
from facilitator.rules.groups import GroupInfo, archive_group, list_groups
from facilitator.rules.guides import GuideSummary, list_guides
from facilitator.rules.history import TimelineEntry, participant_history
from facilitator.rules.meetings import MeetingInfo, list_meetings, open_meeting
from facilitator.rules.participants import ParticipantInfo, list_participants
from facilitator.rules.roster_import import PreviewRow, preview_import, read_roster
from facilitator.storage.locations import DataLocation
from facilitator.storage.models import AttendanceStatus
from ui.common.meeting_table_model import MeetingTableModel
from ui.common.roll_model import EXCUSED, HERE, NOT_HERE_YET, RollFilter, RollModel
from ui.common.table_model import SnapshotTableModel
from ui.operations.import_dialog import PreviewModel
from ui.pages.guides.guides_panel import GuideTableModel
from ui.pages.history.participant_dialog import TimelineModel
from ui.pages.roster.roster_model import RosterFilter, RosterModel
from ui.shell.group_list_model import GroupListModel

Check = Callable[[QAbstractItemModel], None]
Row = TypeVar("Row")
ROSTER_FILE = "name,note\nAnn Example,new this month\nZoë Ünicode,\n,a line without a name\nAnn Example,twice\n"


@dataclass(frozen=True)
class Snapshots:
    """Two different sets of rows for each model: what two groups, two people or two files give."""

    groups: tuple[list[GroupInfo], list[GroupInfo]]
    meetings: tuple[list[MeetingInfo], list[MeetingInfo]]
    roll: tuple[list[RollEntry], list[RollEntry]]
    roster: tuple[list[ParticipantInfo], list[ParticipantInfo]]
    guides: tuple[list[GuideSummary], list[GuideSummary]]
    timeline: tuple[list[TimelineEntry], list[TimelineEntry]]
    preview: tuple[list[PreviewRow], list[PreviewRow]]


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> Snapshots:
    """Rows read by the core's use cases from a year of demo records (built once for the module)."""
    db = open_records(DataLocation.resolve(Path(tmp_path_factory.mktemp("models")) / "data", None))
    try:
        with db.begin() as session:
            build_demo(session, years=1)
            groups_before = list_groups(session)
            first, second, third = groups_before
            archive_group(session, third.id)
            groups_after = list_groups(session, include_archived=True)
            tonight = open_meeting(session, first.id)
            people = list_participants(session, first.id)
            check_in(session, tonight.id, people[0].id)
            check_in(session, tonight.id, people[1].id, status=AttendanceStatus.LATE)
            last_time = list_meetings(session, second.id)[-2]
            roster = read_roster(ROSTER_FILE.encode())
            return Snapshots(
                groups=(groups_before, groups_after),
                meetings=(list_meetings(session, first.id), list_meetings(session, second.id)[-5:]),
                roll=(meeting_roll(session, tonight.id), meeting_roll(session, last_time.id)),
                roster=(people, list_participants(session, second.id)),
                guides=(list_guides(session), list_guides(session, words="feelings")),
                timeline=(
                    list(participant_history(session, people[0].id).timeline),
                    list(participant_history(session, people[-1].id).timeline),
                ),
                preview=(preview_import(session, first.id, roster), preview_import(session, second.id, roster)),
            )
    finally:
        db.close()


@pytest.fixture(params=[False, True], ids=["qt-tester", "python-tester"])
def check(request: pytest.FixtureRequest, qtmodeltester: ModelTester) -> Check:
    """Qt's C++ tester, or pytest-qt's own in Python (stricter about what each role returns). Either
    follows the model through every later change: attach it once, then change the model."""
    force_py: bool = request.param
    return lambda model: qtmodeltester.check(model, force_py=force_py)  # type: ignore[no-untyped-call]  # pytest-qt's is unannotated


def exercise(model: SnapshotTableModel[Row], rows: tuple[Sequence[Row], Sequence[Row]], check: Check) -> None:
    """Watch `model` from empty, filled, reset to other rows, back, and emptied again."""
    check(model)
    first, second = rows
    assert first and second, "the demo should give rows for both sets"
    for shown in (first, second, first, []):
        model.set_rows(shown)
        assert model.rowCount() == len(shown)


def test_meeting_table_model(qapp: QApplication, snapshots: Snapshots, check: Check) -> None:
    assert len(snapshots.meetings[0]) > 50  # a year of a weekly group's meetings
    exercise(MeetingTableModel(), snapshots.meetings, check)


def test_roll_model(qapp: QApplication, snapshots: Snapshots, check: Check) -> None:
    exercise(RollModel(), snapshots.roll, check)


def test_roll_model_updated_in_place(qapp: QApplication, snapshots: Snapshots, check: Check) -> None:
    """The same people with another status are updated in place (dataChanged), not reset."""
    model = RollModel()
    model.closed = True  # a past meeting's roll says "Absent"
    check(model)
    tonight = snapshots.roll[0]
    model.set_rows(tonight)
    model.set_rows(
        [replace(entry, status=AttendanceStatus.EXCUSED) if n % 2 else entry for n, entry in enumerate(tonight)]
    )
    model.set_rows(tonight)
    assert model.rowCount() == len(tonight)


@pytest.mark.parametrize("statuses", [NOT_HERE_YET, HERE, EXCUSED])
def test_roll_filter(
    qapp: QApplication, snapshots: Snapshots, check: Check, statuses: frozenset[AttendanceStatus | None]
) -> None:
    source = RollModel()
    proxy = RollFilter(source, statuses=statuses)
    proxy.sort(0)
    check(proxy)
    source.set_rows(snapshots.roll[0])
    proxy.set_search("a")
    source.set_rows(snapshots.roll[1])
    proxy.set_search("")
    source.set_rows([])


def test_group_list_model(qapp: QApplication, snapshots: Snapshots, check: Check) -> None:
    model = GroupListModel()
    check(model)
    for shown in (*snapshots.groups, []):
        model.set_groups(shown)
        assert model.rowCount() == len(shown)


def test_roster_model(qapp: QApplication, snapshots: Snapshots, check: Check) -> None:
    exercise(RosterModel(), snapshots.roster, check)


def test_roster_filter(qapp: QApplication, snapshots: Snapshots, check: Check) -> None:
    source = RosterModel()
    proxy = RosterFilter()
    proxy.setSourceModel(source)
    proxy.sort(4)
    check(proxy)
    source.set_rows(snapshots.roster[0])
    proxy.set_search("an")
    source.set_rows(snapshots.roster[1])


def test_guide_table_model(qapp: QApplication, snapshots: Snapshots, check: Check) -> None:
    exercise(GuideTableModel(), snapshots.guides, check)


def test_timeline_model(qapp: QApplication, snapshots: Snapshots, check: Check) -> None:
    exercise(TimelineModel(), snapshots.timeline, check)


def test_import_preview_model(qapp: QApplication, snapshots: Snapshots, check: Check) -> None:
    exercise(PreviewModel(), snapshots.preview, check)
