"""Rules for text a user types: trimmed, bounded, free of control characters, and the one rule
for when two names are the same and when a search finds a name."""

from __future__ import annotations

import enum
import functools
import unicodedata
from typing import Any

from facilitator.errors import InvalidInput

# Unicode's Default_Ignorable_Code_Point: characters that draw nothing unless a script or an emoji
# uses them. Python's unicodedata has no such property; these are the ranges of
# DerivedCoreProperties.txt, Unicode 15.0.0 (the same as in 14.0), one line of the file each.
DEFAULT_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),  # SOFT HYPHEN
    (0x034F, 0x034F),  # COMBINING GRAPHEME JOINER
    (0x061C, 0x061C),  # ARABIC LETTER MARK
    (0x115F, 0x1160),  # HANGUL CHOSEONG FILLER..HANGUL JUNGSEONG FILLER
    (0x17B4, 0x17B5),  # KHMER VOWEL INHERENT AQ..KHMER VOWEL INHERENT AA
    (0x180B, 0x180D),  # MONGOLIAN FREE VARIATION SELECTOR ONE..THREE
    (0x180E, 0x180E),  # MONGOLIAN VOWEL SEPARATOR
    (0x180F, 0x180F),  # MONGOLIAN FREE VARIATION SELECTOR FOUR
    (0x200B, 0x200F),  # ZERO WIDTH SPACE..RIGHT-TO-LEFT MARK
    (0x202A, 0x202E),  # LEFT-TO-RIGHT EMBEDDING..RIGHT-TO-LEFT OVERRIDE
    (0x2060, 0x2064),  # WORD JOINER..INVISIBLE PLUS
    (0x2065, 0x2065),  # <reserved-2065>
    (0x2066, 0x206F),  # LEFT-TO-RIGHT ISOLATE..NOMINAL DIGIT SHAPES
    (0x3164, 0x3164),  # HANGUL FILLER
    (0xFE00, 0xFE0F),  # VARIATION SELECTOR-1..VARIATION SELECTOR-16
    (0xFEFF, 0xFEFF),  # ZERO WIDTH NO-BREAK SPACE
    (0xFFA0, 0xFFA0),  # HALFWIDTH HANGUL FILLER
    (0xFFF0, 0xFFF8),  # <reserved-FFF0>..<reserved-FFF8>
    (0x1BCA0, 0x1BCA3),  # SHORTHAND FORMAT LETTER OVERLAP..SHORTHAND FORMAT UP STEP
    (0x1D173, 0x1D17A),  # MUSICAL SYMBOL BEGIN BEAM..MUSICAL SYMBOL END PHRASE
    (0xE0000, 0xE0000),  # <reserved-E0000>
    (0xE0001, 0xE0001),  # LANGUAGE TAG
    (0xE0002, 0xE001F),  # <reserved-E0002>..<reserved-E001F>
    (0xE0020, 0xE007F),  # TAG SPACE..CANCEL TAG
    (0xE0080, 0xE00FF),  # <reserved-E0080>..<reserved-E00FF>
    (0xE0100, 0xE01EF),  # VARIATION SELECTOR-17..VARIATION SELECTOR-256
    (0xE01F0, 0xE0FFF),  # <reserved-E01F0>..<reserved-E0FFF>
)
# What draws nothing in a name: the above, and a braille cell with no dots (a symbol, so not
# default-ignorable, but a blank all the same).
DRAWS_NOTHING = frozenset(
    chr(code) for first, last in DEFAULT_IGNORABLE_RANGES for code in range(first, last + 1)
) | frozenset("\u2800")
# The joiners that Persian, Indic scripts and emoji need between two of their characters, and the
# selectors that choose an emoji's colour or an ideograph's registered shape after it.
JOINERS = "\u200c\u200d"
SELECTORS = frozenset(
    chr(code)
    for first, last in ((0x180B, 0x180D), (0x180F, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
    for code in range(first, last + 1)
)
# Scripts whose letters no joiner or selector changes: there one is only a way to make a second "Ann".
PLAIN_SCRIPTS = ("LATIN ", "GREEK ", "CYRILLIC ", "DIGIT ")


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
    """A one-line name: inner runs of white space become one space; characters that draw nothing
    are left out (`invisible_left_out` says which), but for the joiners and selectors a script or
    an emoji needs inside a name; empty or overlong is refused."""
    _refuse_unstorable(value, what)
    text = _one_line(value)
    _refuse_control_characters(text, what)
    text = " ".join("".join(_visible(text).values()).split())
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


def invisible_left_out(value: str, what: str) -> str:
    """The word to say when `clean_name` leaves characters that draw nothing out of `value`
    ("An invisible character (U+3164) is left out of the name."), or "" when it leaves none."""
    text = _one_line(value)
    kept = _visible(text)
    left_out = [f"U+{ord(char):04X}" for number, char in enumerate(text) if number not in kept]
    if not left_out:
        return ""
    if len(left_out) == 1:
        return f"An invisible character ({left_out[0]}) is left out of {what}."
    return f"{len(left_out)} invisible characters ({', '.join(left_out)}) are left out of {what}."


def _one_line(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def _visible(text: str) -> dict[int, str]:
    """The characters of a one-line name that are kept, by their place in it."""
    if text.isascii():  # no ASCII character is one that draws nothing: the common case, quickly
        return dict(enumerate(text))
    return {number: char for number, char in enumerate(text) if not _draws_nothing(char) or _needed(text, number)}


def _draws_nothing(char: str) -> bool:
    return char in DRAWS_NOTHING or unicodedata.category(char) == "Cf"


def _needed(text: str, number: int) -> bool:
    """Whether the invisible character at `number` does something there: a joiner between two
    characters of a script that joins (or of an emoji), a selector after the character it varies."""
    char = text[number]
    before = text[number - 1] if number else " "
    after = text[number + 1] if number + 1 < len(text) else " "
    if before.isspace() or _plain(before) or before in JOINERS:
        return False
    if char in JOINERS:
        return not after.isspace() and not _draws_nothing(after)
    return char in SELECTORS and before not in SELECTORS


def _plain(char: str) -> bool:
    return char.isascii() or unicodedata.name(char, "").startswith(PLAIN_SCRIPTS)


def name_key(name: str) -> str:
    """The one rule for comparing names: two names with the same key are the same name, and a
    search is compared with names in this form. Case, accents and other marks, compatibility forms
    (full-width letters, ligatures), invisible characters (zero-width spaces and joiners, soft
    hyphens, direction marks) and the kind and amount of white space all make no difference:
    "Chloé  Martin", "chloe martin" and "Ｃｈｌｏｅ Martin" share the key "chloe martin"."""
    if name.isascii():  # no accents, marks or invisible characters to take out: the common case, quickly
        return " ".join(name.casefold().split())
    letters = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", name).casefold())
    kept = "".join(char for char in letters if not _ignored_in_names(char))
    return " ".join(unicodedata.normalize("NFC", kept.translate(UNSPLIT_LETTERS)).split())


def _ignored_in_names(char: str) -> bool:
    mark_class = unicodedata.combining(char)
    return _draws_nothing(char) or (mark_class != 0 and mark_class not in LETTER_MARKS)


def name_order(name: str) -> tuple[tuple[int, ...], str]:
    """The one order of names in lists people read (rosters, sign-in sheets, reports): the Unicode
    Collation Algorithm's, so Łukasz comes after Lucía and Émile with the Es; names it ranks equal
    keep one order by their spelling. The window's lists sort the same way with Qt's collator."""
    return _collation_key(unicodedata.normalize("NFC", name)), name


# A roster shown again (every refresh of the window's roster page) costs lookups, not the
# collation of every name once more; a big roster's keys are some megabytes at most.
@functools.lru_cache(maxsize=10_000)
def _collation_key(name: str) -> tuple[int, ...]:
    return tuple(_collator().sort_key(name))


@functools.cache
def _collator() -> Any:
    """pyuca's collator over the Default Unicode Collation Element Table, built once, when a list is
    first put in order (reading the table takes a quarter of a second or more; never at start-up,
    nor for a check-in, whose roll keeps `name_key` order: the window sorts it with Qt's collator)."""
    from pyuca.collator import Collator_10_0_0

    return Collator_10_0_0()


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


def _refuse_control_characters(text: str, what: str, allowed: str = "") -> None:
    if text.isprintable():  # holds no character of Unicode's "other" kinds, so no control character
        return
    for char in text:
        if char not in allowed and unicodedata.category(char) == "Cc":
            raise InvalidInput(
                f"{_capital(what)} contains a control character (U+{ord(char):04X}), which cannot be stored."
            )


def _refuse_unstorable(text: str, what: str) -> None:
    """Text that is not valid Unicode (bytes from a terminal in another encoding) is refused plainly."""
    if not text.isascii() and any(unicodedata.category(char) == "Cs" for char in text):
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
        return " ".join([words[0], *_initials(words[1:])])
    return " ".join(_initials(words)) or name  # "@@@" has no initial to show: shown as it is


def _initials(words: list[str]) -> list[str]:
    """ "A." for each word, from its first letter or digit with its accents, capitalised: "(Jo)"
    gives "J.", "@nn" "N.", "Émile" "É."; a word without one ("–", "&") gives none."""
    initials = []
    for word in words:
        start = next((at for at, char in enumerate(word) if char.isalnum()), None)
        if start is None:
            continue
        end = start + 1
        while end < len(word) and unicodedata.combining(word[end]):
            end += 1
        initials.append(f"{word[start:end].upper()}.")
    return initials


def name_matches(typed: str, name: str) -> bool:
    """Whether what the facilitator typed finds this name, under `name_key`: each typed word starts
    a word of it, so "an l" finds "Ann Lee", "zo" finds "Zoë" and "chloe" finds "Chloé Martin"."""
    name_words = name_key(name).split()
    return all(any(word.startswith(part) for word in name_words) for part in name_key(typed).split())
