"""Printed documents, read back as a reader would: the text on each page, the page count, the
names in every script the font covers, and user text shown literally."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest
from pypdf import PdfReader
from sqlalchemy import insert

from facilitator.dates import date_custom
from facilitator.documents import fonts
from facilitator.documents.attendance_report import report_content, report_pdf
from facilitator.documents.handout import handout_content, handout_pdf
from facilitator.documents.layout import PageSetup, Part, Pdf, pdf_for
from facilitator.documents.letter import letter_pdf
from facilitator.documents.packet import packet_pdf
from facilitator.documents.settings import change_document_settings
from facilitator.documents.sign_in import sign_in_content, sign_in_pdf
from facilitator.errors import InvalidInput, NotFound
from facilitator.rules.attendance import check_in
from facilitator.rules.attendance_grid import attendance_grid
from facilitator.rules.groups import create_group
from facilitator.rules.letters import check_letter, letter_facts, normalise_code, record_letter
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.models import Attendance, AttendanceStatus, Meeting, MeetingState
from facilitator.storage.preferences import (
    default_page_size,
    document_settings,
)
from facilitator.text import NameDisplay
from tests.conftest import HOSTILE_NAME

UNICODE_NAMES = ("Zoë Brontë", "Łukasz Żółć", "Мария Иванова", "Nguyễn Thị Hương")
ARABIC_NAME = "مريم"
T0 = datetime(2026, 3, 3, 19, 0).astimezone()

BRITISH = date_custom("en_GB")  # dates as written in the UK, whatever this computer's locale


def pages(data: bytes, *, layout: bool = False) -> list[str]:
    """The text of each page; with `layout`, laid out as printed, so a table's row is a line."""
    mode: Literal["layout", "plain"] = "layout" if layout else "plain"
    return [page.extract_text(extraction_mode=mode) for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def pdf(db: Database) -> Pdf:
    with db.begin() as session:
        return pdf_for(document_settings(session), clock=lambda: T0)  # pinned: the same input, the same bytes


def weekly_meetings(session, group_id: int, people: list[int], weeks: int, *, skip=lambda week, person: False):
    """Closed weekly meetings from T0, everyone there unless `skip` says not."""
    ids = []
    for week in range(weeks):
        meeting = open_meeting(session, group_id, guide_slug="coping-strategies", now=T0 + timedelta(weeks=week))
        for person in people:
            if not skip(week, person):
                check_in(session, meeting.id, person, now=meeting.started_at)
        close_meeting(session, meeting.id, now=meeting.started_at + timedelta(minutes=90))
        ids.append(meeting.id)
    return ids


def test_the_font_found_prints_every_name_and_helvetica_is_never_used(db: Database, pdf: Pdf) -> None:
    assert not pdf.setup.font.warning, "no Unicode font here: install fonts-dejavu-core"
    with db.begin() as session:
        group = create_group(session, "Names", name_display=NameDisplay.FULL)
        for name in (*UNICODE_NAMES, ARABIC_NAME):
            add_participant(session, group.id, name, joined_on=date(2026, 1, 1))
        data = sign_in_pdf(pdf, sign_in_content(session, group.id, date(2026, 3, 3)))
    text = pages(data)[0]
    for name in UNICODE_NAMES:
        assert name in text
    # Arabic is drawn joined (presentation forms) and right to left; a reader gives it back in
    # reading order, and its joined forms normalise to the letters typed.
    arabic = [line for line in text.splitlines() if any(unicodedata.bidirectional(c) == "AL" for c in line)]
    drawn = arabic[0].split(" ", 1)[-1]
    assert unicodedata.normalize("NFKC", drawn) == ARABIC_NAME
    assert drawn != ARABIC_NAME  # the letters were joined, not printed as isolated forms
    assert b"Helvetica" not in data


def test_the_handout_holds_the_topic_prompts_agreements_and_crisis_contacts(db: Database, pdf: Pdf) -> None:
    with db.begin() as session:
        group = create_group(session, HOSTILE_NAME, handout_names_group=True)
        change_document_settings(session, {"crisis-contacts": "Riverside crisis line: 0100 000 000 <any time> & free"})
        meeting = open_meeting(session, group.id, guide_slug="relapse-prevention", now=T0)
        content = handout_content(session, meeting_id=meeting.id)
    data = handout_pdf(pdf, content)
    text = flat(" ".join(pages(data)))
    assert HOSTILE_NAME in text  # printed literally, never as markup
    assert "Tuesday 3 March 2026" in text
    assert "Planning for the hard days before they come" in text
    for number, prompt in enumerate(content.guide.prompts, start=1):
        assert flat(f"{number}. {prompt}") in text
    assert "Our group agreements" in text and "Anyone may pass." in text
    assert "Riverside crisis line: 0100 000 000 <any time> & free" in text
    count = len(pages(data))
    assert count >= 2 and f"Page 1 of {count}" in text and f"Page {count} of {count}" in text
    assert handout_pdf(pdf, content) == data  # the same input gives the same bytes


def test_a_question_longer_than_a_page_flows_on_with_its_lines_after_it(db: Database, pdf: Pdf) -> None:
    """A question is kept with its writing lines on one page, unless no page could hold them."""
    import dataclasses

    from facilitator.rules.guide_format import DISCUSSION_PROMPTS, Block, Section

    with db.begin() as session:
        group = create_group(session, "Tuesday")
        content = handout_content(session, guide_slug="relapse-prevention", group_id=group.id, day=T0.date())
    long = "A question that goes on and on. " * 400 + "The end of it?"
    guide = content.guide
    sections = tuple(
        dataclasses.replace(section, blocks=(Block(long, item=True), *section.blocks))
        if section.name == DISCUSSION_PROMPTS
        else section
        for section in guide.sections
    )
    assert isinstance(sections[0], Section)
    data = handout_pdf(pdf, dataclasses.replace(content, guide=dataclasses.replace(guide, sections=sections)))
    text = flat(" ".join(pages(data)))
    # The whole question, then the next: the long one is number 1 now.
    assert -1 < text.find("The end of it?") < text.find(flat(f"2. {guide.prompts[0]}"))
    assert "If you need help now" in text and len(pages(data)) >= 5


def test_a_long_question_that_starts_below_the_last_line_of_a_page_still_prints(pdf: Pdf) -> None:
    from reportlab.platypus import Spacer

    from facilitator.documents.handout import _Question
    from facilitator.documents.layout import FOOTER_GAP, MARGIN

    long = "A question that goes on and on. " * 400 + "The end of it?"
    _width, height = pdf.page_size()
    room = height - 2 * MARGIN - FOOTER_GAP - 12  # the body frame, less its padding
    for room_left in (0, 5, 12, 40):  # points left on the page when the question comes
        story = [Spacer(1, room - room_left), _Question(pdf.text(long))]
        data = pdf.render([Part("Questions", story)], title="Questions")
        assert "The end of it?" in flat(" ".join(pages(data)))


def test_a_meeting_without_a_topic_or_a_format_as_topic_gets_a_plain_refusal(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Plain")
        meeting = open_meeting(session, group.id)
        with pytest.raises(InvalidInput, match="no topic guide"):
            handout_content(session, meeting_id=meeting.id)
        with pytest.raises(InvalidInput, match="is a meeting format"):
            handout_content(session, guide_slug="standard-meeting", group_id=group.id)


def test_the_sign_in_sheet_shows_names_as_the_group_chooses_and_repeats_its_header(db: Database, pdf: Pdf) -> None:
    with db.begin() as session:
        group = create_group(session, "Big Group", name_display=NameDisplay.FIRST_NAME_INITIAL)
        for number in range(500):
            add_participant(session, group.id, f"Person{number:03d} Surname", joined_on=date(2026, 1, 1))
        add_participant(session, group.id, "Wolfeschlegelsteinhausenbergerdorff " * 2, joined_on=date(2026, 1, 1))
        data = sign_in_pdf(pdf, sign_in_content(session, group.id, date(2026, 3, 3)))
        empty = create_group(session, "Nobody Yet")
        blank = pages(sign_in_pdf(pdf, sign_in_content(session, empty.id, date(2026, 3, 3))))
    sheets = pages(data)
    assert len(sheets) >= 20
    assert all("Initials or signature" in page and "private" in page for page in sheets)
    everything = flat(" ".join(sheets))
    assert "Person000 S." in everything and "Person499 S." in everything and "Surname" not in everything
    assert f"Page {len(sheets)} of {len(sheets)}" in sheets[-1]
    assert len(blank) == 1 and "Initials or signature" in blank[0]


def test_the_attendance_report_counts_every_person_and_meeting(db: Database, pdf: Pdf) -> None:
    with db.begin() as session:
        group = create_group(session, "Counting")
        ann, bo = (add_participant(session, group.id, name, joined_on=date(2026, 1, 1)).id for name in ("Ann", "Bo"))
        ids = weekly_meetings(session, group.id, [ann, bo], 3, skip=lambda week, person: person == bo and week == 1)
        from facilitator.rules.attendance import set_status
        from facilitator.rules.meetings import set_guest_count

        set_status(session, ids[2], ann, AttendanceStatus.LATE, correcting=True)
        set_guest_count(session, ids[0], 2, correcting=True)
        content = report_content(session, group.id, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
        nothing = report_content(session, group.id, date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
    text = pages(report_pdf(pdf, content), layout=True)
    assert len(text) == 1
    rows = {line.split()[0]: " ".join(line.split()[1:]) for line in text[0].splitlines() if line.strip()}
    assert rows["Ann"] == "• • L 3 of 3 100%"
    assert rows["Bo"] == "• × • 2 of 3 67%"
    assert rows["Came"] == "2 1 2" and rows["Guests"] == "2 0 0"
    assert "3 meetings · 2 people · 5 arrivals and 2 guests" in flat(text[0])
    assert "No meetings were held in this range." in pages(report_pdf(pdf, nothing))[0]


def test_a_ten_year_report_splits_into_pages_that_each_name_rows_and_columns(db: Database, pdf: Pdf) -> None:
    with db.begin() as session:
        group = create_group(session, "Ten Years", name_display=NameDisplay.FULL)
        people = [
            add_participant(session, group.id, f"Member {n:02d}", joined_on=date(2016, 1, 1)).id for n in range(40)
        ]
        first = datetime(2016, 1, 5, 19, 0, tzinfo=UTC)
        meetings = [
            {"group_id": group.id, "state": MeetingState.CLOSED, "started_at": first + timedelta(weeks=week)}
            for week in range(52 * 10)
        ]
        ids = session.scalars(insert(Meeting).returning(Meeting.id), meetings).all()
        session.execute(
            insert(Attendance),
            [
                {"meeting_id": meeting, "participant_id": person, "status": AttendanceStatus.PRESENT}
                for week, meeting in enumerate(ids)
                for person in people
                if (week + person) % 5
            ],
        )
        content = report_content(session, group.id, date_from=date(2016, 1, 1), date_to=date(2025, 12, 31))
    data = report_pdf(pdf, content)
    text = [flat(page) for page in pages(data)]
    assert len(content.grid.meetings) == 520 and len(text) >= 20
    for page in text:
        assert "Name" in page and "Came (all dates)" in page  # every page names its columns
        assert "Member 00" in page or "Member 39" in page  # and its rows
    assert PdfReader(io.BytesIO(data)).pages[0].mediabox.width > PdfReader(io.BytesIO(data)).pages[0].mediabox.height


def test_an_attendance_letter_names_only_its_person_and_its_code_checks_out(db: Database, pdf: Pdf) -> None:
    with db.begin() as session:
        group = create_group(session, "Thursday Circle")
        ann, bo = (
            add_participant(session, group.id, name, joined_on=date(2026, 1, 1)).id for name in ("Ann Lee", "Bo Chen")
        )
        weekly_meetings(session, group.id, [ann, bo], 4, skip=lambda week, person: person == ann and week == 2)
        change_document_settings(session, {"contact": "0161 496 0000"})
        facts = letter_facts(session, ann, group.id, date(2026, 3, 1), date(2026, 3, 31), signed_by="Sam Rivera")
        hidden = letter_facts(
            session, ann, group.id, date(2026, 3, 1), date(2026, 3, 31), anonymous=True, signed_by="Sam Rivera"
        )
        for issued in (facts, hidden):
            record_letter(session, issued)
        text = flat(pages(letter_pdf(pdf, facts, custom=BRITISH))[0])
        anonymous = flat(pages(letter_pdf(pdf, hidden, custom=BRITISH))[0])
        assert check_letter(session, facts.code.lower().replace("-", " ")).participant_name == "Ann Lee"
        assert check_letter(session, hidden.code).anonymous
        with pytest.raises(NotFound, match="No letter with the code"):
            check_letter(session, "ZZZZ-ZZZZ")
    assert "This confirms that Ann Lee attended 3 meetings of the peer-support group “Thursday Circle”" in text
    assert "March 2026 Tue 3 Mar" in text and "Tue 17 Mar" not in text
    assert "The group meets on" not in text and "Its meetings last about 90 minutes." in text  # no usual day set
    assert facts.code in text and "Sam Rivera, facilitator" in text
    assert "Bo Chen" not in text
    assert "Thursday Circle" not in anonymous and "attended 3 meetings of a peer-support group" in anonymous
    assert normalise_code("k7qm 2xpd") == "K7QM-2XPD"


def test_tonights_packet_numbers_each_document_on_its_own(db: Database, pdf: Pdf) -> None:
    with db.begin() as session:
        group = create_group(session, "Packet")
        add_participant(session, group.id, "Ann")
        meeting = open_meeting(session, group.id, guide_slug="empowerment-and-hope", now=T0)
        data = packet_pdf(pdf, handout_content(session, meeting_id=meeting.id), sign_in_content(session, group.id))
    text = pages(data)
    handout_pages = [page for page in text if "Small signs that change is possible" in page]
    assert len(handout_pages) >= 1 and f"Page {len(handout_pages)} of {len(handout_pages)}" in handout_pages[-1]
    assert "Sign-in · Packet" in text[len(handout_pages)] and "Page 1 of 1" in text[len(handout_pages)]


def test_page_size_comes_from_the_settings_and_the_locale(db: Database) -> None:
    assert default_page_size("en_US") == "Letter" and default_page_size("en_GB") == "A4"
    assert default_page_size("fr_CA") == "Letter" and default_page_size("C") == "A4"
    with db.begin() as session:
        settings = change_document_settings(session, {"paper": "Letter", "organisation": "Riverside Peer Network"})
        assert (settings["paper"], settings["organisation"]) == ("Letter", "Riverside Peer Network")
        with pytest.raises(InvalidInput, match="A4 or Letter"):
            change_document_settings(session, {"paper": "A5"})
        with pytest.raises(InvalidInput, match="does not exist"):
            change_document_settings(session, {"font": "/nowhere/font.ttf"})
        letter = pdf_for(document_settings(session))
        data = sign_in_pdf(letter, sign_in_content(session, create_group(session, "Size").id))
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_without_a_unicode_font_the_basic_font_is_used_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setattr(fonts, "_candidates", lambda: [])
    fonts._system_font.cache_clear()  # found once per run; here the search must find nothing
    request.addfinalizer(fonts._system_font.cache_clear)
    choice = fonts.find_font()
    assert choice.regular.name == "Vera.ttf" and "will not print" in choice.warning
    basic = Pdf(PageSetup("A4", choice))
    data = basic.render([Part("footer", [basic.text("Zoë")])], title="basic")
    assert "Zoë" in pages(data)[0]
    assert b"Helvetica" not in data


def test_a_file_that_is_not_a_font_is_refused_plainly(tmp_path: Path) -> None:
    fake = tmp_path / "font.ttf"
    fake.write_bytes(b"not a font at all")
    with pytest.raises(InvalidInput, match="cannot be used to print"):
        fonts.find_font(fake)


def test_the_grid_knows_members_from_visitors(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Grid")
        early = add_participant(session, group.id, "Early", joined_on=date(2026, 1, 1)).id
        late = add_participant(session, group.id, "Late Joiner", joined_on=date(2026, 3, 12)).id
        weekly_meetings(session, group.id, [early], 3)
        grid = attendance_grid(session, group.id)
    marks = {row.display_name: row.marks for row in grid.rows}
    assert marks["Early"] == (AttendanceStatus.PRESENT,) * 3
    assert marks["Late Joiner"] == (None, None, "absent") and late


def test_documents_from_the_command_line(cli, tmp_path: Path) -> None:
    assert cli("group", "add", "Tuesday Circle", "--names", "full").code == 0
    assert cli("checkin", "1", "Ann", "--new").code != 0  # no meeting yet: refused, nothing written
    assert cli("meeting", "open", "--group", "Tuesday Circle", "--guide", "emotional-support").code == 0
    assert cli("checkin", "1", "Ann Lee", "Bo", "--new").code == 0
    out = {name: tmp_path / f"{name}.pdf" for name in ("handout", "sheet", "packet", "report", "letter")}
    assert cli("handout", "--meeting", "1", "-o", str(out["handout"])).code == 0
    assert cli("sign-in-sheet", "--group", "Tuesday Circle", "-o", str(out["sheet"])).code == 0
    assert cli("packet", "--meeting", "1", "-o", str(out["packet"])).code == 0
    assert "Being heard without being fixed" in pages(out["handout"].read_bytes())[0]
    assert "Ann Lee" in pages(out["sheet"].read_bytes())[0]
    assert cli("meeting", "close", "1").code == 0
    today = date.today().isoformat()
    assert (
        cli(
            "report",
            "attendance",
            "--group",
            "Tuesday Circle",
            "--from",
            today,
            "--to",
            today,
            "-o",
            str(out["report"]),
        ).code
        == 0
    )
    issued = cli(
        "letter",
        "--participant",
        "ann lee",
        "--group",
        "Tuesday Circle",
        "--from",
        today,
        "--to",
        today,
        "--signed-by",
        "Sam Rivera",
        "-o",
        str(out["letter"]),
    )
    assert issued.code == 0 and "(1 meeting)" in issued.out
    code = issued.out.rsplit(" ", 1)[-1].strip().rstrip(".")
    checked = cli("verify-code", code)
    assert checked.code == 0 and checked.out.startswith(f"Genuine: letter {code}") and "Ann Lee" in checked.out
    assert oct(out["letter"].stat().st_mode & 0o777) == "0o600"


BACKWARDS = ("--from", "2026-02-01", "--to", "2026-01-01")
JANUARY = ("--from", "2026-01-01", "--to", "2026-01-31")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["handout", "--guide", "coping-strategies", "-o", "x.pdf"], "--guide needs --group"),
        (["handout", "--meeting", "1", "--group", "G", "-o", "x.pdf"], "--group and --date go with --guide"),
        (["handout", "--meeting", "99", "-o", "x.pdf"], "There is no meeting with id 99"),
        (["handout", "--guide", "nope", "--group", "G", "-o", "x.pdf"], "There is no group"),
        (
            ["report", "attendance", "--group", "G", "--from", "2026-02-01", "--to", "2026-01-01", "-o", "x.pdf"],
            "--to is before --from",
        ),
        (["verify-code", "AAAA-AAAA"], "No letter with the code AAAA-AAAA"),
        (
            [
                "verify-letter",
                "--participant",
                "Nobody",
                "--group",
                "G",
                "--from",
                "2026-01-01",
                "--to",
                "2026-01-31",
                "-o",
                "x.pdf",
            ],
            "There is no group",
        ),
    ],
)
def test_wrong_document_commands_get_one_plain_line_and_write_nothing(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.code == 1 and message in result.err and "Traceback" not in result.err
    assert not (tmp_path / "x.pdf").exists()


def test_a_long_group_name_is_cut_in_the_footer_not_run_under_the_page_number(db: Database, pdf: Pdf) -> None:
    long_name = "The Riverside Thursday Evening Dual Recovery and Family Peer Support Circle of Saint " + "X" * 30
    with db.begin() as session:
        group = create_group(session, long_name)
        data = sign_in_pdf(pdf, sign_in_content(session, group.id, date(2026, 3, 3)))
    footer = [line for line in pages(data, layout=True)[0].splitlines() if "Page 1 of 1" in line][0]
    assert "…" in footer and footer.rstrip().endswith("Page 1 of 1")
    assert f"Sign-in · {long_name}" in flat(pages(data)[0])  # the title still has it whole


def test_row_numbers_of_a_big_roster_stay_on_one_line(db: Database, pdf: Pdf) -> None:
    with db.begin() as session:
        group = create_group(session, "Numbers", name_display=NameDisplay.FULL)
        for number in range(120):
            add_participant(session, group.id, f"Member {number:03d}")
        data = sign_in_pdf(pdf, sign_in_content(session, group.id, date(2026, 3, 3)))
    lines = " ".join(pages(data, layout=True)).splitlines()
    assert any(line.split()[:3] == ["110", "Member", "109"] for line in lines if line.strip())


def test_user_text_prints_literally_in_every_document(db: Database, pdf: Pdf) -> None:
    with db.begin() as session:
        group = create_group(session, HOSTILE_NAME, name_display=NameDisplay.FULL)
        person = add_participant(session, group.id, "<i>Bo</i> & =1+1", joined_on=date(2026, 1, 1))
        weekly_meetings(session, group.id, [person.id], 2)
        sheet = pages(sign_in_pdf(pdf, sign_in_content(session, group.id, date(2026, 3, 3))))[0]
        report = pages(report_pdf(pdf, report_content(session, group.id)))[0]
        change_document_settings(session, {"organisation": "<b>Org</b>"})
        facts = letter_facts(
            session, person.id, group.id, date(2026, 1, 1), date(2026, 12, 31), signed_by="<u>Sam</u> & co"
        )
        letter = pages(letter_pdf(pdf, facts, custom=BRITISH))[0]
    for text in (sheet, report, letter):
        assert "<i>Bo</i> & =1+1" in flat(text)
    assert HOSTILE_NAME in flat(sheet) and HOSTILE_NAME in flat(report)
    assert "<u>Sam</u> & co, facilitator" in flat(letter) and "<b>Org</b>" in flat(letter)


def test_a_letter_can_be_had_after_leaving_the_group(cli, tmp_path: Path) -> None:
    assert cli("group", "add", "Court Group").code == 0
    assert cli("meeting", "open", "--group", "Court Group").code == 0
    assert cli("checkin", "1", "Ann Lee", "--new").code == 0
    assert cli("meeting", "close", "1").code == 0
    from facilitator.records import open_records
    from facilitator.rules.participants import remove_from_roster
    from facilitator.storage.locations import DataLocation

    db = open_records(DataLocation.resolve())
    with db.begin() as session:
        remove_from_roster(session, 1, 1)
    db.close()
    today = date.today().isoformat()
    made = cli(
        "verify-letter", "--participant", "Ann Lee", "--group", "Court Group", "--from", today, "--to", today,
        "--signed-by", "Sam Rivera", "-o", str(tmp_path / "letter.pdf"),
    )  # fmt: skip
    assert made.code == 0 and "(1 meeting)" in made.out


def test_a_broken_font_file_is_refused_plainly_and_found_fonts_are_checked(tmp_path: Path) -> None:
    found = fonts.find_font()
    cut = tmp_path / "cut.ttf"
    cut.write_bytes(found.regular.read_bytes()[:5000])
    with pytest.raises(InvalidInput, match="cut.ttf cannot be used to print"):
        fonts.find_font(cut)


def test_a_chosen_font_that_has_gone_gives_way_with_a_warning(db: Database, tmp_path: Path) -> None:
    font = tmp_path / "mine.ttf"
    font.write_bytes(fonts.find_font().regular.read_bytes())
    with db.begin() as session:
        change_document_settings(session, {"font": str(font)})
        font.unlink()
        pdf = pdf_for(document_settings(session))
        data = sign_in_pdf(pdf, sign_in_content(session, create_group(session, "Still Prints").id))
    assert "does not exist" in " ".join(pdf.warnings) and "Sign-in · Still Prints" in pages(data)[0]


def test_dates_print_in_english_whatever_the_locale(db: Database, pdf: Pdf, monkeypatch: pytest.MonkeyPatch) -> None:
    import locale

    try:
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    except locale.Error:
        pass  # the layout never asks the locale, so any locale proves the point
    try:
        with db.begin() as session:
            group = create_group(session, "Datum")
            text = pages(sign_in_pdf(pdf, sign_in_content(session, group.id, date(2026, 3, 3))))[0]
    finally:
        locale.setlocale(locale.LC_TIME, "C")
    assert "Tuesday 3 March 2026" in text


def small_logo(path: Path) -> Path:
    """A small, ordinary logo (3:2) made here, so the test needs no image file of its own."""
    from PIL import Image as PilImage

    PilImage.new("RGB", (120, 80), (40, 90, 160)).save(path)
    return path


def bold_text(page) -> str:
    """What the page draws in a bold font, run after run, without spaces."""
    runs: list[str] = []

    def visit(text, _cm, _tm, font, _size) -> None:
        if font is not None and "Bold" in str(font["/BaseFont"]):
            runs.append("".join(text.split()))

    page.extract_text(visitor_text=visit)
    return "".join(runs)


@pytest.mark.parametrize("size", ["A4", "Letter"])
@pytest.mark.parametrize("with_logo", [False, True], ids=["no-logo", "logo"])
def test_every_built_in_guide_prints_on_one_double_sided_sheet_with_help_on_page_one(
    db: Database, tmp_path: Path, size: str, with_logo: bool
) -> None:
    from facilitator.rules.guide_format import parse_guide
    from facilitator.rules.guides import builtin_guide_files, topic_guide_choices
    from facilitator.storage.models import GuideKind

    crisis = (  # three lines, as a facilitator's own contacts tend to be
        "Riverside crisis line: 0100 000 000, any time, day or night\n"
        "Text HELP to 85258 for a text conversation with a trained volunteer\n"
        "In danger now: call 999 or go to the nearest emergency department"
    )
    with db.begin() as session:
        logo = str(small_logo(tmp_path / "logo.png")) if with_logo else None
        change_document_settings(
            session, {"paper": size, "logo": logo, "organisation": "Riverside", "crisis-contacts": crisis}
        )
        group = create_group(session, "Thursday Circle")
        guides = topic_guide_choices(session)
        day = date(2026, 3, 3)
        contents = [handout_content(session, guide_slug=g.slug, group_id=group.id, day=day) for g in guides]
        pdf = pdf_for(document_settings(session))
    built_in = [parse_guide(text, name) for name, text in builtin_guide_files()]
    assert {g.slug for g in guides} == {g.slug for g in built_in if g.kind is GuideKind.TOPIC}  # all, new ones too
    for content in contents:
        reader = PdfReader(io.BytesIO(handout_pdf(pdf, content)))
        first = reader.pages[0]
        assert len(reader.pages) <= 2, f"{content.guide.title} runs to {len(reader.pages)} pages on {size}"
        assert flat(crisis) in flat(first.extract_text()), f"{content.guide.title}: no crisis contacts on page 1"
        assert "".join(crisis.split()) in bold_text(first), f"{content.guide.title}: the crisis contacts are not bold"


def test_no_document_names_the_group_or_a_person_in_its_metadata(db: Database, pdf: Pdf) -> None:
    with db.begin() as session:
        group = create_group(session, "Dual Recovery Circle")
        sam = add_participant(session, group.id, "Sam Rivera", joined_on=date(2026, 1, 1)).id
        weekly_meetings(session, group.id, [sam], 2)
        meeting = open_meeting(session, group.id, guide_slug="relapse-prevention", now=T0 + timedelta(weeks=3))
        handout = handout_content(session, meeting_id=meeting.id)
        sign_in = sign_in_content(session, group.id, date(2026, 3, 24))
        change_document_settings(session, {"organisation": "Riverside"})
        facts = letter_facts(session, sam, group.id, date(2026, 3, 1), date(2026, 3, 31), signed_by="Sam Rivera")
        report = report_content(session, group.id, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    documents = {
        "handout": handout_pdf(pdf, handout),
        "packet": packet_pdf(pdf, handout, sign_in),
        "sign-in sheet": sign_in_pdf(pdf, sign_in),
        "attendance report": report_pdf(pdf, report),
        "letter": letter_pdf(pdf, facts, custom=BRITISH),
    }
    for kind, data in documents.items():
        metadata = PdfReader(io.BytesIO(data)).metadata
        assert metadata is not None and metadata.title, kind
        fields = " ".join(str(value) for value in metadata.values())
        for name in ("Dual Recovery", "Circle", "Sam", "Rivera"):
            assert name not in fields, f"the {kind}'s metadata names “{name}”: {dict(metadata)}"


DEFAULT_CRISIS_WARNING = (
    "The crisis contacts still only say “call your local emergency number”. "
    "Add your local crisis line to the crisis contacts in the settings before you print."
)


def test_a_handout_with_the_default_crisis_contacts_says_so_and_one_with_local_contacts_does_not(
    db: Database,
) -> None:
    with db.begin() as session:
        group = create_group(session, "Thursday Circle")
        meeting = open_meeting(session, group.id, guide_slug="coping-strategies", now=T0)
        default = handout_content(session, meeting_id=meeting.id)
        change_document_settings(session, {"crisis-contacts": "Riverside crisis line: 0100 000 000"})
        local = handout_content(session, meeting_id=meeting.id)
        sign_in = sign_in_content(session, group.id, date(2026, 3, 3))
        settings = document_settings(session)
    handout, packet = pdf_for(settings), pdf_for(settings)
    handout_pdf(handout, default)
    packet_pdf(packet, default, sign_in)
    assert handout.warnings == packet.warnings == [DEFAULT_CRISIS_WARNING]
    quiet = pdf_for(settings)
    handout_pdf(quiet, local)
    assert quiet.warnings == []


def guide_handout(db: Database, slug: str, size: str = "A4") -> bytes:
    with db.begin() as session:
        change_document_settings(session, {"paper": size})
        group = create_group(session, f"{slug} {size}")
        content = handout_content(session, guide_slug=slug, group_id=group.id, day=date(2026, 3, 3))
        return handout_pdf(pdf_for(document_settings(session)), content)


def guide_prompts(db: Database, slug: str) -> list[str]:
    from facilitator.rules.guides import get_guide

    with db.begin() as session:
        return list(get_guide(session, slug).prompts)


def ruled_lines(data: bytes) -> int:
    """How many straight lines the handout strokes: its writing lines (the crisis box is a rectangle)."""
    count = 0
    for page in PdfReader(io.BytesIO(data)).pages:
        content = page.get_contents().get_data().decode("latin-1")
        count += content.count(" l S") + content.count(" l\nS")
    return count


def test_a_guide_line_that_asks_the_reader_to_write_gets_a_line_to_write_on(db: Database) -> None:
    from facilitator.rules.guide_format import Block, writing_room

    blocks = (
        Block("Your small promise for this week:"),  # introduces the list: no line of its own
        Block("What I will do:", item=True),
        Block("When and where:", item=True),
        Block("This week you might try:"),
        Block("Take one small step.", item=True),
        Block("Make a small plan. Write down:"),
        Block("one person you can call", item=True),
        Block("Keep it near your phone."),
    )
    assert writing_room(blocks) == [False, True, True, False, False, False, True, False]

    def beyond_the_questions(slug: str) -> int:  # the lines drawn besides each question's three
        return ruled_lines(guide_handout(db, slug)) - 3 * len(guide_prompts(db, slug))

    plain = beyond_the_questions("validation-and-belonging")  # asks for no writing in its own text
    for slug in ("coping-strategies", "role-modelling-and-accountability"):  # four things to write, each
        assert beyond_the_questions(slug) == plain + 4, slug


def test_a_numbered_question_hangs_its_number_so_the_wrapped_line_starts_under_the_text(db: Database, pdf: Pdf) -> None:
    import dataclasses

    from facilitator.rules.guide_format import DISCUSSION_PROMPTS, Block

    with db.begin() as session:
        group = create_group(session, "Tuesday")
        content = handout_content(session, guide_slug="relapse-prevention", group_id=group.id, day=T0.date())
    long = "Wrapping words " * 12 + "end."  # three lines or so
    sections = tuple(
        dataclasses.replace(section, blocks=(Block(long, item=True), *section.blocks))
        if section.name == DISCUSSION_PROMPTS
        else section
        for section in content.guide.sections
    )
    data = handout_pdf(pdf, dataclasses.replace(content, guide=dataclasses.replace(content.guide, sections=sections)))
    starts: list[tuple[str, float]] = []

    def visit(text, _cm, tm, _font, _size) -> None:
        if text.strip():
            starts.append((text.strip(), _cm[4] + tm[4] * _cm[0]))

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    number_x = next(x for text, x in starts if text.startswith("1."))
    first_line_x, *wrapped = [x for text, x in starts if text.startswith(("Wrapping", "words", "end."))]
    assert wrapped, "the long question does not wrap"
    assert first_line_x > number_x + 5  # the number stands on its own, left of the text
    assert all(abs(x - first_line_x) < 0.5 for x in wrapped), f"wrapped lines at {wrapped}, text at {first_line_x}"


def test_the_printed_guide_text_has_typographic_quotes_and_apostrophes(db: Database) -> None:
    from facilitator.rules.guide_format import typographic

    assert typographic('Name it: "This is an urge." "This is panic."') == "Name it: “This is an urge.” “This is panic.”"
    assert typographic("it's a friend's home") == "it’s a friend’s home"
    assert typographic("He said \"it's 'fine' now\".") == "He said “it’s ‘fine’ now”."
    assert typographic("('quoted')") == "(‘quoted’)"
    text = flat(" ".join(pages(guide_handout(db, "coping-strategies", "Letter"))))
    assert "“This is an urge.” “This is panic.”" in text
    assert '"' not in text and "'" not in text
    text = flat(" ".join(pages(guide_handout(db, "relapse-prevention"))))
    assert "a friend’s home" in text and '"' not in text and "'" not in text
