"""The rules behind the check-in screen, the roster page and the history views."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from facilitator.errors import AlreadyExists, InvalidInput, InvalidState, NotFound
from facilitator.rules.attendance import check_in, check_in_newcomer, meeting_roll, remove_check_in, set_status
from facilitator.rules.attendance_grid import ABSENT, attendance_grid
from facilitator.rules.groups import create_group, list_groups, update_group
from facilitator.rules.history import participant_history, reach_out_list
from facilitator.rules.meetings import (
    close_meeting,
    meeting_info,
    open_meeting,
    open_meeting_of,
    open_meetings,
    set_guest_count,
    set_notes,
)
from facilitator.rules.participants import (
    add_participant,
    add_to_group,
    list_participants,
    people_outside,
    remove_from_roster,
    tenures,
    update_participant,
)
from facilitator.rules.roster_import import Placement, import_roster, preview_import, read_roster
from facilitator.storage.database import Database
from facilitator.storage.models import AttendanceStatus, Membership, MembershipBreak, Participant
from facilitator.storage.preferences import reach_out_weeks, set_reach_out_weeks
from facilitator.text import NameDisplay, shown_name

PRESENT, LATE, EXCUSED = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED


def _evening(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 19, 0).astimezone()


@pytest.fixture
def tuesday(db: Database) -> dict[str, int]:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        ids = {"group": group.id}
        for name in ("Ann", "Bo", "Cy"):
            ids[name] = add_participant(session, group.id, name, joined_on=date(2026, 1, 1)).id
    return ids


def test_the_roll_shows_everyone_and_what_was_recorded(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, tuesday["group"])
        check_in(session, meeting.id, tuesday["Bo"], status=LATE)
        check_in_newcomer(session, meeting.id, "Dee")
        roll = meeting_roll(session, meeting.id)
    assert [(entry.display_name, entry.status) for entry in roll] == [
        ("Ann", None),
        ("Bo", LATE),
        ("Cy", None),
        ("Dee", PRESENT),
    ]


def test_status_changes_and_take_backs_while_the_meeting_is_open(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, tuesday["group"])
        first = check_in(session, meeting.id, tuesday["Ann"])
        changed = set_status(session, meeting.id, tuesday["Ann"], EXCUSED)
        assert (changed.status, changed.checked_in_at) == (EXCUSED, first.checked_in_at)
        removed = remove_check_in(session, meeting.id, tuesday["Ann"])
        assert removed.status is EXCUSED
        with pytest.raises(NotFound, match="“Ann” is not marked"):
            remove_check_in(session, meeting.id, tuesday["Ann"])
        with pytest.raises(NotFound, match="not marked"):
            set_status(session, meeting.id, tuesday["Ann"], LATE)
        assert all(entry.status is None for entry in meeting_roll(session, meeting.id))


def test_a_closed_meeting_changes_only_as_a_visible_correction(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, tuesday["group"], now=_evening(date(2026, 3, 3)))
        check_in(session, meeting.id, tuesday["Ann"], now=meeting.started_at)
        closed = close_meeting(session, meeting.id)
        assert closed.edited_at is None
        for change in (
            lambda: check_in(session, meeting.id, tuesday["Bo"]),
            lambda: set_status(session, meeting.id, tuesday["Ann"], LATE),
            lambda: remove_check_in(session, meeting.id, tuesday["Ann"]),
            lambda: set_guest_count(session, meeting.id, 2),
        ):
            with pytest.raises(InvalidState, match="closed; correct it"):
                change()
        check_in(session, meeting.id, tuesday["Bo"], correcting=True)
        set_guest_count(session, meeting.id, 2, correcting=True)
        corrected = meeting_info(session, meeting.id)
    assert corrected.edited_at is not None
    assert (corrected.present, corrected.guests) == (2, 2)


def test_guests_are_counted_within_sense(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, tuesday["group"])
        assert set_guest_count(session, meeting.id, 3).guests == 3
        for wrong in (-1, 1000):
            with pytest.raises(InvalidInput, match="guests is outside 0–999"):
                set_guest_count(session, meeting.id, wrong)


def test_open_meetings_are_found_for_resuming(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        other = create_group(session, "Thursday")
        assert open_meetings(session) == [] and open_meeting_of(session, tuesday["group"]) is None
        first = open_meeting(session, tuesday["group"])
        open_meeting(session, other.id)
        close_meeting(session, open_meeting_of(session, other.id).id)
        assert [m.id for m in open_meetings(session)] == [first.id]
        assert open_meeting_of(session, tuesday["group"]).id == first.id


def test_roster_edits_keep_names_unique_and_history_intact(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, tuesday["group"])
        check_in(session, meeting.id, tuesday["Cy"])
        close_meeting(session, meeting.id)
        with pytest.raises(AlreadyExists, match="“Bo” is already on the roster of Tuesday"):
            update_participant(session, tuesday["Ann"], display_name="bo", note=None)
        update_participant(session, tuesday["Ann"], display_name="Ann L.", note="  prefers to pass  ")
        remove_from_roster(session, tuesday["group"], tuesday["Cy"])
        with pytest.raises(NotFound, match="not on the roster"):
            remove_from_roster(session, tuesday["group"], tuesday["Cy"])
        current = {p.display_name: p.note for p in list_participants(session, tuesday["group"])}
        former = list_participants(session, tuesday["group"], former=True)
        roll = meeting_roll(session, meeting.id)
    assert current == {"Ann L.": "prefers to pass", "Bo": None}
    assert [(p.display_name, p.meetings_attended, p.left_on is not None) for p in former] == [("Cy", 1, True)]
    assert [entry.display_name for entry in roll if entry.status] == ["Cy"]


def test_one_person_in_several_groups(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        saturday = create_group(session, "Saturday")
        add_participant(session, saturday.id, "Eve")
        outside = people_outside(session, saturday.id)
        assert [(p.display_name, p.groups) for p in outside] == [
            ("Ann", ("Tuesday",)),
            ("Bo", ("Tuesday",)),
            ("Cy", ("Tuesday",)),
        ]
        add_to_group(session, tuesday["Ann"], saturday.id)
        assert [p.display_name for p in people_outside(session, saturday.id)] == ["Bo", "Cy"]
        remove_from_roster(session, saturday.id, tuesday["Ann"])
        add_to_group(session, tuesday["Ann"], saturday.id)  # coming back restores the membership
        assert [p.display_name for p in list_participants(session, saturday.id)] == ["Ann", "Eve"]


def test_time_away_between_leaving_and_coming_back_is_not_missed_meetings(
    db: Database, tuesday: dict[str, int]
) -> None:
    """Cy leaves twice and comes back twice: the meetings held while they were away are not
    theirs to miss, in the report's grid, their history, a past roll or the reach-out list;
    a meeting they came to while away still counts."""
    tuesdays = [date(2026, 1, 6) + timedelta(weeks=week) for week in range(10)]
    leaves = {date(2026, 1, 20), date(2026, 3, 3)}
    returns = {date(2026, 2, 10), date(2026, 3, 10)}
    came = {date(2026, 1, 6), date(2026, 1, 13), date(2026, 2, 10), date(2026, 2, 24)}
    held = {}
    with db.begin() as session:
        for day in tuesdays:
            if day in leaves:
                remove_from_roster(session, tuesday["group"], tuesday["Cy"], on=day)
            if day in returns:
                add_to_group(session, tuesday["Cy"], tuesday["group"], joined_on=day)
            meeting = open_meeting(session, tuesday["group"], now=_evening(day))
            held[day] = meeting.id
            if day in came:
                check_in(session, meeting.id, tuesday["Cy"], now=_evening(day))
            close_meeting(session, meeting.id, now=_evening(day) + timedelta(hours=1))
        # They did come once while away, recorded afterwards as a correction.
        check_in(session, held[date(2026, 1, 27)], tuesday["Cy"], correcting=True, now=_evening(date(2026, 3, 11)))
        # Leaving and coming back the same day is no break; nor is coming back "before" leaving.
        remove_from_roster(session, tuesday["group"], tuesday["Ann"], on=date(2026, 2, 3))
        add_to_group(session, tuesday["Ann"], tuesday["group"], joined_on=date(2026, 2, 3))
        remove_from_roster(session, tuesday["group"], tuesday["Bo"], on=date(2026, 2, 3))
        add_to_group(session, tuesday["Bo"], tuesday["group"], joined_on=date(2026, 1, 27))
        grid = attendance_grid(session, tuesday["group"])
        history = participant_history(session, tuesday["Cy"], today=date(2026, 3, 31))
        quiet = reach_out_list(session, tuesday["group"], 1, today=date(2026, 3, 12))
        on_rolls = {day: "Cy" in [e.display_name for e in meeting_roll(session, held[day])] for day in tuesdays}
        (tenure,) = tenures(session, Membership.participant_id == tuesday["Cy"]).values()
        breaks = session.execute(select(MembershipBreak.left_on, MembershipBreak.rejoined_on)).all()
        # A leaving date before their last return is taken as that return.
        remove_from_roster(session, tuesday["group"], tuesday["Cy"], on=date(2026, 2, 1))
        (left,) = list_participants(session, tuesday["group"], former=True)
    marks = {row.display_name: row.marks for row in grid.rows}
    assert marks["Cy"] == (PRESENT, PRESENT, None, PRESENT, None, PRESENT, ABSENT, PRESENT, None, ABSENT)
    assert marks["Ann"] == marks["Bo"] == (ABSENT,) * 10
    cy = next(row for row in grid.rows if row.display_name == "Cy")
    assert (cy.attended, cy.expected) == (5, 7)
    assert (history.meetings_held, history.meetings_attended) == (7, 5)
    assert history.groups == ("Tuesday",)
    # Back on 10 March, Cy is not yet someone to reach out to, though last seen on 24 February.
    assert [person.display_name for person in quiet] == ["Ann", "Bo"]
    # The roll of a past meeting and the grid's rule agree, day by day.
    assert on_rolls == {day: day == date(2026, 1, 27) or tenure.covers(day) for day in tuesdays}
    assert [day for day in tuesdays if not on_rolls[day]] == [date(2026, 1, 20), date(2026, 2, 3), date(2026, 3, 3)]
    assert breaks == [(date(2026, 1, 20), date(2026, 2, 10)), (date(2026, 3, 3), date(2026, 3, 10))]  # Cy's alone
    assert (left.display_name, left.left_on) == ("Cy", date(2026, 3, 10))


@pytest.mark.parametrize(
    ("name", "style", "shown"),
    [
        ("Ann Marie Lee", NameDisplay.FULL, "Ann Marie Lee"),
        ("Ann Marie Lee", NameDisplay.FIRST_NAME_INITIAL, "Ann M. L."),
        ("Ann Marie Lee", NameDisplay.INITIALS, "A. M. L."),
        ("Zoë", NameDisplay.FIRST_NAME_INITIAL, "Zoë"),
        ("Łukasz Nowak", NameDisplay.INITIALS, "Ł. N."),
        ("<b>Ann</b> &", NameDisplay.INITIALS, "B."),
    ],
)
def test_names_on_shared_surfaces(name: str, style: NameDisplay, shown: str) -> None:
    assert shown_name(name, style) == shown


def test_the_name_display_is_a_group_setting(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Family")
        assert group.name_display is NameDisplay.FIRST_NAME_INITIAL  # privacy first for a new group
        update_group(
            session,
            group.id,
            name="Family",
            share_minutes=3,
            description="",
            meeting_weekday=None,
            meeting_time="",
            place="",
            name_display=NameDisplay.INITIALS,
        )
        assert list_groups(session)[0].name_display is NameDisplay.INITIALS


def test_reach_out_setting_and_list(db: Database, tuesday: dict[str, int]) -> None:
    today = date(2026, 3, 31)
    with db.begin() as session:
        assert reach_out_weeks(session) == 4
        assert set_reach_out_weeks(session, 6) == 6
        assert reach_out_weeks(session) == 6
        with pytest.raises(InvalidInput):
            set_reach_out_weeks(session, 0)
        for day, names in ((date(2026, 1, 6), ["Ann", "Bo"]), (date(2026, 3, 24), ["Ann"])):
            meeting = open_meeting(session, tuesday["group"], now=_evening(day))
            for name in names:
                check_in(session, meeting.id, tuesday[name], now=_evening(day))
            close_meeting(session, meeting.id, now=_evening(day) + timedelta(hours=1))
        quiet = reach_out_list(session, tuesday["group"], 6, today=today)
    assert [(person.display_name, person.last_seen_at is None) for person in quiet] == [("Cy", True), ("Bo", False)]


def test_a_participant_history_across_groups(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        saturday = create_group(session, "Saturday")
        add_to_group(session, tuesday["Ann"], saturday.id, joined_on=date(2026, 1, 1))
        day = date(2026, 1, 6)
        for week in range(12):
            for group_id in (tuesday["group"], saturday.id):
                moment = _evening(day + timedelta(weeks=week))
                meeting = open_meeting(session, group_id, now=moment)
                if week % 4 != 3:
                    check_in(session, meeting.id, tuesday["Ann"], status=LATE if week == 0 else PRESENT, now=moment)
                close_meeting(session, meeting.id, now=moment + timedelta(hours=1))
        history = participant_history(session, tuesday["Ann"], today=date(2026, 3, 31))
    assert history.groups == ("Saturday", "Tuesday")
    assert (history.meetings_held, history.meetings_attended) == (24, 18)
    assert history.attendance_rate == pytest.approx(0.75)
    assert history.milestones == (10,) and history.next_milestone == 25
    assert history.timeline[0].started_at > history.timeline[-1].started_at
    assert history.last_seen_at is not None
    assert dict(history.monthly)[date(2026, 1, 1)] == 6
    assert len(history.monthly) == 12


def test_the_import_preview_says_what_each_line_would_do(db: Database, tuesday: dict[str, int]) -> None:
    roster = read_roster(b"Name\nann\nDee\n\x07bell\nDEE\n")
    with db.begin() as session:
        preview = preview_import(session, tuesday["group"], roster)
    assert [(row.line, row.name, row.outcome, row.will_add) for row in preview] == [
        (2, "ann", "already on the roster", False),
        (3, "Dee", "new", True),
        (4, "", "problem: The name contains a control character (U+0007), which cannot be stored.", False),
        (5, "DEE", "repeated in the file", False),
    ]
    placements = [Placement.ON_ROSTER, Placement.NEW, Placement.PROBLEM, Placement.REPEATED]
    assert [row.placement for row in preview] == placements


def test_importing_the_name_of_someone_who_left_puts_them_back(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        remove_from_roster(session, tuesday["group"], tuesday["Cy"], on=date(2026, 2, 3))
        roster = read_roster(b"Name,Notes\ncy,new note\nDee,\n")
        preview = preview_import(session, tuesday["group"], roster)
        result = import_roster(session, tuesday["group"], roster)
        on_roster = {p.display_name: (p.id, p.note) for p in list_participants(session, tuesday["group"])}
        people = session.scalar(select(func.count()).select_from(Participant))
        breaks = session.execute(select(MembershipBreak.left_on, MembershipBreak.rejoined_on)).all()
    assert [(row.name, row.outcome, row.will_add) for row in preview] == [
        ("cy", "back on the roster (left 3 Feb 2026)", True),
        ("Dee", "new", True),
    ]
    assert [row.placement for row in preview] == [Placement.BACK, Placement.NEW]
    assert (result.added, result.back, result.already_on_roster) == (["Dee"], ["Cy"], [])
    assert on_roster["Cy"] == (tuesday["Cy"], None)  # the same person, their record as it was
    assert people == 4  # Ann, Bo, Cy and Dee: nobody doubled
    assert breaks == [(date(2026, 2, 3), date.today())]


def test_a_correction_that_changes_nothing_is_not_stamped(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, tuesday["group"], now=_evening(date(2026, 3, 3)))
        check_in(session, meeting.id, tuesday["Ann"], now=meeting.started_at)
        set_guest_count(session, meeting.id, 2)
        close_meeting(session, meeting.id, notes="Bring leaflets")
        set_status(session, meeting.id, tuesday["Ann"], PRESENT, correcting=True)
        set_guest_count(session, meeting.id, 2, correcting=True)
        set_notes(session, meeting.id, "  Bring leaflets ", correcting=True)
        assert meeting_info(session, meeting.id).edited_at is None
        set_notes(session, meeting.id, "Bring more leaflets", correcting=True)
        assert meeting_info(session, meeting.id).edited_at is not None


def test_a_meeting_resumed_on_a_later_day_shows_todays_newcomers(db: Database, tuesday: dict[str, int]) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, tuesday["group"], now=_evening(date.today() - timedelta(days=1)))
        add_participant(session, tuesday["group"], "Dee")  # joins today
        assert "Dee" in [entry.display_name for entry in meeting_roll(session, meeting.id)]


def test_participant_ids_are_never_reused(db: Database, tuesday: dict[str, int]) -> None:
    from facilitator.rules.attendance import undo_newcomer

    with db.begin() as session:
        meeting = open_meeting(session, tuesday["group"])
        zed = check_in_newcomer(session, meeting.id, "Zed")
        undo_newcomer(session, meeting.id, zed.participant_id)
        yan = add_participant(session, tuesday["group"], "Yan")
    assert yan.id > zed.participant_id


def test_sound_settings(db: Database) -> None:
    from facilitator.storage.preferences import set_sound, sound_settings

    with db.begin() as session:
        assert (sound_settings(session).volume, sound_settings(session).muted) == (60, False)
        set_sound(session, volume=25, muted=True)
        assert (sound_settings(session).volume, sound_settings(session).muted) == (25, True)
        with pytest.raises(InvalidInput, match="outside 0–100"):
            set_sound(session, volume=101, muted=False)
