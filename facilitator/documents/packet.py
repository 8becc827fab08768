"""Tonight's packet: the handout and the sign-in sheet for an open meeting, in one PDF to print
(each numbers its own pages)."""

from __future__ import annotations

from facilitator.documents.handout import HandoutContent, handout_part
from facilitator.documents.layout import Pdf
from facilitator.documents.sign_in import SignInContent, sign_in_part


def packet_pdf(pdf: Pdf, handout: HandoutContent, sign_in: SignInContent) -> bytes:
    parts = [handout_part(pdf, handout), sign_in_part(pdf, sign_in)]
    return pdf.render(parts, title=f"Tonight's packet — {sign_in.group_name}")
