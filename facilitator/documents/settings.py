"""The settings for printed documents, by name: read, checked and kept by the same functions for
the window's dialog and the command line (`facilitator settings`). A font or logo is kept only
once it is usable; a refused value keeps nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from facilitator.documents.fonts import check_font_file
from facilitator.errors import InvalidInput
from facilitator.storage.models import Setting
from facilitator.storage.preferences import (
    CRISIS_TEXT,
    CRISIS_TEXT_DEFAULT,
    CRISIS_TEXT_MAX,
    DEFAULT_AGREEMENTS,
    DOCUMENT_KEYS,
    PAGE_SIZE_NAMES,
    crisis_text,
    default_page_size,
    document_settings,
)
from facilitator.text import clean_note


def _paper(value: str) -> str:
    for name in PAGE_SIZE_NAMES:
        if value.strip().casefold() == name.casefold():
            return name
    raise InvalidInput(f"The paper is A4 or Letter, not “{value}”.")


def _font_file(value: str) -> str:
    return _usable_file(value, check_font_file)


def _logo_file(value: str) -> str:
    from facilitator.documents.layout import check_image_file  # ReportLab, only to check the file

    return _usable_file(value, check_image_file)


def _usable_file(value: str, check: Callable[[Path], None]) -> str:
    """The file's full path once `check` accepts it (a path relative to where a command ran would
    not be found from elsewhere); empty stays empty."""
    if not value.strip():
        return ""
    path = Path(value.strip()).expanduser().absolute()
    check(path)
    return str(path)


def _text(what: str, max_length: int) -> Callable[[str], str]:
    return lambda value: clean_note(value, what, max_length)


@dataclass(frozen=True)
class SettingSpec:
    name: str  # as typed on the command line
    about: str
    key: str  # in the settings table
    check: Callable[[str], str]  # the value as kept, or InvalidInput
    when_empty: str = "none"


SPECS = (
    SettingSpec("paper", "the paper documents are printed on: A4 or Letter", DOCUMENT_KEYS["page_size"], _paper),
    SettingSpec(
        "font",
        "a TrueType font file (.ttf) to print with",
        DOCUMENT_KEYS["font_file"],
        _font_file,
        "one found on this computer",
    ),
    SettingSpec(
        "organisation",
        "printed at the top of handouts and letters",
        DOCUMENT_KEYS["organisation"],
        _text("the organisation's name", 200),
    ),
    SettingSpec(
        "logo", "an image file (PNG or JPEG) printed with the organisation", DOCUMENT_KEYS["logo_file"], _logo_file
    ),
    SettingSpec(
        "signed-by",
        "who signs attendance letters",
        DOCUMENT_KEYS["facilitator_name"],
        _text("the facilitator's name", 200),
    ),
    SettingSpec(
        "contact",
        "a phone number, e-mail or address where a letter's code is checked: on every letter, "
        "those without the group's name too",
        DOCUMENT_KEYS["contact"],
        _text("the verification contact", 300),
    ),
    SettingSpec(
        "agreements",
        "the group agreements printed on handouts, one a line",
        DOCUMENT_KEYS["agreements"],
        _text("the text of the group agreements", 3000),
    ),
    SettingSpec(
        "confidentiality-limits",
        "limits to confidentiality that your group or the place you meet adds, read with the opening statement",
        DOCUMENT_KEYS["confidentiality_limits"],
        _text("the text of the limits to confidentiality", 1000),
    ),
    SettingSpec(
        "crisis-contacts",
        "where to turn in a crisis: on every handout and with the opening statement",
        CRISIS_TEXT,
        _text("the text of the crisis contacts", CRISIS_TEXT_MAX),
    ),
)
SETTING_NAMES = tuple(spec.name for spec in SPECS)


@dataclass(frozen=True)
class DocumentSetting:
    name: str
    about: str
    value: str  # the value in effect ("" for no logo, a font found on this computer...)
    is_default: bool
    when_empty: str


def document_setting_values(session: Session) -> dict[str, str]:
    """Every document setting's value in effect, by name."""
    settings = document_settings(session)
    return {
        "paper": settings.page_size,
        "font": settings.font_file,
        "organisation": settings.organisation,
        "logo": settings.logo_file,
        "signed-by": settings.facilitator_name,
        "contact": settings.contact,
        "agreements": settings.agreements,
        "confidentiality-limits": settings.confidentiality_limits,
        "crisis-contacts": crisis_text(session),
    }


def default_setting_values() -> dict[str, str]:
    """What each setting is when nobody has set it (the paper of this computer's region)."""
    values = dict.fromkeys(SETTING_NAMES, "")
    values.update(
        {"paper": default_page_size(), "agreements": DEFAULT_AGREEMENTS, "crisis-contacts": CRISIS_TEXT_DEFAULT}
    )
    return values


def read_document_settings(session: Session) -> list[DocumentSetting]:
    values, defaults = document_setting_values(session), default_setting_values()
    return [
        DocumentSetting(
            name=spec.name,
            about=spec.about,
            value=values[spec.name],
            is_default=values[spec.name] == defaults[spec.name],
            when_empty=spec.when_empty,
        )
        for spec in SPECS
    ]


def read_document_setting(session: Session, name: str) -> DocumentSetting:
    found = {setting.name: setting for setting in read_document_settings(session)}
    return found[_spec(name).name]


def change_document_settings(session: Session, changes: Mapping[str, str | None]) -> dict[str, str]:
    """Keep the given settings, by name; None puts one back to its default. Every value is
    checked before any is kept, so a refusal changes nothing. Returns the values in effect."""
    checked = {_spec(name): None if value is None else _spec(name).check(value) for name, value in changes.items()}
    for spec, value in checked.items():
        stored = session.get(Setting, spec.key)
        if value is None:
            if stored is not None:
                session.delete(stored)
        else:
            session.merge(Setting(key=spec.key, value=value))
    session.flush()
    return document_setting_values(session)


def _spec(name: str) -> SettingSpec:
    for spec in SPECS:
        if spec.name == name:
            return spec
    raise InvalidInput(f"There is no document setting called “{name}”. The settings are {', '.join(SETTING_NAMES)}.")
