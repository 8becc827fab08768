"""The facilitator's cards (crisis, agreements, tricky moments, self-care), read back as a reader
would, on both papers; the agreements read aloud and printed from one setting; and when the
program asks for the local crisis contacts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import textstat
from pypdf import PdfReader

from facilitator.documents.cards import CARD_NAMES, Card, card_content, card_pdf, card_words
from facilitator.documents.handout import DEFAULT_CRISIS_WARNING, handout_content
from facilitator.documents.layout import pdf_for
from facilitator.documents.settings import change_document_settings
from facilitator.rules.groups import create_group
from facilitator.rules.guide_format import PartKind
from facilitator.rules.meeting_script import meeting_script
from facilitator.rules.meetings import open_meeting
from facilitator.storage.database import Database
from facilitator.storage.preferences import (
    CRISIS_TEXT_MAX,
    document_settings,
    mark_asked_for_crisis_contacts,
    should_ask_for_crisis_contacts,
)
from tests.conftest import HOSTILE_NAME

CONTACTS = "Crisis line: 0800 000 000, any hour.\nText HELP to 55555."


def one_line(text: str) -> str:
    """A page's text with its line breaks as spaces, to find a sentence that wraps."""
    return " ".join(text.split())


def made(cli, tmp_path: Path, card: str, paper: str) -> list[str]:
    assert cli("settings", "set", "paper", paper).code == 0
    target = tmp_path / f"{card}-{paper}.pdf"
    result = cli("card", card, "-o", str(target))
    assert result.code == 0, result.err
    return [one_line(page.extract_text()) for page in PdfReader(target).pages]


# What each card must say, in its own words: a line from every part of it.
MUST_SAY = {
    "crisis": [
        "When someone is in crisis in the room",
        "Someone may be thinking about suicide",
        "“Are you thinking about killing yourself?”",
        "Do not leave the person alone",
        "An overdose or a medical emergency",
        "Someone arrives drunk or high",
        "Anger or aggression",
        "Someone says a child may not be safe",
        "Crisis line: 0800 000 000, any hour. Text HELP to 55555.",
    ],
    "agreements": [
        "Our group agreements",
        "Advice can wait until after the meeting.",
        "What the facilitator writes down",
        "Never what anyone shares.",
        "The limits of confidentiality",
        "Crisis line: 0800 000 000, any hour.",
    ],
    "tricky-moments": [
        "Tricky moments in a meeting",
        "Someone talks for a long time",
        "Someone gives advice",
        "Cross-talk",
        "Someone cries",
        "Someone walks out",
        "A newcomer shares too much",
    ],
    "self-care": [
        "Looking after yourself as a facilitator",
        "After the meeting: a short debrief",
        "Never write down what anyone shared.",
        "Signs you need a break",
    ],
}


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("card", CARD_NAMES)
def test_every_card_prints_on_one_page_of_either_paper(cli, tmp_path: Path, card: str, paper: str) -> None:
    assert cli("settings", "set", "crisis-contacts", CONTACTS).code == 0
    pages = made(cli, tmp_path, card, paper)
    assert len(pages) == 1
    for words in MUST_SAY[card]:
        assert words in pages[0], f"the {card} card on {paper} lacks “{words}”"


def test_a_card_is_written_where_asked_or_named_for_itself(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("card", "tricky-moments")
    assert result.code == 0
    assert result.out == "Wrote the tricky moments card to tricky-moments-card.pdf.\n"
    assert (tmp_path / "tricky-moments-card.pdf").is_file()


def test_an_unknown_card_is_refused_with_the_names_of_those_there_are(cli, tmp_path: Path) -> None:
    result = cli("card", "fire", "-o", str(tmp_path / "fire.pdf"))
    assert result.code != 0
    assert "There is no card called “fire”. The cards are crisis, agreements, tricky-moments, self-care." in result.err
    assert not (tmp_path / "fire.pdf").exists()


def test_the_crisis_card_says_when_the_contacts_are_still_the_default(cli, tmp_path: Path) -> None:
    result = cli("card", "crisis", "-o", str(tmp_path / "crisis.pdf"))
    assert result.code == 0
    assert f"note: {DEFAULT_CRISIS_WARNING}" in result.err
    text = one_line(PdfReader(tmp_path / "crisis.pdf").pages[0].extract_text())
    assert "call your local emergency number now." in text
    # the cards with no crisis contacts on them do not warn about them
    assert "note:" not in cli("card", "self-care", "-o", str(tmp_path / "self-care.pdf")).err


def test_user_text_on_a_card_prints_as_typed(db: Database) -> None:
    with db.begin() as session:
        change_document_settings(session, {"crisis-contacts": HOSTILE_NAME, "agreements": f"{HOSTILE_NAME}\nBe kind."})
        pdf = pdf_for(document_settings(session))
        crisis = card_pdf(pdf, card_content(session, Card.CRISIS))
        agreements = card_pdf(pdf_for(document_settings(session)), card_content(session, Card.AGREEMENTS))
    for data in (crisis, agreements):
        assert HOSTILE_NAME in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert pdf.warnings == []


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_longest_crisis_contacts_still_fit_the_crisis_card_on_one_page(db: Database, paper: str) -> None:
    longest = ("Our crisis line, open day and night, on 0800 000 000. " * 30)[: CRISIS_TEXT_MAX - 1]
    with db.begin() as session:
        change_document_settings(session, {"crisis-contacts": longest, "paper": paper})
        data = card_pdf(pdf_for(document_settings(session)), card_content(session, Card.CRISIS))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert "Someone says a child may not be safe" in reader.pages[0].extract_text()


def test_a_card_shrunk_to_fit_says_so(db: Database) -> None:
    many = "\n".join(f"Agreement {number}: a line long enough to take up a whole line." for number in range(40))
    with db.begin() as session:
        change_document_settings(session, {"agreements": many})
        pdf = pdf_for(document_settings(session))
        data = card_pdf(pdf, card_content(session, Card.AGREEMENTS))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert "Agreement 39:" in reader.pages[0].extract_text()
    assert pdf.warnings[-1] == (
        "The card is printed small to fit on one page: shorter crisis contacts or agreements in the "
        "settings would make it easier to read."
    )


@pytest.mark.parametrize("format_slug", ["standard-meeting", "newcomer-meeting"])
def test_the_agreements_read_aloud_are_the_ones_printed_from_one_setting(db: Database, format_slug: str) -> None:
    ours = ["We start and end on time.", "What is said here stays here.", "Anyone may pass."]
    with db.begin() as session:
        group = create_group(session, "Thursday group")
        change_document_settings(session, {"agreements": "\n".join(ours)})
        meeting = open_meeting(session, group.id, guide_slug="validation-and-belonging", format_slug=format_slug)
        script = meeting_script(session, meeting.id)
        handout = handout_content(session, meeting_id=meeting.id)
        card = card_content(session, Card.AGREEMENTS)
    opening = next(number for number, part in enumerate(script.parts) if part.kind is PartKind.OPENING)
    read_aloud = script.part_text(opening)
    assert read_aloud.items == ours
    assert "{agreements}" not in read_aloud.text
    assert handout.agreements == ours
    assert list(card.agreements) == ours


def test_the_program_asks_for_the_crisis_contacts_once_at_start_and_once_before_a_print(db: Database) -> None:
    with db.begin() as session:
        assert should_ask_for_crisis_contacts(session, "start")
        mark_asked_for_crisis_contacts(session, "start")
        assert not should_ask_for_crisis_contacts(session, "start")
        assert should_ask_for_crisis_contacts(session, "print")  # declined at start: asked again before printing
        mark_asked_for_crisis_contacts(session, "print")
        assert not should_ask_for_crisis_contacts(session, "print")
    with db.begin() as session:
        change_document_settings(session, {"crisis-contacts": None})
        assert not should_ask_for_crisis_contacts(session, "print")


def test_nobody_is_asked_for_crisis_contacts_they_have_already_given(db: Database) -> None:
    with db.begin() as session:
        change_document_settings(session, {"crisis-contacts": CONTACTS})
        assert not should_ask_for_crisis_contacts(session, "start")
        assert not should_ask_for_crisis_contacts(session, "print")


@pytest.mark.parametrize("card", list(Card))
def test_every_cards_words_are_plain_person_first_and_name_no_countrys_number(card: Card) -> None:
    words = [line.text for line in card_words(card) if line.text]
    text = " ".join(line if line.endswith((".", "?", "!", ":", "”")) else f"{line}." for line in words)
    assert textstat.flesch_kincaid_grade(text) < 8
    found = text.casefold()
    for word in ("addict", "alcoholic", "clean", "higher power", "sponsor", "step", "911", "999", "988", "116 123"):
        assert f" {word}" not in f" {found}", word


def test_the_agreements_card_names_the_groups_own_limits_to_confidentiality_when_there_are_any(db: Database) -> None:
    limits = "Staff at the centre must report a risk to a child the same day."
    with db.begin() as session:
        without = card_pdf(pdf_for(document_settings(session)), card_content(session, Card.AGREEMENTS))
        change_document_settings(session, {"confidentiality-limits": limits})
        with_limits = card_pdf(pdf_for(document_settings(session)), card_content(session, Card.AGREEMENTS))
    text = one_line(PdfReader(io.BytesIO(with_limits)).pages[0].extract_text())
    assert f"the law can make a person share what they know. • Here, also: {limits}" in text
    assert "Here, also" not in one_line(PdfReader(io.BytesIO(without)).pages[0].extract_text())
    assert len(PdfReader(io.BytesIO(with_limits)).pages) == 1
