"""The guide library: the file format, the built-ins, a facilitator's own guides, the command line."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import textstat
from sqlalchemy import func, select

from facilitator.errors import AlreadyExists, InvalidState
from facilitator.records import open_records
from facilitator.rules.groups import create_group
from facilitator.rules.guide_format import (
    SUMMARY,
    TOPIC_SECTIONS,
    Block,
    Guide,
    InvalidGuide,
    PartKind,
    decode_guide,
    parse_guide,
    with_fields,
)
from facilitator.rules.guides import (
    Suggestion,
    builtin_guide_files,
    delete_guide,
    duplicate_guide,
    export_guide,
    get_guide,
    guide_source,
    import_guide,
    list_guides,
    load_builtin_guides,
    save_guide,
    suggested_format,
    suggested_topic,
)
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.storage.database import Database
from facilitator.storage.locations import DataLocation
from facilitator.storage.models import GuideKind, TopicGuide
from tests.conftest import HOSTILE_NAME, CliResult

THEMES = {
    "Shared lived experience",
    "Validation and belonging",
    "Empowerment and hope",
    "Practical advice and coping strategies",
    "Emotional support and encouragement",
    "Role modelling and accountability",
    "Staying well over the long run",
    "Advocacy and social engagement",
}
FORMATS = {"standard-meeting": 90, "newcomer-meeting": 90, "one-hour-meeting": 60, "discussion-meeting": 90}  # minutes

BUILT_IN = len(builtin_guide_files())  # topic guides and meeting formats, counted from the files

SMALL = """---
slug: small-guide
kind: topic
title: A small guide
theme: Testing
share_minutes: 3
version: 2
colour: teal
---

## Summary

What this is about,
over two lines.

## Discussion prompts

- What helps?
- What gets
  in the way?

## Our own section

Kept as it is.
"""


def test_every_builtin_guide_is_complete() -> None:
    files = builtin_guide_files()
    guides = [parse_guide(text, name) for name, text in files]
    topics = [guide for guide in guides if guide.kind is GuideKind.TOPIC]
    formats = [guide for guide in guides if guide.kind is GuideKind.FORMAT]
    assert {guide.theme for guide in topics} == THEMES  # the eight themes, each with a guide or more
    assert {guide.slug for guide in formats} == set(FORMATS)
    for name, text in files:
        assert name == f"{parse_guide(text, name).slug}.md"
    for guide in topics:
        assert [section.name for section in guide.sections] == list(TOPIC_SECTIONS), guide.slug
        assert all(section.text for section in guide.sections), guide.slug
        assert 4 <= len(guide.prompts) <= 6 and all(prompt.endswith("?") for prompt in guide.prompts)
        assert guide.share_minutes is not None and 1 <= guide.share_minutes <= 10
    for guide in formats:
        kinds = [part.kind for part in guide.parts]
        assert kinds[:2] == [PartKind.WELCOME, PartKind.OPENING] and kinds[-2:] == [
            PartKind.CHECK_OUT,
            PartKind.CLOSING,
        ]
        assert kinds.count(PartKind.CHECK_IN) == 1 and guide.section_text("Check-in question").endswith("?")
        assert sum(part.minutes or 0 for part in guide.parts) == FORMATS[guide.slug], guide.slug
    for name, text in files:  # every part of a built-in says its kind, not left to its English name
        parts = [line for line in text.splitlines() if line.startswith("## ") and line.endswith(" min)")]
        assert all(", " in line for line in parts), name


HIGHEST_GRADE = 8.0  # Flesch-Kincaid: what most adults read with ease, whatever their schooling

# Words that label a person by a condition or blame them for it, and words bound to one fellowship
# or one country. Each is matched as words, so that "clean the kitchen", "the next step", "a
# sponsored walk" and "what the program prints" stay allowed.
BANNED = {
    "addict": r"\baddict",  # addict, addicts, addicted, addiction
    "alcoholic": r"\balcoholics?\b",
    "junkie, druggie and the like": r"\b(junkies?|druggies?|(crack|meth|pot)heads?|stoners?|winos?|boozers?|fiends?)\b",
    "a drunk": r"\b(a|the|dry) drunks?\b|\bdrunks\b",
    "drug user": r"\bdrug users?\b",
    "substance abuse": r"\b(substance|drug|alcohol)\s+abus(e|er|ers)\b",
    "clean or dirty, of a person": (
        r"\b(stay|stays|stayed|staying|get|gets|got|getting|be|been|being|am|is|are|was|were|keep|keeps|kept)"
        r"\s+(clean|dirty)\b|\b(clean|dirty) (and|or) sober\b|\bclean (time|date|days)\b"
        r"\b(days|weeks|months|years) (clean|dirty)\b|\bdirty (urine|test|sample)s?\b"
    ),
    "relapse as blame": (
        r"\b(fell|falls?|falling) off the wagon\b|\bon the wagon\b|\brelapsers?\b|\bwent back out\b"
        r"|\bfail(ed|ing|s)? (at |in )?(recovery|treatment)\b|\bin denial\b"
    ),
    "enabler or codependent": r"\benablers?\b|\bco-?dependen",
    "higher power": r"\bhigher power\b|\bas we understood\b",
    "sponsor": r"\bsponsors?\b|\bsponsees?\b",
    "the steps": r"\b(12|twelve)[- ]steps?\b|\bstep work\b|\bwork(ing|ed)? (the|our|my|your) steps\b",
    "the program": r"\bthe program(me)?\b",
    "fellowship sayings": r"\bbig book\b|\bkeep coming back\b|\bpowerless over\b|\bin the rooms\b|\bnormies\b",
    "committed suicide": r"\bcommit(s|ted|ting)? suicide\b|\b(successful|failed) suicide\b",
    "mentally ill": r"\bmentally ill\b|\bthe mentally\b|\b(crazy|insane|insanity|psychos?|lunatics?|nutters?)\b",
    "a schizophrenic": r"\b(a|an|the) (schizophrenic|depressive|manic|bipolar|anorexic)s?\b(?! (disorder|episode))",
    "suffers from": r"\bsuffer(s|ed|ing)? from\b|\bsufferers?\b",
    "one country's crisis number": r"(?<!\d)(911|999|988|112|000|116 ?123|111)(?!\d)",
}


def banned_words(text: str) -> list[str]:
    """What in `text` a guide must never say, by the name of each rule it breaks."""
    return [name for name, pattern in BANNED.items() if re.search(pattern, text, re.IGNORECASE)]


BUILT_IN_GUIDES = [parse_guide(text, name) for name, text in builtin_guide_files()]


def as_read(blocks: tuple[Block, ...]) -> str:
    """A section as a reader meets it: a list item ends where its line ends, with or without a
    full stop, so it is counted as one sentence rather than run into the next."""
    return "\n".join(block.text if block.text.rstrip()[-1:] in ".!?:" else f"{block.text}." for block in blocks)


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


@pytest.mark.parametrize("guide", BUILT_IN_GUIDES, ids=lambda guide: guide.slug)
def test_every_builtin_guide_and_its_summary_read_at_grade_eight_or_below(guide: Guide) -> None:
    summary = guide.section(SUMMARY)
    assert summary is not None and summary.text, guide.slug
    assert grade(as_read(summary.blocks)) <= HIGHEST_GRADE, f"{guide.slug}: the summary reads above grade 8"
    body = as_read(tuple(block for section in guide.sections for block in section.blocks))
    assert grade(body) <= HIGHEST_GRADE, f"{guide.slug}: the guide reads above grade 8"


def test_the_grade_is_counted_as_a_reader_meets_it() -> None:
    plain = "We sit in a ring. Each of us can talk, or pass. Then we go home."
    long = (
        "Notwithstanding considerable organisational uncertainty, facilitators consistently demonstrate"
        " extraordinary interpersonal responsiveness, particularly whenever participants experience"
        " overwhelming emotional difficulties."
    )
    assert grade(plain) <= HIGHEST_GRADE < grade(long)
    items = (Block("what I can do on my own", item=True), Block("one person I can call", item=True))
    assert as_read(items) == "what I can do on my own.\none person I can call."


@pytest.mark.parametrize("guide", BUILT_IN_GUIDES, ids=lambda guide: guide.slug)
def test_no_builtin_guide_labels_people_blames_them_or_speaks_for_one_fellowship_or_country(guide: Guide) -> None:
    text = "\n".join([guide.title, guide.theme, *(f"{s.name}\n{s.text}" for s in guide.sections)])
    assert banned_words(text) == [], guide.slug


@pytest.mark.parametrize(
    ("sentence", "broken"),
    [
        ("He is an addict.", ["addict"]),
        ("Families of alcoholics", ["alcoholic"]),
        ("She has stayed clean for a year.", ["clean or dirty, of a person"]),
        ("Two years clean and sober", ["clean or dirty, of a person"]),
        ("If he fell off the wagon again", ["relapse as blame"]),
        ("Ask your sponsor.", ["sponsor"]),
        ("Working the steps with a Higher Power", ["higher power", "the steps"]),
        ("the 12-step way", ["the steps"]),
        ("Stick with the program.", ["the program"]),
        ("A substance abuser", ["substance abuse"]),
        ("Her brother committed suicide.", ["committed suicide"]),
        ("Services for the mentally ill", ["mentally ill"]),
        ("He suffers from depression.", ["suffers from"]),
        ("Stop being an enabler.", ["enabler or codependent"]),
        ("Call 988 now.", ["one country's crisis number"]),
    ],
)
def test_the_banned_words_are_caught_however_they_are_written(sentence: str, broken: list[str]) -> None:
    assert banned_words(sentence) == broken


def test_everyday_words_near_the_banned_ones_are_allowed() -> None:
    fine = (
        "We clean the kitchen and take the next step. A sponsored walk, a clean sheet of paper, a dirty cup."
        " The first step is to say it out loud. The doctor or nurse who prescribes it. A person who uses drugs."
        " A person who has died by suicide. A person living with a mental health condition."
        " A treatment programme. A slip of paper. Back in 1999, and 2000 days on, a 12-week course. A step back."
    )
    assert banned_words(fine) == []


def test_a_guide_file_is_read_with_its_unknown_fields_and_sections_kept() -> None:
    guide = parse_guide(SMALL, "small.md")
    assert (guide.slug, guide.kind, guide.title, guide.theme, guide.share_minutes, guide.version) == (
        "small-guide",
        GuideKind.TOPIC,
        "A small guide",
        "Testing",
        3,
        2,
    )
    assert guide.summary == "What this is about, over two lines."
    assert guide.prompts == ["What helps?", "What gets in the way?"]
    assert guide.other_fields == {"colour": "teal"}
    assert guide.section_text("Our own section") == "Kept as it is."


def test_a_part_declares_its_kind_or_is_known_by_its_english_name() -> None:
    text = (
        "---\nslug: a\nkind: format\ntitle: A\nversion: 1\n---\n"
        "## Ankommen (Check-In , 10 min)\nHallo\n"
        "## Topic (other, 5 min)\nA reading of our own, without the topic guide.\n"
        "## Sharing round (40 min)\nEach in turn.\n"
        "## Tea (and biscuits) (10 min)\nA break.\n"
        "## Opening statement (5 min)\nRead it.\n"
    )
    parts = parse_guide(text).parts
    assert [(part.name, part.minutes, part.kind) for part in parts] == [
        ("Ankommen", 10, PartKind.CHECK_IN),  # declared, in any capitals
        ("Topic", 5, PartKind.OTHER),  # declared: the name does not matter
        ("Sharing round", 40, PartKind.SHARING),  # not declared: today's English names still work
        ("Tea (and biscuits)", 10, PartKind.OTHER),
        ("Opening statement", 5, PartKind.OPENING),
    ]
    assert all(section.kind is None for section in parse_guide(SMALL).sections)  # a topic's sections are no parts


def test_a_builtin_format_without_its_kinds_has_the_same_parts() -> None:
    for name, text in builtin_guide_files():
        guide = parse_guide(text, name)
        if guide.slug in ("standard-meeting", "newcomer-meeting"):  # written before parts had kinds
            bare = re.sub(r"^(## .+) \([a-z-]+, (\d+ min\))$", r"\1 (\2", text, flags=re.MULTILINE)
            assert bare != text and parse_guide(bare, name).sections == guide.sections, name


def test_with_fields_changes_only_the_named_header_lines() -> None:
    changed = with_fields(SMALL, slug="other", title="New\ntitle", author="Sam")
    assert changed.splitlines()[1:3] == ["slug: other", "kind: topic"]
    guide = parse_guide(changed)
    assert (guide.slug, guide.title, guide.other_fields) == ("other", "New title", {"colour": "teal", "author": "Sam"})
    assert changed.split("---", 2)[2] == SMALL.split("---", 2)[2]


BROKEN = [
    ("no header at all", "## Summary\nText\n", 1, "three dashes"),
    ("header never ends", "---\nslug: a\nkind: topic\n", 3, "the header never ends"),
    ("header line without a colon", "---\nslug a\n---\n", 2, "“field: value”"),
    ("a field twice", "---\nslug: a\nslug: b\n---\n", 3, "field “slug” is given twice (first on line 2)"),
    ("no kind", "---\nslug: a\ntitle: A\n---\n", None, "field “kind” is missing"),
    ("wrong kind", "---\nslug: a\nkind: poem\n---\n", 3, "field “kind” is “topic” or “format”, not “poem”"),
    ("bad slug", "---\nslug: My Guide\nkind: topic\n---\n", 2, "field “slug” uses lower-case letters"),
    ("no title", "---\nslug: a\nkind: topic\nversion: 1\n---\n", None, "field “title” is missing"),
    ("version not a number", "---\nslug: a\nkind: format\ntitle: A\nversion: one\n---\n", 5, "field “version”"),
    (
        "share minutes out of range",
        "---\nslug: a\nkind: topic\ntitle: A\ntheme: T\nversion: 1\nshare_minutes: 90\n---\n",
        7,
        "field “share_minutes” is a whole number from 1 to 30",
    ),
    ("text before a section", "---\nslug: a\nkind: topic\ntitle: A\ntheme: T\nversion: 1\n---\nHello\n", 8, "before"),
    (
        "a heading with one hash",
        "---\nslug: a\nkind: topic\ntitle: A\ntheme: T\nversion: 1\n---\n# Summary\n",
        8,
        "two hashes",
    ),
    (
        "a section twice",
        "---\nslug: a\nkind: topic\ntitle: A\ntheme: T\nversion: 1\n---\n## Summary\nA\n## Summary\nB\n",
        10,
        "section “Summary” appears twice (first on line 8)",
    ),
    (
        "prompts that are not a list",
        "---\nslug: a\nkind: topic\ntitle: A\ntheme: T\nversion: 1\n---\n## Summary\nA\n## Discussion prompts\nWhy?\n",
        10,
        "a list of 1 to 12 questions",
    ),
    (
        "no prompts",
        "---\nslug: a\nkind: topic\ntitle: A\ntheme: T\nversion: 1\n---\n## Summary\nA\n",
        9,
        "section “Discussion prompts” is missing or empty",
    ),
    (
        "a format part without minutes",
        "---\nslug: a\nkind: format\ntitle: A\nversion: 1\n---\n## Welcome (5 min)\nHi\n## Closing\nBye\n",
        9,
        "“## Closing (5 min)”",
    ),
    (
        "a part of 0 minutes",
        "---\nslug: a\nkind: format\ntitle: A\nversion: 1\n---\n## Welcome (0 min)\nHi\n",
        7,
        "from 1 to 240 minutes",
    ),
    (
        "a part of a kind there is not",
        "---\nslug: a\nkind: format\ntitle: A\nversion: 1\n---\n## Welcome (welcome, 5 min)\nHi\n## Tea (pause, 5 min)",
        9,
        "a part's kind is welcome, opening, check-in, topic, sharing, discussion, break, check-out, closing or other, "
        "not “pause”",
    ),
    (
        "a part's kind left empty",
        "---\nslug: a\nkind: format\ntitle: A\nversion: 1\n---\n## Welcome ( , 5 min)\nHi\n",
        7,
        "a part's kind is welcome",
    ),
    (
        "minutes in a topic",
        "---\nslug: a\nkind: topic\ntitle: A\ntheme: T\nversion: 1\n---\n## Summary (5 min)\nA\n",
        8,
        "minutes belong to a meeting format",
    ),
]


@pytest.mark.parametrize(("case", "text", "line", "problem"), BROKEN, ids=[case for case, *_ in BROKEN])
def test_a_malformed_guide_says_which_file_line_and_field(case: str, text: str, line: int | None, problem: str) -> None:
    with pytest.raises(InvalidGuide) as caught:
        parse_guide(text, "mine.md")
    error = caught.value
    assert (error.source, error.line) == ("mine.md", line), str(error)
    assert problem in error.problem
    assert str(error).startswith(f"mine.md, line {line}: " if line else "mine.md: ")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"---\nslug: caf\xe9\n", "mine.md, line 2: this is not UTF-8 text"),
        (b"---\nslug: a\x00\n", "mine.md, line 2: the file holds a NUL character"),
        (b"x" * (300 * 1024), "mine.md: the file is larger than 256 KB"),
    ],
)
def test_a_guide_file_that_is_not_text_is_refused_plainly(data: bytes, message: str) -> None:
    with pytest.raises(InvalidGuide, match="^" + message):
        decode_guide(data, "mine.md")


def test_a_byte_order_mark_and_windows_line_ends_are_fine() -> None:
    text = decode_guide(("\ufeff" + SMALL.replace("\n", "\r\n")).encode(), "small.md")
    assert parse_guide(text, "small.md").prompts == ["What helps?", "What gets in the way?"]


def test_the_builtins_are_loaded_once_and_updated_without_touching_a_facilitators_own(db: Database) -> None:
    with db.begin() as session:
        assert len(list_guides(session)) == BUILT_IN and all(guide.builtin for guide in list_guides(session))
        mine = duplicate_guide(session, "coping-strategies")
        assert (mine.slug, mine.title, mine.builtin) == (
            "coping-strategies-copy",
            "Sharing what helps when things get hard (my copy)",
            False,
        )
        again = load_builtin_guides(session)
        assert (again.added, again.updated, again.skipped) == ([], [], [])

        # A new program version changes a built-in and adds one whose slug a facilitator already used.
        name, text = next(pair for pair in builtin_guide_files() if pair[0] == "coping-strategies.md")
        newer = with_fields(text, version="2").replace("## Summary\n", "## Summary\n\nNow clearer.\n", 1)
        save_guide(session, with_fields(SMALL, slug="mindfulness"))
        upgraded = load_builtin_guides(
            session, [(name, newer), ("mindfulness.md", with_fields(SMALL, slug="mindfulness", title="Theirs"))]
        )
        assert (upgraded.added, upgraded.updated, upgraded.skipped) == ([], ["coping-strategies"], ["mindfulness"])
        assert get_guide(session, "coping-strategies").version == 2
        assert get_guide(session, "coping-strategies").summary.startswith("Now clearer.")
        assert get_guide(session, "mindfulness").title == "A small guide"  # the facilitator's, untouched
        assert get_guide(session, "coping-strategies-copy").version == 1  # the edited copy, untouched


def test_a_guide_goes_round_export_and_import_unchanged(db: Database, tmp_path: Path) -> None:
    other = open_records(DataLocation.resolve(tmp_path / "other"))
    with db.begin() as session:
        every = [guide.slug for guide in list_guides(session)]
    assert len(every) == BUILT_IN
    for slug in every:
        with db.begin() as session:
            original = guide_source(session, slug)
            path = export_guide(session, slug, tmp_path / f"{slug}.md")
        assert path.read_bytes() == original.encode("utf-8")
        with other.begin() as session:
            delete_target = session.scalar(select(TopicGuide).where(TopicGuide.slug == slug))
            session.delete(delete_target)  # as if the other computer had never had it
            session.flush()
            imported = import_guide(session, path)
            assert imported.builtin is False
            assert guide_source(session, slug) == original
            assert get_guide(session, slug) == parse_guide(original, slug)
    other.close()


def test_own_guides_are_saved_edited_and_deleted_but_builtins_never(db: Database) -> None:
    with db.begin() as session:
        saved = save_guide(session, with_fields(SMALL, title=HOSTILE_NAME))
        assert saved.title == HOSTILE_NAME  # plain text, kept literally
        with pytest.raises(AlreadyExists, match="already has a guide called “small-guide”"):
            save_guide(session, SMALL)
        save_guide(session, with_fields(SMALL, title="Renamed", slug="renamed"), replacing="small-guide")
        assert [guide.slug for guide in list_guides(session, words="renamed")] == ["renamed"]
        with pytest.raises(InvalidState, match="built-in guide; duplicate it"):
            save_guide(session, guide_source(session, "emotional-support"), replacing="emotional-support")
        with pytest.raises(InvalidState, match="cannot be deleted"):
            delete_guide(session, "emotional-support")
        assert delete_guide(session, "renamed") == 0
        assert session.scalar(select(func.count()).select_from(TopicGuide)) == BUILT_IN


def test_the_library_is_searched_by_words_theme_and_kind(db: Database) -> None:
    with db.begin() as session:
        assert [guide.slug for guide in list_guides(session, kind=GuideKind.FORMAT)] == sorted(FORMATS)
        hope = list_guides(session, theme="Empowerment and hope")
        assert "empowerment-and-hope" in {guide.slug for guide in hope}
        assert {guide.theme for guide in hope} == {"Empowerment and hope"}
        found = {guide.slug for guide in list_guides(session, words="CONFIDENTIALITY welcome")}
        assert "standard-meeting" in found and "coping-strategies" not in found


def test_the_suggested_topic_is_the_one_the_group_went_longest_without(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        topics = [guide.slug for guide in list_guides(session, kind=GuideKind.TOPIC)]
        assert suggested_topic(session, group.id) == Suggestion(topics[0], "not used yet")  # the first by title
        first = open_meeting(session, group.id, guide_slug=topics[0])
        start = close_meeting(session, first.id).started_at
        for week, slug in enumerate(topics[1:], start=1):
            meeting = open_meeting(session, group.id, guide_slug=slug, now=start + timedelta(weeks=week))
            close_meeting(session, meeting.id, now=meeting.started_at + timedelta(hours=1))
        assert suggested_topic(session, group.id) == Suggestion(topics[0], "not used for longest")
        other = create_group(session, "Thursday")
        assert suggested_topic(session, other.id) == Suggestion(topics[0], "not used yet")
        assert suggested_format(session, other.id) == Suggestion("standard-meeting", "the usual one")
        open_meeting(session, other.id, format_slug="newcomer-meeting")
        assert suggested_format(session, other.id) == Suggestion("newcomer-meeting", "used last time")


def test_guides_on_the_command_line(cli, tmp_path: Path) -> None:
    listed = cli("guides", "list", "--json")
    assert listed.code == 0
    rows = json.loads(listed.out)
    assert len(rows) == BUILT_IN and {row["kind"] for row in rows} == {"topic", "format"}
    table = cli("guides", "list").out
    assert "relapse-prevention" in table and "Built-in" in table

    out = tmp_path / "shared.md"
    assert cli("guides", "export", "empowerment-and-hope", "-o", str(out)).code == 0
    out.write_text(with_fields(out.read_text(encoding="utf-8"), slug="hope-for-us"), encoding="utf-8")
    imported = cli("guides", "import", str(out))
    assert imported.code == 0 and "(hope-for-us)" in imported.out
    assert len(json.loads(cli("guides", "list", "--json").out)) == BUILT_IN + 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("---\nslug: a\nkind: topic\n", "facilitator: bad.md, line 3: the header never ends"),
        (None, "facilitator: Could not read bad.md"),
    ],
)
def test_a_bad_guide_file_on_the_command_line_is_one_plain_line(
    cli, tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "bad.md"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result: CliResult = cli("guides", "import", str(path))
    assert result.code == 1 and result.err.startswith(message) and "Traceback" not in result.err
    assert len(json.loads(cli("guides", "list", "--json").out)) == BUILT_IN  # nothing was added


def test_numbers_too_long_to_read_and_empty_list_items_are_refused_plainly() -> None:
    with pytest.raises(InvalidGuide, match="field “version” is a whole number"):
        parse_guide(with_fields(SMALL, version="9" * 5000), "big.md")
    huge_part = "---\nslug: a\nkind: format\ntitle: A\nversion: 1\n---\n## Welcome (" + "9" * 5000 + " min)\nHi\n"
    with pytest.raises(InvalidGuide, match="a meeting format's part gives its minutes"):
        parse_guide(huge_part, "big.md")
    with pytest.raises(InvalidGuide, match="line 18: a list item"):
        parse_guide(SMALL.replace("- What helps?", "- "), "empty.md")


def test_old_mac_line_endings_are_read_and_rewritten_alike() -> None:
    mac = SMALL.replace("\n", "\r")
    assert parse_guide(with_fields(mac, slug="mac-guide"), "mac.md").slug == "mac-guide"


def test_guides_for_every_kind_of_group_are_built_in_topics() -> None:
    built_in = [parse_guide(text, name) for name, text in builtin_guide_files()]
    topics = {guide.slug for guide in built_in if guide.kind is GuideKind.TOPIC}
    assert {
        "carers-boundaries-and-self-care",
        "carers-living-with-uncertainty",
        "grief-anniversaries-and-special-days",
        "holidays-and-celebrations",
        "stigma-and-self-stigma",
        "shame-and-guilt",
        "loneliness-and-reconnecting",
        "sleep-and-the-body",
    } <= topics
    assert len(topics) == 16


def test_every_format_says_only_what_is_true_by_default() -> None:
    formats = [parse_guide(text, name) for name, text in builtin_guide_files()]
    for guide in (guide for guide in formats if guide.kind is GuideKind.FORMAT):
        spoken = " ".join(block.text for part in guide.parts for block in part.blocks if not block.text.startswith("["))
        everything = " ".join(section.text for section in guide.sections)
        for untrue in (
            "a list of crisis contacts",  # the default handout has only "your local emergency number"
            "me included, has lived experience",  # not every volunteer, not every carer group
            "Nobody here is a professional adviser",
            "one limit to confidentiality",  # hosts often add their own
            "Many of us take medication",  # odd in grief and carer groups
            "holds the space",
        ):
            assert untrue not in everything, (guide.slug, untrue)
        assert "This group is run by peers." in spoken, guide.slug
        assert "I keep a list of who comes to each meeting." in spoken, guide.slug
        assert "I'll count you as a guest" in spoken, guide.slug
        opening = next(part for part in guide.parts if part.kind is PartKind.OPENING)
        assert "There are limits to confidentiality." in opening.text, guide.slug
        assert "Confidentiality limits" in opening.text, guide.slug  # where the local limits are set
        if any(part.kind is PartKind.SHARING for part in guide.parts):  # when advice can be asked for
            assert "you can ask them after the meeting" in spoken, guide.slug
