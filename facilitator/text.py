"""Rules for text a user types: trimmed, bounded, free of control characters, compared kindly."""

from __future__ import annotations

import unicodedata

from facilitator.errors import InvalidInput
from facilitator.models import NameDisplay


def clean_name(value: str, what: str, max_length: int) -> str:
    """A one-line name: inner runs of white space become one space; empty or overlong is refused."""
    text = " ".join(unicodedata.normalize("NFC", value).split())
    if not text:
        raise InvalidInput(f"The {what} is empty.")
    _refuse_control_characters(text, what)
    if len(text) > max_length:
        raise InvalidInput(f"The {what} is {len(text)} characters long; at most {max_length} fit.")
    return text


def clean_note(value: str | None, what: str, max_length: int = 10_000) -> str:
    """Free text over several lines: trimmed at both ends, line breaks and tabs kept."""
    text = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    _refuse_control_characters(text, what, allowed="\n\t")
    if len(text) > max_length:
        raise InvalidInput(f"The {what} is {len(text)} characters long; at most {max_length} fit.")
    return text


def name_key(name: str) -> str:
    """How two names are compared for sameness: case, accents' encoding and spacing aside."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _refuse_control_characters(text: str, what: str, allowed: str = "") -> None:
    for char in text:
        if char not in allowed and unicodedata.category(char) == "Cc":
            raise InvalidInput(f"The {what} contains a control character (U+{ord(char):04X}), which cannot be stored.")


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
