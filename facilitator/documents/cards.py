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
    from reportlab.platypus import Table

    from facilitator.documents.layout import Pdf

CRISIS_CONTACTS = "{crisis-contacts}"  # a line of its own in a card's words: the crisis contacts
LOCAL_LIMITS = "{confidentiality-limits}"  # and the limits the group or its host adds, when it has any
FRAME_PADDING = 6  # ReportLab's frame keeps this much inside its edges
SMALLEST_TEXT = 8.5  # points: a card whose text is shrunk smaller than this to fit its page is hard to read


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
    LIMITS = "limits"


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
    limits: str = ""  # the limits to confidentiality the settings add ("" for none)

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
        elif line == LOCAL_LIMITS:
            lines.append(Line(Kind.LIMITS))
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
        limits=settings.confidentiality_limits.strip(),
    )


def card_pdf(pdf: Pdf, content: CardContent) -> bytes:
    """The card on one page, in the handout's styles, shrunk to fit when its words need more room
    (the crisis card, long crisis contacts or agreements), with a warning when that makes its
    text small; the crisis contacts and agreements as the settings have them."""
    from reportlab.platypus import Flowable, KeepInFrame

    from facilitator.documents.handout import DEFAULT_CRISIS_WARNING, crisis_box
    from facilitator.documents.layout import FOOTER_GAP, MARGIN, Part

    story: list[Flowable] = []
    if content.organisation:
        story.append(pdf.text(content.organisation, "small"))
    for line in content.lines:
        if line.kind is Kind.TITLE:
            story.append(pdf.text(line.text, "title"))
        elif line.kind is Kind.HEADING:
            story.append(pdf.text(line.text, "heading"))
        elif line.kind is Kind.ITEM:
            story.append(pdf.item(line.text))
        elif line.kind is Kind.TEXT:
            story.append(pdf.text(line.text))
        elif line.kind is Kind.CRISIS:
            story.append(_full_width(crisis_box(pdf, content.crisis)))
        elif line.kind is Kind.LIMITS:
            story += [pdf.item(f"Here, also: {content.limits}")] if content.limits else []
        elif content.agreements:
            story += [pdf.item(agreement) for agreement in content.agreements]
        else:
            story.append(pdf.text("This group has not written down its agreements yet."))
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
    shrunk = getattr(page, "_scale", 1.0)  # set as it was laid out: how much it was shrunk
    if pdf.styles["body"].fontSize / shrunk < SMALLEST_TEXT:
        pdf.warnings.append(
            "The card is printed small to fit on one page: shorter crisis contacts or agreements in the "
            "settings would make it easier to read."
        )
    return made


def _full_width(table: Table) -> Table:
    """`table` as wide as the text at every try of a card shrunk to fit: a table works out its
    "*" widths once, and the shrinking lays the card out again at each scale it tries."""
    widths, wrap = list(table._colWidths), table.wrap  # type: ignore[attr-defined]  # ReportLab's own

    def wrap_afresh(available_width: float, available_height: float) -> tuple[float, float]:
        table._colWidths = table._argW = list(widths)  # type: ignore[attr-defined]  # ReportLab's own
        table._width_calculated_once = 0  # type: ignore[attr-defined]  # ReportLab's own
        return wrap(available_width, available_height)

    table.wrap = wrap_afresh  # type: ignore[method-assign, assignment]  # this table only
    return table
