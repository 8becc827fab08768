"""The main window: the frame (menus and toolbar from the declared actions, the group list, the
docks, the status bar, saved state), the pages, and the change broadcast between them.

The window is shown before the records are read. Its frame needs Qt alone; `open_records` then
builds the operations and the pages, and every page but the meeting is built the first time it
is shown. That is why the records' modules (and SQLAlchemy beneath them) are imported where
they are first used: on an old laptop it is the difference between a window at once and half a
second of nothing (benchmarks/run.py measures it).

Nobody refreshes anybody by hand: every operation says what it changed, the window passes that
on to each page built so far (`Page.on_changes`), and each page redraws what concerns it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, QLocale, QSettings, Qt
from PySide6.QtGui import QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from facilitator.plurals import counted
from facilitator.storage.locations import DataLocation, make_private_file
from ui.actions import MainAction, PanelAction, apply, create_actions
from ui.common.plain import window_title
from ui.common.widgets import NextStep, named
from ui.shell import page_factories
from ui.shell.group_list import fit_group_list, group_list_view
from ui.shell.group_list_model import GroupListModel, groups_and_meeting
from ui.shell.handlers import connect_actions, enable_actions
from ui.shell.menus import build_menus
from ui.shell.pages import TABS, LazyPage, OpeningPage, Page, PageIn
from ui.shell.quit_question import may_quit

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from facilitator.rules.groups import GroupInfo
    from facilitator.rules.guide_format import PartKind
    from facilitator.rules.meetings import MeetingInfo
    from facilitator.storage.database import Database
    from ui.operations.changes import Change
    from ui.operations.documents import DocumentMaker
    from ui.pages.guides.guides_panel import QtGuidesPanel
    from ui.pages.history.history_panel import QtHistoryPanel
    from ui.pages.meeting.check_in_panel import QtCheckInPanel
    from ui.pages.overview.group_overview import QtGroupOverview
    from ui.pages.overview.welcome_page import QtWelcomePage
    from ui.pages.roster.roster_panel import QtRosterPanel
    from ui.pages.script.script_panel import QtScriptPanel
    from ui.pages.sharing.share_round_panel import QtShareRoundPanel

OVERVIEW_TAB, MEETING_TAB, SHARING_TAB, ROSTER_TAB, HISTORY_TAB, GUIDES_TAB = range(len(TABS))
# Widths in average characters of the window's text, so that they follow the user's font size.
PAGE_CHARS = 118  # the least any page needs (History's meetings, at a readable topic length)
SCRIPT_CHARS = range(42, 76)  # the script panel: enough to read a line from, never most of the window
ROOMY_SCREEN_WIDTH = 1600


class QtMainWindow(QMainWindow):
    def __init__(self, location: DataLocation, parent: QWidget | None = None) -> None:
        """The window's frame, on no records yet: `open_records` fills it."""
        super().__init__(parent)
        self.location = location
        self.setObjectName("mainWindow")
        self.setWindowTitle("Facilitator")
        # Created before the actions, so that they are destroyed before them: their last signals
        # must not reach actions that are already gone. Undo and Redo act on the stack of the page
        # showing (`_follow_undo`): only the meeting page's check-ins can be undone, and only there.
        self.undo_group = QUndoGroup(self)
        self.undo_stack = QUndoStack(self.undo_group)  # the meeting page's
        self.actions_by_name = create_actions(self)
        self._settings = QSettings(str(location.window_state_file), QSettings.Format.IniFormat)
        self._open = False
        self._documents: DocumentMaker | None = None

        self.group_model = GroupListModel(self)
        self.group_list = group_list_view(self.group_model)
        self.no_groups = NextStep()  # in the list's place while there is no group to list
        self.groups_dock = self._dock(
            "Groups", "groupsDock", self._groups_panel(), Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self._script = LazyPage(lambda: page_factories.make_script(self))
        self._script.setMaximumWidth(self._chars(SCRIPT_CHARS.stop))  # its least: what the panel's content needs
        self.script_dock = self._dock("Script", "scriptDock", self._script, Qt.DockWidgetArea.RightDockWidgetArea)
        self.script_dock.hide()
        self._script_meeting: int | None = -1  # the meeting the script was last shown for; -1: none yet
        self.meeting: MeetingInfo | None = None  # the current group's open meeting, as last read

        self.opening = OpeningPage()
        self.pages = named(QStackedWidget(), "pages")
        self.pages.addWidget(self.opening)
        self._welcome = LazyPage(lambda: page_factories.make_welcome(self))
        self.pages.addWidget(self._welcome)
        self.tabs = named(QTabWidget(), "groupTabs")
        self.tabs.setDocumentMode(True)
        self._tab_places = [LazyPage(page_factories.maker(key, self)) for key, _title, _action in TABS]
        for place, (_key, title, _action) in zip(self._tab_places, TABS, strict=True):
            self.tabs.addTab(place, title)
        self.pages.addWidget(self.tabs)
        # The pages keep this much room whichever is shown, so the side panels never change width
        # from tab to tab (each page is built when first shown, and would widen the least otherwise).
        self.pages.setMinimumWidth(self._chars(PAGE_CHARS))
        self.setCentralWidget(self.pages)

        self._build_status_bar()
        build_menus(self, self.actions_by_name, self._panel_actions())
        for action in self._all_actions():
            action.setEnabled(False)  # until the records are open
        available = self.screen().availableGeometry()
        self.resize(max(980, available.width() * 9 // 10), max(640, available.height() * 9 // 10))
        # The script gets room to read from; a layout the facilitator saved replaces this.
        self.resizeDocks([self.script_dock], [self._chars(SCRIPT_CHARS.start)], Qt.Orientation.Horizontal)
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def _groups_panel(self) -> QWidget:
        """The list of groups, or the first step while there is none."""
        self.no_groups.show_step("No groups yet.", [self.actions_by_name[MainAction.NEW_GROUP]])
        self.no_groups.setContentsMargins(8, 8, 8, 8)
        self.no_groups.hide()
        groups_panel = named(QWidget(), "groupsPanel")
        groups_layout = QVBoxLayout(groups_panel)
        groups_layout.setContentsMargins(0, 0, 0, 0)
        groups_layout.addWidget(self.group_list, 1)
        groups_layout.addWidget(self.no_groups)
        groups_layout.addStretch(0)
        return groups_panel

    def show_at_start(self) -> None:
        """Shown as the program starts: maximised on a laptop's screen, where every pixel counts,
        unless the facilitator's own layout was restored."""
        small = self.screen().availableGeometry().width() < ROOMY_SCREEN_WIDTH
        if small and not self._settings.contains("window/geometry"):
            self.showMaximized()
        else:
            self.show()

    @classmethod
    def with_records(cls, db: Database) -> QtMainWindow:
        """The window with `db` open from the start, as tests and the benchmark use it."""
        window = cls(db.location)
        window.open_records(db)
        return window

    @property
    def db(self) -> Database | None:
        """The records open now (a restore replaces them), or None before they are open."""
        return self.operations.db if self._open else None

    def open_records(self, db: Database) -> None:
        """Build the operations and the pages on the open records, and show the groups."""
        from ui.operations.groups import GroupOperations
        from ui.operations.privacy import Privacy
        from ui.operations.records_safety import RecordsSafety
        from ui.operations.runner import Operations
        from ui.operations.transfer import Transfer

        self.operations = Operations(db, self)
        self.safety = RecordsSafety(self.operations, db.location, self)
        self.privacy = Privacy(self.operations, self)
        self.group_operations = GroupOperations(self.operations, self)
        self.transfer = Transfer(self.operations, self)
        self._open = True
        self._paper: str | None = QLocale.system().name()  # settled with the first read of the groups
        self.operations.changed.connect(self._on_changes)
        self.operations.notice.connect(lambda text: self.statusBar().showMessage(text, 10000))
        for action in self._all_actions():
            action.setEnabled(True)
        connect_actions(self)
        self.group_list.selectionModel().currentChanged.connect(self._show_current_group)
        self.group_list.doubleClicked.connect(lambda: self.for_group(self.group_operations.edit_group))
        self.tabs.currentChanged.connect(lambda _index: self._show_tab())
        self.tabs.currentChanged.connect(self._follow_undo)
        self._follow_undo(self.tabs.currentIndex())
        state = self._settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        self.safety.backup_timer.start()
        self.reload_groups()
        self.opening.deleteLater()

    def _build_status_bar(self) -> None:
        """The open meeting's counts (on every page) and the groups', at the status bar's end."""
        self.meeting_counts = named(QLabel(), "meetingCounts")
        self.meeting_counts.setContentsMargins(0, 0, 12, 0)
        self.meeting_counts.setTextFormat(Qt.TextFormat.PlainText)
        self.meeting_counts.hide()
        self.status_counts = named(QLabel(), "statusCounts")
        self.status_counts.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.meeting_counts)
        self.statusBar().addPermanentWidget(self.status_counts)

    def _chars(self, count: int) -> int:
        """The width of `count` average characters of the window's text."""
        return self.fontMetrics().averageCharWidth() * count

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = named(QDockWidget(title, self), name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.addDockWidget(area, dock)
        return dock

    def _panel_actions(self) -> dict[str, Any]:
        panels = {"groups": self.groups_dock.toggleViewAction(), "script": self.script_dock.toggleViewAction()}
        apply(PanelAction.GROUPS.value, panels["groups"])
        apply(PanelAction.SCRIPT.value, panels["script"])
        return panels

    def _all_actions(self) -> tuple[Any, ...]:
        return (*self.actions_by_name.values(), self.script_dock.toggleViewAction())

    # ---- the pages, each built when first wanted -------------------------------------------

    welcome_page: PageIn[QtWelcomePage] = PageIn(lambda window: window._welcome)
    overview: PageIn[QtGroupOverview] = PageIn(lambda window: window._tab_places[OVERVIEW_TAB])
    check_in: PageIn[QtCheckInPanel] = PageIn(lambda window: window._tab_places[MEETING_TAB])
    share_round: PageIn[QtShareRoundPanel] = PageIn(lambda window: window._tab_places[SHARING_TAB])
    roster: PageIn[QtRosterPanel] = PageIn(lambda window: window._tab_places[ROSTER_TAB])
    history: PageIn[QtHistoryPanel] = PageIn(lambda window: window._tab_places[HISTORY_TAB])
    guides: PageIn[QtGuidesPanel] = PageIn(lambda window: window._tab_places[GUIDES_TAB])
    script: PageIn[QtScriptPanel] = PageIn(lambda window: window._script)

    @property
    def documents(self) -> DocumentMaker:
        """Printed documents, made ready the first time one is asked for."""
        if self._documents is None:
            from ui.operations.documents import DocumentMaker

            self._documents = DocumentMaker(self.operations, self.operations.db.location.viewer_copies_dir, self)
        return self._documents

    def page_in(self, place: LazyPage) -> QWidget:
        """The page in `place`, built (and shown the current group) the first time it is asked for."""
        fresh = place.page is None
        page = place.built()
        if fresh and self._open and place in self._tab_places:
            page.show_group(self.current_group())  # type: ignore[attr-defined]  # every tab is a Page
        return page

    def built_pages(self) -> list[Page]:
        """The pages built so far, the script panel among them."""
        places = (*self._tab_places, self._script)
        return [place.page for place in places if place.page is not None]  # type: ignore[misc]  # every place holds a Page

    def current_page(self) -> QWidget:
        return self._tab_places[self.tabs.currentIndex()].built()

    def show_page(self, page: QWidget) -> None:
        place = page.parentWidget()
        if place is not None:
            self.tabs.setCurrentWidget(place)

    # ---- the group shown, and what changed --------------------------------------------------

    def current_group(self) -> GroupInfo | None:
        index = self.group_list.currentIndex()
        return self.group_model.group(index.row()) if index.isValid() else None

    def selected_person(self) -> int | None:
        """The person selected on the page shown (the roster's current row, or one in the history's
        reach-out list), if any."""
        tab = self.tabs.currentIndex()
        if tab == ROSTER_TAB:
            return self.roster.selected_person_id()
        return self.history.selected_person_id() if tab == HISTORY_TAB else None

    def for_group(self, act: Callable[[GroupInfo], object]) -> None:
        group = self.current_group()
        if group is not None:
            act(group)

    def reload_groups(self, select_id: int | None = None, *, show: bool = False) -> None:
        """Read the groups afresh and keep (or move) the selection; the pages are shown the group
        again when it is another one, or when `show` says its settings changed."""
        from ui.operations.runner import REFUSED

        before = self.current_group()
        keep = select_id if select_id is not None else getattr(before, "id", None)
        archived = self.actions_by_name[MainAction.SHOW_ARCHIVED].isChecked()
        paper, self._paper = self._paper, None
        found = self.operations.run(lambda session: groups_and_meeting(session, keep, archived, paper))
        if found is REFUSED:
            return
        groups, row, self.meeting = found
        selection = self.group_list.selectionModel()
        selection.blockSignals(True)
        self.group_model.set_groups(groups)
        fit_group_list(self.group_list)
        self.group_list.setVisible(bool(groups))
        self.no_groups.setVisible(not groups)
        if row is not None:
            selection.setCurrentIndex(self.group_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        selection.blockSignals(False)
        self.group_list.viewport().update()
        active = sum(not g.archived for g in groups)
        self.status_counts.setText(f"{counted(active, 'group')} · kept on this computer only")
        after = self.current_group()
        if show or getattr(before, "id", None) != getattr(after, "id", None) or before is None:
            self._show_current_group()
        else:
            self._update_group_actions()

    def _show_current_group(self) -> None:
        group = self.current_group()
        self.pages.setCurrentWidget(self._welcome if group is None else self.tabs)
        self._show_tab()
        out_of_sight = self.tabs.currentIndex() != MEETING_TAB
        if out_of_sight and (self.meeting is not None or self._tab_places[MEETING_TAB].page is not None):
            self.check_in.show_group(group)  # its counts stand in the status bar on every page
        elif out_of_sight:
            self._show_meeting_counts("")
        self._update_group_actions()
        self._show_script()

    def _show_tab(self) -> None:
        """Fill the visible tab only: the others are read when they are shown."""
        if self.current_group() is not None:
            page: Page = self.current_page()  # type: ignore[assignment]  # every tab is a Page
            page.show_group(self.current_group())

    def _follow_undo(self, tab: int) -> None:
        """Undo reaches what was done on the page showing: the check-ins on the meeting page, and
        nothing on the others (on the Sharing page, Ctrl+Z must not take back a sharer's check-in)."""
        active = self.undo_stack if tab == MEETING_TAB else None
        self.undo_group.setActiveStack(active)  # type: ignore[arg-type]  # Qt takes none; the stubs do not say so

    def _on_changes(self, changes: Change, initiator: object | None) -> None:
        from ui.operations.changes import Change

        if changes & (Change.GROUPS | Change.MEETING | Change.ROSTER):
            self.reload_groups(show=bool(changes & Change.GROUPS))
        for page in self.built_pages():
            page.on_changes(changes, initiator)
        if changes & Change.MEETING:
            self._update_group_actions()
            self._show_script()

    def _update_group_actions(self) -> None:
        group = self.current_group()
        self.setWindowTitle(f"{window_title(group.name)} — Facilitator" if group else "Facilitator")
        meeting = self.meeting if group is not None else None
        enable_actions(self.actions_by_name, group, meeting)
        self.tabs.setTabText(MEETING_TAB, "Meeting (open)" if meeting is not None else "Meeting")

    def _show_meeting_counts(self, text: str) -> None:
        self.meeting_counts.setText(text)
        self.meeting_counts.setVisible(bool(text))

    def _show_script(self) -> None:
        """The script sits beside the pages while a meeting is open, and makes way when none is."""
        meeting = self.meeting
        if self._script.page is not None:
            self.script.show_meeting(meeting)  # else it reads the meeting when first shown
        # Shown when a meeting opens and put away when it closes; in between, F9 is the user's.
        now = meeting.id if meeting is not None else None
        if now != self._script_meeting:
            self.script_dock.setVisible(meeting is not None)
        self._script_meeting = now

    def _part_changed(self, kind: PartKind) -> None:
        """The parts of a meeting that happen on a page of their own bring that page forward."""
        from facilitator.rules.guide_format import PartKind

        tab = {PartKind.CHECK_IN: MEETING_TAB, PartKind.SHARING: SHARING_TAB}.get(kind)
        if tab is not None:
            self.tabs.setCurrentIndex(tab)

    # ---- what the window's own actions do ---------------------------------------------------

    def new_group(self) -> None:
        made = self.group_operations.new_group()
        if made is not None:
            self.reload_groups(select_id=made.id)

    def offer_resume(self) -> None:
        group_id = self.safety.meeting_to_resume()
        if group_id is not None:
            self.reload_groups(select_id=group_id)
            self.tabs.setCurrentIndex(MEETING_TAB)
            self.check_in.focus_search()

    def on_meeting_tab(self, act: Callable[[], object]) -> None:
        self.tabs.setCurrentIndex(MEETING_TAB)
        act()

    def find_person(self) -> None:
        if self.tabs.currentIndex() == ROSTER_TAB:
            self.roster.focus_search()
        else:
            self.on_meeting_tab(self.check_in.focus_search)

    def show_person(self, participant_id: int) -> None:
        from facilitator.rules.history import participant_history
        from ui.operations.runner import REFUSED
        from ui.pages.history.participant_dialog import QtParticipantDialog

        history = self.operations.run(lambda session: participant_history(session, participant_id))
        if history is not REFUSED:
            QtParticipantDialog(history, self).exec()

    def show_meeting(self, meeting_id: int) -> None:
        from ui.pages.history.meeting_dialog import QtMeetingDialog

        QtMeetingDialog(self.operations, meeting_id, self).exec()

    def import_roster(self, path: Path | None = None) -> None:
        group = self.current_group()
        if group is not None and self.transfer.import_roster(group, path):
            self.tabs.setCurrentIndex(ROSTER_TAB)

    def export_attendance(self) -> None:
        group = self.current_group()
        if group is not None:
            self.transfer.export_attendance(group, *self.history.date_range())

    def quit(self) -> None:
        """The Quit action: like the window's close button, it asks first mid-meeting."""
        if self._may_quit():
            self.close()

    def _may_quit(self) -> bool:
        """Whether to quit now: at once, or mid-meeting or mid-round once the facilitator says so."""
        if not self._open:
            return True
        sharing = self.share_round if self._tab_places[SHARING_TAB].page is not None else None
        return may_quit(self, self.operations, sharing)

    def closeEvent(self, event: QCloseEvent) -> None:
        # The window's close button (or the window manager's key for it) asks first, as Quit does;
        # a close the program makes itself (a restart, a test) does not.
        if event.spontaneous() and not self._may_quit():
            event.ignore()
            return
        for page in self.built_pages():
            page.shut_down()
        if self._open:  # closed without its records (they could not be opened): the layout saved stays
            self.safety.backup_timer.stop()
            self.safety.back_up("on-exit")
            self._settings.setValue("window/geometry", self.saveGeometry())
            self._settings.setValue("window/state", self.saveState())
            self._settings.sync()
            make_private_file(self.location.window_state_file)
        super().closeEvent(event)
