"""Attendance letters: proof for a court, an employer or a programme that someone came to the
group's meetings. Each letter is recorded with a short code, so the facilitator can later confirm
that a letter is genuine. A letter names only the person it is for; on request it leaves out
the group's name too.

A letter says who sent it (the organisation, the signer's printed name, which it is not issued
without) and how to check it (the verification contact, without which a letter that leaves the
group out is not issued either: it would have no origin at all). The person's name as a court
knows them and a reference or case number, when given, are printed and kept with the letter's
record only.
"""

from __future__ import annotations

import secrets
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.dates import held_at, local, medium_date
from facilitator.errors import InvalidInput, NotFound
from facilitator.plurals import counted
from facilitator.rules.groups import get_group
from facilitator.rules.meetings import meetings_between
from facilitator.storage.models import (
    Attendance,
    AttendanceLetter,
    AttendanceStatus,
    Meeting,
    Membership,
    Participant,
    utc_now,
)
from facilitator.storage.preferences import document_settings
from facilitator.text import clean_name

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 8
LEGAL_NAME_MAX = 200
REFERENCE_MAX = 100
SIGNER_NEEDED = "A letter needs the printed name of the person who signs it; it is not issued without one."


class SignerNeeded(InvalidInput):
    """No printed name for the signer: each way of asking says how to give one."""


CONTACT_NEEDED = (
    "A letter that leaves the group's name out needs a contact where its code can be checked (a phone "
    "number, e-mail or address), or it says nothing of where it came from. Set the verification contact "
    "in Settings for Printed Documents, or with “facilitator settings set contact”."
)


@dataclass(frozen=True)
class LetterFacts:
    """Everything a letter says, as recorded when it was issued."""

    code: str
    participant_id: int
    participant_name: str
    group_id: int
    group_name: str | None  # None when the person asked for the group not to be named
    date_from: date
    date_to: date
    dates: list[date]  # the meetings attended, each on the clock it was held by
    meets_weekday: int | None  # the group's usual day (Group Settings), 0 = Monday; None: no schedule
    meets_at: time | None  # its usual starting time, if set
    usual_minutes: int  # the meetings' usual length, 0 if unknown
    signed_by: str  # the signer's printed name, never empty
    issued_at: datetime
    organisation: str = ""  # the letterhead (document settings); not on a letter that leaves the group out
    contact: str = ""  # where the code is checked (document settings)
    legal_name: str = ""  # the name as a court or programme knows the person, if given
    reference: str = ""  # their reference or case number, if given
    joined_on: date | None = None  # when the person joined the group; read afresh, not kept with the record

    @property
    def count(self) -> int:
        return len(self.dates)

    @property
    def issued_on(self) -> date:
        return local(self.issued_at).date()


@dataclass(frozen=True)
class LetterCheck:
    """What the record says of a code, for "was this letter really issued?"."""

    code: str
    participant_name: str
    group_name: str
    date_from: date
    date_to: date
    meetings_attended: int
    issued_at: datetime
    anonymous: bool
    legal_name: str
    reference: str


def letter_facts(
    session: Session,
    participant_id: int,
    group_id: int,
    date_from: date,
    date_to: date,
    *,
    anonymous: bool = False,
    signed_by: str = "",
    legal_name: str = "",
    reference: str = "",
    now: datetime | None = None,
) -> LetterFacts:
    """What a letter for the person's attendance at the group between two days (both included)
    says, with a fresh code; nothing is recorded until `record_letter`.

    The one way a letter is issued, from the window and the command line alike: these facts, then
    the letter drawn from them, then `record_letter`, committed before the letter is printed or its
    file appears, so that every letter that exists has a code that checks out. (A record whose
    letter never came out, the printer or the disk having failed, confirms nothing anyone holds.)"""
    if date_to < date_from:
        raise InvalidInput("The letter's range ends before it starts.")
    if not signed_by.strip():
        raise SignerNeeded(SIGNER_NEEDED)
    settings = document_settings(session)
    if anonymous and not settings.contact:
        raise InvalidInput(CONTACT_NEEDED)
    person = session.get(Participant, participant_id)
    if person is None:
        raise NotFound(f"There is no participant with id {participant_id}.")
    group = get_group(session, group_id)
    held = _meetings_attended(session, group.id, person.id, date_from, date_to)
    return LetterFacts(
        code=_new_code(session),
        participant_id=person.id,
        participant_name=person.display_name,
        group_id=group.id,
        group_name=None if anonymous else group.name,
        date_from=date_from,
        date_to=date_to,
        dates=[started.date() for started, _ended in held],
        meets_weekday=group.meeting_weekday,
        meets_at=group.meeting_time if group.meeting_weekday is not None else None,
        usual_minutes=_usual_minutes(held),
        signed_by=clean_name(signed_by, "the signer's name", 200),
        issued_at=now or utc_now(),
        organisation="" if anonymous else settings.organisation,
        contact=settings.contact,
        legal_name=_optional(legal_name, "the legal name", LEGAL_NAME_MAX),
        reference=_optional(reference, "the reference or case number", REFERENCE_MAX),
        joined_on=session.scalar(
            select(Membership.joined_on).where(Membership.group_id == group.id, Membership.participant_id == person.id)
        ),
    )


def _meetings_attended(
    session: Session, group_id: int, participant_id: int, date_from: date, date_to: date
) -> list[tuple[datetime, datetime | None]]:
    """The start (on the clock it was held by) and end of each meeting the person came to."""
    rows = session.execute(
        select(Meeting.started_at, Meeting.ended_at, Meeting.utc_offset_minutes)
        .join(Attendance, Attendance.meeting_id == Meeting.id)
        .where(
            *meetings_between(session, group_id, date_from, date_to),
            Attendance.participant_id == participant_id,
            Attendance.status.in_((AttendanceStatus.PRESENT, AttendanceStatus.LATE)),
        )
        .order_by(Meeting.started_at)
    ).all()
    return [(held_at(started, offset), ended) for started, ended, offset in rows]


def _usual_minutes(held: list[tuple[datetime, datetime | None]]) -> int:
    """How long the meetings usually last, to the quarter hour; 0 when no length is known."""
    # A meeting whose end was recorded at its start (a clock set earlier when it closed) has no known length.
    lengths = [
        (ended - started).total_seconds() / 60 for started, ended in held if ended is not None and ended > started
    ]
    return int(round(statistics.median(lengths) / 15) * 15) if lengths else 0


def record_letter(session: Session, facts: LetterFacts) -> None:
    """Keep the record of a letter given out, so that its code can be checked later."""
    session.add(
        AttendanceLetter(
            code=facts.code,
            participant_id=facts.participant_id,
            group_id=facts.group_id,
            date_from=facts.date_from,
            date_to=facts.date_to,
            meetings_attended=facts.count,
            anonymous=facts.group_name is None,
            signed_by=facts.signed_by,
            legal_name=facts.legal_name,
            reference=facts.reference,
            issued_at=facts.issued_at,
        )
    )
    session.flush()


def check_letter(session: Session, code: str) -> LetterCheck:
    """The record of the letter with this code, or a plain "no such letter"."""
    wanted = normalise_code(code)
    letter = session.scalar(select(AttendanceLetter).where(AttendanceLetter.code == wanted))
    if letter is None:
        # Deleting a person's records deletes their letters: a real letter's code may be gone, so
        # this must never read as "this letter is forged".
        raise NotFound(
            f"No letter with the code {code.strip()} is on record here: it was not issued from these records, "
            "or the person's records were deleted since."
        )
    return LetterCheck(
        code=letter.code,
        participant_name=letter.participant.display_name,
        group_name=letter.group.name,
        date_from=letter.date_from,
        date_to=letter.date_to,
        meetings_attended=letter.meetings_attended,
        issued_at=letter.issued_at,
        anonymous=letter.anonymous,
        legal_name=letter.legal_name,
        reference=letter.reference,
    )


def genuine_message(letter: LetterCheck) -> str:
    """What the facilitator is told of a code that checks out, in the window and on the command line:
    with the legal name and reference printed on the letter, so that whoever calls to check it hears
    they match (this is the one place besides the letter they are shown)."""
    anonymous = " (the group's name was left out of the letter)" if letter.anonymous else ""
    printed = [f"legal name {letter.legal_name}"] if letter.legal_name else []
    if letter.reference:
        printed.append(f"reference {letter.reference}")
    who = f"{letter.participant_name} ({'; '.join(printed)})" if printed else letter.participant_name
    return (
        f"Genuine: letter {letter.code} was issued on {medium_date(local(letter.issued_at).date())} for "
        f"{who} of {letter.group_name}{anonymous}: {counted(letter.meetings_attended, 'meeting')} "
        f"from {medium_date(letter.date_from)} to {medium_date(letter.date_to)}."
    )


def normalise_code(code: str) -> str:
    """A code as typed ("k7qm 2xpd", "K7QM-2XPD") in the form it is stored."""
    bare = "".join(char for char in code.upper() if char.isalnum())
    return f"{bare[:4]}-{bare[4:]}" if len(bare) == CODE_LENGTH else bare


def _new_code(session: Session) -> str:
    while True:
        bare = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        code = normalise_code(bare)
        if session.scalar(select(AttendanceLetter.id).where(AttendanceLetter.code == code)) is None:
            return code


def _optional(value: str, what: str, max_length: int) -> str:
    return clean_name(value, what, max_length) if value.strip() else ""
