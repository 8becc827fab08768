"""Tonight's packet: the handout and the sign-in sheet for an open meeting, in one PDF to print
(each numbers its own pages)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from facilitator.documents.handout import HandoutContent, handout_content, handout_part
from facilitator.documents.layout import Pdf
from facilitator.documents.sign_in import SignInContent, sign_in_content, sign_in_part
from facilitator.rules.meetings import meeting_info


def packet_content(session: Session, meeting_id: int) -> tuple[HandoutContent, SignInContent]:
    meeting = meeting_info(session, meeting_id)
    return handout_content(session, meeting_id=meeting.id), sign_in_content(
        session, meeting.group_id, meeting.local_date
    )


def packet_pdf(pdf: Pdf, handout: HandoutContent, sign_in: SignInContent) -> bytes:
    parts = [handout_part(pdf, handout), sign_in_part(pdf, sign_in)]
    return pdf.render(parts, title="Tonight's packet")
