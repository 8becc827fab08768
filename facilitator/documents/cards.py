"""The facilitator's cards, one page each: what to do when someone is in crisis in the room, the
group's agreements with what is recorded and the limits of confidentiality, tricky moments in a
meeting, and looking after yourself. Their words are in resources/cards/*.md; the crisis
contacts and the agreements come from the settings, the same ones the handout and the opening
statement use. The window shows the crisis card's words as a page during a meeting too."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from facilitator.errors import InvalidInput
from facilitator.rules.guide_format import AGREEMENTS, typographic  # a line of its own: the agreements
from facilitator.storage.preferences import CRISIS_TEXT_DEFAULT, crisis_text, document_settings

if TYPE_CHECKING:  # ReportLab loads when a card is drawn: the window shows the crisis card's words without it
    from facilitator.documents.layout import Pdf

CRISIS_CONTACTS = "{crisis-contacts}"  # a line of its own in a card's words: the crisis contacts
FRAME_PADDING = 6  # ReportLab's frame keeps this much inside its edges
SMALLEST_SHRINK = 1.1  # a card shrunk more than this to fit its page is hard to read: say so


class Card(Enum):
    """Each card, by the name the command line takes, with its title for menus and files."""

    CRISIS = "crisis"
    AGREEMENTS = "agreements"
    TRICKY_MOMENTS = "tricky-moments"
    SELF_CARE = "self-care"

    @property
    def title(self) -> str:
        return CARD_TITLES[self]


CARD_TITLES = {
    Card.CRISIS: "Crisis Card",
    Card.AGREEMENTS: "Agreements Card",
    Card.TRICKY_MOMENTS: "Tricky Moments Card",
    Card.SELF_CARE: "Self-care Page",
}
CARD_NAMES = tuple(card.value for card in Card)


class Kind(Enum):
    TITLE = "title"
    HEADING = "heading"
    TEXT = "text"
    ITEM = "item"
    CRISIS = "crisis"
    AGREEMENTS = "agreements"


@dataclass(frozen=True)
class Line:
    kind: Kind
    text: str = ""


@dataclass(frozen=True)
class CardContent:
    card: Card
    lines: tuple[Line, ...]
    crisis: str  # the crisis contacts from the settings
    agreements: tuple[str, ...]  # the group's agreements from the settings
    organisation: str = ""

    @property
    def title(self) -> str:
        return next(line.text for line in self.lines if line.kind is Kind.TITLE)

    @property
    def shows_crisis_contacts(self) -> bool:
        return any(line.kind is Kind.CRISIS for line in self.lines)


def card_named(name: str) -> Card:
    """The card the command line names, or a plain refusal listing them."""
    for card in Card:
        if card.value == name.strip().casefold():
            return card
    raise InvalidInput(f"There is no card called “{name}”. The cards are {', '.join(CARD_NAMES)}.")


def card_words(card: Card) -> tuple[Line, ...]:
    """A card's words as shipped, line by line: "# " its title, "## " a heading, "- " a list
    item, a marker line for the crisis contacts or the agreements, and plain paragraphs."""
    source = (resources.files("resources") / "cards" / f"{card.value}.md").read_text(encoding="utf-8")
    lines = []
    for raw in source.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line == CRISIS_CONTACTS:
            lines.append(Line(Kind.CRISIS))
        elif line == AGREEMENTS:
            lines.append(Line(Kind.AGREEMENTS))
        elif line.startswith("## "):
            lines.append(Line(Kind.HEADING, line[3:]))
        elif line.startswith("# "):
            lines.append(Line(Kind.TITLE, line[2:]))
        elif line.startswith("- "):
            lines.append(Line(Kind.ITEM, typographic(line[2:])))
        else:
            lines.append(Line(Kind.TEXT, typographic(line)))
    return tuple(lines)


def card_content(session: Session, card: Card) -> CardContent:
    settings = document_settings(session)
    return CardContent(
        card=card,
        lines=card_words(card),
        crisis=crisis_text(session),
        agreements=tuple(settings.agreement_lines),
        organisation=settings.organisation,
    )


def card_pdf(pdf: Pdf, content: CardContent) -> bytes:
    """The card on one page: its words a little smaller than a handout's, so the whole card is
    seen at a glance; the crisis contacts and agreements as the settings have them. Long ones
    shrink the card to fit its page, with a warning when that makes it small."""
    from reportlab.platypus import Flowable, KeepInFrame, Paragraph

    from facilitator.documents.handout import DEFAULT_CRISIS_WARNING, crisis_box
    from facilitator.documents.layout import FOOTER_GAP, MARGIN, Part

    _add_card_styles(pdf)
    story: list[Flowable] = []
    if content.organisation:
        story.append(pdf.text(content.organisation, "small"))
    for line in content.lines:
        if line.kind is Kind.TITLE:
            story.append(pdf.text(line.text, "title"))
        elif line.kind is Kind.HEADING:
            story.append(pdf.text(line.text, "card-heading"))
        elif line.kind is Kind.ITEM:
            story.append(Paragraph(pdf.markup(line.text, "card-item"), pdf.styles["card-item"], bulletText="•"))
        elif line.kind is Kind.TEXT:
            story.append(pdf.text(line.text, "card-body"))
        elif line.kind is Kind.CRISIS:
            box = crisis_box(pdf, content.crisis)
            box.hAlign = "LEFT"  # where the text starts, also on a card shrunk to fit
            story.append(box)
        elif content.agreements:
            story += [pdf.item(agreement) for agreement in content.agreements]
        else:
            story.append(pdf.text("This group has not written down its agreements yet.", "card-body"))
    if content.shows_crisis_contacts and content.crisis == CRISIS_TEXT_DEFAULT:
        pdf.warnings.append(DEFAULT_CRISIS_WARNING)
    width, height = pdf.page_size()
    page = KeepInFrame(
        width - 2 * MARGIN - 2 * FRAME_PADDING,
        height - 2 * MARGIN - FOOTER_GAP - 2 * FRAME_PADDING,
        story,
        mode="shrink",
    )
    made = pdf.render([Part(content.title, [page])], title=content.card.title)
    if getattr(page, "_scale", 1.0) > SMALLEST_SHRINK:  # set as it was laid out: how much it was shrunk
        pdf.warnings.append(
            "The card is printed small to fit on one page: shorter crisis contacts or agreements in the "
            "settings would make it easier to read."
        )
    return made


def _add_card_styles(pdf: Pdf) -> None:
    """The card's styles: body and list items a point smaller than a handout's, headings closer
    to their text."""
    from reportlab.lib.styles import ParagraphStyle

    body = pdf.styles["body"]
    pdf.styles["card-body"] = ParagraphStyle(
        "card-body", parent=body, fontSize=9.5, leading=12.5, spaceBefore=2, spaceAfter=4
    )
    pdf.styles["card-item"] = ParagraphStyle(
        "card-item", parent=pdf.styles["item"], fontSize=9.5, leading=12, spaceAfter=1.5
    )
    pdf.styles["card-heading"] = ParagraphStyle(
        "card-heading", parent=pdf.styles["heading"], fontSize=11.5, leading=14, spaceBefore=6, spaceAfter=2
    )
