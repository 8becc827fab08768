"""The one rule for names: when two are the same person's, when a search finds one, and when a
new one is close enough to an existing one to ask "Did you mean …?" first."""

from __future__ import annotations

import pytest

from facilitator.errors import AlreadyExists, InvalidInput, NotFound
from facilitator.rules.groups import create_group
from facilitator.rules.participants import (
    add_participant,
    find_member,
    names_alike_on_roster,
    update_participant,
)
from facilitator.storage.database import Database
from facilitator.storage.models import Participant
from facilitator.text import name_key, name_matches, names_alike, same_name

SAME = [
    ("Chloé Martin", "chloe martin"),
    ("Lucía", "LUCIA"),
    ("Zoë", "Zoe"),
    ("Chloe\u0301", "Chloé"),  # the accent as a separate mark, as some keyboards and files send it
    ("Søren", "Soren"),
    ("Strauß", "Strauss"),
    ("Ægir", "aegir"),
    ("Œdipa", "oedipa"),
    ("Łukasz", "Lukasz"),
    ("Đorđe", "Dorde"),
    ("Işık", "Isik"),  # Turkish dotless ı
    ("İlkay", "ilkay"),  # Turkish dotted capital İ
    ("Ａｎｎ Ｌｅｅ", "Ann Lee"),  # full-width letters
    ("Ann\u00a0Lee", "Ann Lee"),  # a no-break space
    ("  Ann \t  Lee ", "ann lee"),
    ("Ann\u200b Lee", "Ann Lee"),  # zero-width space
    ("A\u00adnn Lee", "Ann Lee"),  # soft hyphen
    ("\ufeffAnn Lee", "Ann Lee"),  # byte-order mark
    ("\u200eAnn Lee\u200f", "Ann Lee"),  # left-to-right and right-to-left marks
    ("Ann\u200dLee", "AnnLee"),  # zero-width joiner
    ("王小明", "王小明"),
    ("Анна Каренина", "анна каренина"),
    ("Алёна", "Алена"),  # ё written as е, as Russian often is
    ("محمد", "مُحَمَّد"),  # Arabic with and without its vowel marks
    ("김민수", "김민수"),
]

DIFFERENT = [
    ("Ann Lee", "Ann Le"),
    ("Ann", "Anne"),
    ("Chloé Martin", "Chloé"),
    ("王小明", "王小红"),
    ("Анна", "Инна"),
    ("かとう", "がとう"),  # kana's voicing marks make another sound, not an accent
    ("क्षमा", "कषमा"),  # nor does a virama: it joins two consonants into one
]


@pytest.mark.parametrize(("one", "other"), SAME)
def test_names_that_are_the_same_under_the_rule(one: str, other: str) -> None:
    assert same_name(one, other)
    assert name_key(name_key(one)) == name_key(one)  # a key is its own key


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_names_that_are_not_the_same(one: str, other: str) -> None:
    assert not same_name(one, other)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("chloe", "Chloé Martin"),
        ("lucia", "Lucía"),
        ("mart", "Chloé Martin"),
        ("ch m", "Chloé Martin"),
        ("soren", "Søren Kierkegaard"),
        ("zo", "Zoë"),
        ("ＡＮＮ", "Ann Lee"),
        ("王", "王小明"),
        ("王小明", "王小明"),
        ("алена", "Алёна"),
        ("김", "김민수"),
        ("", "Anyone"),
    ],
)
def test_what_a_search_finds(typed: str, name: str) -> None:
    assert name_matches(typed, name)


@pytest.mark.parametrize(
    ("typed", "name"),
    [("chloe x", "Chloé Martin"), ("artin", "Chloé Martin"), ("lucas", "Lucía"), ("小红", "王小明")],
)
def test_what_a_search_does_not_find(typed: str, name: str) -> None:
    assert not name_matches(typed, name)


@pytest.mark.parametrize(
    ("new", "existing", "alike"),
    [
        ("Chloe Martin", "Chloé Martin", True),  # the same under the rule
        ("Chloe Martine", "Chloé Martin", True),  # one letter more
        ("Chloé Marin", "Chloé Martin", True),  # one letter fewer
        ("Chloé Marten", "Chloé Martin", True),  # one letter changed
        ("Lucia", "Lucía", True),
        ("Anna", "Anne", True),
        ("chloe", "Chloé Martin", True),  # a search finds her by it
        ("chloe m", "Chloé Martin", True),
        ("Chloé Martin", "Chloé", False),
        ("Chloe Martinez", "Chloé Martin", False),  # two letters more
        ("Chloe Smith", "Chloé Martin", False),
        ("Ben", "Ken", False),  # names this short differ by a letter too often to ask
        ("Bob", "Bo", False),
        ("Bo", "BO", True),
        ("王小红", "王小明", False),
        ("\u200b", "Ann", False),  # nothing visible, nothing to go on
    ],
)
def test_new_names_alike_enough_to_an_existing_one_to_ask_about(new: str, existing: str, alike: bool) -> None:
    assert names_alike(new, existing) is alike


def test_the_roster_refuses_a_second_person_of_the_same_name_and_finds_the_first(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        chloe = add_participant(session, group.id, "Chloé Martin")
        add_participant(session, group.id, "Chloe Smith")
        with pytest.raises(AlreadyExists, match="“Chloé Martin” is already on the roster of Tuesday"):
            add_participant(session, group.id, "chloe  martin")
        with pytest.raises(AlreadyExists, match="“Chloé Martin” is already on the roster of Tuesday"):
            add_participant(session, group.id, "Chloe\u200d Martin")  # a zero-width joiner
        assert find_member(session, group.id, "CHLOE MARTIN").id == chloe.id
        assert find_member(session, group.id, "chloe ma", or_partial=True).id == chloe.id
        with pytest.raises(NotFound, match="nobody called “chloe ma”"):
            find_member(session, group.id, "chloe ma")  # a part is not enough where a whole name is wanted
        with pytest.raises(InvalidInput, match="“chloe” could be Chloé Martin or Chloe Smith; give more of the name"):
            find_member(session, group.id, "chloe", or_partial=True)
        with pytest.raises(NotFound, match="nobody called “”"):
            find_member(session, group.id, "  ", or_partial=True)  # nothing to go on
        assert [(n.display_name, n.same) for n in names_alike_on_roster(session, group.id, "chloe martin")] == [
            ("Chloé Martin", True)
        ]
        assert [(n.display_name, n.same) for n in names_alike_on_roster(session, group.id, "Chloe Smyth")] == [
            ("Chloe Smith", False)
        ]
        assert [(n.display_name, n.same) for n in names_alike_on_roster(session, group.id, "chloe")] == [
            ("Chloé Martin", False),
            ("Chloe Smith", False),
        ]
        assert names_alike_on_roster(session, group.id, "Dee") == []


def test_people_named_alike_in_older_records_can_still_be_told_apart(db: Database) -> None:
    """Records written before the rule ignored accents may hold both "Zoe" and "Zoë" on one roster:
    each is still found by their own spelling, and either can still be edited."""
    with db.begin() as session:
        group = create_group(session, "Tuesday")
        zoe = add_participant(session, group.id, "Zoe")
        zoe_accented = add_participant(session, group.id, "Zoë K")
        session.get_one(Participant, zoe_accented.id).display_name = "Zoë"
        session.flush()
        assert find_member(session, group.id, "Zoë").id == zoe_accented.id
        assert find_member(session, group.id, "Zoe").id == zoe.id
        with pytest.raises(InvalidInput, match="“zoe” could be Zoe or Zoë; give the name as the roster spells it"):
            find_member(session, group.id, "zoe")
        update_participant(session, zoe.id, display_name="Zoe", note="first of two")
        update_participant(session, zoe_accented.id, display_name="Zoë", note="second of two")


def test_checkin_on_the_command_line_finds_a_name_typed_without_its_accent(db: Database, cli) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        for name in ("Chloé Martin", "Lucía", "Bo"):
            add_participant(session, group.id, name)
    assert cli("meeting", "open", "--group", "Tuesday Circle").code == 0
    result = cli("checkin", "1", "chloe", "lucia")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == ["Marked Chloé Martin: present.", "Marked Lucía: present."]
    assert cli("participants", "--group", "Tuesday Circle").out.count("Chlo") == 1  # nobody new was added
