"""The handout's logo, whatever its shape or size, and tonight's packet printed double-sided."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image as PilImage
from pypdf import PdfReader

from facilitator.documents.handout import handout_content, handout_pdf
from facilitator.documents.layout import pdf_for
from facilitator.documents.packet import packet_content, packet_pdf
from facilitator.documents.settings import change_document_settings
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.preferences import document_settings

T0 = datetime(2026, 3, 3, 19, 0).astimezone()
SHAPES = {  # width x height, in pixels
    "very tall": (10, 400),
    "tall, 1:3.5": (40, 140),
    "tall, 1:5": (40, 200),
    "very wide": (2000, 12),
    "tiny": (1, 1),
    "huge": (3000, 2400),
    "square": (300, 300),
}


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def image_sizes(data: bytes) -> list[tuple[float, float]]:
    """The drawn size, in points, of each image on the first page (from the page's drawing matrix)."""
    reader = PdfReader(io.BytesIO(data))
    sizes: list[tuple[float, float]] = []

    def visit(operator: bytes, _operands: object, matrix: list[float], _text: object) -> None:
        if operator == b"Do":
            sizes.append((abs(matrix[0]), abs(matrix[3])))

    reader.pages[0].extract_text(visitor_operand_before=visit)
    return sizes


def meeting_with_logo(db: Database, logo: Path) -> int:
    with db.begin() as session:
        change_document_settings(session, {"logo": str(logo), "crisis-contacts": "Riverside crisis line: 0100 000 000"})
        group = create_group(session, "Logo Group")
        add_participant(session, group.id, "Ann Lee")
        return open_meeting(session, group.id, guide_slug="coping-strategies", now=T0).id


@pytest.mark.parametrize("shape", SHAPES)
def test_any_sane_logo_prints_on_the_handout_and_the_packet_scaled_to_fit(
    db: Database, tmp_path: Path, shape: str
) -> None:
    width, height = SHAPES[shape]
    logo = tmp_path / "logo.png"
    PilImage.new("RGB", (width, height), (20, 90, 160)).save(logo)
    meeting = meeting_with_logo(db, logo)
    with db.begin() as session:
        pdf = pdf_for(document_settings(session))
        handout = handout_pdf(pdf, handout_content(session, meeting_id=meeting))
        packet = packet_pdf(pdf, *packet_content(session, meeting))
    assert not pdf.warnings
    for data in (handout, packet):
        assert "Sharing what helps" in page_texts(data)[0]
        (drawn_width, drawn_height), *_ = image_sizes(data)
        assert drawn_height <= 16 * 72 / 25.4 + 0.01 and drawn_width <= 60 * 72 / 25.4 + 0.01  # fits its corner
        assert drawn_width / drawn_height == pytest.approx(width / height, rel=0.02)  # not stretched


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_packets_sign_in_sheet_starts_on_the_front_of_a_sheet(db: Database, paper: str) -> None:
    """Handouts of one to four pages (longer and longer agreements): an odd one is followed by a
    blank back, so the sign-in sheet, passed round the room, is never on the back of a handout."""
    with db.begin() as session:
        group = create_group(session, "Duplex")
        add_participant(session, group.id, "Ann Lee")
        meeting = open_meeting(session, group.id, guide_slug="coping-strategies", now=T0).id
    lengths = set()
    for agreements in range(0, 176, 16):
        with db.begin() as session:
            agreed = "\n".join(f"Rule {number}." for number in range(agreements))
            change_document_settings(session, {"paper": paper, "agreements": agreed})
            pdf = pdf_for(document_settings(session))
            handout = page_texts(handout_pdf(pdf, handout_content(session, meeting_id=meeting)))
            packet = page_texts(packet_pdf(pdf, *packet_content(session, meeting)))
        lengths.add(len(handout))
        assert f"Page {len(handout)} of {len(handout)}" in handout[-1]
        sign_in = [number for number, text in enumerate(packet) if "Sign-in · Duplex" in text]
        assert sign_in and sign_in[0] % 2 == 0  # page 1, 3, 5…: the front of a sheet printed on both sides
        assert packet[: len(handout)] == handout  # the handout as it prints alone, numbered on its own
        between = packet[len(handout) : sign_in[0]]
        assert between == ([""] if len(handout) % 2 else [])  # a blank back: nothing on it, not even a footer
    assert {length % 2 for length in lengths} == {0, 1}  # odd and even handouts were both tried
