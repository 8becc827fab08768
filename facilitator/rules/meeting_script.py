"""The meeting's script: its format's parts with planned and actual minutes, the topic guide's
prompts ticked off as they are used, and the facilitator's place in it, written as it moves so
that a restart finds the meeting where it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from facilitator.errors import InvalidInput
from facilitator.rules.guide_format import (
    CHECK_IN_QUESTION,
    CLOSING_REFLECTION,
    DISCUSSION_PROMPTS,
    EXERCISE,
    OPENING_READING,
    Guide,
    PartKind,
    Section,
    parse_guide,
)
from facilitator.rules.meetings import get_meeting, writable_meeting
from facilitator.storage.models import ScriptMark, ScriptMarkKind, utc_now
from facilitator.storage.preferences import crisis_text, document_settings

# What tonight's topic guide brings to a part of each kind, read after the part's own text.
GUIDE_IN_PART: Mapping[PartKind, tuple[str, ...]] = MappingProxyType(
    {
        PartKind.CHECK_IN: (CHECK_IN_QUESTION,),
        PartKind.TOPIC: (OPENING_READING, DISCUSSION_PROMPTS, EXERCISE),
        PartKind.DISCUSSION: (DISCUSSION_PROMPTS, EXERCISE),
        PartKind.CLOSING: (CLOSING_REFLECTION,),
    }
)
# What the format itself brings to a part of each kind when tonight's topic guide does not.
FORMAT_IN_PART: Mapping[PartKind, tuple[str, ...]] = MappingProxyType({PartKind.CHECK_IN: (CHECK_IN_QUESTION,)})


def sections_for_part(
    kind: PartKind, guide: Guide | None, format_: Guide | None
) -> tuple[list[Section], list[Section]]:
    """What goes with a part of this kind, read after its text: the format's own sections (its
    check-in question) that tonight's topic guide does not replace, and the guide's sections. So a
    check-in asks one question: the guide's when there is a guide with one, else the format's."""
    from_guide = _found(guide, GUIDE_IN_PART.get(kind, ()))
    replaced = {section.name.casefold() for section in from_guide}
    own = [
        section for section in _found(format_, FORMAT_IN_PART.get(kind, ())) if section.name.casefold() not in replaced
    ]
    return own, from_guide


def _found(guide: Guide | None, names: tuple[str, ...]) -> list[Section]:
    found = (guide.section(name) for name in names) if guide is not None else ()
    return [section for section in found if section is not None and section.text]


@dataclass(frozen=True)
class PartProgress:
    name: str
    kind: PartKind
    planned_minutes: int
    actual_seconds: float  # time spent on the part so far, all visits together
    started: bool

    @property
    def shows_crisis_contacts(self) -> bool:
        """The crisis contacts go with the opening statement, where the limits of confidentiality are read."""
        return self.kind is PartKind.OPENING


@dataclass(frozen=True)
class MeetingScript:
    guide: Guide | None
    format: Guide | None
    parts: list[PartProgress]
    current_part: int | None  # where the meeting is now; None before the first part
    prompts_used: frozenset[int]
    agreements: tuple[str, ...] = ()  # the group's agreements, from the settings

    def part_text(self, number: int) -> Section:
        """Part `number` of the format as it is read: the group's agreements where it names them."""
        assert self.format is not None
        return self.format.parts[number].with_agreements(self.agreements)

    @property
    def planned_minutes(self) -> int:
        return sum(part.planned_minutes for part in self.parts)

    @property
    def actual_seconds(self) -> float:
        return sum(part.actual_seconds for part in self.parts)

    def format_sections(self, number: int) -> list[Section]:
        """What the format itself brings to part `number` because tonight's guide does not."""
        return sections_for_part(self.parts[number].kind, self.guide, self.format)[0]

    def guide_sections(self, number: int) -> list[Section]:
        """What tonight's topic guide brings to part `number`, in the order it is read."""
        return sections_for_part(self.parts[number].kind, self.guide, self.format)[1]


def opening_additions(session: Session) -> list[str]:
    """What the settings add to the opening statement, to be read with it: the limits to
    confidentiality the group or the place it meets adds (when there are any), and the crisis contacts."""
    limits = document_settings(session).confidentiality_limits.strip()
    local = [f"Limits to confidentiality here (from your settings): {limits}"] if limits else []
    return [*local, f"Crisis contacts (from your settings): {crisis_text(session)}"]


def meeting_script(session: Session, meeting_id: int, *, now: datetime | None = None) -> MeetingScript:
    """The script as it stands: parts with the time spent on each, and the prompts used."""
    meeting = get_meeting(session, meeting_id)
    guide = parse_guide(meeting.guide.source, meeting.guide.slug) if meeting.guide else None
    format_ = parse_guide(meeting.format.source, meeting.format.slug) if meeting.format else None
    marks = session.scalars(
        select(ScriptMark).where(ScriptMark.meeting_id == meeting.id).order_by(ScriptMark.marked_at, ScriptMark.id)
    ).all()
    visits = [mark for mark in marks if mark.kind is ScriptMarkKind.PART]
    until = meeting.ended_at or now or utc_now()
    spent: dict[int, float] = {}
    for index, visit in enumerate(visits):
        end = visits[index + 1].marked_at if index + 1 < len(visits) else until
        spent[visit.number] = spent.get(visit.number, 0.0) + max(0.0, (end - visit.marked_at).total_seconds())
    parts = _parts(format_, spent)
    current = visits[-1].number if visits and visits[-1].number < len(parts) else None
    prompts = frozenset(mark.number for mark in marks if mark.kind is ScriptMarkKind.PROMPT)
    agreements = tuple(document_settings(session).agreement_lines)
    return MeetingScript(guide, format_, parts, current, prompts, agreements)


def planned_script(format_: Guide, guide: Guide | None, agreements: Sequence[str] = ()) -> MeetingScript:
    """A format's script with a topic guide and the group's `agreements`, before the meeting: the
    same parts and the same text in each as the script panel shows, for the run sheet on paper."""
    return MeetingScript(guide, format_, _parts(format_, {}), None, frozenset(), tuple(agreements))


def _parts(format_: Guide | None, spent: Mapping[int, float]) -> list[PartProgress]:
    """The format's parts, with the seconds `spent` on each so far (by part number)."""
    return [
        PartProgress(part.name, part.kind or PartKind.OTHER, part.minutes or 0, spent.get(number, 0.0), number in spent)
        for number, part in enumerate(format_.parts if format_ else [])
    ]


def go_to_part(session: Session, meeting_id: int, number: int, *, now: datetime | None = None) -> None:
    """The meeting moves on (or back) to part `number` of its format, from now."""
    meeting = writable_meeting(session, meeting_id)
    count = len(parse_guide(meeting.format.source, meeting.format.slug).parts) if meeting.format else 0
    if not 0 <= number < count:
        raise InvalidInput(f"The meeting's format has no part {number + 1}.")
    session.add(ScriptMark(meeting_id=meeting.id, kind=ScriptMarkKind.PART, number=number, marked_at=now or utc_now()))
    session.flush()


def mark_prompt(session: Session, meeting_id: int, number: int, used: bool, *, now: datetime | None = None) -> None:
    """Tick a discussion prompt as used, or untick it."""
    meeting = writable_meeting(session, meeting_id)
    count = len(parse_guide(meeting.guide.source, meeting.guide.slug).prompts) if meeting.guide else 0
    if not 0 <= number < count:
        raise InvalidInput(f"The topic guide has no prompt {number + 1}.")
    session.execute(
        delete(ScriptMark).where(
            ScriptMark.meeting_id == meeting.id,
            ScriptMark.kind == ScriptMarkKind.PROMPT,
            ScriptMark.number == number,
        )
    )
    if used:
        session.add(
            ScriptMark(meeting_id=meeting.id, kind=ScriptMarkKind.PROMPT, number=number, marked_at=now or utc_now())
        )
    session.flush()
