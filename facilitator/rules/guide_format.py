"""The guide file: a small header of `field: value` lines between `---` lines, then `## ` sections
of plain paragraphs and `- ` list items (the format is described in resources/guides/README.md).

Parsing is strict and says exactly where a file is wrong (its name, the line, the field), as an
`InvalidGuide` error; nothing here raises anything else on bad input. Unknown header fields and
unknown sections are kept, and the text itself is what gets stored and exported, so a guide
goes round export and import unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import lru_cache
from types import MappingProxyType
from typing import Literal, overload

from facilitator.errors import InvalidInput
from facilitator.storage.models import GuideKind

MAX_GUIDE_BYTES = 256 * 1024
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG = 80
MAX_TITLE = 200
PART_MINUTES = re.compile(r"\s*(?P<minutes>\d{1,4})\s*min")  # inside the heading's brackets, after any kind

SUMMARY = "Summary"
FACILITATOR_NOTES = "Facilitator notes"
OPENING_READING = "Opening reading"
CHECK_IN_QUESTION = "Check-in question"
DISCUSSION_PROMPTS = "Discussion prompts"
EXERCISE = "Exercise"
CLOSING_REFLECTION = "Closing reflection"
TAKE_HOME = "Take home"
TOPIC_SECTIONS = (
    SUMMARY,
    FACILITATOR_NOTES,
    OPENING_READING,
    CHECK_IN_QUESTION,
    DISCUSSION_PROMPTS,
    EXERCISE,
    CLOSING_REFLECTION,
    TAKE_HOME,
)
# The sections of a meeting format that are not parts; its check-in question is asked when no
# topic guide brings one.
FORMAT_NOTES = (SUMMARY, FACILITATOR_NOTES, CHECK_IN_QUESTION)
KNOWN_FIELDS = ("slug", "kind", "title", "theme", "share_minutes", "version")
MAX_PROMPTS = 12
AGREEMENTS = "{agreements}"  # a paragraph of its own in a format: the group's agreements, from the settings
WRITE_DOWN = re.compile(r"\bwrite (?:these |them |it )?down:\s*$", re.IGNORECASE)  # see writing_room
_OPENING = r"(?:^|(?<=[\s(\[{“‘—–]))"
_DOUBLE_OPENS, _DOUBLE = re.compile(_OPENING + '"', re.MULTILINE), re.compile('"')
_SINGLE_OPENS, _SINGLE = re.compile(_OPENING + "'", re.MULTILINE), re.compile("'")


class PartKind(Enum):
    """What a part of a meeting is for. The program acts on the kind, never on the part's name, so
    a part renamed or translated keeps what goes with it (the crisis contacts, the topic guide's
    text, the page brought forward)."""

    WELCOME = "welcome"
    OPENING = "opening"
    CHECK_IN = "check-in"
    TOPIC = "topic"
    SHARING = "sharing"
    DISCUSSION = "discussion"
    BREAK = "break"
    CHECK_OUT = "check-out"
    CLOSING = "closing"
    OTHER = "other"


# A part that does not declare its kind (formats written before kinds were) is known by its
# English name, as the built-in formats named their parts; any other name is OTHER.
KIND_BY_NAME = MappingProxyType(
    {
        "welcome": PartKind.WELCOME,
        "welcoming newcomers": PartKind.WELCOME,
        "opening statement": PartKind.OPENING,
        "check-in": PartKind.CHECK_IN,
        "topic": PartKind.TOPIC,
        "sharing round": PartKind.SHARING,
        "break": PartKind.BREAK,
        "check-out": PartKind.CHECK_OUT,
        "closing": PartKind.CLOSING,
    }
)
*_KINDS, _LAST_KIND = (kind.value for kind in PartKind)
KIND_NAMES = f"{', '.join(_KINDS)} or {_LAST_KIND}"  # for the message when a part's kind is not one of them


class InvalidGuide(InvalidInput):
    """A guide file that cannot be read, with where and why."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {problem}")
        self.source, self.line, self.problem = source, line, problem


@dataclass(frozen=True)
class Block:
    """A paragraph, or one item of a list."""

    text: str
    item: bool = False


@dataclass(frozen=True)
class Section:
    name: str
    blocks: tuple[Block, ...]
    minutes: int | None = None  # a meeting format's part: its planned minutes
    line: int = 0
    kind: PartKind | None = None  # a meeting format's part: what it is for

    @property
    def items(self) -> list[str]:
        return [block.text for block in self.blocks if block.item]

    def with_agreements(self, agreements: Sequence[str]) -> Section:
        """The section with its AGREEMENTS line (a format's opening statement) as the group's
        agreements, one list item each: the words read aloud are the ones printed on handouts."""
        blocks: list[Block] = []
        for block in self.blocks:
            blocks += [Block(text, item=True) for text in agreements] if block.text == AGREEMENTS else [block]
        return replace(self, blocks=tuple(blocks))

    @property
    def text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)


def writing_room(blocks: Sequence[Block]) -> list[bool]:
    """Which blocks of a handout's section ask the reader to write, and so get a line after them.

    Two ways of asking, in the guides' own words, and no others: a list item that ends with a
    colon is a blank to fill in ("What I will do:"), and the items of a list introduced by
    "Write down:" are the things to write. A paragraph that ends with a colon ("This week you might
    try:") only introduces its list, and gets no line of its own."""
    room, listing = [], False
    for block in blocks:
        if not block.item:
            listing = bool(WRITE_DOWN.search(block.text))
        room.append(block.item and (listing or block.text.rstrip().endswith(":")))
    return room


def typographic(text: str) -> str:
    """Guide text with typographic quotes: "an urge" → “an urge”, it's → it’s, nested quotes
    too. A quote that opens follows the start, a space or an opening bracket or quote; any other
    closes, which is also the apostrophe."""
    doubled = _DOUBLE.sub("”", _DOUBLE_OPENS.sub("“", text))
    return _SINGLE.sub("’", _SINGLE_OPENS.sub("‘", doubled))


@dataclass(frozen=True)
class Guide:
    slug: str
    kind: GuideKind
    title: str
    version: int
    theme: str = ""
    share_minutes: int | None = None
    sections: tuple[Section, ...] = ()
    other_fields: Mapping[str, str] = field(default_factory=dict)  # header fields kept as found (read-only)

    def section(self, name: str) -> Section | None:
        return next((section for section in self.sections if section.name.casefold() == name.casefold()), None)

    def section_text(self, name: str) -> str:
        found = self.section(name)
        return found.text if found else ""

    @property
    def summary(self) -> str:
        return self.section_text(SUMMARY)

    @property
    def prompts(self) -> list[str]:
        found = self.section(DISCUSSION_PROMPTS)
        return found.items if found else []

    @property
    def parts(self) -> list[Section]:
        """A meeting format's parts, in order."""
        return [section for section in self.sections if section.minutes is not None]


def decode_guide(data: bytes, source: str) -> str:
    """A guide file's bytes as text: UTF-8 (a byte-order mark is allowed), no NUL characters."""
    if len(data) > MAX_GUIDE_BYTES:
        raise InvalidGuide(source, None, f"the file is larger than {MAX_GUIDE_BYTES // 1024} KB; is it a guide?")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidGuide(source, line, "this is not UTF-8 text; save the file as UTF-8 and try again") from None
    if "\x00" in text:
        raise InvalidGuide(source, text[: text.index("\x00")].count("\n") + 1, "the file holds a NUL character")
    return text


@lru_cache(maxsize=64)
def parse_guide(text: str, source: str = "guide") -> Guide:
    """Read a guide from its text; `source` names it in error messages. A guide is immutable, so
    the same text is read once: the script panel and every handout read the same few guides."""
    lines = _lines(text)
    header, body_start = _header(lines, source)
    kind = _kind(header, source)
    sections = tuple(_sections(lines, body_start, source))
    guide = Guide(
        slug=_slug(header, source),
        kind=kind,
        title=_required_text(header, "title", source, MAX_TITLE),
        version=_whole_number(header, "version", source, low=1, high=1_000_000),
        theme=_required_text(header, "theme", source, MAX_TITLE) if kind is GuideKind.TOPIC else "",
        share_minutes=(
            _whole_number(header, "share_minutes", source, low=1, high=30, optional=True)
            if kind is GuideKind.TOPIC
            else None
        ),
        sections=sections,
        other_fields=MappingProxyType({n: value for n, (value, _line) in header.items() if n not in KNOWN_FIELDS}),
    )
    _check_sections(guide, source, _last_line(lines))
    return guide


def with_fields(text: str, **fields: str) -> str:
    """The guide text with some header fields set to new values (added at the header's end if
    missing); every other line stays as it was."""
    lines = _lines(text)
    header, body_start = _header(lines, "guide")
    closing = body_start - 1
    for name, value in fields.items():
        new_line = f"{name}: {_one_line(value)}"
        if name in header:
            lines[header[name][1] - 1] = new_line
        else:
            lines.insert(closing, new_line)
            closing += 1
    return "\n".join(lines)


# ---- inside ---------------------------------------------------------------------------------


def _header(lines: list[str], source: str) -> tuple[dict[str, tuple[str, int]], int]:
    """The header's fields (value and line number) and the index of the first body line."""
    if not lines or lines[0].strip() != "---":
        raise InvalidGuide(source, 1, "a guide starts with a line of three dashes (---) and then its header fields")
    fields: dict[str, tuple[str, int]] = {}
    for index in range(1, len(lines)):
        line, number = lines[index].strip(), index + 1
        if line == "---":
            return fields, index + 1
        if not line or line.startswith("#"):
            continue
        name, colon, value = line.partition(":")
        name = name.strip()
        if not colon or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", name):
            raise InvalidGuide(source, number, f"header lines are “field: value”, not “{_shorten(line)}”")
        if name in fields:
            raise InvalidGuide(source, number, f"field “{name}” is given twice (first on line {fields[name][1]})")
        fields[name] = (value.strip(), number)
    raise InvalidGuide(source, _last_line(lines), "the header never ends: add a line of three dashes (---) after it")


def _kind(header: dict[str, tuple[str, int]], source: str) -> GuideKind:
    value, line = header.get("kind", ("", None))
    if not value:
        raise InvalidGuide(source, line, "field “kind” is missing: it is “topic” or “format”")
    try:
        return GuideKind(value.casefold())
    except ValueError:
        raise InvalidGuide(source, line, f"field “kind” is “topic” or “format”, not “{_shorten(value)}”") from None


def _slug(header: dict[str, tuple[str, int]], source: str) -> str:
    value, line = header.get("slug", ("", None))
    if not value:
        raise InvalidGuide(source, line, "field “slug” is missing: a short name such as “coping-strategies”")
    if len(value) > MAX_SLUG or not SLUG.fullmatch(value):
        raise InvalidGuide(
            source,
            line,
            f"field “slug” uses lower-case letters, digits and single dashes, at most {MAX_SLUG} characters; "
            f"“{_shorten(value)}” does not",
        )
    return value


def _required_text(header: dict[str, tuple[str, int]], name: str, source: str, longest: int) -> str:
    value, line = header.get(name, ("", None))
    if not value:
        raise InvalidGuide(source, line, f"field “{name}” is missing or empty")
    if len(value) > longest:
        raise InvalidGuide(source, line, f"field “{name}” is longer than {longest} characters")
    return value


@overload
def _whole_number(
    header: dict[str, tuple[str, int]], name: str, source: str, *, low: int, high: int, optional: Literal[False] = False
) -> int: ...
@overload
def _whole_number(
    header: dict[str, tuple[str, int]], name: str, source: str, *, low: int, high: int, optional: bool
) -> int | None: ...
def _whole_number(
    header: dict[str, tuple[str, int]], name: str, source: str, *, low: int, high: int, optional: bool = False
) -> int | None:
    value, line = header.get(name, ("", None))
    if not value:
        if optional:
            return None
        raise InvalidGuide(source, line, f"field “{name}” is missing: a whole number from {low}")
    if not value.isascii() or not value.isdigit() or len(value) > len(str(high)) or not low <= int(value) <= high:
        raise InvalidGuide(
            source, line, f"field “{name}” is a whole number from {low} to {high}, not “{_shorten(value)}”"
        )
    return int(value)


def _sections(lines: list[str], start: int, source: str) -> Iterator[Section]:
    name: str | None = None
    minutes: int | None = None
    kind: PartKind | None = None
    heading_line = 0
    blocks: list[Block] = []
    current: list[str] = []
    current_item = False

    def close_block() -> None:
        nonlocal current
        if current:
            blocks.append(Block(" ".join(current), current_item))
            current = []

    for index in range(start, len(lines)):
        raw, number = lines[index], index + 1
        line = raw.strip()
        if raw.startswith("## "):
            close_block()
            if name is not None:
                yield Section(name, tuple(blocks), minutes, heading_line, kind)
            name, minutes, kind = _heading(raw[3:].strip(), source, number)
            heading_line, blocks = number, []
        elif line.startswith("#") and not line.startswith("#" * 3):
            raise InvalidGuide(source, number, "a section heading is two hashes and a space: “## Section name”")
        elif not line:
            close_block()
        elif name is None:
            raise InvalidGuide(source, number, "text before the first section: start it with a “## Section” line")
        elif line.startswith("- ") or line == "-":
            close_block()
            if not line[1:].strip():
                raise InvalidGuide(source, number, "a list item (“- ”) needs some text after the dash")
            current, current_item = [line[1:].strip()], True
        else:
            if not current:
                current_item = False
            current.append(line)
    close_block()
    if name is not None:
        yield Section(name, tuple(blocks), minutes, heading_line, kind)


def _heading(text: str, source: str, line: int) -> tuple[str, int | None, PartKind | None]:
    """A section's name; for a part, also its minutes and kind: `Name (5 min)` or `Name (kind, 5 min)`."""
    if not text:
        raise InvalidGuide(source, line, "a section heading needs a name")
    # Split at the last "(" and match only the end: linear however long the heading.
    name, bracket, tail = text.rpartition("(")
    inside = tail.rstrip()
    declared, comma, minutes_text = inside[:-1].rpartition(",")
    part = PART_MINUTES.fullmatch(minutes_text) if bracket and inside.endswith(")") else None
    if part is None:
        return text, None, None
    minutes = int(part["minutes"])
    if not 1 <= minutes <= 240:
        raise InvalidGuide(source, line, f"a part lasts from 1 to 240 minutes, not {minutes}")
    if not name.strip():
        raise InvalidGuide(source, line, "a part needs a name before its minutes")
    return name.rstrip(), minutes, _part_kind(name.strip(), declared.strip() if comma else None, source, line)


def _part_kind(name: str, declared: str | None, source: str, line: int) -> PartKind:
    if declared is None:
        return KIND_BY_NAME.get(name.casefold(), PartKind.OTHER)
    try:
        return PartKind(declared.casefold())
    except ValueError:
        raise InvalidGuide(source, line, f"a part's kind is {KIND_NAMES}, not “{_shorten(declared)}”") from None


def _check_sections(guide: Guide, source: str, last_line: int) -> None:
    seen: dict[str, int] = {}
    for section in guide.sections:
        key = section.name.casefold()
        if key in seen:
            raise InvalidGuide(
                source, section.line, f"section “{section.name}” appears twice (first on line {seen[key]})"
            )
        seen[key] = section.line
    if guide.kind is GuideKind.TOPIC:
        for section in guide.sections:
            if section.minutes is not None:
                raise InvalidGuide(source, section.line, "minutes belong to a meeting format's parts, not a topic")
        for required in (SUMMARY, DISCUSSION_PROMPTS):
            if guide.section(required) is None or not guide.section_text(required):
                raise InvalidGuide(source, last_line, f"section “{required}” is missing or empty")
        prompts = guide.section(DISCUSSION_PROMPTS)
        assert prompts is not None
        if not 1 <= len(prompts.items) <= MAX_PROMPTS or len(prompts.items) != len(prompts.blocks):
            raise InvalidGuide(
                source,
                prompts.line,
                f"section “{DISCUSSION_PROMPTS}” is a list of 1 to {MAX_PROMPTS} questions, each on a “- ” line",
            )
    else:
        notes = {name.casefold() for name in FORMAT_NOTES}
        for section in guide.sections:
            if section.minutes is None and section.name.casefold() not in notes:
                raise InvalidGuide(
                    source, section.line, f"a meeting format's part gives its minutes: “## {section.name} (5 min)”"
                )
        if not guide.parts:
            raise InvalidGuide(
                source, last_line, "a meeting format needs at least one part, such as “## Welcome (5 min)”"
            )


def _lines(text: str) -> list[str]:
    """The text's lines, whatever the line endings (Windows, Unix or old Mac)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _last_line(lines: list[str]) -> int:
    """The number of the last line with anything on it, where a missing ending is reported."""
    return next((index + 1 for index in range(len(lines) - 1, -1, -1) if lines[index].strip()), 1)


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _shorten(text: str, longest: int = 40) -> str:
    return text if len(text) <= longest else text[: longest - 1] + "…"
