"""How each page of the main window is made and wired to the window's operations: the one place
that knows which page asks the window for what."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ui.actions import MainAction

if TYPE_CHECKING:
    from ui.shell.main_window import QtMainWindow


def maker(key: str, window: QtMainWindow) -> Callable[[], QWidget]:
    """The function that makes the page named `key` in TABS, for `window`."""
    make: Callable[[QtMainWindow], QWidget] = globals()[f"make_{key}"]
    return lambda: make(window)


def make_welcome(window: QtMainWindow) -> QWidget:
    from ui.pages.overview.welcome_page import QtWelcomePage

    return QtWelcomePage(window.location.data_dir, window.actions_by_name[MainAction.NEW_GROUP])


def make_overview(window: QtMainWindow) -> QWidget:
    from ui.pages.overview.group_overview import QtGroupOverview

    page = QtGroupOverview(window.operations)
    page.restore_requested.connect(lambda: window.for_group(window.group_operations.restore_group))
    a = window.actions_by_name
    page.offer_first_steps(a[MainAction.OPEN_MEETING], a[MainAction.SHOW_ROSTER])
    return page


def make_meeting(window: QtMainWindow) -> QWidget:
    from ui.pages.meeting.check_in_panel import QtCheckInPanel

    page = QtCheckInPanel(window.operations, window.undo_stack)
    page.counts_changed.connect(window._show_meeting_counts)
    a = window.actions_by_name
    page.add_actions([a[MainAction.TONIGHTS_PACKET], a[MainAction.PRINT_HANDOUT], a[MainAction.PRINT_SIGN_IN]])
    return page


def make_sharing(window: QtMainWindow) -> QWidget:
    from ui.pages.sharing.share_round_panel import QtShareRoundPanel

    page = QtShareRoundPanel(window.operations)
    page.counts_changed.connect(window._show_meeting_counts)
    return page


def make_roster(window: QtMainWindow) -> QWidget:
    from ui.pages.roster.roster_panel import QtRosterPanel

    page = QtRosterPanel(window.operations)
    page.history_requested.connect(window.show_person)
    page.import_requested.connect(window.import_roster)
    page.export_requested.connect(lambda: window.for_group(window.transfer.export_roster))
    page.forget_requested.connect(window.privacy.forget_person)
    return page


def make_history(window: QtMainWindow) -> QWidget:
    from ui.pages.history.history_panel import QtHistoryPanel

    page = QtHistoryPanel(window.operations)
    page.meeting_requested.connect(window.show_meeting)
    page.person_requested.connect(window.show_person)
    page.export_requested.connect(window.export_attendance)
    a = window.actions_by_name
    page.add_actions([a[MainAction.ATTENDANCE_REPORT], a[MainAction.ATTENDANCE_LETTER]])
    page.offer_first_meeting(a[MainAction.OPEN_MEETING])
    return page


def make_guides(window: QtMainWindow) -> QWidget:
    from ui.pages.guides.guides_panel import QtGuidesPanel

    return QtGuidesPanel(window.operations)


def make_script(window: QtMainWindow) -> QWidget:
    from ui.pages.script.script_panel import QtScriptPanel

    page = QtScriptPanel(window.operations)
    page.part_changed.connect(window._part_changed)
    page.show_meeting(window.meeting)
    return page
