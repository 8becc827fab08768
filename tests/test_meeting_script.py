"""The meeting's script: parts planned against actual minutes, prompts ticked, kept as it goes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from facilitator.errors import InvalidInput, InvalidState, NotFound
from facilitator.rules.groups import create_group
from facilitator.rules.guide_format import PartKind, with_fields
from facilitator.rules.guides import guide_source, save_guide
from facilitator.rules.meeting_script import go_to_part, mark_prompt, meeting_script
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.storage.database import Database

T0 = datetime(2026, 5, 5, 19, 0).astimezone()
GERMAN_PARTS = {
    "## Welcome (welcome,": "## Willkommen (welcome,",
    "## Opening statement (opening,": "## Eröffnung (opening,",
    "## Check-in (check-in,": "## Ankommen (check-in,",
    "## Topic (topic,": "## Das Thema (topic,",
    "## Sharing round (sharing,": "## Austauschrunde (sharing,",
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
            "Sharing round",
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
        "Austauschrunde",
        "Abschluss",
    ]
    assert behaviour("standard-meeting") == [
        (PartKind.WELCOME, False, []),
        (PartKind.OPENING, True, []),
        (PartKind.CHECK_IN, False, ["Check-in question"]),
        (PartKind.TOPIC, False, ["Opening reading", "Discussion prompts", "Exercise"]),
        (PartKind.SHARING, False, []),
        (PartKind.CLOSING, False, ["Closing reflection"]),
    ]
    assert behaviour("unser-treffen") == behaviour("standard-meeting")
    assert behaviour("old-style") == behaviour("standard-meeting")
