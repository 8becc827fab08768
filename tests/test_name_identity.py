"""One person, one identity (issue 17, items 9 and 10): characters that draw nothing never make a
second "Ann", are left out of a name with a word, and a new name close to someone's on the roster
is refused on the command line unless `--new` says it is someone new."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from facilitator.errors import AlreadyExists
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import open_meeting
from facilitator.rules.participants import add_participant, find_member, list_participants
from facilitator.storage.database import Database
from facilitator.text import clean_name, invisible_left_out, name_key, name_matches, same_name

# All look like "Ann"; before the rule folded what draws nothing, they were seven people.
LOOK_LIKE_ANN = [
    "Ann",
    "Ann\u3164",  # HANGUL FILLER
    "An\u034fn",  # COMBINING GRAPHEME JOINER
    "Ann\ufe0f",  # VARIATION SELECTOR-16
    "Ann\u2800",  # BRAILLE PATTERN BLANK
    "\u115fAnn",  # HANGUL CHOSEONG FILLER
    "Ann\u200d",  # ZERO WIDTH JOINER
    "Ann\uffa0",  # HALFWIDTH HANGUL FILLER
    "A\u180fnn",  # MONGOLIAN FREE VARIATION SELECTOR FOUR
    "Ann\U000e0100",  # VARIATION SELECTOR-17
    "\U0001bca0Ann",  # SHORTHAND FORMAT LETTER OVERLAP
    "A\u17b4nn",  # KHMER VOWEL INHERENT AQ
]


def test_names_that_look_alike_because_the_rest_draws_nothing_are_one_name() -> None:
    assert {name_key(name) for name in LOOK_LIKE_ANN} == {"ann"}
    assert all(same_name(name, "ANN") for name in LOOK_LIKE_ANN)


def test_a_roster_holds_one_ann_however_she_is_typed(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        add_participant(session, group.id, "Ann")
    for name in LOOK_LIKE_ANN[1:]:
        with pytest.raises(AlreadyExists, match="“Ann” is already on the roster of Tuesday Circle"), db.begin() as s:
            add_participant(s, group.id, name)
    with db.begin() as session:
        assert [person.display_name for person in list_participants(session, group.id)] == ["Ann"]
        assert all(find_member(session, group.id, name).display_name == "Ann" for name in LOOK_LIKE_ANN)


def test_a_search_typed_with_invisible_characters_finds_the_name() -> None:
    assert all(name_matches(typed, "Ann Lee") for typed in LOOK_LIKE_ANN)
    assert name_matches("Ann", "\u3164Ann\u200b Lee")  # a name stored before the rule


@pytest.mark.parametrize(
    ("typed", "stored", "word"),
    [
        ("Ann\u3164", "Ann", "An invisible character (U+3164) is left out of the name."),
        ("\u115fAnn", "Ann", "An invisible character (U+115F) is left out of the name."),
        ("Ann\u2800", "Ann", "An invisible character (U+2800) is left out of the name."),
        ("Ann\ufe0f", "Ann", "An invisible character (U+FE0F) is left out of the name."),
        ("Ann\u200d", "Ann", "An invisible character (U+200D) is left out of the name."),
        ("An\u034fn", "Ann", "An invisible character (U+034F) is left out of the name."),
        ("Ann\u200b Lee", "Ann Lee", "An invisible character (U+200B) is left out of the name."),
        ("\u202eAnn\u200b\u200b", "Ann", "3 invisible characters (U+202E, U+200B, U+200B) are left out of the name."),
        ("Ann \u3164 Lee", "Ann Lee", "An invisible character (U+3164) is left out of the name."),
        ("An\u200dn", "Ann", "An invisible character (U+200D) is left out of the name."),  # Latin needs no joiner
    ],
)
def test_what_draws_nothing_is_left_out_of_a_name_with_a_word(typed: str, stored: str, word: str) -> None:
    assert clean_name(typed, "the name", 100) == stored
    assert invisible_left_out(typed, "the name") == word


@pytest.mark.parametrize(
    "name",
    [
        "\u0645\u0647\u0631\u200c\u062f\u0627\u062f",  # مهر‌داد, Mehrdad: the non-joiner keeps two letters apart
        "\u0645\u06cc\u200c\u0631\u0648\u06cc",  # میروی in Arabic script
        "\u0915\u094d\u200d\u0937",  # Devanagari: a half form asked for by the joiner
        "Kai \U0001f469\u200d\U0001f4bb",  # an emoji sequence
        "Mo \u2764\ufe0f",  # an emoji asked for in colour
        "\u8fbb\U000e0100",  # an ideograph in one of its registered shapes
    ],
)
def test_the_joiners_and_selectors_that_scripts_need_are_kept_inside_a_name(name: str) -> None:
    assert clean_name(name, "the name", 100) == name
    assert invisible_left_out(name, "the name") == ""


def test_a_name_that_is_only_invisible_is_empty() -> None:
    from facilitator.errors import InvalidInput

    with pytest.raises(InvalidInput, match="The name is empty"):
        clean_name("\u3164\u200b\u2800", "the name", 100)


def test_the_name_is_stored_as_typed_but_for_what_draws_nothing(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        assert add_participant(session, group.id, "\u115fZoë\u3164").display_name == "Zoë"


# ---- the command line -------------------------------------------------------------------------


@pytest.fixture
def meeting_id(db: Database) -> int:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        for name in ("Chloé Martin", "Chloe Marten", "Ben"):
            add_participant(session, group.id, name)
        return open_meeting(session, group.id).id


def roster(db: Database) -> list[str]:
    with db.begin() as session:
        (group,) = [info for info in _groups(session)]
        return [person.display_name for person in list_participants(session, group)]


def _groups(session) -> list[int]:
    from facilitator.rules.groups import list_groups

    return [group.id for group in list_groups(session)]


def test_checkin_of_a_name_close_to_people_on_the_roster_refuses_with_them_all(cli, db, meeting_id) -> None:
    result = cli("checkin", str(meeting_id), "Chloe Martn")
    assert result.code == 1
    assert result.err.strip() == (
        "facilitator: There is nobody called “Chloe Martn” on the roster of Tuesday Circle. "
        "Did you mean Chloe Marten or Chloé Martin? If “Chloe Martn” is someone new, add --new."
    )
    assert roster(db) == ["Ben", "Chloe Marten", "Chloé Martin"]


def test_checkin_of_an_unknown_name_says_how_to_add_them(cli, db, meeting_id) -> None:
    result = cli("checkin", str(meeting_id), "Xavier")
    assert result.code == 1
    assert result.err.strip() == (
        "facilitator: There is nobody called “Xavier” on the roster of Tuesday Circle. "
        "If “Xavier” is someone new, add --new."
    )


def test_checkin_new_is_the_answer_someone_new_and_says_who_they_are_close_to(cli, db, meeting_id) -> None:
    result = cli("checkin", str(meeting_id), "--new", "Chloe Martn")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "Added “Chloe Martn” to the roster as someone new; Chloe Marten and Chloé Martin are on it already.",
        "Marked Chloe Martn: present.",
    ]
    assert roster(db) == ["Ben", "Chloe Marten", "Chloé Martin", "Chloe Martn"]


def test_checkin_new_leaves_out_what_draws_nothing_with_a_word(cli, db, meeting_id) -> None:
    result = cli("checkin", str(meeting_id), "--new", "Dana\u3164")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "An invisible character (U+3164) is left out of the name.",
        "Marked Dana: present.",
    ]
    assert "Dana" in roster(db)


def test_checkin_new_of_the_same_name_is_refused(cli, db, meeting_id) -> None:
    result = cli("checkin", str(meeting_id), "--new", "Ben\u3164")
    assert result.code == 1 and "“Ben” is already on the roster of Tuesday Circle." in result.err


# ---- the window -------------------------------------------------------------------------------


def test_add_person_in_the_window_offers_every_alike_person(db: Database, qtbot) -> None:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from tests.window_helpers import when_modal_opens
    from ui.app import application
    from ui.pages.roster.person_dialog import PersonDialog
    from ui.shell.main_window import QtMainWindow

    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        for name in ("Chloé Martin", "Chloe Marten", "Ben"):
            add_participant(session, group.id, name)
    application()
    window = QtMainWindow.with_records(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(window.roster)
    asked: list[tuple[str, list[str]]] = []

    def add(dialog: QWidget) -> None:
        assert isinstance(dialog, PersonDialog)

        def choose(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            asked.append((box.text(), sorted(button.text() for button in box.buttons())))
            (chosen,) = [button for button in box.buttons() if button.text() == "Use Chloé Martin"]
            chosen.click()

        dialog.name_edit.setText("Chloe Martn")
        when_modal_opens(qtbot, choose, QMessageBox)
        dialog.save_button.click()

    when_modal_opens(qtbot, add)
    qtbot.mouseClick(window.roster.add_button, Qt.MouseButton.LeftButton)
    assert asked == [
        (
            "Did you mean Chloe Marten or Chloé Martin?\n\n“Chloe Martn” is close to the names of Chloe Marten and "
            "Chloé Martin, who are on the roster already; if one of them is the same person, adding someone new "
            "would split their attendance in two.",
            sorted(["Use Chloe Marten", "Use Chloé Martin", "Add “Chloe Martn” Anyway", "Cancel"]),
        )
    ]
    assert roster(db) == ["Ben", "Chloe Marten", "Chloé Martin"]  # nobody was added
    assert window.roster.view.currentIndex().data() == "Chloé Martin"  # the person meant, chosen
    window.close()


def test_add_person_in_the_window_says_what_it_left_out(db: Database, qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    from tests.window_helpers import when_modal_opens
    from ui.app import application
    from ui.pages.roster.person_dialog import PersonDialog
    from ui.shell.main_window import QtMainWindow

    with db.begin() as session:
        create_group(session, "Tuesday Circle")
    application()
    window = QtMainWindow.with_records(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(window.roster)

    def add(dialog: QWidget) -> None:
        assert isinstance(dialog, PersonDialog)
        dialog.name_edit.setText("\u3164Dana")
        dialog.save_button.click()

    when_modal_opens(qtbot, add)
    qtbot.mouseClick(window.roster.add_button, Qt.MouseButton.LeftButton)
    assert roster(db) == ["Dana"]
    assert window.statusBar().currentMessage() == "An invisible character (U+3164) is left out of the name."
    window.close()


def test_the_quick_ways_for_plain_text_give_what_the_rule_gives() -> None:
    # clean_name and name_key take plain ASCII, and control characters are looked for only in
    # text that is not all printable, without going character by character (100,000 names
    # imported: 2.8 s of cleaning and keying before, 0.9 s after). They hold only because:
    import sys
    import unicodedata

    from facilitator.text import _draws_nothing, _ignored_in_names

    for char in map(chr, range(128)):
        assert not _draws_nothing(char) and not _ignored_in_names(char), hex(ord(char))
        assert unicodedata.normalize("NFKD", char.casefold()) == char.casefold() == char.lower()
    printable = (chr(code) for code in range(sys.maxunicode + 1) if chr(code).isprintable())
    assert [hex(ord(char)) for char in printable if unicodedata.category(char) == "Cc"] == []
    for name in ("Ann  LEE", " Zoë\u200b ", "An\u034fn", "Ann\x1bLee", "Ｃｈｌｏｅ", "Mehr\u200cdad"):
        assert name_key(name) == name_key(name + "\u3164")  # one key whichever way it is reached
