"""A wrong clock and a moved computer: times that make no sense for a meeting are clamped or
refused with a word, automatic deletion waits for a clock that agrees with the records, and a
meeting prints at the time it was held in whatever zone the records are read (issue 15, items 8–10)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from facilitator.dates import date_custom, day_at
from facilitator.documents.attendance_report import report_content, report_pdf
from facilitator.documents.layout import pdf_for
from facilitator.documents.letter import letter_pdf
from facilitator.errors import InvalidState
from facilitator.records import open_records
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group, list_groups
from facilitator.rules.history import participant_history, reach_out_list
from facilitator.rules.letters import letter_facts
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant, list_participants
from facilitator.rules.privacy import apply_due_retention, apply_retention_safely, set_retention_years
from facilitator.storage.database import Database
from facilitator.storage.locations import DataLocation
from facilitator.storage.models import Attendance, Meeting
from facilitator.storage.preferences import document_settings
from tests.test_documents import flat, pages
from tests.window_helpers import shown_window, when_modal_opens

T0 = datetime(2026, 3, 3, 18, 30, tzinfo=UTC)  # a Tuesday evening
RIGHT_CLOCK = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
TEN_YEARS_AHEAD = datetime(2036, 11, 24, 12, 0, tzinfo=UTC)

BRITISH = date_custom("en_GB")  # dates as written in the UK, whatever this computer's locale


@contextmanager
def zone(name: str) -> Iterator[None]:
    """This process's local time zone set to `name` for a while, as a computer moved elsewhere."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def _at(moment: datetime, offset: int) -> str:
    return day_at(moment.astimezone(timezone(timedelta(minutes=offset))))


def _a_group_with_ann(db: Database) -> tuple[int, int]:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        ann = add_participant(session, group.id, "Ann Lee", joined_on=date(2015, 1, 1))
    return group.id, ann.id


def _meetings(db: Database) -> int:
    with db.begin() as session:
        return session.scalar(select(func.count()).select_from(Meeting)) or 0


# Item 9: check-ins and meeting ends outside the meeting.


def test_a_close_under_a_clock_earlier_than_the_start_ends_at_the_last_check_in_and_says_so(db: Database) -> None:
    group, ann = _a_group_with_ann(db)
    with db.begin() as session:
        meeting = open_meeting(session, group, now=T0)
        check_in(session, meeting.id, ann, now=T0 + timedelta(minutes=10))
        closed = close_meeting(session, meeting.id, now=T0 - timedelta(days=2, hours=3))
    assert closed.ended_at == T0 + timedelta(minutes=10)
    assert closed.clock_note == (
        "The computer's clock reads earlier than this meeting's start; its end was recorded as "
        f"{_at(closed.ended_at, closed.utc_offset_minutes)}."
    )
    with db.begin() as session:
        nobody_came = open_meeting(session, group, now=T0 + timedelta(days=7))
        closed = close_meeting(session, nobody_came.id, now=T0)
    assert closed.ended_at == closed.started_at and closed.clock_note.startswith("The computer's clock reads earlier")


def test_a_close_under_a_right_clock_says_nothing_of_it(db: Database) -> None:
    group, _ann = _a_group_with_ann(db)
    with db.begin() as session:
        meeting = open_meeting(session, group, now=T0)
        closed = close_meeting(session, meeting.id, now=T0 + timedelta(minutes=90))
    assert (closed.ended_at, closed.clock_note) == (T0 + timedelta(minutes=90), "")


def test_a_check_in_under_a_clock_before_the_start_is_recorded_at_the_start_with_a_word(db: Database) -> None:
    group, ann = _a_group_with_ann(db)
    with db.begin() as session:
        meeting = open_meeting(session, group, now=T0)
        done = check_in(session, meeting.id, ann, now=T0 - timedelta(days=3))
        stored = session.scalar(select(Attendance.checked_in_at))
    assert stored == T0 and done.checked_in_at == T0
    assert done.clock_note == (
        "The computer's clock reads earlier than this meeting's start; Ann Lee's mark was recorded at its "
        f"start, {_at(T0, meeting.utc_offset_minutes)}."
    )


def test_a_check_in_long_after_the_start_is_refused_but_the_same_evening_is_taken(db: Database) -> None:
    group, ann = _a_group_with_ann(db)
    with db.begin() as session:
        bo = add_participant(session, group, "Bo Chen", joined_on=date(2015, 1, 1)).id
        cy = add_participant(session, group, "Cy Diaz", joined_on=date(2015, 1, 1)).id
        meeting = open_meeting(session, group, now=T0)
    with db.begin() as session, pytest.raises(InvalidState) as refused:
        check_in(session, meeting.id, ann, now=T0 + timedelta(days=400))
    assert str(refused.value) == (
        f"This meeting opened on {_at(T0, meeting.utc_offset_minutes)}; close it and open today's."
    )
    with db.begin() as session:
        assert session.scalar(select(func.count()).select_from(Attendance)) == 0
        # After a crash, the meeting is resumed the same evening: check-ins go on.
        late = check_in(session, meeting.id, bo, now=T0 + timedelta(hours=11, minutes=59))
    assert late.checked_in_at == T0 + timedelta(hours=11, minutes=59) and late.clock_note == ""
    with db.begin() as session:  # twelve hours after it opened: the line, still taken
        on_the_line = check_in(session, meeting.id, ann, now=T0 + timedelta(hours=12))
    assert on_the_line.checked_in_at == T0 + timedelta(hours=12)
    with db.begin() as session, pytest.raises(InvalidState):  # a second past the line
        check_in(session, meeting.id, cy, now=T0 + timedelta(hours=12, seconds=1))


def test_the_command_line_words_a_clock_earlier_than_the_meeting(location: DataLocation, cli) -> None:
    tomorrow = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)  # the clock reads a day early
    db = open_records(location)
    try:
        group, _ann = _a_group_with_ann(db)
        with db.begin() as session:
            meeting = open_meeting(session, group, now=tomorrow)
            old = open_meeting(session, create_group(session, "Old").id, now=tomorrow - timedelta(days=3))
    finally:
        db.close()

    came = cli("checkin", str(meeting.id), "Ann Lee")
    assert came.code == 0, came.err
    assert came.out == (
        "Marked Ann Lee: present.\nThe computer's clock reads earlier than this meeting's start; Ann Lee's "
        f"mark was recorded at its start, {_at(tomorrow, meeting.utc_offset_minutes)}.\n"
    )
    stale = cli("checkin", str(old.id), "Bo", "--new")
    assert stale.code != 0 and stale.err.strip().endswith(
        f"This meeting opened on {_at(old.started_at, old.utc_offset_minutes)}; close it and open today's."
    )
    closed = cli("meeting", "close", str(meeting.id))
    assert closed.code == 0
    assert closed.out.splitlines()[-1] == (
        "The computer's clock reads earlier than this meeting's start; its end was recorded as "
        f"{_at(tomorrow, meeting.utc_offset_minutes)}."
    )


# Item 8: deleting on a wrong clock.


def _years_of_meetings(db: Database, group: int, ann: int, years: range, *, keep: int) -> None:
    with db.begin() as session:
        for year in years:
            meeting = open_meeting(session, group, now=datetime(year, 6, 2, 18, 0, tzinfo=UTC))
            check_in(session, meeting.id, ann, now=meeting.started_at)
            close_meeting(session, meeting.id, now=meeting.started_at + timedelta(hours=1))
        set_retention_years(session, group, keep)


def test_start_up_deletes_nothing_under_a_clock_ten_years_ahead(db: Database) -> None:
    group, ann = _a_group_with_ann(db)
    _years_of_meetings(db, group, ann, range(2019, 2027), keep=3)

    swept = apply_due_retention(db, now=TEN_YEARS_AHEAD)

    assert (swept.meetings, swept.backup, swept.waiting) == (0, None, 8)
    assert swept.clock_doubt == (
        f"The computer's clock reads {day_at(TEN_YEARS_AHEAD.astimezone())}, over a year after the "
        f"newest record ({day_at(datetime(2026, 6, 2, 19, 0, tzinfo=UTC).astimezone())})."
    )
    assert _meetings(db) == 8
    assert not list(db.location.backup_dir.glob("*-before-retention.sqlite3"))
    # With the right clock the rule applies as before; and when the person says the clock is right, too.
    assert apply_due_retention(db, now=RIGHT_CLOCK).meetings == 5 and _meetings(db) == 3
    assert apply_due_retention(db, now=TEN_YEARS_AHEAD, clock_confirmed=True).meetings == 3


def test_a_meeting_held_under_a_clock_years_behind_is_not_deleted_for_its_date(db: Database) -> None:
    """A clock years behind (a flat clock battery) dates tonight's meeting years ago; set right, the
    clock agrees with the records again, and the group's rule would delete the meeting just held."""
    group, ann = _a_group_with_ann(db)
    _years_of_meetings(db, group, ann, range(2019, 2027), keep=3)
    behind = datetime(2016, 11, 24, 18, 0, tzinfo=UTC)
    with db.begin() as session:
        tonight = open_meeting(session, group, now=behind)
        check_in(session, tonight.id, ann, now=behind)
        close_meeting(session, tonight.id, now=behind + timedelta(hours=1))

    swept = apply_due_retention(db, now=RIGHT_CLOCK)

    assert (swept.meetings, swept.clock_doubt) == (5, None)  # 2019 to 2023, made before any kept
    with db.begin() as session:
        assert session.get(Meeting, tonight.id) is not None
        assert session.scalar(select(func.count()).where(Attendance.meeting_id == tonight.id)) == 1


def test_start_up_deletes_nothing_under_a_clock_behind_the_records(db: Database) -> None:
    group, ann = _a_group_with_ann(db)
    _years_of_meetings(db, group, ann, range(2019, 2027), keep=3)
    swept = apply_due_retention(db, now=datetime(2026, 5, 1, 12, 0, tzinfo=UTC))
    assert swept.meetings == 0 and swept.clock_doubt is not None
    assert "earlier than the newest record" in swept.clock_doubt
    assert _meetings(db) == 8


def test_a_retention_rule_set_by_hand_refuses_a_doubted_clock_unless_told_it_is_right(db: Database) -> None:
    group, ann = _a_group_with_ann(db)
    _years_of_meetings(db, group, ann, range(2019, 2027), keep=0)
    with pytest.raises(InvalidState, match="over a year after the newest record.*Nothing was deleted"):
        apply_retention_safely(db, group, 3, now=TEN_YEARS_AHEAD)
    assert _meetings(db) == 8
    assert apply_retention_safely(db, group, 3, now=TEN_YEARS_AHEAD, clock_confirmed=True).gone.meetings == 8


def test_the_command_line_refuses_to_delete_by_a_doubted_clock(location: DataLocation, cli) -> None:
    db = open_records(location)
    try:
        group, ann = _a_group_with_ann(db)
        _years_of_meetings(db, group, ann, range(2001, 2011), keep=0)  # the clock reads years past them all
    finally:
        db.close()
    refused = cli("retention", "--group", "Tuesday Circle", "--years", "3", "--yes")
    assert refused.code != 0 and "Something went wrong" not in refused.err
    assert "over a year after the newest record" in refused.err
    assert refused.err.strip().endswith("Nothing was deleted. If the clock is right, run again with --clock-is-right.")
    done = cli("retention", "--group", "Tuesday Circle", "--years", "3", "--yes", "--clock-is-right")
    assert done.code == 0 and "Deleted 10 meetings" in done.out


def test_the_window_asks_before_deleting_by_a_doubted_clock(db: Database, qtbot) -> None:
    group, ann = _a_group_with_ann(db)
    _years_of_meetings(db, group, ann, range(2001, 2011), keep=3)  # the clock reads years past them all
    window = shown_window(db, qtbot)
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton):
        return lambda box: (asked.append(box.text()), box.button(button).click())

    when_modal_opens(qtbot, answer(QMessageBox.StandardButton.Cancel))
    window.privacy.apply_retention_rules()
    assert asked[0].startswith("The computer's clock reads ")
    assert "over a year after the newest record" in asked[0]
    assert "By this clock, 10 meetings are older than their group keeps." in asked[0]
    assert _meetings(db) == 10

    when_modal_opens(qtbot, answer(QMessageBox.StandardButton.Yes))
    window.privacy.apply_retention_rules()
    assert _meetings(db) == 0
    assert window.statusBar().currentMessage() == "10 meetings older than their group keeps were deleted."
    window.close()


# Item 10: a meeting prints at the time it was held.

TUESDAYS = [date(2026, 3, 3) + timedelta(weeks=week) for week in range(5)]  # summer time starts 8 March


def _printed(location: DataLocation, cli, tmp_path: Path) -> dict[str, object]:
    db = open_records(location)
    try:
        with db.begin() as session:
            facts = letter_facts(session, 1, 1, date(2026, 3, 1), date(2026, 3, 31), signed_by="Sam Rivera")
            # printed at one moment, so that only the records' own times could differ between the zones
            pdf = pdf_for(document_settings(session), clock=lambda: datetime(2026, 4, 1, 12, tzinfo=UTC))
            march = report_content(session, 1, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
            report = flat(pages(report_pdf(pdf, march))[0])
            letter = flat(pages(letter_pdf(pdf, facts, custom=BRITISH))[0])
            timeline = [f"{entry.started_at:%a %d %b %H:%M}" for entry in participant_history(session, 1).timeline]
    finally:
        db.close()
    listing = cli("meetings", "--group", "Tuesday Circle")
    return {
        "timeline": timeline,
        "groups": cli("groups").out,  # the last meeting's day, as the overview shows it
        "roster": cli("participants", "--group", "Tuesday Circle").out,  # the day each was last seen
        "dates": facts.dates,
        "letter": letter.split("To whom it may concern,")[1].replace(facts.code, "CODE"),  # not the day issued
        "report": report,
        "listing": listing.out,
        "one day": cli("meetings", "--group", "Tuesday Circle", "--from", "2026-03-31", "--to", "2026-03-31").out,
    }


def test_the_same_records_print_the_same_in_two_zones(location: DataLocation, cli, tmp_path: Path) -> None:
    with zone("America/Los_Angeles"):
        db = open_records(location)
        try:
            group, ann = _a_group_with_ann(db)
            with db.begin() as session:
                for day in TUESDAYS:
                    evening = datetime(day.year, day.month, day.day, 19, 0).astimezone()
                    meeting = open_meeting(session, group, now=evening)
                    check_in(session, meeting.id, ann, now=meeting.started_at)
                    close_meeting(session, meeting.id, now=meeting.started_at + timedelta(minutes=90))
        finally:
            db.close()
        where_held = _printed(location, cli, tmp_path)
    with zone("Asia/Tokyo"):
        elsewhere = _printed(location, cli, tmp_path)

    assert where_held["dates"] == TUESDAYS
    assert "meets on" not in str(where_held["letter"])  # the group has no usual day set (see test_letters_court)
    assert "March 2026 Tue 3 Mar" in str(where_held["letter"]) and "Tue 31 Mar" in str(where_held["letter"])
    assert "2026-03-31  19:00" in str(where_held["listing"])
    assert "2026-03-31  19:00" in str(where_held["one day"]) and "2026-03-24" not in str(where_held["one day"])
    assert "5 meetings" in str(where_held["report"])
    assert "2026-03-31" in str(where_held["groups"]) and "2026-03-31" in str(where_held["roster"])
    assert where_held["timeline"] == [f"Tue {day:%d %b} 19:00" for day in reversed(TUESDAYS)]
    assert elsewhere == where_held


def test_last_seen_and_last_meeting_are_read_where_each_meeting_was_held(db: Database) -> None:
    """A group that met once in Los Angeles, then in Tokyo: each summary reads its own meeting's clock."""
    group, ann = _a_group_with_ann(db)
    with db.begin() as session:
        bo = add_participant(session, group, "Bo Chen", joined_on=date(2015, 1, 1)).id
    for where, day, people in (("America/Los_Angeles", 3, (ann, bo)), ("Asia/Tokyo", 10, (ann,))):
        with zone(where), db.begin() as session:
            meeting = open_meeting(session, group, now=datetime(2026, 3, day, 19, 0).astimezone())
            for person in people:
                check_in(session, meeting.id, person, now=meeting.started_at)
            close_meeting(session, meeting.id, now=meeting.started_at + timedelta(hours=1))
    with zone("Europe/London"), db.begin() as session:
        seen = {p.display_name: f"{p.last_seen_at:%a %d %b %H:%M}" for p in list_participants(session, group)}
        (listed,) = list_groups(session)
        quiet = {p.display_name: f"{p.last_seen_at:%a %d %b}" for p in reach_out_list(session, group, 1)}
    assert seen == {"Ann Lee": "Tue 10 Mar 19:00", "Bo Chen": "Tue 03 Mar 19:00"}
    assert f"{listed.last_meeting_at:%a %d %b %H:%M}" == "Tue 10 Mar 19:00"
    assert quiet == {"Ann Lee": "Tue 10 Mar", "Bo Chen": "Tue 03 Mar"}


def test_the_window_says_what_it_did_about_a_clock_earlier_than_the_meeting(db: Database, qtbot) -> None:
    from PySide6.QtCore import Qt

    from ui.actions import MainAction

    tomorrow = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)  # the clock reads a day early
    group, _ann = _a_group_with_ann(db)
    with db.begin() as session:
        meeting = open_meeting(session, group, now=tomorrow)
    window = shown_window(db, qtbot)
    window.show_page(window.check_in)
    panel = window.check_in
    ann_row = panel.waiting_view.visualRect(panel.waiting.index(0, 0)).center()
    qtbot.mouseClick(panel.waiting_view.viewport(), Qt.MouseButton.LeftButton, pos=ann_row)
    qtbot.mouseClick(panel.lists.present_button, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == (
        "The computer's clock reads earlier than this meeting's start; Ann Lee's mark was recorded at its "
        f"start, {_at(tomorrow, meeting.utc_offset_minutes)}."
    )
    when_modal_opens(qtbot, lambda dialog: dialog.close_button.click())
    window.actions_by_name[MainAction.CLOSE_MEETING].trigger()
    assert window.statusBar().currentMessage() == (
        "The computer's clock reads earlier than this meeting's start; its end was recorded as "
        f"{_at(tomorrow, meeting.utc_offset_minutes)}."
    )
    window.close()
