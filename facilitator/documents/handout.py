"""The meeting handout: what people take home from tonight's topic, with room to write, the
group agreements and where to turn in a crisis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table
from sqlalchemy.orm import Session

from facilitator.dates import held_at, long_date, medium_date
from facilitator.documents.layout import INK, RULE, SHADE, Part, Pdf, check_image_file
from facilitator.errors import InvalidInput
from facilitator.rules.groups import get_group
from facilitator.rules.guide_format import EXERCISE, TAKE_HOME, Block, Guide, typographic, writing_room
from facilitator.rules.guides import get_guide
from facilitator.rules.meetings import get_meeting
from facilitator.storage.models import GuideKind
from facilitator.storage.preferences import CRISIS_TEXT_DEFAULT, crisis_text, document_settings

WRITING_LINES = 3
LOGO_HEIGHT = 16 * mm
LOGO_WIDTH = 60 * mm
DEFAULT_CRISIS_WARNING = (
    "The crisis contacts still only say “call your local emergency number”. "
    "Add your local crisis line to the crisis contacts in the settings before you print."
)
LOGO_GAP = 4 * mm
MIN_FILL_IN = 40 * mm  # the least room on a prompt's own line worth writing on


@dataclass(frozen=True)
class HandoutContent:
    group_name: str  # "" unless the group chose to be named on its handouts
    day: date
    guide: Guide
    agreements: list[str]
    crisis: str
    organisation: str = ""
    logo: Path | None = None


def handout_content(
    session: Session,
    *,
    meeting_id: int | None = None,
    guide_slug: str | None = None,
    group_id: int | None = None,
    day: date | None = None,
) -> HandoutContent:
    """The handout for a meeting (its topic guide), or for a guide and a group on a day."""
    if meeting_id is not None:
        meeting = get_meeting(session, meeting_id)
        if meeting.guide is None:
            raise InvalidInput("This meeting has no topic guide, so there is no handout to print; choose one first.")
        guide, group = get_guide(session, meeting.guide.slug), meeting.group
        day = held_at(meeting.started_at, meeting.utc_offset_minutes).date()
    elif guide_slug is not None and group_id is not None:
        guide, group = get_guide(session, guide_slug), get_group(session, group_id)
        day = day or date.today()
    else:
        raise InvalidInput("A handout needs a meeting, or a topic guide and a group.")
    if guide.kind is not GuideKind.TOPIC:
        raise InvalidInput(
            f"“{guide.title}” is a meeting format; a handout is made from a topic guide. "
            "A format prints as a run sheet."
        )
    settings = document_settings(session)
    return HandoutContent(
        # A handout goes home with people: the group's name can say what it is for to whoever finds it.
        group_name=group.name if group.handout_names_group else "",
        day=day,
        guide=guide,
        agreements=settings.agreement_lines,
        crisis=crisis_text(session),
        organisation=settings.organisation,
        logo=Path(settings.logo_file) if settings.logo_file else None,
    )


def handout_part(pdf: Pdf, content: HandoutContent) -> Part:
    guide = content.guide
    story: list[Flowable] = []
    heading = [pdf.text(_named(content.group_name, long_date(content.day)), "subtitle")]
    if content.organisation:
        heading.insert(0, pdf.text(content.organisation, "small"))
    logo = _logo(pdf, content.logo)
    if logo is not None:
        # The logo's column is exactly as wide as the logo, with the gap on its left: a table's
        # default padding inside a column that narrow would leave the image less than no room.
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (0, 0), 0),
            ("LEFTPADDING", (1, 0), (1, 0), LOGO_GAP),
            ("RIGHTPADDING", (1, 0), (1, 0), 0),
        ]
        story.append(pdf.table([[heading, logo]], style, colWidths=["*", logo.drawWidth + LOGO_GAP]))
    else:
        story += heading
    story += [Spacer(1, 2 * mm), pdf.text(typographic(guide.title), "title"), pdf.text(typographic(guide.summary))]
    story.append(crisis_box(pdf, content.crisis))
    if content.crisis == CRISIS_TEXT_DEFAULT:
        pdf.warnings.append(DEFAULT_CRISIS_WARNING)

    story.append(pdf.text("Questions to think about", "heading"))
    for number, prompt in enumerate(guide.prompts, start=1):
        story.append(_Question(pdf.numbered(number, typographic(prompt), last=len(guide.prompts))))

    for name, title in ((EXERCISE, "Something to try"), (TAKE_HOME, "To take home")):
        section = guide.section(name)
        if section is not None and section.blocks:
            story.append(pdf.text(title, "heading"))
            rooms = writing_room(section.blocks)
            story += [_block(pdf, block, room) for block, room in zip(section.blocks, rooms, strict=True)]

    if content.agreements:
        story.append(KeepTogether([pdf.text("Our group agreements", "heading"), _two_columns(pdf, content.agreements)]))
    return Part(_named(content.group_name, f"{medium_date(content.day)} · {guide.title}"), story)


def _named(group_name: str, text: str) -> str:
    """The text after the group's name, when the handout names it."""
    return f"{group_name} · {text}" if group_name else text


def _block(pdf: Pdf, block: Block, room: bool) -> Flowable:
    """A paragraph or list item of the guide's text, with a line after it when it asks the
    reader to write (see writing_room)."""
    text = typographic(block.text)
    shown = pdf.item(text) if block.item else pdf.text(text)
    return _FillIn(shown) if room else shown


def handout_pdf(pdf: Pdf, content: HandoutContent) -> bytes:
    return pdf.render([handout_part(pdf, content)], title=f"{content.guide.title} — handout")


def _logo(pdf: Pdf, path: Path | None) -> Image | None:
    """The organisation's logo, at most LOGO_HEIGHT high and LOGO_WIDTH wide; a logo file that
    has gone or is no longer an image is left out, with a warning, and the handout still prints."""
    if path is None:
        return None
    try:
        check_image_file(path)
    except InvalidInput as problem:
        pdf.warnings.append(f"{problem} The handout was made without it.")
        return None
    logo = Image(str(path))
    scale = min(LOGO_HEIGHT / logo.imageHeight, LOGO_WIDTH / logo.imageWidth)
    logo.drawWidth, logo.drawHeight = logo.imageWidth * scale, logo.imageHeight * scale
    return logo


class _WritingLines(Flowable):
    """Ruled lines to write on, drawn directly: a table of empty cells costs ten times as much."""

    def __init__(self, lines: int = WRITING_LINES, gap: float = 7 * mm) -> None:
        super().__init__()
        self.lines, self.gap = lines, gap

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.lines * self.gap

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.4)
        for number in range(self.lines):  # a little room under the last, before the next question
            height = (number + 0.3) * self.gap
            self.canv.line(0, height, self.width, height)


class _Question(Flowable):
    """A question with its lines to write on, moved to the next page whole rather than parted
    from them. Measured directly: a KeepTogether of the two costs more than the rest of the page
    (it copies the frame to measure). A question too long for any page flows like any text."""

    def __init__(self, question: Paragraph) -> None:
        super().__init__()
        self.question, self.ruled = question, _WritingLines()

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        _width, height = self.question.wrap(available_width, available_height)
        _width, lines = self.ruled.wrap(available_width, available_height)
        self.height = height + self.question.getSpaceAfter() + lines
        return available_width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802 - ReportLab's name
        return self.question.getSpaceBefore()

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        frame = self.canv._doctemplate.frame  # type: ignore[attr-defined]  # set by ReportLab while it builds; not in its stubs
        page = frame._height - frame._topPadding - frame._bottomPadding
        if frame._atTop or self.height > page:  # no page holds it whole: it flows on, like any long text
            parts = self.question.split(available_width, available_height)
            if parts:  # else not a line fits here: the next page
                return [*parts, self.ruled]
        return []  # to the next page, whole

    def draw(self) -> None:
        self.question.drawOn(self.canv, 0, self.height - self.question.height)
        self.ruled.drawOn(self.canv, 0, 0)


class _FillIn(Flowable):
    """A prompt to write after, with a line from the end of its text to the margin, as on a form:
    room to write that costs no height, which is what keeps the handout on one sheet. When the
    text leaves less than MIN_FILL_IN on its last line, the line goes under it instead."""

    def __init__(self, prompt: Paragraph) -> None:
        super().__init__()
        self.prompt = prompt

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        _width, height = self.prompt.wrap(available_width, available_height)
        last = self.prompt.blPara.lines[-1]  # type: ignore[attr-defined]  # set by wrap; not in ReportLab's stubs
        room = last[0] if isinstance(last, tuple) else last.extraSpace
        self.line_from = available_width - room if room >= MIN_FILL_IN else self.prompt.style.leftIndent
        self.below = 0 if room >= MIN_FILL_IN else self.prompt.style.leading
        self.height = height + self.below
        return available_width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802 - ReportLab's name
        return self.prompt.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802 - ReportLab's name
        return self.prompt.getSpaceAfter()

    def draw(self) -> None:
        self.prompt.drawOn(self.canv, 0, self.below)
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.4)
        self.canv.line(self.line_from + 3, 1.5, self.width, 1.5)  # just under the last line's baseline


def _two_columns(pdf: Pdf, items: list[str]) -> Table:
    """Short lines as bullet points in two columns, read down the first column then the second:
    half the height of one column, which is what keeps a handout on one sheet."""
    half = (len(items) + 1) // 2
    left, right = items[:half], items[half:]
    rows = [[pdf.item(text), pdf.item(right[row]) if row < len(right) else ""] for row, text in enumerate(left)]
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]
    return pdf.table(rows, style, colWidths=["50%", "50%"])


def crisis_box(pdf: Pdf, text: str) -> Table:
    """Where to turn in a crisis, bold in a dark box on page 1, where it is seen before it is
    needed rather than found at the end."""
    style = [
        ("BOX", (0, 0), (-1, -1), 1.5, INK),
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (0, 0), 5),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
    ]
    # One cell, so a page break never parts the heading from the contacts: the box moves whole.
    rows = [[[pdf.text("If you need help now", "heading"), pdf.text(text, "strong")]]]
    box = pdf.table(rows, style, colWidths=["*"])
    box.spaceBefore, box.spaceAfter = 4, 2
    return box
