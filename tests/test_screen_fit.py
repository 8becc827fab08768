"""What fits on the screen: at 1280×720, 1366×768 and 1920×1080, with the script panel open or
closed, every column a facilitator reads shows its content, the side panels keep their width
from tab to tab, and every dialog fits the screen and its own title."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QInputDialog, QMessageBox, QTableView

from facilitator.rules.demo import build_demo
from facilitator.rules.groups import create_group, list_groups
from facilitator.rules.meetings import open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.models import AttendanceStatus
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction
from ui.common.columns import LONG_TEXT_MIN_CHARS
from ui.common.plain import message_box
from ui.common.roll_model import PARTICIPANT_ID_ROLE
from ui.pages.guides.guide_editor import QtGuideEditor
from ui.pages.history.participant_dialog import QtParticipantDialog
from ui.shell.group_list import GROUP_NAME_CHARS
from ui.shell.handlers import show_shortcuts
from ui.shell.main_window import QtMainWindow

SIZES = ((1280, 720), (1366, 768), (1920, 1080))
LONG_NAME = "Maria-Fernanda Castellanos"
LONG_GROUP = "Parents & Carers of Teens in Recovery"
# The one long text column of each table a facilitator reads: it takes the room that is left,
# and shows its text whole up to a readable length (a tooltip shows the rest).
LONG_COLUMNS = {
    "recentMeetings": "Topic",
    "waitingList": "Name",
    "hereList": "Name",
    "excusedList": "Name",
    "rosterTable": "Private note",
    "meetingHistory": "Topic",
    "guideList": "Title",
}
# A title bar's own furniture (icon, buttons, margins) beside the title, as window managers draw it.
TITLE_BAR_FURNITURE = 110


@pytest.fixture
def demo(db: Database) -> dict[str, int]:
    """A year of demo meetings up to yesterday, a long-ish name on the roll, and tonight's meeting
    open: opened now, by the clock the page's check-ins read (a meeting of an earlier day refuses them)."""
    with db.begin() as session:
        build_demo(session, years=1, today=date.today() - timedelta(days=1))
        group = next(g for g in list_groups(session) if g.name.startswith("Tuesday"))
        add_participant(session, group.id, LONG_NAME, note="Prefers to be called Fer; brings her sister")
        create_group(session, LONG_GROUP)
        meeting = open_meeting(session, group.id)
        return {"group": group.id, "meeting": meeting.id}


def window_at(db: Database, qtbot, size: tuple[int, int], *, script: bool, group: int) -> QtMainWindow:
    window = shown_window(db, qtbot)
    window.resize(*size)
    window.group_list.setCurrentIndex(window.group_model.index(window.group_model.row_of(group)))  # type: ignore[arg-type]  # listed
    window.script_dock.setVisible(script)
    QApplication.processEvents()
    return window


def check_in_live(window: QtMainWindow) -> None:
    """Check people in through the page, as in the room: the lists change under the facilitator's eyes."""
    window.tabs.setCurrentIndex(1)
    page = window.check_in
    lists = page.lists
    for status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED, AttendanceStatus.PRESENT):
        lists.waiting_view.setCurrentIndex(lists.waiting.index(0, 0))
        page.check_in_selected(status)
    lists.search.setText(LONG_NAME[:5])
    page.check_in_selected(AttendanceStatus.PRESENT)
    lists.search.clear()
    QApplication.processEvents()


def cut_columns(view: QTableView) -> list[str]:
    """The columns of `view` narrower than their content (the long one: than its readable length)."""
    header = view.horizontalHeader()
    model = view.model()
    readable = QFontMetrics(view.font()).averageCharWidth() * LONG_TEXT_MIN_CHARS
    cut = []
    for column in range(header.count()):
        if view.isColumnHidden(column):
            continue
        title = model.headerData(column, Qt.Orientation.Horizontal)
        need = max(view.sizeHintForColumn(column), header.sectionSizeHint(column))
        if LONG_COLUMNS.get(view.objectName()) == title:
            need = min(need, readable)
        if header.sectionSize(column) < need:
            cut.append(f"{view.objectName()}.{title}: {header.sectionSize(column)} px of {need}")
    return cut


@pytest.mark.parametrize("script", [True, False], ids=["script open", "script closed"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_column_shows_its_content(db: Database, qtbot, demo, size, script) -> None:
    window = window_at(db, qtbot, size, script=script, group=demo["group"])
    check_in_live(window)
    assert window.width() == size[0], "the window fits the screen"
    cut = []
    for tab in (1, 0, 2, 3, 4, 5):  # the meeting's lists first, as the check-ins left them
        window.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        tables = [view for view in window.tabs.currentWidget().findChildren(QTableView) if view.isVisible()]
        assert tables or window.tabs.tabText(tab) == "Sharing"
        for view in tables:
            assert view.objectName() in LONG_COLUMNS
            cut += cut_columns(view)
    assert cut == []


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_side_panels_keep_their_width_and_show_the_group_names(db: Database, qtbot, demo, size) -> None:
    window = window_at(db, qtbot, size, script=True, group=demo["group"])
    widths = set()
    for tab in [*range(window.tabs.count()), 0]:
        window.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        widths.add((window.groups_dock.width(), window.script_dock.width()))
    assert len(widths) == 1, f"the side panels changed width between tabs: {sorted(widths)}"
    names = window.group_list
    room = names.viewport().width()
    most = names.fontMetrics().averageCharWidth() * GROUP_NAME_CHARS.stop
    for row in range(window.group_model.rowCount()):
        index = window.group_model.index(row)
        need = names.sizeHintForIndex(index).width()
        if need <= most:
            assert need <= room, f"{index.data()} needs {need} px, the list has {room}"
        else:  # longer than a list should be wide: cut short, and whole in its tooltip
            assert room >= most
            assert escape(index.data()) in index.data(Qt.ItemDataRole.ToolTipRole)
    assert any(
        names.sizeHintForIndex(window.group_model.index(row)).width() > most
        for row in range(window.group_model.rowCount())
    )


def test_the_shortcut_sheet_fits_the_screen(db: Database, qtbot, demo) -> None:
    window = window_at(db, qtbot, (1366, 768), script=True, group=demo["group"])
    seen: dict[str, Any] = {}

    def measure(dialog: QDialog) -> None:
        seen["frame"] = dialog.frameGeometry().size()
        seen["screen"] = dialog.screen().availableGeometry()
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        seen["ok"] = QRect(ok.mapToGlobal(QPoint(0, 0)), ok.size())
        dialog.accept()

    when_modal_opens(qtbot, measure, QDialog)
    show_shortcuts(window)
    assert seen["frame"].boundedTo(seen["screen"].size()) == seen["frame"], f"{seen['frame']} on {seen['screen']}"
    assert seen["screen"].contains(seen["ok"]), f"OK at {seen['ok']}, off {seen['screen']}"


def title_room(dialog: QDialog) -> int:
    """The width a title bar needs for the dialog's title, as the window manager shows it."""
    title = f"{dialog.windowTitle()} — {QApplication.applicationDisplayName()}"
    bold = dialog.font()
    bold.setBold(True)
    return QFontMetrics(bold).horizontalAdvance(title) + TITLE_BAR_FURNITURE


def test_small_dialogs_fit_their_title(db: Database, qtbot, demo) -> None:
    window = window_at(db, qtbot, (1366, 768), script=True, group=demo["group"])
    widths = []

    def measure(dialog: QDialog) -> None:
        widths.append((dialog.windowTitle(), dialog.width(), title_room(dialog)))
        dialog.reject()

    when_modal_opens(qtbot, measure, QInputDialog)
    window.actions_by_name[MainAction.CHECK_LETTER_CODE].trigger()
    box = message_box(window, QMessageBox.Icon.Information, "Letter Found", "Genuine.")
    when_modal_opens(qtbot, measure, QMessageBox)
    box.exec()
    assert [(title, width) for title, width, room in widths if width < room] == []
    assert len(widths) == 2


def test_large_dialogs_fit_the_screen(db: Database, qtbot, demo) -> None:
    """The offscreen screen is 800 × 800: a person's history and the guide editor fit it."""
    window = window_at(db, qtbot, (1366, 768), script=True, group=demo["group"])
    person = window.check_in.lists.waiting.index(0, 0).data(PARTICIPANT_ID_ROLE)
    frames: dict[str, tuple[QSize, QSize]] = {}

    def measure(dialog: QDialog) -> None:
        frames[type(dialog).__name__] = (dialog.frameGeometry().size(), dialog.screen().availableGeometry().size())
        dialog.reject()

    when_modal_opens(qtbot, measure, QtParticipantDialog)
    window.show_person(person)
    window.tabs.setCurrentIndex(5)
    when_modal_opens(qtbot, measure, QtGuideEditor)
    window.guides.view.setCurrentIndex(window.guides.model.index(0, 0))
    window.guides.edit_current()
    assert len(frames) == 2
    assert {name: frame for name, (frame, screen) in frames.items() if frame.boundedTo(screen) != frame} == {}
