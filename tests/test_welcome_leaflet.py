"""The welcome leaflet a newcomer takes home: one page on A4 and on Letter, saying what to expect,
that nobody has to speak, that it is not therapy, what stays in the room, when the group meets
(only what the group's schedule sets), that attendance letters exist, and the crisis contacts.
It names the group only if the group chose to be named on sheets that go home."""

from __future__ import annotations

import io
import re
from datetime import time
from pathlib import Path

import pytest
import textstat
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER

from facilitator.documents.layout import pdf_for
from facilitator.documents.run_sheet import LAPTOP_FAILS, no_screen_lines
from facilitator.documents.settings import change_document_settings
from facilitator.documents.welcome_leaflet import (
    DEFAULT_CRISIS_WARNING,
    OPENING,
    SECTIONS,
    LeafletContent,
    leaflet_content,
    leaflet_pdf,
    when_we_meet,
)
from facilitator.rules.groups import create_group, update_group
from facilitator.storage.database import Database
from facilitator.storage.preferences import document_settings, mark_asked_for_crisis_contacts
from tests.test_documents_window import preview_then
from tests.test_run_sheet import in_meeting_menu
from tests.window_helpers import shown_window
from ui.actions import MainAction

GROUP = "Dual Recovery Circle"
CRISIS = (  # three lines, as a facilitator's own contacts tend to be
    "Riverside crisis line: 0100 000 000, any time, day or night\n"
    "Text HELP to 85258 for a text conversation with a trained volunteer\n"
    "In danger now: call the emergency number or go to the nearest emergency department"
)
PAPERS = {"A4": A4, "Letter": LETTER}
# What a leaflet left on a kitchen table must not say, and words that are not ours to use.
NOT_OURS = ("addict", "alcoholic", "clean", "sober", "sponsor", "higher power", "step", "911", "999", "988", "116 123")
SAYS_WHAT_FOR = ("recovery", "drug", "alcohol", "grief", "mental", "carer", "dual")


def flat(text: str) -> str:
    return " ".join(text.split())


def leaflet(db: Database, group_id: int, paper: str = "A4") -> tuple[list[str], PdfReader, list[str]]:
    """The leaflet's page texts, the PDF, and the warnings made with it."""
    with db.begin() as session:
        change_document_settings(session, {"paper": paper})
        pdf = pdf_for(document_settings(session))
        data = leaflet_pdf(pdf, leaflet_content(session, group_id))
    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text() for page in reader.pages], reader, pdf.warnings


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_leaflet_is_one_page_with_what_a_newcomer_needs(db: Database, paper: str) -> None:
    with db.begin() as session:
        change_document_settings(session, {"crisis-contacts": CRISIS, "organisation": "Riverside Peer Support"})
        place = "St Anne's Hall, back room"
        group = create_group(  # every line the leaflet can have
            session, GROUP, meeting_weekday=1, meeting_time="19:00", place=place, handout_names_group=True
        )
    pages, reader, warnings = leaflet(db, group.id, paper)
    assert len(pages) == 1 and reader.pages[0].mediabox.width == pytest.approx(PAPERS[paper][0])
    text = flat(pages[0])
    for heading in (
        "Welcome",
        "What happens at a meeting",
        "You do not have to speak",
        "This is not therapy",
        "What is said here stays here",
        "If you need proof that you came",
        "When we meet",
        "If you need help now",
    ):
        assert heading in text, heading
    assert "You can say “pass” at any time." in text and "Ask the person who runs the meeting for a letter." in text
    assert "We meet on Tuesdays at 19:00, at St Anne's Hall, back room." in text
    assert flat(CRISIS) in text and warnings == []
    assert text.startswith(f"Riverside Peer Support {GROUP} Welcome")


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_without_a_schedule_the_leaflet_says_nothing_of_one(db: Database, paper: str) -> None:
    with db.begin() as session:
        group = create_group(session, GROUP)
    pages, _reader, warnings = leaflet(db, group.id, paper)
    assert len(pages) == 1 and "When we meet" not in pages[0] and "We meet" not in pages[0]
    assert warnings == [DEFAULT_CRISIS_WARNING]  # the crisis contacts still say only "your local emergency number"


def test_the_schedule_says_only_what_is_set_of_it() -> None:
    def said(weekday: int | None = None, starts: time | None = None, place: str = "") -> str:
        return when_we_meet(LeafletContent("", weekday, starts, place, crisis=""))

    assert said() == ""
    assert said(weekday=3) == "We meet on Thursdays."
    assert said(starts=time(18, 30)) == "We meet at 18:30."
    assert said(place="Riverside Library") == "We meet at Riverside Library."
    assert said(weekday=5, place="Room B") == "We meet on Saturdays, at Room B."


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_leaflet_names_the_group_only_when_the_group_chooses(db: Database, paper: str) -> None:
    with db.begin() as session:
        group = create_group(session, GROUP, meeting_weekday=1)
    quiet, reader, _warnings = leaflet(db, group.id, paper)
    metadata = " ".join(str(value) for value in (reader.metadata or {}).values())
    assert "Dual" not in quiet[0] and "Recovery Circle" not in quiet[0] and "Circle" not in metadata
    assert all(word not in quiet[0].casefold() for word in SAYS_WHAT_FOR)  # nor does any word of ours
    with db.begin() as session:
        update_group(session, group.id, handout_names_group=True)
    named, reader, _warnings = leaflet(db, group.id, paper)
    assert len(named) == 1 and named[0].count(GROUP) == 2  # at the top and in the footer
    assert "Circle" not in " ".join(str(value) for value in (reader.metadata or {}).values())


def test_our_words_are_plain_and_ours() -> None:
    # The readability library comes with the test extras of issue 19 (the guides' grade test uses it too).
    leaflet_words = " ".join([OPENING, *(" ".join(paragraphs) for _heading, paragraphs in SECTIONS)])
    run_sheet_words = " ".join([*LAPTOP_FAILS, *no_screen_lines(3)])
    for words in (leaflet_words, run_sheet_words):
        assert textstat.flesch_kincaid_grade(words) < 8, words[:60]
        found = [word for word in NOT_OURS if re.search(rf"\b{word}\b", words, re.IGNORECASE)]
        assert not found, found


def test_the_leaflet_from_the_command_line(cli, tmp_path: Path) -> None:
    assert cli("group", "add", GROUP, "--weekday", "Wednesday", "--place", "Room B").code == 0
    out = tmp_path / "welcome.pdf"
    made = cli("welcome-leaflet", "--group", GROUP, "-o", str(out))
    assert made.code == 0 and made.out.strip() == f"Wrote the welcome leaflet to {out}."
    assert "call your local emergency number" in made.err  # the default crisis contacts: said before it is handed out
    text = flat(PdfReader(out).pages[0].extract_text())
    assert "We meet on Wednesdays, at Room B." in text
    missing = cli("welcome-leaflet", "--group", "Nobody", "-o", str(tmp_path / "x.pdf"))
    assert missing.code == 1 and "There is no group" in missing.err and not (tmp_path / "x.pdf").exists()


def test_the_leaflet_prints_from_the_meeting_menu_without_a_meeting(db: Database, qtbot) -> None:
    with db.begin() as session:
        mark_asked_for_crisis_contacts(session, "print")  # the ask before printing: tests/test_cards_window.py
        create_group(session, GROUP, meeting_weekday=4, meeting_time="10:30")
    window = shown_window(db, qtbot)
    action = window.actions_by_name[MainAction.WELCOME_LEAFLET]
    assert action.isEnabled() and in_meeting_menu(window, action)
    seen = preview_then(qtbot, lambda _preview: None)
    action.trigger()
    assert seen and seen[0].windowTitle() == "Welcome Leaflet" and len(seen[0].pages) == 1
    text = flat(PdfReader(io.BytesIO(seen[0].data)).pages[0].extract_text())
    assert "We meet on Fridays at 10:30." in text and GROUP not in text
    window.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_crisis_box_keeps_its_heading_with_its_contacts(db: Database, paper: str) -> None:
    """Seven lines of crisis contacts, as a group with family, grief and drug lines may have: the
    box moved whole, not its heading left alone at the foot of page 1 and the numbers on page 2."""
    many = "\n".join([*CRISIS.split("\n"), *(f"Line {n}: 0100 000 11{n}, weekdays 9 to 5" for n in range(4))])
    with db.begin() as session:
        change_document_settings(session, {"crisis-contacts": many, "organisation": "Riverside Peer Support"})
        group = create_group(session, GROUP, meeting_weekday=1, meeting_time="19:00", place="St Anne's Hall")
    pages, _reader, _warnings = leaflet(db, group.id, paper)
    [boxed] = [flat(page) for page in pages if "If you need help now" in page]
    assert flat(many) in boxed
