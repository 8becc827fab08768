"""The main window, driven as a person would: buttons, typing, dialogs, menus."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QWidget

from facilitator.rules.demo import build_demo
from facilitator.rules.groups import GroupFields, GroupInfo, create_group
from facilitator.storage.database import Database
from facilitator.storage.locations import DataLocation
from tests.conftest import HOSTILE_NAME
from tests.window_helpers import when_modal_opens
from ui.actions import MainAction
from ui.app import application, main, run
from ui.operations.group_dialog import GroupDialog
from ui.operations.runner import REFUSED
from ui.shell.handlers import shortcut_sheet
from ui.shell.main_window import QtMainWindow


@pytest.fixture
def make_window(db: Database, qtbot) -> Iterator[Callable[[], QtMainWindow]]:
    application()
    windows: list[QtMainWindow] = []

    def make() -> QtMainWindow:
        window = QtMainWindow.with_records(db)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def read_next_message(qtbot) -> list[str]:
    """The text of the next message box, which is then closed."""
    seen: list[str] = []

    def read_and_close(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.accept()

    when_modal_opens(qtbot, read_and_close)
    return seen


def fill_group_dialog(qtbot, name: str, minutes: int | None = None) -> Callable[[QWidget], None]:
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, GroupDialog)
        dialog.name_edit.clear()
        qtbot.keyClicks(dialog.name_edit, name)
        if minutes is not None:
            dialog.share_spin.setValue(minutes)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    return act


def test_a_new_user_is_invited_to_create_the_first_group(make_window, qtbot) -> None:
    window = make_window()
    assert window.welcome_page.isVisible()
    assert window.windowTitle() == "Facilitator"
    assert not window.actions_by_name[MainAction.EDIT_GROUP].isEnabled()
    assert not window.actions_by_name[MainAction.ARCHIVE_GROUP].isEnabled()
    assert window.status_counts.text().startswith("0 groups")

    when_modal_opens(qtbot, fill_group_dialog(qtbot, "Tuesday Evening Circle", minutes=4))
    qtbot.mouseClick(window.welcome_page.create_button, Qt.MouseButton.LeftButton)

    assert window.pages.currentWidget() is window.tabs and window.current_page() is window.overview
    assert window.overview.title.text() == "Tuesday Evening Circle"
    assert window.overview.share.value.text() == "4 min"
    assert window.overview.next_step.isVisibleTo(window)
    assert window.group_model.rowCount() == 1
    assert window.windowTitle() == "Tuesday Evening Circle — Facilitator"
    assert window.status_counts.text().startswith("1 group ·")


def test_user_text_is_shown_literally_everywhere(make_window, db: Database) -> None:
    with db.begin() as session:
        create_group(session, HOSTILE_NAME, description="<img src=x> & <i>not italic</i>")
    window = make_window()
    assert window.group_model.data(window.group_model.index(0)) == HOSTILE_NAME
    tooltip = window.group_model.data(window.group_model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;Ann&lt;/b&gt; &amp; =cmd()" in tooltip and "<b>" not in tooltip
    labels = [
        label
        for label in window.findChildren(QLabel)
        if label.text() in (HOSTILE_NAME, "<img src=x> & <i>not italic</i>")
    ]
    assert len(labels) == 2
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    assert window.windowTitle() == f"{HOSTILE_NAME} — Facilitator"


def test_a_refused_name_is_explained_inside_the_dialog(db: Database, qtbot) -> None:
    with db.begin() as session:
        create_group(session, "Family Circle")

    def save(fields: GroupFields) -> GroupInfo:
        with db.begin() as session:
            return create_group(
                session, fields.name, share_minutes=fields.share_minutes, description=fields.description
            )

    dialog = GroupDialog(save)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "family circle")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_label.isVisibleTo(dialog)
    assert dialog.error_label.text() == "There is already a group called “Family Circle”."
    assert dialog.error_label.textFormat() == Qt.TextFormat.PlainText
    qtbot.keyClicks(dialog.name_edit, " Two")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.saved is not None and dialog.saved.name == "family circle Two"


def test_group_settings_rename_the_group(make_window, db: Database, qtbot) -> None:
    with db.begin() as session:
        create_group(session, "Tuesday")
    window = make_window()
    when_modal_opens(qtbot, fill_group_dialog(qtbot, "Tuesday Evening", minutes=5))
    window.actions_by_name[MainAction.EDIT_GROUP].trigger()
    assert window.overview.title.text() == "Tuesday Evening"
    assert window.overview.share.value.text() == "5 min"


def test_group_settings_keep_the_usual_day_time_and_place_and_the_overview_shows_them(
    make_window, db: Database, qtbot
) -> None:
    with db.begin() as session:
        create_group(session, "Tuesday")
    window = make_window()
    assert not window.overview.usual_meeting.isVisibleTo(window)
    refused: list[str] = []

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, GroupDialog)
        assert dialog.windowTitle() == "Group Settings"
        dialog.weekday.setFocus()
        qtbot.keyClicks(dialog.weekday, "Tuesdays")
        qtbot.keyClicks(dialog.time_edit, "7pm")
        qtbot.keyClicks(dialog.place_edit, "St Mark's Hall")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        refused.append(dialog.error_label.text())  # refused by the core, and the dialog stays open
        dialog.time_edit.selectAll()
        qtbot.keyClicks(dialog.time_edit, "19:00")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_modal_opens(qtbot, fill)
    window.actions_by_name[MainAction.EDIT_GROUP].trigger()

    assert refused == ["The usual time “7pm” is not a time of day; write it like 19:00."]
    usual = window.overview.usual_meeting
    assert usual.isVisibleTo(window) and usual.textFormat() == Qt.TextFormat.PlainText
    assert usual.text() == "Meets Tuesdays at 19:00 · St Mark's Hall"

    def check_and_clear(dialog: QWidget) -> None:
        assert isinstance(dialog, GroupDialog)
        seen.append((dialog.weekday.currentText(), dialog.time_edit.text(), dialog.place_edit.text()))
        dialog.weekday.setFocus()
        qtbot.keyClicks(dialog.weekday, "No usual day")
        dialog.time_edit.clear()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    seen: list[tuple[str, str, str]] = []
    when_modal_opens(qtbot, check_and_clear)
    window.actions_by_name[MainAction.EDIT_GROUP].trigger()
    assert seen == [("Tuesdays", "19:00", "St Mark's Hall")]
    assert usual.text() == "St Mark's Hall"


def test_archive_asks_first_then_restore_brings_the_group_back(make_window, db: Database, qtbot) -> None:
    with db.begin() as session:
        create_group(session, "Saturday Newcomers")
    window = make_window()

    def cancel(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        assert "Saturday Newcomers" in box.text() and box.textFormat() == Qt.TextFormat.PlainText
        box.button(QMessageBox.StandardButton.Cancel).click()

    when_modal_opens(qtbot, cancel)
    window.actions_by_name[MainAction.ARCHIVE_GROUP].trigger()
    assert window.group_model.rowCount() == 1

    when_modal_opens(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    window.actions_by_name[MainAction.ARCHIVE_GROUP].trigger()
    assert window.group_model.rowCount() == 0
    assert window.welcome_page.isVisible()

    window.actions_by_name[MainAction.SHOW_ARCHIVED].setChecked(True)
    assert window.group_model.rowCount() == 1
    font = window.group_model.data(window.group_model.index(0), Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert window.overview.archived_banner.isVisibleTo(window)
    assert not window.actions_by_name[MainAction.EDIT_GROUP].isEnabled()
    assert window.actions_by_name[MainAction.RESTORE_GROUP].isEnabled()

    window.actions_by_name[MainAction.RESTORE_GROUP].trigger()
    assert not window.overview.archived_banner.isVisibleTo(window)
    window.actions_by_name[MainAction.SHOW_ARCHIVED].setChecked(False)
    assert window.group_model.rowCount() == 1


def test_the_overview_shows_recent_meetings_newest_first(make_window, db: Database) -> None:
    with db.begin() as session:
        build_demo(session, years=1)
    window = make_window()
    model = window.overview.recent_model
    assert model.rowCount() == 12
    assert window.overview.meetings.value.text() in ("52", "53")
    dates = [model.data(model.index(row, 0)) for row in range(2)]
    assert dates[0] != dates[1]
    first_count = int(model.data(model.index(0, 2)))
    assert first_count >= 0
    window.group_list.setCurrentIndex(window.group_model.index(2))
    assert window.overview.title.text() == window.group_model.group(2).name


def test_window_size_and_layout_are_remembered(make_window, location: DataLocation) -> None:
    window = make_window()
    # Within the offscreen screen (800 wide), which restoreGeometry clamps to: the pages' least
    # width, the group list put away.
    window.groups_dock.hide()
    window.layout().activate()
    window.resize(790, 560)
    window.layout().activate()  # the docks narrow to fit, as they do on screen before anyone closes it
    size = window.size()
    assert size.width() <= 800
    window.close()
    assert location.window_state_file.exists()
    again = make_window()
    assert again.size() == size
    assert not again.groups_dock.isVisible()


def test_menus_are_built_from_the_declared_actions(make_window) -> None:
    window = make_window()
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Meeting", "&View", "&Help"]
    shortcuts = [a.shortcut().toString() for a in window.actions_by_name.values() if not a.shortcut().isEmpty()]
    assert len(shortcuts) == len(set(shortcuts))
    assert all(action.toolTip() for action in window.actions_by_name.values())
    assert window.findChild(QWidget, "groupsDock") is not None and window.findChild(QWidget, "mainToolbar") is not None


def test_the_window_is_found_through_its_entry_point() -> None:
    found = [ep for ep in entry_points(group="facilitator.window")]
    assert [ep.value for ep in found] == ["ui.app:run"]
    assert found[0].load() is run


def test_a_database_that_cannot_be_opened_gets_a_plain_message(tmp_path: Path, qtbot) -> None:
    location = DataLocation.resolve(tmp_path / "broken")
    location.data_dir.mkdir()
    assert location.database_path is not None
    location.database_path.write_bytes(b"not a database at all" * 50)
    location.window_state_file.write_text("[window]\nstate=@ByteArray(saved)\n", encoding="utf-8")
    seen = read_next_message(qtbot)
    assert run(location) == 1
    assert len(seen) == 1 and "is not a database; it was left as it is" in seen[0]
    # The window that showed the message kept its hands off the layout the facilitator saved.
    assert location.window_state_file.read_text(encoding="utf-8") == "[window]\nstate=@ByteArray(saved)\n"


def test_the_launcher_without_a_console_says_what_went_wrong_in_a_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    from facilitator.errors import FacilitatorError

    def refuse(_location: DataLocation) -> int:
        raise FacilitatorError("The records are somewhere this computer cannot reach.")

    monkeypatch.setattr("ui.app.run", refuse)
    monkeypatch.setattr("sys.stderr", None)  # as Windows starts a program that has no console
    seen = read_next_message(qtbot)
    assert main(["--data-dir", str(tmp_path)]) == 1
    assert seen == ["The records are somewhere this computer cannot reach."]


def test_a_title_placeholder_in_a_name_is_shown_as_typed(make_window, db: Database) -> None:
    with db.begin() as session:
        create_group(session, "Win[*]dow")
    window = make_window()
    assert window.windowHandle().title() == "Win[*]dow — Facilitator"


def test_a_database_error_in_the_window_is_shown_not_swallowed(make_window, qtbot) -> None:
    from sqlalchemy import text

    window = make_window()
    seen = read_next_message(qtbot)
    assert window.operations.run(lambda session: session.execute(text("SELECT * FROM no_such_table"))) is REFUSED
    # The driver's own words go to a file for whoever fixes it, not into the volunteer's face.
    said = "The database could not do this, and nothing was changed. Its details were saved in "
    assert len(seen) == 1 and seen[0].startswith(said) and "no_such_table" not in seen[0]
    [report] = (window.operations.db.location.crash_reports_dir).glob("crash *.txt")
    assert f"{report}; please send that file with your report." in seen[0]
    assert "no such table: no_such_table" in report.read_text(encoding="utf-8")


def test_work_done_with_nothing_to_return_is_not_taken_for_a_refusal(make_window, db: Database) -> None:
    from facilitator.rules.participants import add_participant, list_participants, remove_from_roster

    with db.begin() as session:
        group = create_group(session, "Tuesday")
        ann = add_participant(session, group.id, "Ann")
    window = make_window()
    # remove_from_roster returns None when it is done: that is not the refusal the window shows.
    assert window.operations.run(lambda session: remove_from_roster(session, group.id, ann.id)) is None
    with db.begin() as session:
        assert list_participants(session, group.id) == []


def test_with_no_screen_the_window_explains_instead_of_crashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from facilitator.errors import FacilitatorError

    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    with pytest.raises(FacilitatorError, match="no screen to show the window on"):
        run(DataLocation.resolve(tmp_path / "d"))


def test_the_desktop_launcher_says_plainly_what_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as wrong:
        main(["--no-such-option"])
    assert wrong.value.code == 2 and "unrecognized arguments: --no-such-option" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("facilitator-window ")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert main(["--data-dir", str(tmp_path / "d")]) == 1
    said = capsys.readouterr().err
    assert said.startswith("facilitator-window: There is no screen to show the window on") and "Traceback" not in said
    assert not (tmp_path / "d").exists()


def test_every_button_says_what_it_does(make_window, db: Database) -> None:
    from PySide6.QtWidgets import QAbstractButton

    with db.begin() as session:
        build_demo(session, years=1)
    window = make_window()
    pages = (window.check_in, window.share_round, window.roster, window.history, window.guides, window.script)
    assert all(page.findChildren(QAbstractButton) for page in pages)  # every page built, its buttons with it
    buttons = [b for b in window.findChildren(QAbstractButton) if b.text()]
    assert len(buttons) > 20
    # Qt's accessibility names a button by its text unless an accessible name is set.
    unexplained = [b.text() for b in buttons if not (b.toolTip() and (b.accessibleName() or b.text().strip("&")))]
    assert unexplained == []


def test_no_two_alt_keys_on_a_page_or_its_menu_bar_are_the_same(make_window, db: Database) -> None:
    """Two buttons (or a button and a menu) with the same Alt+letter make it do nothing but move
    the focus between them: Alt+A on the Roster pressed neither Add Person nor From Another Group.
    In an open menu, a letter two entries share only moves between them."""
    import re

    from PySide6.QtWidgets import QAbstractButton

    with db.begin() as session:
        build_demo(session, years=1)
    window = make_window()

    def alt_key(text: str) -> str | None:
        found = re.search(r"&([^&])", text.replace("&&", ""))
        return found.group(1).lower() if found else None

    menus = [alt_key(action.text()) for action in window.menuBar().actions()]
    clashes = {}
    for menu in window.menuBar().actions():
        letters = [key for key in (alt_key(action.text()) for action in menu.menu().actions()) if key is not None]
        twice = sorted({key for key in letters if letters.count(key) > 1})
        if twice:
            clashes[menu.text()] = twice
    for page in (window.check_in, window.share_round, window.roster, window.history, window.guides, window.script):
        keys = menus + [alt_key(b.text()) for b in page.findChildren(QAbstractButton)]
        letters = [key for key in keys if key is not None]
        twice = sorted({key for key in letters if letters.count(key) > 1})
        if twice:
            clashes[page.objectName() or type(page).__name__] = twice
    assert clashes == {}


def test_the_shortcut_sheet_lists_every_key(make_window) -> None:
    window = make_window()
    sheet = shortcut_sheet(window)
    for expected in (
        "Ctrl+Z           Undo",
        "Ctrl+Shift+N     New Person…",
        "Space            Start the round, pause it or go on",
        "PgDown           Presenter remote, during a turn: the next person begins",
        "PgUp             Presenter remote, during a turn or after the round: the previous turn again",
        "B, .             A neutral screen, no names, for a sensitive moment",
        "F5, Shift+F5     Presenter remote: start the round, or go on after a pause",
        "On the room display:\n  F11",
    ):
        assert expected in sheet
    assert window.actions_by_name[MainAction.SHORTCUTS].shortcut().toString() == "F1"


def test_the_window_is_shown_first_and_filled_when_the_records_open(db: Database, qtbot) -> None:
    with db.begin() as session:
        create_group(session, "Tuesday")
    application()
    window = QtMainWindow(db.location)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.pages.currentWidget() is window.opening and window.opening.text() == "Opening your records…"
    assert window.opening.isVisible() and window.menuBar().actions()
    assert not any(action.isEnabled() for action in window.actions_by_name.values())  # nothing to act on yet
    assert not window.script_dock.toggleViewAction().isEnabled()
    window.open_records(db)
    assert window.script_dock.toggleViewAction().isEnabled()
    assert window.group_model.rowCount() == 1 and window.current_page() is window.overview
    assert window.overview.title.text() == "Tuesday" and window.actions_by_name[MainAction.NEW_GROUP].isEnabled()
    window.close()


def test_opening_and_closing_a_meeting_takes_few_transactions_and_one_change(make_window, db: Database, qtbot) -> None:
    from sqlalchemy import event

    from facilitator.rules.participants import add_participant
    from ui.operations.changes import Change
    from ui.pages.meeting.close_meeting_dialog import QtCloseMeetingDialog

    with db.begin() as session:
        group = create_group(session, "Tuesday")
        for name in ("Ann", "Bo", "Cy"):
            add_participant(session, group.id, name)
    window = make_window()
    window.show_page(window.check_in)
    assert window.script.meeting is None  # the script panel is built, as after a first look at it
    transactions: list[object] = []
    changes: list[Change] = []
    count = transactions.append
    event.listen(db.engine, "begin", count)
    window.operations.changed.connect(lambda change, _initiator: changes.append(change))

    window.check_in.open_meeting()
    assert window.check_in.meeting is not None and window.script_dock.isVisible()
    assert len(transactions) <= 3 and changes == [Change.MEETING], len(transactions)
    assert window.actions_by_name[MainAction.CLOSE_MEETING].isEnabled()

    transactions.clear()
    changes.clear()

    def close(dialog: QWidget) -> None:
        assert isinstance(dialog, QtCloseMeetingDialog)
        dialog.accept()

    when_modal_opens(qtbot, close)
    window.check_in.close_meeting()
    assert window.check_in.meeting is None and not window.script_dock.isVisible()
    assert len(transactions) <= 3 and changes == [Change.MEETING]
    assert window.actions_by_name[MainAction.OPEN_MEETING].isEnabled()
    event.remove(db.engine, "begin", count)


def test_switching_groups_broadcasts_no_change(make_window, db: Database) -> None:
    from facilitator.rules.meetings import open_meeting
    from ui.operations.changes import Change

    with db.begin() as session:
        for name in ("Tuesday", "Thursday"):
            open_meeting(session, create_group(session, name).id)
    window = make_window()
    window.show_page(window.check_in)
    changes: list[Change] = []
    window.operations.changed.connect(lambda change, _initiator: changes.append(change))
    for row in (1, 0, 1):
        window.group_list.setCurrentIndex(window.group_model.index(row))
        assert window.check_in.meeting is not None
        assert window.check_in.meeting.group_id == window.current_group().id
    assert changes == []  # only reading: nobody is told that anything changed
