"""What each of the main window's declared actions does and when it can, and the Help menu's two windows."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMessageBox

from facilitator import __version__
from ui.actions import MainAction, key_rows
from ui.common.plain import action_text, message_box, without_mnemonic
from ui.shell.pages import TABS

if TYPE_CHECKING:
    from facilitator.rules.groups import GroupInfo
    from facilitator.rules.meetings import MeetingInfo
    from ui.shell.main_window import QtMainWindow

MEETING_ACTIONS = (
    MainAction.NEW_PERSON, MainAction.ADD_GUEST, MainAction.REMOVE_GUEST, MainAction.CLOSE_MEETING,
    MainAction.NEXT_PART, MainAction.PREVIOUS_PART, MainAction.PRINT_SIGN_IN, MainAction.PRINT_BLANK_SIGN_IN,
)  # fmt: skip
GROUP_ACTIONS = (
    MainAction.EXPORT_ROSTER, MainAction.EXPORT_ATTENDANCE, MainAction.ATTENDANCE_REPORT, MainAction.ATTENDANCE_LETTER,
    MainAction.WELCOME_LEAFLET, MainAction.RUN_SHEET,
)  # fmt: skip
ACTIVE_GROUP_ACTIONS = (MainAction.EDIT_GROUP, MainAction.ARCHIVE_GROUP, MainAction.IMPORT_ROSTER, MainAction.RETENTION)


def connect_actions(window: QtMainWindow) -> None:
    """Give every declared action its work, now that the records are open."""
    a, w = window.actions_by_name, window
    groups, transfer, safety = w.group_operations, w.transfer, w.safety
    meeting = w.on_meeting_tab
    handlers = {
        MainAction.NEW_GROUP: w.new_group,
        MainAction.OPEN_DATA_FOLDER: lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(w.location.data_dir))),
        MainAction.QUIT: w.quit,
        MainAction.EDIT_GROUP: lambda: w.for_group(groups.edit_group),
        MainAction.ARCHIVE_GROUP: lambda: w.for_group(groups.archive_group),
        MainAction.RESTORE_GROUP: lambda: w.for_group(groups.restore_group),
        MainAction.ABOUT: lambda: show_about(w),
        MainAction.SHORTCUTS: lambda: show_shortcuts(w),
        MainAction.ABOUT_QT: lambda: QMessageBox.aboutQt(w),
        MainAction.IMPORT_ROSTER: w.import_roster,
        MainAction.EXPORT_ROSTER: lambda: w.for_group(transfer.export_roster),
        MainAction.EXPORT_ATTENDANCE: w.export_attendance,
        MainAction.UNDO: w.undo_group.undo,
        MainAction.REDO: w.undo_group.redo,
        MainAction.FIND_PERSON: w.find_person,
        MainAction.OPEN_MEETING: lambda: meeting(w.check_in.open_meeting),
        MainAction.NEW_PERSON: lambda: meeting(w.check_in.new_person),
        MainAction.ADD_GUEST: lambda: meeting(lambda: w.check_in.change_guests(1)),
        MainAction.REMOVE_GUEST: lambda: meeting(lambda: w.check_in.change_guests(-1)),
        MainAction.CLOSE_MEETING: lambda: meeting(w.check_in.close_meeting),
        MainAction.NEXT_PART: lambda: w.script.step(1),
        MainAction.PREVIOUS_PART: lambda: w.script.step(-1),
        MainAction.BACK_UP: lambda: safety.back_up(),
        MainAction.RESTORE: lambda: safety.restore_backup(),
        MainAction.CHECK_RECORDS: safety.check_records,
        MainAction.RETENTION: lambda: w.for_group(w.privacy.set_retention),
        **_document_handlers(w),
    }
    for name, handler in handlers.items():
        a[name].triggered.connect(lambda _checked=False, handler=handler: handler())
    a[MainAction.SHOW_ARCHIVED].toggled.connect(lambda _checked: w.reload_groups())
    a[MainAction.FULL_SCREEN].toggled.connect(lambda on: w.showFullScreen() if on else w.showNormal())
    for tab, (_key, _title, name) in enumerate(TABS):
        a[name].triggered.connect(lambda _checked=False, tab=tab: w.tabs.setCurrentIndex(tab))
    _connect_undo(w)


def _connect_undo(w: QtMainWindow) -> None:
    """Undo and Redo follow the undo stack: enabled when there is something, named for what."""
    a = w.actions_by_name
    for name, plain, can_change, text_changed in (
        (MainAction.UNDO, "&Undo", w.undo_group.canUndoChanged, w.undo_group.undoTextChanged),
        (MainAction.REDO, "&Redo", w.undo_group.canRedoChanged, w.undo_group.redoTextChanged),
    ):
        a[name].setEnabled(False)
        can_change.connect(a[name].setEnabled)
        text_changed.connect(
            lambda what, action=a[name], plain=plain: action.setText(f"{plain} {action_text(what)}" if what else plain)
        )


def _document_handlers(w: QtMainWindow) -> dict[MainAction, Callable[[], object]]:
    """What the document actions do: print, settings, letters and the crisis page."""
    return {
        MainAction.DOCUMENT_SETTINGS: lambda: w.documents.settings(),
        MainAction.PRINT_HANDOUT: lambda: _for_meeting(w, w.documents.handout),
        MainAction.PRINT_SIGN_IN: lambda: _for_meeting(w, w.documents.sign_in_sheet),
        MainAction.PRINT_BLANK_SIGN_IN: lambda: _for_meeting(
            w, lambda meeting: w.documents.sign_in_sheet(meeting, blank=True)
        ),
        MainAction.TONIGHTS_PACKET: lambda: _for_meeting(w, w.documents.packet),
        MainAction.RUN_SHEET: lambda: w.for_group(lambda group: w.documents.run_sheet(group, w.meeting)),
        MainAction.WELCOME_LEAFLET: lambda: w.for_group(w.documents.welcome_leaflet),
        MainAction.ATTENDANCE_REPORT: lambda: w.for_group(w.documents.report),
        MainAction.ATTENDANCE_LETTER: lambda: w.for_group(lambda group: w.documents.letter(group, w.selected_person())),
        MainAction.CHECK_LETTER_CODE: lambda: w.documents.check_code(),
        MainAction.CRISIS_CONTACTS: lambda: w.documents.crisis_contacts(),
        MainAction.CRISIS_PAGE: lambda: w.documents.crisis_page(),
        MainAction.PRINT_CRISIS_CARD: lambda: w.documents.card("crisis"),
        MainAction.PRINT_AGREEMENTS_CARD: lambda: w.documents.card("agreements"),
        MainAction.PRINT_TRICKY_MOMENTS_CARD: lambda: w.documents.card("tricky-moments"),
        MainAction.PRINT_SELF_CARE_PAGE: lambda: w.documents.card("self-care"),
    }


def enable_actions(a: dict[MainAction, QAction], group: GroupInfo | None, meeting: MeetingInfo | None) -> None:
    """Each action on a group or a meeting enabled when there is one for it to act on."""
    active = group is not None and not group.archived
    for name in ACTIVE_GROUP_ACTIONS:
        a[name].setEnabled(active)
    a[MainAction.RESTORE_GROUP].setEnabled(group is not None and group.archived)
    for name in GROUP_ACTIONS:
        a[name].setEnabled(group is not None)
    a[MainAction.OPEN_MEETING].setEnabled(active and meeting is None)
    for name in MEETING_ACTIONS:
        a[name].setEnabled(meeting is not None)
    for name in (MainAction.PRINT_HANDOUT, MainAction.TONIGHTS_PACKET):
        a[name].setEnabled(meeting is not None and meeting.guide_slug is not None)


def _for_meeting(window: QtMainWindow, make: Callable[[MeetingInfo], object]) -> None:
    if window.meeting is not None:
        make(window.meeting)


def shortcut_sheet(window: QtMainWindow) -> str:
    """Every key, from the actions declared once and the pages' own keys."""
    lines = ["In the whole window:"]
    panels = (window.groups_dock.toggleViewAction(), window.script_dock.toggleViewAction())
    for action in (*window.actions_by_name.values(), *panels):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            lines.append(f"  {keys:<16} {without_mnemonic(action.text())}")
    for where, rows in key_rows():
        lines.append("")
        lines.append(f"{where}:")
        lines.extend(f"  {keys:<16} {what}" for keys, what in rows)
    return "\n".join(lines)


def show_shortcuts(window: QtMainWindow) -> None:
    from ui.shell.shortcut_sheet import QtShortcutSheet

    QtShortcutSheet(shortcut_sheet(window), window).exec()


def show_about(window: QtMainWindow) -> None:
    message_box(window, QMessageBox.Icon.Information, "About Facilitator", about_text(window.location.data_dir)).exec()


def about_text(data_dir: Path) -> str:
    """Help → About: the version, where the records are, and the licence notices GPL-3.0 §5(d) asks of a
    program with a window (copyright, no warranty, the licence and where to read it)."""
    notice = third_party_notice()
    libraries = f"whose licences are in {notice}" if notice else "each under its own licence"
    return (
        f"Facilitator {__version__}\n\n"
        "For the people who run peer-support and self-help groups: attendance, fair share rounds, "
        "topic guides and printable handouts.\n\n"
        f"Your records are kept on this computer only, in {data_dir}. "
        "Facilitator has no account and never uses the network.\n\n"
        "Copyright © The Facilitator contributors. Facilitator is free software: you may share and change it "
        "under the GNU General Public License, version 3 or later (https://www.gnu.org/licenses/gpl-3.0.html). "
        "It comes with no warranty.\n\n"
        f"Built with Qt and PySide6 (under the GNU LGPL, version 3) and other free libraries, {libraries}."
    )


def third_party_notice() -> Path | None:
    """The THIRD-PARTY notice inside the standalone program (PyInstaller's folder); None when run by a
    Python installation, where each library's licence is installed with it."""
    bundle = getattr(sys, "_MEIPASS", None)
    notice = Path(bundle) / "THIRD-PARTY" if bundle else None
    return notice if notice is not None and notice.is_file() else None
