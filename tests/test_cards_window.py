"""The cards and the crisis page in the window: Meeting → Print Card → …, Edit → Crisis
Contacts…, the one key that opens the crisis page during a meeting (under a real display, from
where the facilitator's focus is), and the asks for the local crisis contacts."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication, QMessageBox

from facilitator.documents.cards import Card
from facilitator.documents.handout import DEFAULT_CRISIS_WARNING
from facilitator.documents.settings import change_document_settings
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import open_meeting
from facilitator.rules.participants import add_participant, list_participants
from facilitator.storage.database import Database
from facilitator.storage.preferences import CRISIS_TEXT_DEFAULT, crisis_text
from tests.conftest import HOSTILE_NAME
from tests.real_display import press, show_and_activate, type_text
from tests.test_documents_window import preview_then
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction
from ui.app import application
from ui.operations.crisis_page import QtCrisisPage
from ui.operations.document_dialogs import QtCrisisContactsDialog
from ui.operations.documents import ASK_BEFORE_PRINT
from ui.shell.main_window import QtMainWindow
from ui.shell.menus import MENUS

CONTACTS = "Crisis line: 0800 000 000, any hour."
CARD_ACTIONS = {
    MainAction.PRINT_CRISIS_CARD: Card.CRISIS,
    MainAction.PRINT_AGREEMENTS_CARD: Card.AGREEMENTS,
    MainAction.PRINT_TRICKY_MOMENTS_CARD: Card.TRICKY_MOMENTS,
    MainAction.PRINT_SELF_CARE_PAGE: Card.SELF_CARE,
}


@pytest.fixture
def group_id(db: Database) -> int:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        for name in ("Ann Bell", "Bo", "Cy"):
            add_participant(session, group.id, name)
        return group.id


def with_contacts(db: Database, text: str = CONTACTS) -> None:
    with db.begin() as session:
        change_document_settings(session, {"crisis-contacts": text})


def stored_contacts(db: Database) -> str:
    with db.begin() as session:
        return crisis_text(session)


def test_the_cards_are_in_the_meeting_menu_and_the_crisis_contacts_in_the_edit_menu() -> None:
    assert ("Print Car&d", tuple(CARD_ACTIONS)) in MENUS["&Meeting"]
    assert MainAction.CRISIS_PAGE in MENUS["&Meeting"]
    assert MainAction.CRISIS_CONTACTS in MENUS["&Edit"]


@pytest.mark.parametrize("action", list(CARD_ACTIONS))
def test_every_card_prints_from_the_window_through_the_preview(
    db: Database, group_id: int, qtbot, action: MainAction
) -> None:
    with_contacts(db)
    window = shown_window(db, qtbot)
    seen = preview_then(qtbot, lambda preview: None)
    window.actions_by_name[action].trigger()
    assert len(seen) == 1
    preview = seen[0]
    assert preview.windowTitle().startswith(CARD_ACTIONS[action].title)
    pages = PdfReader(io.BytesIO(preview.data)).pages
    assert len(pages) == 1
    assert not preview.warning.isVisibleTo(preview)
    if CARD_ACTIONS[action] in (Card.CRISIS, Card.AGREEMENTS):
        assert CONTACTS in pages[0].extract_text()


def test_edit_crisis_contacts_keeps_them_for_every_printout(db: Database, group_id: int, qtbot) -> None:
    window = shown_window(db, qtbot)

    def fill(dialog: QtCrisisContactsDialog) -> None:
        dialog.crisis.setPlainText(HOSTILE_NAME)
        dialog.save()

    when_modal_opens(qtbot, fill, QtCrisisContactsDialog)
    window.actions_by_name[MainAction.CRISIS_CONTACTS].trigger()
    assert stored_contacts(db) == HOSTILE_NAME


def test_crisis_contacts_too_long_are_refused_and_the_dialog_stays_open(db: Database, group_id: int, qtbot) -> None:
    window = shown_window(db, qtbot)
    said: list[str] = []

    def fill(dialog: QtCrisisContactsDialog) -> None:
        dialog.crisis.setPlainText("x" * 1001)
        when_modal_opens(qtbot, lambda box: (said.append(box.text()), box.accept()), QMessageBox)
        dialog.save()
        assert dialog.isVisible()
        dialog.reject()

    when_modal_opens(qtbot, fill, QtCrisisContactsDialog)
    window.actions_by_name[MainAction.CRISIS_CONTACTS].trigger()
    assert said and "1000" in said[0]
    assert stored_contacts(db) == CRISIS_TEXT_DEFAULT


def test_the_first_print_asks_for_the_crisis_contacts_once_and_prints_if_declined(
    db: Database, group_id: int, qtbot
) -> None:
    window = shown_window(db, qtbot)
    asked: list[str] = []

    def decline(box: QMessageBox) -> None:
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    when_modal_opens(qtbot, decline, QMessageBox)
    warned: list[str] = []
    seen = preview_then(qtbot, lambda preview: warned.append(preview.warning.text()))
    window.actions_by_name[MainAction.PRINT_CRISIS_CARD].trigger()
    assert asked == [ASK_BEFORE_PRINT]
    assert len(seen) == 1 and warned == [DEFAULT_CRISIS_WARNING]
    # the next print goes straight to the preview
    again = preview_then(qtbot, lambda preview: None)
    window.actions_by_name[MainAction.PRINT_AGREEMENTS_CARD].trigger()
    assert len(again) == 1


def test_the_ask_before_printing_opens_the_crisis_contacts_and_prints_them(db: Database, group_id: int, qtbot) -> None:
    window = shown_window(db, qtbot)

    def fill(dialog: QtCrisisContactsDialog) -> None:
        dialog.crisis.setPlainText(CONTACTS)
        dialog.save()

    def add(box: QMessageBox) -> None:
        assert box.button(QMessageBox.StandardButton.Yes).text() == "Add Crisis Contacts…"
        assert box.button(QMessageBox.StandardButton.Cancel).text() == "Print Without Them"
        when_modal_opens(qtbot, fill, QtCrisisContactsDialog)
        box.button(QMessageBox.StandardButton.Yes).click()

    when_modal_opens(qtbot, add, QMessageBox)
    seen = preview_then(qtbot, lambda preview: None)
    window.actions_by_name[MainAction.PRINT_CRISIS_CARD].trigger()
    assert len(seen) == 1 and not seen[0].warning.isVisibleTo(seen[0])
    assert CONTACTS in PdfReader(io.BytesIO(seen[0].data)).pages[0].extract_text()


def test_cards_without_crisis_contacts_print_without_asking(db: Database, group_id: int, qtbot) -> None:
    window = shown_window(db, qtbot)
    seen = preview_then(qtbot, lambda preview: None)
    window.actions_by_name[MainAction.PRINT_TRICKY_MOMENTS_CARD].trigger()
    assert len(seen) == 1


def test_the_first_start_asks_for_the_crisis_contacts_once(db: Database, group_id: int, qtbot) -> None:
    window = shown_window(db, qtbot)
    shown: list[str] = []

    def cancel(dialog: QtCrisisContactsDialog) -> None:
        shown.append(dialog.windowTitle())
        dialog.reject()

    when_modal_opens(qtbot, cancel, QtCrisisContactsDialog)
    window.documents.ask_for_crisis_contacts_at_start()
    assert shown == ["Crisis Contacts"]
    window.documents.ask_for_crisis_contacts_at_start()  # asked once: no dialog this time
    assert shown == ["Crisis Contacts"]


def test_a_start_with_crisis_contacts_set_asks_nothing(db: Database, group_id: int, qtbot, monkeypatch) -> None:
    with_contacts(db)
    window = shown_window(db, qtbot)
    monkeypatch.setattr(QtCrisisContactsDialog, "exec", lambda self: pytest.fail("asked for contacts already set"))
    window.documents.ask_for_crisis_contacts_at_start()


def test_the_crisis_page_shows_the_card_with_the_contacts_as_typed(db: Database, group_id: int, qtbot) -> None:
    with_contacts(db, f"{HOSTILE_NAME}\nSecond line")
    window = shown_window(db, qtbot)
    window.actions_by_name[MainAction.CRISIS_PAGE].trigger()
    page = window.documents.crisis_page_shown
    assert isinstance(page, QtCrisisPage) and page.isVisible() and not page.isModal()
    text = page.text.toPlainText()
    assert f"{HOSTILE_NAME}\nSecond line" in text
    for heading in (
        "Someone may be thinking about suicide",
        "Do not leave the person alone",
        "An overdose or a medical emergency",
        "Someone arrives drunk or high",
        "Anger or aggression",
        "Someone says a child may not be safe",
    ):
        assert heading in text
    # opened again, it is the same page, showing the contacts as they are now
    with_contacts(db)
    window.actions_by_name[MainAction.CRISIS_PAGE].trigger()
    assert window.documents.crisis_page_shown is page
    assert CONTACTS in page.text.toPlainText()
    page.close()


# ---- the key, as a person presses it ----------------------------------------------------------


@pytest.fixture
def meeting_window(db: Database, group_id: int, qtbot):
    with_contacts(db)
    application()
    main = QtMainWindow.with_records(db)
    qtbot.addWidget(main)
    show_and_activate(qtbot, main)
    main.show_page(main.check_in)
    main.actions_by_name[MainAction.OPEN_MEETING].trigger()
    qtbot.waitUntil(main.check_in.search.hasFocus)
    yield main
    if main.documents.crisis_page_shown is not None:
        main.documents.crisis_page_shown.close()
    main.close()


def crisis_page_opened(window: QtMainWindow) -> bool:
    page = window.documents.crisis_page_shown if window._documents is not None else None
    return page is not None and page.isVisible()


@pytest.mark.real_display
def test_the_crisis_key_opens_the_page_from_the_check_in_search(meeting_window: QtMainWindow, qtbot) -> None:
    type_text(qtbot, "an")
    press(qtbot, "Ctrl+Shift+H")
    qtbot.waitUntil(lambda: crisis_page_opened(meeting_window))
    assert meeting_window.check_in.search.text() == "an"  # the typing is kept, not changed by the key


@pytest.mark.real_display
def test_the_crisis_key_opens_the_page_during_the_share_round(
    db: Database, group_id: int, meeting_window: QtMainWindow, qtbot
) -> None:
    with db.begin() as session:
        meeting_id = meeting_window.meeting.id if meeting_window.meeting else open_meeting(session, group_id).id
        for person in list_participants(session, group_id):
            check_in(session, meeting_id, person.id)
    meeting_window.actions_by_name[MainAction.SHOW_SHARING].trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, "Ctrl+Shift+H")
    qtbot.waitUntil(lambda: crisis_page_opened(meeting_window))


def test_a_format_in_the_guide_library_says_where_the_agreements_come_from() -> None:
    from facilitator.rules.guide_format import parse_guide
    from facilitator.rules.guides import builtin_guide_files
    from ui.common.guide_html import guide_html

    files = dict(builtin_guide_files())
    html = guide_html(parse_guide(files["standard-meeting.md"], "standard-meeting.md"))
    assert "[The group's agreements, as your settings have them.]" in html
    assert "{agreements}" not in html
