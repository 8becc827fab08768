"""The attendance letter's wording: who signs it, a period before the person joined, and the
PDF's own creation date."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from facilitator.dates import date_custom
from facilitator.documents.layout import pdf_for
from facilitator.documents.letter import letter_pdf
from facilitator.documents.settings import change_document_settings
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.letters import letter_facts
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.preferences import document_settings

T0 = datetime(2026, 3, 3, 19, 0).astimezone()

BRITISH = date_custom("en_GB")  # dates as written in the UK, whatever this computer's locale


def letter_text(db: Database, *, signed_by: str = "Sam Rivera", joined_on: date = date(2026, 1, 1), span=None) -> str:
    with db.begin() as session:
        change_document_settings(session, {"contact": "0161 496 0000"})  # what the code is checked by
        group = create_group(session, "Thursday Circle")
        ann = add_participant(session, group.id, "Ann Lee", joined_on=joined_on).id
        meeting = open_meeting(session, group.id, now=T0)
        check_in(session, meeting.id, ann, now=T0)
        close_meeting(session, meeting.id, now=T0 + timedelta(minutes=90))
        start, end = span or (date(2026, 3, 1), date(2026, 3, 31))
        facts = letter_facts(session, ann, group.id, start, end, signed_by=signed_by)
        data = letter_pdf(pdf_for(document_settings(session)), facts, custom=BRITISH)
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Sam Rivera", "Sam Rivera, facilitator"),
        ("Sam Rivera, facilitator", "Sam Rivera, facilitator"),
        ("Sam Rivera, Facilitator", "Sam Rivera, Facilitator"),
        ("Sam Rivera (group facilitator)", "Sam Rivera (group facilitator)"),
    ],
)
def test_the_signers_role_is_printed_once_whatever_was_typed(db: Database, typed: str, printed: str) -> None:
    text = letter_text(db, signed_by=typed)
    assert f"{printed} Date" in text
    assert text.lower().count("facilitator, facilitator") == 0
    assert text.count(printed) == 1


def test_a_period_before_the_person_joined_says_when_they_joined(db: Database) -> None:
    text = letter_text(db, joined_on=date(2026, 3, 1), span=(date(2025, 1, 1), date(2025, 12, 31)))
    assert (
        "Our records show no attendance by Ann Lee at the peer-support group “Thursday Circle” between "
        "1 January 2025 and 31 December 2025. Ann Lee joined the group on 1 March 2026, after this period."
    ) in text


def test_a_period_after_joining_with_no_attendance_says_only_that(db: Database) -> None:
    text = letter_text(db, span=(date(2026, 2, 1), date(2026, 2, 28)))
    assert "Our records show no attendance by Ann Lee" in text and "joined" not in text


def creation_date(data: bytes) -> datetime:
    metadata = PdfReader(io.BytesIO(data)).metadata
    assert metadata is not None and metadata.creation_date is not None
    return metadata.creation_date


def test_a_pdf_carries_the_real_time_it_was_made_or_the_clock_a_test_gives(db: Database) -> None:
    with db.begin() as session:
        settings = document_settings(session)
    before = datetime.now(UTC).replace(microsecond=0)
    made = pdf_for(settings).render([], title="Now")
    after = datetime.now(UTC)
    assert before <= creation_date(made) <= after
    fixed = datetime(2026, 3, 3, 19, 30, 5, tzinfo=UTC)
    pinned = pdf_for(settings, clock=lambda: fixed)
    assert creation_date(pinned.render([], title="Then")) == fixed
    assert pinned.render([], title="Then") == pinned.render([], title="Then")  # the same clock, the same bytes
