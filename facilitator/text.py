"""Rules for text a user types: trimmed, bounded, free of control characters, compared kindly."""

from __future__ import annotations

import enum
import unicodedata

from facilitator.errors import InvalidInput

# Invisible characters a name may hold: the joiners that Persian, Indic scripts and emoji need.
JOINERS = "\u200c\u200d"


class NameDisplay(enum.StrEnum):
    """How a group's names appear where the room can see them (room display, sign-in sheet)."""

    FULL = "full"
    FIRST_NAME_INITIAL = "first_initial"
    INITIALS = "initials"


# What a new group shows the room unless the facilitator chooses otherwise: privacy first, so a
# surname is never on the wall by default (a peer-support group is often anonymous), yet "Ann L."
# still tells two Anns apart and reads aloud naturally, where "A. L." would not.
NEW_GROUP_NAME_DISPLAY = NameDisplay.FIRST_NAME_INITIAL


def clean_name(value: str, what: str, max_length: int) -> str:
    """A one-line name: inner runs of white space become one space; empty or overlong is refused,
    and so are characters that cannot be seen (a zero-width space would make a second "Ann")."""
    _refuse_unstorable(value, what)
    text = " ".join(unicodedata.normalize("NFC", value).split())
    _refuse_control_characters(text, what, invisible=True)
    if not text:
        raise InvalidInput(f"{_capital(what)} is empty.")
    if len(text) > max_length:
        raise InvalidInput(f"{_capital(what)} is {len(text)} characters long; at most {max_length} fit.")
    return text


def clean_note(value: str | None, what: str, max_length: int = 10_000) -> str:
    """Free text over several lines: trimmed at both ends, line breaks and tabs kept."""
    _refuse_unstorable(value or "", what)
    text = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    _refuse_control_characters(text, what, allowed="\n\t")
    if len(text) > max_length:
        raise InvalidInput(f"{_capital(what)} is {len(text)} characters long; at most {max_length} fit.")
    return text


def name_key(name: str) -> str:
    """How two names are compared for sameness: case, accents' encoding and spacing aside."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _refuse_control_characters(text: str, what: str, allowed: str = "", *, invisible: bool = False) -> None:
    for char in text:
        kind = unicodedata.category(char)
        if char not in allowed and kind == "Cc":
            raise InvalidInput(
                f"{_capital(what)} contains a control character (U+{ord(char):04X}), which cannot be stored."
            )
        if invisible and kind == "Cf" and char not in JOINERS:
            raise InvalidInput(
                f"{_capital(what)} contains an invisible character (U+{ord(char):04X}); type the name again without it."
            )


def _refuse_unstorable(text: str, what: str) -> None:
    """Text that is not valid Unicode (bytes from a terminal in another encoding) is refused plainly."""
    if any(unicodedata.category(char) == "Cs" for char in text):
        raise InvalidInput(
            f"{_capital(what)} holds bytes that are not valid text; set the terminal or file to UTF-8 and try again."
        )


def _capital(what: str) -> str:
    """ "the group's name" → "The group's name", for the start of a message."""
    return what[:1].upper() + what[1:]


def shown_name(name: str, style: NameDisplay) -> str:
    """A name as a group chooses to show it where the room can see: whole, "Ann L." or "A. L."."""
    words = name.split()
    if style is NameDisplay.FULL or not words:
        return name
    if style is NameDisplay.FIRST_NAME_INITIAL:
        return " ".join([words[0], *(f"{word[0]}." for word in words[1:])])
    return " ".join(f"{word[0]}." for word in words)


def name_matches(typed: str, name: str) -> bool:
    """Whether what the facilitator typed finds this name: each typed word starts a word of it,
    so "an l" finds "Ann Lee" and "zo" finds "Zoë"."""
    name_words = name_key(name).split()
    return all(any(word.startswith(part) for word in name_words) for part in name_key(typed).split())
