"""The run sheet: a meeting format on paper with tonight's topic guide filled into its parts, the
same text in each part as the script panel shows (one source: `planned_script`), each part's
planned minutes and times, and what to say in a room with no screen. It is the backup when the
laptop fails, so it stands on its own: every word to read aloud is on it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table
from sqlalchemy.orm import Session

from facilitator.dates import held_at, long_date, medium_date
from facilitator.documents.handout import crisis_box
from facilitator.documents.layout import INK, RULE, SHADE, Part, Pdf
from facilitator.errors import InvalidInput
from facilitator.plurals import counted
from facilitator.rules.groups import get_group
from facilitator.rules.guide_format import DISCUSSION_PROMPTS, Block, Guide, PartKind, Section, parse_guide, typographic
from facilitator.rules.guides import get_guide
from facilitator.rules.meeting_script import MeetingScript, planned_script
from facilitator.rules.meetings import get_meeting
from facilitator.storage.models import Group, GuideKind
from facilitator.storage.preferences import crisis_text, document_settings


@dataclass(frozen=True)
class RunSheetContent:
    script: MeetingScript  # its format is always there
    day: date | None  # the meeting's day; None for a format printed ahead of any meeting
    group_name: str  # "" unless the group chose to be named on sheets that leave the room
    starts_at: time | None  # the group's usual starting time, for each part's clock times
    share_minutes: int | None  # the group's share length, for the lines said without a screen
    crisis: str
    confidentiality_limits: str  # what the group or its host adds to confidentiality ("" for none)

    @property
    def format(self) -> Guide:
        assert self.script.format is not None
        return self.script.format


def run_sheet_content(
    session: Session,
    *,
    meeting_id: int | None = None,
    format_slug: str | None = None,
    guide_slug: str | None = None,
    group_id: int | None = None,
) -> RunSheetContent:
    """The run sheet of a meeting (its format and topic guide), or of a format with a guide and a group if given."""
    group: Group | None
    if meeting_id is not None:
        meeting = get_meeting(session, meeting_id)
        if meeting.format is None:
            raise InvalidInput(
                "This meeting has no meeting format, so there is no run sheet to print. "
                "Choose a format to print its run sheet on its own."
            )
        format_ = parse_guide(meeting.format.source, meeting.format.slug)
        guide = parse_guide(meeting.guide.source, meeting.guide.slug) if meeting.guide else None
        group, day = meeting.group, held_at(meeting.started_at, meeting.utc_offset_minutes).date()
    elif format_slug is not None:
        format_ = get_guide(session, format_slug)
        if format_.kind is not GuideKind.FORMAT:
            raise InvalidInput(f"“{format_.title}” is a topic guide; a run sheet is made from a meeting format.")
        guide = get_guide(session, guide_slug) if guide_slug is not None else None
        if guide is not None and guide.kind is not GuideKind.TOPIC:
            raise InvalidInput(f"“{guide.title}” is a meeting format; choose a topic guide to fill it in.")
        group, day = (get_group(session, group_id) if group_id is not None else None), None
    else:
        raise InvalidInput("A run sheet needs a meeting, or a meeting format.")
    return RunSheetContent(
        script=planned_script(format_, guide, document_settings(session).agreement_lines),
        day=day,
        # It may be left behind in the room or on a bus: it names the group only if the group chose.
        group_name=group.name if group is not None and group.handout_names_group else "",
        starts_at=group.meeting_time if group is not None else None,
        share_minutes=max(1, round(group.share_seconds / 60)) if group is not None else None,
        crisis=crisis_text(session),
        confidentiality_limits=document_settings(session).confidentiality_limits.strip(),
    )


def run_sheet_part(pdf: Pdf, content: RunSheetContent) -> Part:
    script, format_ = content.script, content.format
    heading = " · ".join(text for text in (content.group_name, "Run sheet", _long(content.day)) if text)
    topic = f"Tonight’s topic: {typographic(script.guide.title)}" if script.guide else "No topic guide chosen"
    story: list[Flowable] = [
        pdf.text(heading, "subtitle"),
        pdf.text(typographic(format_.title), "title"),
        pdf.text(topic, "strong"),
        _plan(pdf, content),
        _box(pdf, "If the laptop or the screen fails", [pdf.item(line) for line in LAPTOP_FAILS]),
    ]
    for number, part in enumerate(script.parts):
        # Without a screen, the lines about the timer change: the facilitator needs them before reading on.
        first = [_no_screen(pdf, content.share_minutes)] if part.kind is PartKind.SHARING else []
        story += _part(pdf, content, number, first)
        if part.shows_crisis_contacts:  # read with the opening, as the script panel shows them
            if content.confidentiality_limits:
                story.append(_box(pdf, "Limits to confidentiality here", [pdf.text(content.confidentiality_limits)]))
            story.append(crisis_box(pdf, content.crisis))
    dated = medium_date(content.day) if content.day else ""
    footer = " · ".join(text for text in (content.group_name, "Run sheet", dated, format_.title) if text)
    return Part(footer, story)


def run_sheet_pdf(pdf: Pdf, content: RunSheetContent) -> bytes:
    return pdf.render([run_sheet_part(pdf, content)], title=f"{content.format.title} — run sheet")


# Said when the screen shows no timer: the facilitator keeps time and signals instead.
LAPTOP_FAILS = (
    "Carry on from this sheet. It has every part, and the words to say.",
    "Keep time on a watch or a phone. The times on the right of each part say when it ends.",
    "Pass round a blank sign-in sheet, or count the people who came.",
    "For the sharing round, use the lines under it for a room with no screen.",
)


def no_screen_lines(share_minutes: int | None) -> list[str]:
    """What to say in place of the part about the timer on the screen."""
    each = f"Each person has {counted(share_minutes, 'minute')}." if share_minutes else "Each person has the same time."
    return [
        "There is no timer on a screen tonight, so I will keep the time.",
        each,
        "I’ll give a quiet signal at one minute, like this.",
        "[Show the signal: raise a hand, or hold up a card.]",
        "When you see it again, your time is up. Please finish the sentence you’re on.",
    ]


def _plan(pdf: Pdf, content: RunSheetContent) -> Table:
    """The parts at a glance: their order, planned minutes and when each begins and ends."""
    rows: list[list[object]] = [["", "Part", "Minutes", "Time"]]
    start = 0
    for number, part in enumerate(content.script.parts, start=1):
        span = _span(content.starts_at, start, start + part.planned_minutes)
        rows.append([str(number), pdf.cell(part.name, 90 * mm), str(part.planned_minutes), span])
        start += part.planned_minutes
    rows.append(["", "In all", str(start), ""])
    style = [
        ("FONT", (0, 0), (-1, 0), pdf.bold, 9),
        ("FONT", (0, 1), (-1, -1), pdf.font, 9.5),
        ("FONT", (0, -1), (-1, -1), pdf.bold, 9.5),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, INK),
        ("LINEABOVE", (0, -1), (-1, -1), 0.6, INK),
        ("LINEBELOW", (0, 1), (-1, -3), 0.3, RULE),
        ("ALIGN", (2, 0), (2, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    table = pdf.table(rows, style, colWidths=[8 * mm, "*", 20 * mm, 34 * mm], hAlign="LEFT")
    table.spaceBefore, table.spaceAfter = 6, 6
    return table


def _long(day: date | None) -> str:
    return long_date(day) if day else ""


def _span(starts_at: time | None, begin: int, end: int) -> str:
    """When a part runs: on the clock from the group's usual start, else in minutes from the start."""
    if starts_at is None:
        return f"{begin // 60}:{begin % 60:02d} – {end // 60}:{end % 60:02d}"
    start = datetime.combine(date(2000, 1, 1), starts_at)
    return f"{start + timedelta(minutes=begin):%H:%M} – {start + timedelta(minutes=end):%H:%M}"


def _part(pdf: Pdf, content: RunSheetContent, number: int, first: Sequence[Flowable]) -> list[Flowable]:
    """Part `number`: its heading with its minutes and times, `first`, its text, then what
    tonight's topic guide brings to it."""
    script = content.script
    part, section = script.parts[number], script.part_text(number)
    begin = sum(earlier.planned_minutes for earlier in script.parts[:number])
    when = f"{part.planned_minutes} min · {_span(content.starts_at, begin, begin + part.planned_minutes)}"
    style = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
    ]
    head = pdf.table(
        [[pdf.text(f"{number + 1}. {section.name}", "heading"), pdf.text(when, "right")]],
        style,
        colWidths=["*", 45 * mm],
    )
    head.spaceBefore = 8
    body = [*first, *(_block(pdf, block) for block in section.blocks)]
    flowables: list[Flowable] = [KeepTogether([head, Spacer(1, 2 * mm), *body[:1]]), *body[1:]]
    for own in script.format_sections(number):  # what the format brings when tonight's guide does not
        flowables += [pdf.text(own.name, "strong"), *(_block(pdf, block) for block in own.blocks)]
    for found in script.guide_sections(number):
        flowables += _from_guide(pdf, found)
    return flowables


def _from_guide(pdf: Pdf, section: Section) -> list[Flowable]:
    """A section of tonight's topic guide, under the part it belongs to; its prompts numbered,
    so the facilitator can say which ones were used."""
    label = pdf.text(f"From tonight’s topic: {section.name}", "strong")
    if section.name.casefold() == DISCUSSION_PROMPTS.casefold():
        items = section.items
        shown: list[Flowable] = [
            pdf.numbered(n, typographic(text), last=len(items)) for n, text in enumerate(items, start=1)
        ]
    else:
        shown = [_block(pdf, block) for block in section.blocks]
    return [KeepTogether([label, *shown[:1]]), *shown[1:]]


def _block(pdf: Pdf, block: Block) -> Flowable:
    """A paragraph or list item of the format; a line in square brackets is something to do, not
    to read aloud, and is printed quieter, as the script panel shows it."""
    text = typographic(block.text)
    if block.item:
        return pdf.item(text)
    if text.startswith("[") and text.endswith("]"):
        return pdf.text(text, "doing")
    return pdf.text(text)


def _no_screen(pdf: Pdf, share_minutes: int | None) -> Table:
    lines = no_screen_lines(share_minutes)
    said = [pdf.text(line, "doing" if line.startswith("[") else "body") for line in lines]
    return _box(pdf, "No screen in the room? Say this instead of the part about the timer:", said)


def _box(pdf: Pdf, title: str, body: Sequence[Flowable]) -> Table:
    style = [
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    box = pdf.table([[[pdf.text(title, "strong"), *body]]], style, colWidths=["*"])  # one cell: never split
    box.spaceBefore, box.spaceAfter = 6, 4
    return box
