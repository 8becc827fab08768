"""The meeting's script: parts planned against actual minutes, prompts ticked, kept as it goes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from facilitator.documents.settings import change_document_settings
from facilitator.errors import InvalidInput, InvalidState, NotFound
from facilitator.rules.groups import create_group
from facilitator.rules.guide_format import PartKind, with_fields
from facilitator.rules.guides import guide_source, save_guide
from facilitator.rules.meeting_script import MeetingScript, go_to_part, mark_prompt, meeting_script, opening_additions
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.storage.database import Database
from facilitator.storage.preferences import CRISIS_TEXT_DEFAULT

T0 = datetime(2026, 5, 5, 19, 0).astimezone()
FORMATS = ("standard-meeting", "newcomer-meeting", "one-hour-meeting", "discussion-meeting")
GERMAN_PARTS = {
    "## Welcome (welcome,": "## Willkommen (welcome,",
    "## Opening statement (opening,": "## Eröffnung (opening,",
    "## Check-in (check-in,": "## Ankommen (check-in,",
    "## Topic (topic,": "## Das Thema (topic,",
    "## Break (break,": "## Pause (break,",
    "## Sharing round (sharing,": "## Austauschrunde (sharing,",
    "## Check-out (check-out,": "## Abschied (check-out,",
    "## Closing (closing,": "## Abschluss (closing,",
}


def test_a_meeting_run_from_its_script(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        meeting = open_meeting(
            session, group.id, guide_slug="relapse-prevention", format_slug="standard-meeting", now=T0
        )
        script = meeting_script(session, meeting.id, now=T0)
        assert meeting.guide_slug == "relapse-prevention" and script.format is not None
        assert script.format.slug == "standard-meeting"
        assert [part.name for part in script.parts] == [
            "Welcome",
            "Opening statement",
            "Check-in",
            "Topic",
            "Break",
            "Sharing round",
            "Check-out",
            "Closing",
        ]
        assert script.current_part is None and script.planned_minutes == 90 and script.prompts_used == frozenset()

        go_to_part(session, meeting.id, 0, now=T0)
        go_to_part(session, meeting.id, 1, now=T0 + timedelta(minutes=7))  # the welcome ran 2 minutes over
        go_to_part(session, meeting.id, 0, now=T0 + timedelta(minutes=10))  # back, for a latecomer
        go_to_part(session, meeting.id, 2, now=T0 + timedelta(minutes=11))
        mark_prompt(session, meeting.id, 0, True)
        mark_prompt(session, meeting.id, 3, True)
        mark_prompt(session, meeting.id, 3, True)  # ticking twice is still one tick
        mark_prompt(session, meeting.id, 0, False)

    with db.begin() as session:  # as after a restart
        script = meeting_script(session, meeting.id, now=T0 + timedelta(minutes=20))
        assert script.current_part == 2
        assert [(part.actual_seconds / 60, part.started) for part in script.parts[:4]] == [
            (8, True),
            (3, True),
            (9, True),
            (0, False),
        ]
        assert script.prompts_used == frozenset({3})
        assert script.guide is not None and len(script.guide.prompts) == 6

        closed = close_meeting(session, meeting.id, now=T0 + timedelta(minutes=30))
        assert meeting_script(session, closed.id, now=T0 + timedelta(days=3)).parts[2].actual_seconds == 19 * 60
        with pytest.raises(InvalidState):
            go_to_part(session, meeting.id, 3)


def test_parts_and_prompts_that_do_not_exist_are_refused(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Thursday")
        other = create_group(session, "Friday")
        meeting = open_meeting(session, other.id)
        with pytest.raises(InvalidInput, match="no part 1"):
            go_to_part(session, meeting.id, 0)
        with pytest.raises(InvalidInput, match="no prompt 1"):
            mark_prompt(session, meeting.id, 0, True)
        with pytest.raises(NotFound, match="no meeting format “relapse-prevention”"):
            open_meeting(session, group.id, format_slug="relapse-prevention")
        with pytest.raises(NotFound, match="no topic guide “standard-meeting”"):
            open_meeting(session, group.id, guide_slug="standard-meeting")


def test_a_translated_format_and_one_without_kinds_do_what_the_builtin_does(db: Database) -> None:
    with db.begin() as session:
        standard = guide_source(session, "standard-meeting")
        german = with_fields(standard, slug="unser-treffen", title="Unser Treffen")
        for english, translated in GERMAN_PARTS.items():
            german = german.replace(english, translated)
        save_guide(session, german)
        # As a format was written before parts had kinds: the English names alone.
        old = re.sub(r"^(## .+) \([a-z-]+, (\d+ min\))$", r"\1 (\2", standard, flags=re.MULTILINE)
        assert old != standard
        save_guide(session, with_fields(old, slug="old-style", title="Old style"))
        scripts = {}
        for slug in ("standard-meeting", "unser-treffen", "old-style"):
            group = create_group(session, slug)
            meeting = open_meeting(session, group.id, guide_slug="coping-strategies", format_slug=slug, now=T0)
            scripts[slug] = meeting_script(session, meeting.id, now=T0)

    def behaviour(slug: str) -> list[tuple[PartKind, bool, list[str]]]:
        script = scripts[slug]
        return [
            (part.kind, part.shows_crisis_contacts, [section.name for section in script.guide_sections(number)])
            for number, part in enumerate(script.parts)
        ]

    assert [part.name for part in scripts["unser-treffen"].parts] == [
        "Willkommen",
        "Eröffnung",
        "Ankommen",
        "Das Thema",
        "Pause",
        "Austauschrunde",
        "Abschied",
        "Abschluss",
    ]
    assert behaviour("standard-meeting") == [
        (PartKind.WELCOME, False, []),
        (PartKind.OPENING, True, []),
        (PartKind.CHECK_IN, False, ["Check-in question"]),
        (PartKind.TOPIC, False, ["Opening reading", "Discussion prompts", "Exercise"]),
        (PartKind.BREAK, False, []),
        (PartKind.SHARING, False, []),
        (PartKind.CHECK_OUT, False, []),
        (PartKind.CLOSING, False, ["Closing reflection"]),
    ]
    assert behaviour("unser-treffen") == behaviour("standard-meeting")
    assert behaviour("old-style") == behaviour("standard-meeting")


def _shown_with_check_in(script: MeetingScript) -> list[str]:
    """What the script shows for the check-in part: its own text, then what goes with it."""
    number = next(n for n, part in enumerate(script.parts) if part.kind is PartKind.CHECK_IN)
    assert script.format is not None
    shown = [script.format.parts[number], *script.format_sections(number), *script.guide_sections(number)]
    return [block.text for section in shown for block in section.blocks]


@pytest.mark.parametrize("format_slug", FORMATS)
def test_the_check_in_asks_the_guides_question_when_there_is_a_guide_and_its_own_otherwise(
    db: Database, format_slug: str
) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        with_guide = open_meeting(session, group.id, guide_slug="coping-strategies", format_slug=format_slug, now=T0)
        close_meeting(session, with_guide.id, now=T0)
        without = open_meeting(session, group.id, format_slug=format_slug, now=T0, another_today=True)
        guided, alone = meeting_script(session, with_guide.id, now=T0), meeting_script(session, without.id, now=T0)
    assert guided.guide is not None and alone.format is not None
    own, theirs = alone.format.section_text("Check-in question"), guided.guide.section_text("Check-in question")
    assert own and theirs
    assert _shown_with_check_in(alone).count(own) == 1 and theirs not in _shown_with_check_in(alone)
    assert _shown_with_check_in(guided).count(theirs) == 1
    assert not any(own in text for text in _shown_with_check_in(guided))  # one question, not two


@pytest.mark.parametrize("format_slug", FORMATS)
def test_every_format_ends_with_a_check_out_round_and_its_minutes_add_up(db: Database, format_slug: str) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        script = meeting_script(session, open_meeting(session, group.id, format_slug=format_slug, now=T0).id, now=T0)
    assert script.format is not None
    kinds = [part.kind for part in script.parts]
    assert kinds[-2:] == [PartKind.CHECK_OUT, PartKind.CLOSING]
    assert "one sentence" in script.format.parts[-2].text
    summary = script.format.summary
    stated = int(re.search(r"(\d+)-minute", summary)[1])  # type: ignore[index]
    assert script.planned_minutes == stated, summary
    if stated == 90:  # a long meeting has a break, which the group may skip
        breaks = [part for part in script.format.parts if part.kind is PartKind.BREAK]
        assert len(breaks) == 1 and "optional" in breaks[0].name.casefold() + breaks[0].text.casefold()


def test_the_newcomer_format_speaks_of_confidentiality_before_asking_who_is_new(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        meeting = open_meeting(session, group.id, format_slug="newcomer-meeting", now=T0)
        script = meeting_script(session, meeting.id, now=T0)
    assert script.format is not None
    spoken = [
        block.text
        for part in script.format.parts
        for block in part.blocks
        if not block.text.startswith("[")  # what is read aloud, not what the facilitator does
    ]
    confidentiality = next(n for n, text in enumerate(spoken) if "confidential" in text)
    first_time = next(n for n, text in enumerate(spoken) if "Is anyone here for the first time?" in text)
    assert confidentiality < first_time


def test_the_opening_statement_is_read_with_the_local_limits_to_confidentiality_when_set(db: Database) -> None:
    with db.begin() as session:
        assert opening_additions(session) == [f"Crisis contacts (from your settings): {CRISIS_TEXT_DEFAULT}"]
        change_document_settings(session, {"confidentiality-limits": "  The centre's manager is told of any threat.  "})
        assert opening_additions(session)[0] == (
            "Limits to confidentiality here (from your settings): The centre's manager is told of any threat."
        )
        change_document_settings(session, {"confidentiality-limits": None})
        assert len(opening_additions(session)) == 1
