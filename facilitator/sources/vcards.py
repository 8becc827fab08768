"""vCard files (.vcf) as phones and contacts apps export them: one record per card.

vobject reads each card: the folded lines of 3.0 and 4.0, the quoted-printable values and soft
line breaks of 2.1 (old Android, Outlook) decoded in the character set each property names,
parameters and property groups ("item1.EMAIL"). The file is cut into cards here, at its
BEGIN:VCARD and END:VCARD lines, so that each card keeps the line it starts on and one card
vobject cannot read is a problem of that card alone, never the whole file's.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from itertools import islice
from typing import BinaryIO, NamedTuple

import vobject

from facilitator.errors import InvalidInput
from facilitator.sources import HEAD_RECORDS, Record, Table

VCARD_COLUMNS = [
    "Full name",
    "Given name",
    "Middle name",
    "Family name",
    "Nickname",
    "Organization",
    "E-mail",
    "Phone",
    "Note",
]
FALLBACK_ENCODING = "Windows-1252"  # what Outlook writes 2.1 cards in, unmarked, on Western Windows
UNCLOSED = "the card has no END:VCARD line; the file may have been cut short"
UNKNOWN_CHARSET = "the card cannot be read: a character set it names is unknown or does not fit its text"
_ESCAPE = re.compile(r"\\(.)")
_WANTED = {"FN", "N", "NICKNAME", "ORG", "EMAIL", "TEL", "NOTE", "KIND", "X-ABSHOWAS"}


class _Card(NamedTuple):
    """A card's text as cut from the file, and what reading its bytes took."""

    line: int  # its BEGIN:VCARD's
    text: str
    closed: bool  # it has its END:VCARD
    fallback: bool  # its bytes were not UTF-8 and were read as Windows-1252


def vcard_table(stream: BinaryIO, *, encoding: str | None = None) -> Table:
    """The cards of a vCard file, as records under VCARD_COLUMNS, numbered by the line each card's
    BEGIN:VCARD is on. A card that cannot be read gives a record of empty cells, and the reason
    in `Table.problems` under its number. `encoding` is the user's answer for cards that are not
    UTF-8; without it they are read as Windows-1252. Takes the stream and closes it."""
    if encoding is not None:
        _check_encoding(encoding, stream)
    problems: dict[int, str] = {}
    cards = _cards(stream, encoding)
    fallbacks: list[bool] = []
    head: list[Record] = []
    for card in islice(cards, HEAD_RECORDS):
        fallbacks.append(card.fallback)
        head.append(_record(card, problems))
    if not head:
        raise InvalidInput("The file holds no vCard: there is no roster in it.")
    named = encoding or (FALLBACK_ENCODING if any(fallbacks) else "UTF-8")
    rest = (_record(card, problems) for card in cards)
    return Table("vCard file", (0, list(VCARD_COLUMNS)), head, rest, named, problems=problems)


def _check_encoding(encoding: str, stream: BinaryIO) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        stream.close()
        raise InvalidInput(f"“{encoding}” is not an encoding Facilitator knows.") from None


def _cards(stream: BinaryIO, encoding: str | None) -> Iterator[_Card]:
    """Each card's lines, from its BEGIN:VCARD to its END:VCARD (a card nested in another, as
    2.1's AGENT allows, stays inside it). Lines between cards are not part of any and are left."""
    with stream:
        depth = 0
        start = 0
        lines: list[bytes] = []
        for number, raw in enumerate(stream, start=1):
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            marker = raw.strip().upper()
            if depth == 0 and marker != b"BEGIN:VCARD":
                continue
            if depth == 0:
                start, lines = number, []
            lines.append(raw)
            depth += (marker == b"BEGIN:VCARD") - (marker == b"END:VCARD")
            if depth == 0:
                yield _decoded(start, lines, encoding, closed=True)
        if depth:
            yield _decoded(start, lines, encoding, closed=False)


def _decoded(line: int, lines: list[bytes], encoding: str | None, *, closed: bool) -> _Card:
    data = b"".join(lines)
    if encoding is not None:
        return _Card(line, data.decode(encoding, errors="replace"), closed, fallback=False)
    try:
        return _Card(line, data.decode("utf-8"), closed, fallback=False)
    except UnicodeDecodeError:
        return _Card(line, data.decode(FALLBACK_ENCODING, errors="replace"), closed, fallback=True)


def _record(card: _Card, problems: dict[int, str]) -> Record:
    """The card's cells; or, for a card that cannot be read, empty cells and the reason why."""
    if not card.closed:
        problems[card.line] = UNCLOSED
        return card.line, [""] * len(VCARD_COLUMNS)
    try:
        properties = _properties(card.text)
    except Exception as exc:  # vobject fails on some malformed lines with TypeError and the like
        problems[card.line] = _unreadable(card, exc)
        return card.line, [""] * len(VCARD_COLUMNS)
    return card.line, _cells(properties)


def _unreadable(card: _Card, exc: Exception) -> str:
    where = getattr(exc, "lineNumber", None)  # a ParseError's, counted from the card's first line
    if isinstance(exc, vobject.base.ParseError) and isinstance(where, int):
        return f"the card cannot be read: line {card.line + where - 1} is not a vCard line"
    if isinstance(exc, LookupError | UnicodeError):
        return UNKNOWN_CHARSET
    return "the card cannot be read"


def _properties(text: str) -> dict[str, str]:
    """The first value of each property the columns use, by name: unfolded, quoted-printable
    decoded in the character set it names, still backslash-escaped. Only those lines are parsed
    (a PHOTO, or a line the card does not need, is left unread), and only as content lines:
    vobject's components decode text values on the way and cut a value at its first unescaped
    comma, as 2.1 cards and many 3.0 exporters write in names and notes ("Doe, John" would
    become "Doe")."""
    properties: dict[str, str] = {}
    depth = 0
    for logical, number in vobject.base.getLogicalLines(io.StringIO(text), allowQP=True):
        name = _property_name(logical)
        if name in ("BEGIN", "END"):
            depth += 1 if name == "BEGIN" else -1
        elif depth == 1 and name in _WANTED and name not in properties:  # not a nested card's
            properties[name] = _value(logical, number)
    return properties


def _value(line: str, number: int) -> str:
    """A content line's value, quoted-printable decoded. vobject's ContentLine decodes it (in the
    line's CHARSET); its plain parser, several times faster, reads every other line."""
    if "QUOTED-PRINTABLE" in line.partition(":")[0].upper():
        return str(vobject.base.textLineToContentLine(line, number).value)
    return str(vobject.base.parseLine(line, number)[2])


def _property_name(line: str) -> str:
    """The name a content line starts with, after its group ("item1.EMAIL;TYPE=HOME:..." is EMAIL)."""
    return re.split("[;:]", line, maxsplit=1)[0].rpartition(".")[2].strip().upper()


def _cells(properties: dict[str, str]) -> list[str]:
    """The card's values under VCARD_COLUMNS: FN, N's given, additional and family parts,
    NICKNAME's first, ORG's organization, the first EMAIL and TEL, NOTE. The FN of a company's
    card is the company's name, not a person's: left out, so that the name comes from N or
    the card is a company's alone."""

    def first(name: str) -> str:
        return properties.get(name, "")

    family, given, middle = (_parts(first("N"), ";") + ["", ""])[:3]
    organization = _parts(first("ORG"), ";")[0]
    return [
        _text(value).strip()
        for value in (
            "" if _is_a_company(properties, organization, given, family) else first("FN"),
            given,
            middle,
            family,
            _parts(first("NICKNAME"), ",")[0],
            organization,
            first("EMAIL"),
            _without_scheme(first("TEL")),
            first("NOTE"),
        )
    ]


def _is_a_company(properties: dict[str, str], organization: str, given: str, family: str) -> bool:
    """Whether the card says it is an organisation's (vCard 4.0's KIND, the "show as company" of
    Apple's contacts), or its only name is its organisation's, as Android writes a company."""
    kind = _text(properties.get("KIND", "individual")).strip().casefold()
    if kind not in ("", "individual") or _text(properties.get("X-ABSHOWAS", "")).strip().upper() == "COMPANY":
        return True
    fn = _text(properties.get("FN", "")).strip()
    return bool(fn) and fn == _text(organization).strip() and not (given.strip() or family.strip())


def _without_scheme(value: str) -> str:
    """A 4.0 telephone number given as a URI ("tel:+1-555-0199") as the number alone."""
    return value[4:] if value[:4].casefold() == "tel:" else value


def _parts(value: str, separator: str) -> list[str]:
    """The parts of a value between its unescaped separators (N's and ORG's ";", NICKNAME's ","),
    still escaped."""
    part = re.compile(rf"(?:\\.|[^{separator}\\])*")
    parts: list[str] = []
    position = 0
    while True:
        found = part.match(value, position)
        assert found is not None  # the pattern matches the empty text
        parts.append(found.group())
        position = found.end()
        if value[position : position + 1] != separator:
            return parts
        position += 1


def _text(value: str) -> str:
    r"""A text value with its escapes undone: "\," "\;" "\\" and "\n" for a new line."""
    return _ESCAPE.sub(lambda escape: "\n" if escape[1] in "nN" else escape[1], value)
