"""Rules for text a user types: trimmed, bounded, free of control characters, and the one rule
for when two names are the same and when a search finds a name."""

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


# Latin letters that Unicode does not split into a letter and an accent, as people type them
# on a keyboard without them (ß is "ss" already by case folding).
UNSPLIT_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "ı": "i", "đ": "d", "ð": "d", "þ": "th"})
# Marks that make another letter rather than an accent: a virama joins two consonants into one,
# and kana's voicing marks make か "ka" into が "ga". By their canonical combining class.
LETTER_MARKS = frozenset((8, 9))


def name_key(name: str) -> str:
    """The one rule for comparing names: two names with the same key are the same name, and a
    search is compared with names in this form. Case, accents and other marks, compatibility forms
    (full-width letters, ligatures), invisible characters (zero-width spaces and joiners, soft
    hyphens, direction marks) and the kind and amount of white space all make no difference:
    "Chloé  Martin", "chloe martin" and "Ｃｈｌｏｅ Martin" share the key "chloe martin"."""
    letters = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", name).casefold())
    kept = "".join(char for char in letters if not _ignored_in_names(char))
    return " ".join(unicodedata.normalize("NFC", kept.translate(UNSPLIT_LETTERS)).split())


def _ignored_in_names(char: str) -> bool:
    mark_class = unicodedata.combining(char)
    return unicodedata.category(char) == "Cf" or (mark_class != 0 and mark_class not in LETTER_MARKS)


def same_name(one: str, other: str) -> bool:
    """Whether two names are the same name under `name_key` (one roster holds only one of them)."""
    return name_key(one) == name_key(other)


def names_alike(new: str, existing: str) -> bool:
    """Whether a new name is close enough to an existing one to ask "Did you mean …?" first: the
    same name; one letter added, missing or changed ("Chloe Marten" for Chloé Martin); or a name
    that a search finds them by ("chloe"). One letter makes no difference to names shorter than
    four letters: "Ben" and "Ken" are two people."""
    if not name_key(new):
        return False  # nothing to go on (an empty search finds everyone)
    if name_matches(new, existing):
        return True
    first, second = sorted((name_key(new), name_key(existing)), key=len)
    if len(first) < 4 or len(second) - len(first) > 1:
        return False
    differs_at = next((n for n, (a, b) in enumerate(zip(first, second, strict=False)) if a != b), len(first))
    rest = differs_at + 1 if len(first) == len(second) else differs_at
    return first[rest:] == second[differs_at + 1 :]


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
    """Whether what the facilitator typed finds this name, under `name_key`: each typed word starts
    a word of it, so "an l" finds "Ann Lee", "zo" finds "Zoë" and "chloe" finds "Chloé Martin"."""
    name_words = name_key(name).split()
    return all(any(word.startswith(part) for word in name_words) for part in name_key(typed).split())
