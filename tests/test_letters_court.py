"""The attendance letter as a court clerk receives it (issue 18, items 3-7): who sent it and how to
check it, who it is about, a first page that stands alone, the group's own schedule, and dates
and times in the user's custom."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from facilitator.dates import date_custom
from facilitator.documents.layout import pdf_for
from facilitator.documents.letter import letter_pdf
from facilitator.documents.settings import change_document_settings
from facilitator.errors import InvalidInput, NotFound
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.letters import check_letter, genuine_message, letter_facts, record_letter
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant
from facilitator.rules.privacy import forget_person
from facilitator.storage.database import Database
from facilitator.storage.locations import DataLocation
from facilitator.storage.models import AttendanceLetter
from facilitator.storage.preferences import document_settings

ISSUED = datetime(2026, 1, 6, 12, 0, tzinfo=UTC)  # a Tuesday
GB, US = date_custom("en_GB"), date_custom("en_US")
ORGANISATION = "Riverside Peer Network"
CONTACT = "0161 496 0000, letters@riverside.example"
SIGNER_NEEDED = "A letter needs the printed name of the person who signs it; it is not issued without one."
LEGAL = "Adaeze Okafor-Nwosu"
CASE = "CR-2026-0114"
TWO_YEARS = 104


def meetings(session, weeks: int, *, schedule: bool = True, at: time = time(19, 0), jitter=(0,)) -> tuple[int, int]:
    """Ann Lee at `weeks` weekly Tuesday meetings from 2 January 2024, each opened `jitter` minutes
    (in turn) from `at`, 90 minutes long; the group's usual day and time are set with `schedule`."""
    group = create_group(
        session,
        "Dual Recovery Circle",
        meeting_weekday=1 if schedule else None,
        meeting_time="19:00" if schedule else "",
    )
    ann = add_participant(session, group.id, "Ann Lee", joined_on=date(2023, 1, 1)).id
    for week in range(weeks):
        wall = datetime.combine(date(2024, 1, 2) + timedelta(weeks=week), at) + timedelta(
            minutes=jitter[week % len(jitter)]
        )
        meeting = open_meeting(session, group.id, now=wall.astimezone())
        check_in(session, meeting.id, ann, now=meeting.started_at)
        close_meeting(session, meeting.id, now=meeting.started_at + timedelta(minutes=90))
    return group.id, ann


def letter(
    db: Database,
    *,
    weeks: int = 1,
    paper: str = "A4",
    custom=GB,
    settings: dict[str, str] | None = None,
    **asked,
) -> bytes:
    """A letter for Ann Lee's attendance in 2024 and 2025, signed by Sam Rivera, issued on `ISSUED`."""
    with db.begin() as session:
        change_document_settings(session, {"paper": paper, **(settings or {})})
        group, ann = meetings(session, weeks, **asked.pop("group", {}))
        asked.setdefault("signed_by", "Sam Rivera")
        facts = letter_facts(session, ann, group, date(2024, 1, 1), date(2025, 12, 31), now=ISSUED, **asked)
        record_letter(session, facts)
        return letter_pdf(pdf_for(document_settings(session)), facts, custom=custom)


def texts(data: bytes, *, layout: bool = False) -> list[str]:
    if layout:
        return [page.extract_text(extraction_mode="layout") for page in PdfReader(io.BytesIO(data)).pages]
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def code_of(text: str) -> str:
    return text.split("quote the code ", 1)[1][:9]


CHECKED = {"organisation": ORGANISATION, "contact": CONTACT}


# Item 3: who sent it and how to check it.


@pytest.mark.parametrize("typed", ["", "   "])
def test_a_letter_is_not_issued_without_the_signers_printed_name(db: Database, typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        letter(db, signed_by=typed)
    assert str(refused.value) == SIGNER_NEEDED
    with db.begin() as session:
        assert session.scalars(select(AttendanceLetter)).all() == []


def test_the_command_line_asks_for_the_signer_and_takes_it_from_the_settings(cli, tmp_path: Path) -> None:
    assert cli("group", "add", "Court Group").code == 0
    assert cli("meeting", "open", "--group", "Court Group").code == 0
    assert cli("checkin", "1", "Ann Lee", "--new").code == 0
    assert cli("meeting", "close", "1").code == 0
    today = date.today().isoformat()
    out = tmp_path / "letter.pdf"
    ask = ("verify-letter", "--participant", "Ann Lee", "--group", "Court Group", "--from", today, "--to", today)
    refused = cli(*ask, "-o", str(out))
    assert refused.code != 0 and not out.exists()
    assert refused.err == (
        "facilitator: A letter needs the printed name of the person who signs it: give --signed-by NAME, "
        "or set it once with “facilitator settings set signed-by NAME”.\n"
    )
    assert cli("settings", "set", "signed-by", "Sam Rivera").code == 0
    assert cli("settings", "set", "contact", CONTACT).code == 0
    made = cli(*ask, "-o", str(out), "--legal-name", LEGAL, "--reference", CASE)
    assert made.code == 0, made.err
    (page,) = texts(out.read_bytes())
    assert "Sam Rivera, facilitator Date" in page and f"To check this letter: {CONTACT}" in page
    assert f"This confirms that {LEGAL}, known in the group as Ann Lee, attended 1 meeting" in page
    assert f"Reference: {CASE}" in page
    assert f"{LEGAL}; reference {CASE}" in cli("verify-code", code_of(page)).out


def test_the_verification_contact_is_a_document_setting_like_the_others(cli) -> None:
    assert cli("settings", "set", "contact", f"  {CONTACT}  ").out == f"Set contact to “{CONTACT}”.\n"
    assert cli("settings", "get", "contact").out.strip().endswith(CONTACT)
    too_long = cli("settings", "set", "contact", "x" * 301)
    assert too_long.err == "facilitator: The verification contact is 301 characters long; at most 300 fit.\n"


def test_the_letterhead_names_the_organisation_and_where_to_check_the_code(db: Database) -> None:
    (page,) = texts(letter(db, settings=CHECKED))
    assert page.startswith(f"{ORGANISATION} To check this letter: {CONTACT} Confirmation of attendance")
    assert f"To confirm this letter is genuine, contact {CONTACT} and quote the code {code_of(page)}." in page


def test_a_letter_that_leaves_the_group_out_keeps_a_neutral_letterhead_with_the_contact(db: Database) -> None:
    (page,) = texts(letter(db, settings=CHECKED, anonymous=True))
    assert page.startswith(f"To check this letter: {CONTACT} Confirmation of attendance")
    assert f"contact {CONTACT} and quote the code" in page
    for telling in (ORGANISATION, "Dual", "Recovery", "Circle"):
        assert telling not in page


def test_a_letter_that_leaves_the_group_out_needs_a_contact_to_check_it(db: Database) -> None:
    with pytest.raises(InvalidInput) as refused:
        letter(db, settings={"organisation": ORGANISATION}, anonymous=True)
    assert str(refused.value) == (
        "A letter that leaves the group's name out needs a contact where its code can be checked (a phone "
        "number, e-mail or address), or it says nothing of where it came from. Set the verification contact "
        "in Settings for Printed Documents, or with “facilitator settings set contact”."
    )


def test_without_a_contact_the_letter_names_who_signed_it_to_ask(db: Database) -> None:
    (page,) = texts(letter(db, settings={"organisation": ORGANISATION}))
    assert page.startswith(f"{ORGANISATION} Confirmation of attendance")
    assert "contact Sam Rivera, who signed it, and quote the code" in page


# Item 4: who it is about.


def test_the_legal_name_and_reference_are_printed_and_kept_with_the_letter_only(
    db: Database, location: DataLocation, cli, tmp_path: Path
) -> None:
    (page,) = texts(letter(db, settings=CHECKED, legal_name=f"  {LEGAL}\n", reference=CASE))
    assert f"Reference: {CASE} To whom it may concern," in page
    assert f"This confirms that {LEGAL}, known in the group as Ann Lee, attended 1 meeting" in page
    with db.begin() as session:
        kept = session.scalars(select(AttendanceLetter)).one()
        assert (kept.legal_name, kept.reference) == (LEGAL, CASE)
        told = genuine_message(check_letter(session, kept.code))
    assert told == (
        f"Genuine: letter {kept.code} was issued on 6 Jan 2026 for Ann Lee (legal name {LEGAL}; reference {CASE}) "
        "of Dual Recovery Circle: 1 meeting from 1 Jan 2024 to 31 Dec 2025."
    )
    elsewhere = [
        cli("participants", "--group", "Dual Recovery Circle").out,
        cli("export", "roster", "--group", "Dual Recovery Circle", "-o", str(tmp_path / "r.csv")).out,
        cli("export", "attendance", "--group", "Dual Recovery Circle", "-o", str(tmp_path / "a.csv")).out,
        (tmp_path / "r.csv").read_text(encoding="utf-8-sig"),
        (tmp_path / "a.csv").read_text(encoding="utf-8-sig"),
    ]
    report = tmp_path / "report.pdf"
    group = ("--group", "Dual Recovery Circle", "--from", "2024-01-01", "--to", "2025-12-31")
    assert cli("report", "attendance", *group, "-o", str(report)).code == 0
    elsewhere += texts(report.read_bytes())
    for shown in elsewhere:
        assert "Okafor" not in shown and CASE not in shown


def test_a_legal_name_or_reference_too_long_is_refused_plainly(db: Database) -> None:
    with pytest.raises(InvalidInput, match=r"^The legal name is 201 characters long; at most 200 fit\.$"):
        letter(db, legal_name="A" * 201)
    with pytest.raises(InvalidInput, match=r"^The reference or case number is 101 characters long; at most 100 fit\.$"):
        letter(db, reference="7" * 101)


def test_forgetting_the_person_forgets_the_legal_name_and_reference(db: Database, location: DataLocation) -> None:
    letter(db, settings=CHECKED, legal_name=LEGAL, reference=CASE)
    with db.begin() as session:
        forget_person(session, session.scalars(select(AttendanceLetter.participant_id)).one())
        assert session.scalars(select(AttendanceLetter)).all() == []
    db.close()
    if location.database_path is not None:  # SQLite's secure_delete overwrites what was deleted
        assert LEGAL.encode() not in location.database_path.read_bytes()
        assert CASE.encode() not in location.database_path.read_bytes()


def test_a_code_of_a_person_whose_records_were_deleted_is_not_called_never_issued(db: Database) -> None:
    """The letter was real: checking its code after the person's records were deleted must not
    tell a court that this program never issued it."""
    code = code_of(texts(letter(db, settings=CHECKED))[0])
    with db.begin() as session:
        forget_person(session, session.scalars(select(AttendanceLetter.participant_id)).one())
    with db.begin() as session, pytest.raises(NotFound) as refused:
        check_letter(session, code)
    assert str(refused.value) == (
        f"No letter with the code {code} is on record here: it was not issued from these records, "
        "or the person's records were deleted since."
    )


# Item 5: a first page that stands alone.


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("weeks", [1, TWO_YEARS])
def test_page_one_holds_the_whole_confirmation_and_every_page_names_the_person_and_the_code(
    db: Database, paper: str, weeks: int
) -> None:
    data = letter(db, weeks=weeks, paper=paper, settings=CHECKED)
    pages = texts(data)
    first, code = pages[0], code_of(pages[0])
    assert f"This confirms that Ann Lee attended {weeks} meeting" in first
    assert "Sam Rivera, facilitator Date" in first and f"quote the code {code}" in first
    total = len(pages)
    assert (total == 1) if weeks == 1 else (total >= 2)
    for number, page in enumerate(pages, start=1):
        assert f"Code {code} · confirmation of attendance for Ann Lee" in page, number
        assert f"Page {number} of {total}" in page, number
    for page in pages[1:]:
        assert "Meetings attended by Ann Lee" in page  # whose dates these are, at the top of each page
    listed = " ".join(pages)
    assert listed.count(" Tue ") == weeks


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_dates_are_grouped_under_their_months(db: Database, paper: str) -> None:
    lines = [
        line.split()
        for page in texts(letter(db, weeks=TWO_YEARS, paper=paper), layout=True)
        for line in page.splitlines()
    ]
    rows = {" ".join(line[:2]): " ".join(line[2:]) for line in lines if len(line) > 2}
    assert rows["January 2024"] == "Tue 2 Jan Tue 9 Jan Tue 16 Jan Tue 23 Jan Tue 30 Jan"
    assert rows["December 2025"] == "Tue 2 Dec Tue 9 Dec Tue 16 Dec Tue 23 Dec"
    months = [key for key in rows if key.split()[0] in ("January", "June", "December")]
    assert months == ["January 2024", "June 2024", "December 2024", "January 2025", "June 2025", "December 2025"]


# Item 6: the group's schedule, not the minute a meeting was opened.


def test_the_schedule_is_the_groups_usual_day_and_time_whatever_minute_meetings_opened(db: Database) -> None:
    data = letter(db, weeks=6, settings=CHECKED, group={"jitter": (0, 3, -2, 7, 13, -4)})
    assert "The group meets on Tuesdays at 19:00, and its meetings last about 90 minutes." in texts(data)[0]


def test_a_group_with_no_usual_day_says_nothing_of_one(db: Database) -> None:
    data = letter(db, weeks=6, settings=CHECKED, group={"schedule": False, "at": time(13, 6)})
    (page,) = texts(data)
    assert "meets on" not in page and "13:06" not in page
    assert "Its meetings last about 90 minutes." in page


# Item 7 (the locale): dates and times in the user's custom.


def test_the_letter_writes_dates_and_times_as_the_user_does(db: Database) -> None:
    american = texts(letter(db, weeks=2, settings=CHECKED, custom=US))[0]
    assert "Issued on Tuesday, January 6, 2026" in american
    assert "between January 1, 2024 and December 31, 2025" in american
    assert "The group meets on Tuesdays at 7:00 PM" in american
    assert "January 2024 Tue, Jan 2 Tue, Jan 9" in american


def test_the_letter_in_british_custom(db: Database) -> None:
    british = texts(letter(db, weeks=2, settings=CHECKED, custom=GB))[0]
    assert "Issued on Tuesday, 6 January 2026" in british
    assert "between 1 January 2024 and 31 December 2025" in british
    assert "The group meets on Tuesdays at 19:00" in british
    assert "January 2024 Tue 2 Jan Tue 9 Jan" in british


@pytest.mark.parametrize(
    ("name", "day", "clock"),
    [
        ("en_US", "Tuesday, January 6, 2026", "7:00 PM"),
        ("en_US.UTF-8", "Tuesday, January 6, 2026", "7:00 PM"),
        ("en-GB", "Tuesday, 6 January 2026", "19:00"),
        ("de_DE.UTF-8", "Tuesday, 6 January 2026", "19:00"),  # English words, the German custom
        ("fr_CA", "Tuesday, January 6, 2026", "7:00 p.m."),
        ("C.UTF-8", "Tuesday, 6 January 2026", "19:00"),  # no custom asked for: the program's own
        ("", "Tuesday, 6 January 2026", "19:00"),
        ("xx_QQ", "Tuesday, 6 January 2026", "19:00"),
    ],
)
def test_a_locale_name_gives_its_custom(name: str, day: str, clock: str) -> None:
    custom = date_custom(name)
    assert (custom.full_day(date(2026, 1, 6)), " ".join(custom.clock(time(19, 0)).split())) == (day, clock)


def test_a_custom_is_found_with_english_locale_data_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from babel import localedata

    # What the standalone program carries (installers/facilitator.spec): only English data.
    shipped = localedata.exists
    monkeypatch.setattr(
        localedata, "exists", lambda name: (name in ("root", "en") or name.startswith("en_")) and shipped(name)
    )
    custom = date_custom("es_US.UTF-8")  # a Spanish speaker in the United States: the American custom
    assert (custom.full_day(date(2026, 1, 6)), " ".join(custom.clock(time(19, 0)).split())) == (
        "Tuesday, January 6, 2026",
        "7:00 PM",
    )


@pytest.mark.parametrize(
    ("environment", "clock"),
    [
        ({"LC_TIME": "en_US.UTF-8", "LANG": "en_GB.UTF-8"}, "7:00 PM"),
        ({"LC_ALL": "en_GB.UTF-8", "LC_TIME": "en_US.UTF-8"}, "19:00"),
        ({"LANG": "en_US.UTF-8"}, "7:00 PM"),
        ({"LANG": "C"}, "19:00"),
        ({}, "19:00"),
    ],
)
def test_the_command_line_takes_the_custom_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], clock: str
) -> None:
    for variable in ("LC_ALL", "LC_TIME", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert " ".join(date_custom().clock(time(19, 0)).split()) == clock


# The window's letter dialog: not without the signer; the legal name, reference and locale passed on.


def test_the_window_does_not_make_a_letter_without_the_signers_name(db: Database, qtbot, monkeypatch) -> None:
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDialog

    import ui.operations.documents as window_documents
    from tests.test_documents_window import preview_then
    from tests.window_helpers import shown_window, when_modal_opens
    from ui.actions import MainAction
    from ui.operations.document_dialogs import QtLetterDialog

    with db.begin() as session:
        meetings(session, 2)
        change_document_settings(session, CHECKED)

    class American:
        @staticmethod
        def system():
            class Named:
                @staticmethod
                def name() -> str:
                    return "en_US"

            return Named()

    monkeypatch.setattr(window_documents, "QLocale", American)  # the system's locale, as Qt gives it
    window = shown_window(db, qtbot)
    made: list[bytes] = []

    def fill(dialog) -> None:
        assert isinstance(dialog, QtLetterDialog)
        assert dialog.signer.text() == "" and not dialog.make.isEnabled()  # no "Signed by" setting to offer
        dialog.accept()  # asked to close with nothing typed: it stays
        assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
        dialog.signer.setText("Sam Rivera")
        assert dialog.make.isEnabled()
        dialog.legal_name.setText(LEGAL)
        dialog.reference.setText(CASE)
        dialog.date_from.setDate(QDate(2024, 1, 1))
        dialog.date_to.setDate(QDate(2024, 12, 31))
        preview_then(qtbot, lambda preview: made.append(preview.data))
        dialog.make.click()

    when_modal_opens(qtbot, fill)
    window.actions_by_name[MainAction.ATTENDANCE_LETTER].trigger()
    qtbot.waitUntil(lambda: bool(made))
    (page,) = texts(made[0])
    assert f"This confirms that {LEGAL}, known in the group as Ann Lee, attended 2 meetings" in page
    assert f"Reference: {CASE}" in page and "Sam Rivera, facilitator Date" in page
    assert "between January 1, 2024 and December 31, 2024" in page and "at 7:00 PM" in page
    window.close()


def test_the_settings_dialog_keeps_the_contact_as_the_command_line_does(db: Database, qtbot, cli) -> None:
    from PySide6.QtWidgets import QDialog

    from tests.window_helpers import shown_window, when_modal_opens
    from ui.operations.document_dialogs import QtDocumentSettingsDialog

    window = shown_window(db, qtbot)
    dialog = QtDocumentSettingsDialog(window.operations, window)
    qtbot.addWidget(dialog)
    dialog.contact.setText("x" * 301)
    told: list[str] = []
    when_modal_opens(qtbot, lambda box: (told.append(box.text()), box.accept()))
    dialog.save()
    qtbot.waitUntil(lambda: bool(told))
    assert "The verification contact is 301 characters long; at most 300 fit." in told[0]
    assert dialog.result() != QDialog.DialogCode.Accepted
    dialog.contact.setText(f" {CONTACT} ")
    dialog.save()
    window.close()
    assert cli("settings", "get", "contact").out.strip().endswith(CONTACT)
