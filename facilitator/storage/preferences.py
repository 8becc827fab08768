"""Preferences kept with the data (so they travel with a backup), with their defaults and limits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from facilitator.errors import InvalidInput
from facilitator.storage.models import Setting

REACH_OUT_WEEKS = "reach_out.weeks"
REACH_OUT_DEFAULT = 4
REACH_OUT_RANGE = range(1, 53)


def reach_out_weeks(session: Session) -> int:
    """After how many weeks without being seen a member appears on the gentle "reach out" list."""
    stored = session.get(Setting, REACH_OUT_WEEKS)
    return int(stored.value) if stored is not None and stored.value.isdigit() else REACH_OUT_DEFAULT


def set_reach_out_weeks(session: Session, weeks: int) -> int:
    if weeks not in REACH_OUT_RANGE:
        raise InvalidInput(f"{weeks} weeks is outside {REACH_OUT_RANGE.start}–{REACH_OUT_RANGE.stop - 1}.")
    session.merge(Setting(key=REACH_OUT_WEEKS, value=str(weeks)))
    session.flush()
    return weeks


SOUND_VOLUME = "sound.volume"
SOUND_MUTED = "sound.muted"
SOUND_VOLUME_DEFAULT = 60


@dataclass(frozen=True)
class SoundSettings:
    volume: int  # 0–100
    muted: bool


def sound_settings(session: Session) -> SoundSettings:
    """The chime's volume and whether it is muted."""
    volume = session.get(Setting, SOUND_VOLUME)
    muted = session.get(Setting, SOUND_MUTED)
    return SoundSettings(
        volume=int(volume.value) if volume is not None and volume.value.isdigit() else SOUND_VOLUME_DEFAULT,
        muted=muted is not None and muted.value == "1",
    )


def set_sound(session: Session, *, volume: int, muted: bool) -> SoundSettings:
    if not 0 <= volume <= 100:
        raise InvalidInput(f"A volume of {volume} is outside 0–100.")
    session.merge(Setting(key=SOUND_VOLUME, value=str(volume)))
    session.merge(Setting(key=SOUND_MUTED, value="1" if muted else "0"))
    session.flush()
    return SoundSettings(volume, muted)


def _fair_share_key(group_id: int) -> str:
    return f"fair_share.auto.{group_id}"


def fair_share_applied(session: Session, group_id: int) -> bool:
    """Whether the group gives everyone the suggested equal share without being asked."""
    stored = session.get(Setting, _fair_share_key(group_id))
    return stored is not None and stored.value == "1"


def set_fair_share_applied(session: Session, group_id: int, applied: bool) -> None:
    session.merge(Setting(key=_fair_share_key(group_id), value="1" if applied else "0"))
    session.flush()


CRISIS_TEXT = "crisis.text"
CRISIS_TEXT_DEFAULT = (
    "If you, or someone with you, is in danger or thinking about ending their life, "
    "call your local emergency number now."
)
CRISIS_TEXT_MAX = 1000
CRISIS_ASKED = "crisis.asked"  # when the facilitator was asked for the crisis contacts: "start", "print"
CRISIS_ASK_MOMENTS = ("start", "print")


def crisis_text(session: Session) -> str:
    """Where to turn in a crisis, in the facilitator's words for their own country and town; it
    goes on handouts and beside the opening statement. The default names no country."""
    stored = session.get(Setting, CRISIS_TEXT)
    return stored.value if stored is not None and stored.value.strip() else CRISIS_TEXT_DEFAULT


def should_ask_for_crisis_contacts(session: Session, moment: str) -> bool:
    """Whether to ask for the local crisis contacts at `moment`: the first start, and the first
    print, while they still say only "your local emergency number". Each is asked once: a
    facilitator who declines is not asked again then (the preview still says so)."""
    if moment not in CRISIS_ASK_MOMENTS:
        raise ValueError(moment)
    stored = session.get(Setting, CRISIS_ASKED)
    asked = stored.value.split(",") if stored is not None else []
    return moment not in asked and crisis_text(session) == CRISIS_TEXT_DEFAULT


def mark_asked_for_crisis_contacts(session: Session, moment: str) -> None:
    stored = session.get(Setting, CRISIS_ASKED)
    asked = stored.value.split(",") if stored is not None else []
    if moment not in asked:
        session.merge(Setting(key=CRISIS_ASKED, value=",".join([*asked, moment])))
        session.flush()


PAGE_SIZE_NAMES = ("A4", "Letter")
# Where Letter paper is the norm; everywhere else uses A4.
LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PR", "SV", "NI", "PA", "DO"})
DEFAULT_AGREEMENTS = (
    "Who you see here, and what you hear here, stays here.\n"
    "One person speaks at a time, and we do not comment on what others share.\n"
    "Advice can wait until after the meeting.\n"
    "We speak from our own experience.\n"
    "Phones on silent.\n"
    "Anyone may pass."
)
DOCUMENT_KEYS = {
    "page_size": "documents.page_size",
    "font_file": "documents.font_file",
    "organisation": "documents.organisation",
    "logo_file": "documents.logo_file",
    "facilitator_name": "documents.facilitator_name",
    "agreements": "documents.agreements",
    "contact": "documents.contact",
    "confidentiality_limits": "documents.confidentiality_limits",
}


@dataclass(frozen=True)
class DocumentSettings:
    page_size: str  # "A4" or "Letter"
    font_file: str  # empty: find a font on this computer
    organisation: str
    logo_file: str
    facilitator_name: str  # signs attendance letters
    agreements: str  # one agreement per line, printed on handouts
    contact: str  # where an attendance letter's code is checked: a phone number, e-mail or address
    confidentiality_limits: str  # the host's own limits, read with the opening statement; empty: none

    @property
    def agreement_lines(self) -> list[str]:
        """The group's agreements, one each: read aloud in the opening statement and printed on
        handouts and the agreements card, from this one setting."""
        return [line.strip() for line in self.agreements.splitlines() if line.strip()]


def default_page_size(locale_name: str | None = None) -> str:
    """A4, or Letter where the computer's locale says Letter is the local paper."""
    import locale

    name = locale_name if locale_name is not None else (locale.getlocale()[0] or "")
    territory = name.replace("-", "_").partition("_")[2][:2].upper()
    return "Letter" if territory in LETTER_TERRITORIES else "A4"


def settle_page_size(session: Session, locale_name: str) -> None:
    """On first use, the paper of the user's region (the window knows it better than Python
    does on Windows and macOS); a choice already made stays."""
    if session.get(Setting, DOCUMENT_KEYS["page_size"]) is None:
        session.add(Setting(key=DOCUMENT_KEYS["page_size"], value=default_page_size(locale_name)))
        session.flush()


def document_settings(session: Session) -> DocumentSettings:
    stored = {key: session.get(Setting, setting_key) for key, setting_key in DOCUMENT_KEYS.items()}
    values = {key: row.value if row is not None else "" for key, row in stored.items()}
    return DocumentSettings(
        page_size=values["page_size"] if values["page_size"] in PAGE_SIZE_NAMES else default_page_size(),
        font_file=values["font_file"],
        organisation=values["organisation"],
        logo_file=values["logo_file"],
        facilitator_name=values["facilitator_name"],
        agreements=values["agreements"] if stored["agreements"] is not None else DEFAULT_AGREEMENTS,
        contact=values["contact"],
        confidentiality_limits=values["confidentiality_limits"],
    )
