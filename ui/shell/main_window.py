"""The main window: menus and toolbar built from the declared actions, the group list, the pages.

The window is shown before the records are read. Its frame (menus, toolbar, the group list,
the status bar, its saved size) needs Qt alone; `open_records` then builds the pages, and every
page but the overview and the meeting is built the first time it is shown. That is why the
records' modules (and SQLAlchemy beneath them) are imported where they are first used rather
than at the top of this module: on an old laptop it is the difference between a window at
once and half a second of nothing (benchmarks/run.py measures it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QByteArray, QItemSelectionModel, QLocale, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFontDatabase, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QInputDialog,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from facilitator import __version__
from facilitator.storage.locations import DataLocation, make_private_file
from ui.actions import MainAction, create_actions
from ui.common.plain import action_text, confirm, message_box, window_title, without_mnemonic
from ui.shell.group_list_model import GroupListModel

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent, QShowEvent

    from facilitator.rules.groups import GroupFields, GroupInfo
    from facilitator.storage.database import Database
    from ui.pages.guides.guides_panel import QtGuidesPanel
    from ui.pages.history.history_panel import QtHistoryPanel
    from ui.pages.meeting.check_in_panel import QtCheckInPanel
    from ui.pages.overview.group_overview import QtGroupOverview
    from ui.pages.overview.welcome_page import QtWelcomePage
    from ui.pages.roster.roster_panel import QtRosterPanel
    from ui.pages.script.script_panel import QtScriptPanel
    from ui.pages.sharing.share_round_panel import QtShareRoundPanel

RECENT_MEETINGS = 12
BACKUP_CHECK_MS = 60 * 60 * 1000  # hourly: is a day's backup due?
OVERVIEW_TAB, MEETING_TAB, SHARING_TAB, ROSTER_TAB, HISTORY_TAB, GUIDES_TAB = range(6)


class OpeningPage(QLabel):
    """What the window shows while the records open; says when it has first been drawn."""

    painted = Signal()

    def __init__(self) -> None:
        super().__init__("Opening your records…", objectName="openingPage")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._drawn = False

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._drawn:
            self._drawn = True
            self.painted.emit()


class LazyPage(QWidget):
    """A page's place, holding the page itself from the first time it is shown or asked for."""

    def __init__(self, make: Callable[[], QWidget]) -> None:
        super().__init__()
        self._make = make
        self.page: QWidget | None = None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    def built(self) -> QWidget:
        if self.page is None:
            self.page = self._make()
            self.layout().addWidget(self.page)
            self.page.show()  # a layout shows a child added to a shown widget only later
            self.setFocusProxy(self.page)
        return self.page

    def showEvent(self, event: QShowEvent) -> None:
        self.built()
        super().showEvent(event)


class QtMainWindow(QMainWindow):
    def __init__(self, location: DataLocation, parent: QWidget | None = None) -> None:
        """The window's frame, on no records yet: `open_records` fills it."""
        super().__init__(parent)
        self.location = location
        self.db: Database | None = None
        self.setObjectName("mainWindow")
        self.setWindowTitle("Facilitator")
        # Created before the actions, so that it is destroyed before them: its last signals
        # must not reach actions that are already gone.
        self.undo_stack = QUndoStack(self)
        self.actions_by_name = create_actions(self)
        self._settings = QSettings(str(location.window_state_file), QSettings.Format.IniFormat)

        self.group_model = GroupListModel(self)
        self.group_list = QListView(objectName="groupList")
        self.group_list.setModel(self.group_model)
        self.group_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.group_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.group_list.setUniformItemSizes(True)
        self.group_list.setAccessibleName("Groups")
        # A long name ends in "…" (the title bar and its tooltip show it whole), not in a scroll bar.
        self.group_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.group_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.groups_dock = self._dock("Groups", "groupsDock", self.group_list, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._script = LazyPage(self._make_script)
        self.script_dock = self._dock("Script", "scriptDock", self._script, Qt.DockWidgetArea.RightDockWidgetArea)
        self.script_dock.hide()
        self._script_meeting: int | None = -1  # the meeting the script was last shown for; -1: none yet

        self.opening = OpeningPage()
        self.pages = QStackedWidget(objectName="pages")
        self.pages.addWidget(self.opening)
        self._welcome = LazyPage(self._make_welcome_page)
        self.pages.addWidget(self._welcome)
        self.tabs = QTabWidget(objectName="groupTabs")
        self.tabs.setDocumentMode(True)
        self._tab_places: list[LazyPage] = []
        for make, title in (
            (self._make_overview, "Overview"),
            (self._make_check_in, "Meeting"),
            (self._make_share_round, "Sharing"),
            (self._make_roster, "Roster"),
            (self._make_history, "History"),
            (self._make_guides, "Guides"),
        ):
            self._tab_places.append(LazyPage(make))
            self.tabs.addTab(self._tab_places[-1], title)
        self.pages.addWidget(self.tabs)
        self.setCentralWidget(self.pages)

        self.meeting_counts = QLabel(objectName="meetingCounts")
        self.meeting_counts.setContentsMargins(0, 0, 12, 0)
        self.meeting_counts.setTextFormat(Qt.TextFormat.PlainText)
        self.meeting_counts.hide()
        self.status_counts = QLabel(objectName="statusCounts")
        self.status_counts.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.meeting_counts)
        self.statusBar().addPermanentWidget(self.status_counts)

        self._build_menus()
        for action in (*self.actions_by_name.values(), self.script_dock.toggleViewAction()):
            action.setEnabled(False)  # until the records are open
        available = self.screen().availableGeometry()
        self.resize(max(980, available.width() * 9 // 10), max(640, available.height() * 9 // 10))
        # The script gets room to read from; a layout the facilitator saved replaces this.
        self.resizeDocks([self.groups_dock, self.script_dock], [260, 340], Qt.Orientation.Horizontal)
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        # A backup a day while the window stays open (meetings run for hours on some laptops).
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self._daily_backup)

    @classmethod
    def with_records(cls, db: Database) -> QtMainWindow:
        """The window with `db` open from the start, as tests and the benchmark use it."""
        window = cls(db.location)
        window.open_records(db)
        return window

    def open_records(self, db: Database) -> None:
        """Build the pages on the open records and show the groups."""
        from facilitator.storage.preferences import settle_page_size
        from ui.operations.documents import DocumentMaker
        from ui.operations.runner import Operations

        self.db = db
        self.operations = Operations(db, self)
        self.documents = DocumentMaker(self.operations, db.location.data_dir / "documents", self)
        self.operations.run(lambda session: settle_page_size(session, QLocale.system().name()))
        for action in (*self.actions_by_name.values(), self.script_dock.toggleViewAction()):
            action.setEnabled(True)
        self._connect_actions()
        self.check_in.add_actions(
            [
                self.actions_by_name[MainAction.TONIGHTS_PACKET],
                self.actions_by_name[MainAction.PRINT_HANDOUT],
                self.actions_by_name[MainAction.PRINT_SIGN_IN],
            ]
        )
        self.group_list.selectionModel().currentChanged.connect(self._show_current_group)
        self.group_list.doubleClicked.connect(self.edit_group)
        self.tabs.currentChanged.connect(lambda _index: self._show_tab())
        state = self._settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        self.backup_timer.start()
        self.reload_groups()
        self.opening.deleteLater()

    # ---- construction ---------------------------------------------------------------------

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self, objectName=name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.addDockWidget(area, dock)
        return dock

    def _make_welcome_page(self) -> QWidget:
        from ui.pages.overview.welcome_page import QtWelcomePage

        page = QtWelcomePage(self.location.data_dir)
        page.create_group_requested.connect(self.new_group)
        return page

    def _make_overview(self) -> QWidget:
        from ui.pages.overview.group_overview import QtGroupOverview

        page = QtGroupOverview()
        page.restore_requested.connect(self.restore_group)
        return page

    def _make_check_in(self) -> QWidget:
        from ui.pages.meeting.check_in_panel import QtCheckInPanel

        page = QtCheckInPanel(self.operations, self.undo_stack)
        page.counts_changed.connect(self._show_meeting_counts)
        page.meeting_changed.connect(self._meeting_changed)
        return page

    def _make_share_round(self) -> QWidget:
        from ui.pages.sharing.share_round_panel import QtShareRoundPanel

        page = QtShareRoundPanel(self.operations)
        page.counts_changed.connect(self._show_meeting_counts)
        page.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
        return page

    def _make_roster(self) -> QWidget:
        from ui.pages.roster.roster_panel import QtRosterPanel

        page = QtRosterPanel(self.operations)
        page.roster_changed.connect(self._roster_changed)
        page.history_requested.connect(self.show_person)
        page.import_requested.connect(self.import_roster)
        page.export_requested.connect(self.export_roster)
        page.forget_requested.connect(self.forget_person)
        return page

    def _make_history(self) -> QWidget:
        from ui.pages.history.history_panel import QtHistoryPanel

        page = QtHistoryPanel(self.operations)
        page.meeting_requested.connect(self.show_meeting)
        page.person_requested.connect(self.show_person)
        page.export_requested.connect(self.export_attendance)
        page.add_actions(
            [self.actions_by_name[MainAction.ATTENDANCE_REPORT], self.actions_by_name[MainAction.ATTENDANCE_LETTER]]
        )
        return page

    def _make_guides(self) -> QWidget:
        from ui.pages.guides.guides_panel import QtGuidesPanel

        page = QtGuidesPanel(self.operations)
        page.library_changed.connect(self._library_changed)
        return page

    def _make_script(self) -> QWidget:
        from ui.pages.script.script_panel import QtScriptPanel

        page = QtScriptPanel(self.operations)
        page.part_changed.connect(self._part_changed)
        page.show_meeting(self.check_in.meeting)
        return page

    # The pages, each built when first wanted.

    def _tab_page(self, index: int) -> Any:
        return self._tab_places[index].built()

    @property
    def welcome_page(self) -> QtWelcomePage:
        return cast("QtWelcomePage", self._welcome.built())

    @property
    def overview(self) -> QtGroupOverview:
        return cast("QtGroupOverview", self._tab_page(OVERVIEW_TAB))

    @property
    def check_in(self) -> QtCheckInPanel:
        return cast("QtCheckInPanel", self._tab_page(MEETING_TAB))

    @property
    def share_round(self) -> QtShareRoundPanel:
        return cast("QtShareRoundPanel", self._tab_page(SHARING_TAB))

    @property
    def roster(self) -> QtRosterPanel:
        return cast("QtRosterPanel", self._tab_page(ROSTER_TAB))

    @property
    def history(self) -> QtHistoryPanel:
        return cast("QtHistoryPanel", self._tab_page(HISTORY_TAB))

    @property
    def guides(self) -> QtGuidesPanel:
        return cast("QtGuidesPanel", self._tab_page(GUIDES_TAB))

    @property
    def script(self) -> QtScriptPanel:
        return cast("QtScriptPanel", self._script.built())

    def _built(self, index: int) -> QWidget | None:
        return self._tab_places[index].page

    def current_page(self) -> QWidget:
        return self._tab_places[self.tabs.currentIndex()].built()

    def show_page(self, page: QWidget) -> None:
        self.tabs.setCurrentWidget(page.parentWidget())

    def _build_menus(self) -> None:
        a = self.actions_by_name
        groups_panel = self.groups_dock.toggleViewAction()
        groups_panel.setText("&Groups Panel")
        script_panel = self.script_dock.toggleViewAction()
        script_panel.setText("S&cript Panel")
        script_panel.setShortcut(QKeySequence("F9"))
        script_panel.setToolTip("The meeting's format and topic guide, beside every page (F9)")
        menus = {
            "&File": [
                a[MainAction.NEW_GROUP],
                None,
                a[MainAction.IMPORT_ROSTER],
                a[MainAction.EXPORT_ROSTER],
                a[MainAction.EXPORT_ATTENDANCE],
                None,
                a[MainAction.ATTENDANCE_REPORT],
                a[MainAction.ATTENDANCE_LETTER],
                a[MainAction.CHECK_LETTER_CODE],
                None,
                a[MainAction.BACK_UP],
                a[MainAction.RESTORE],
                a[MainAction.CHECK_RECORDS],
                a[MainAction.OPEN_DATA_FOLDER],
                None,
                a[MainAction.QUIT],
            ],
            "&Edit": [
                a[MainAction.UNDO],
                a[MainAction.REDO],
                None,
                a[MainAction.FIND_PERSON],
                None,
                a[MainAction.EDIT_GROUP],
                a[MainAction.ARCHIVE_GROUP],
                a[MainAction.RETENTION],
                a[MainAction.RESTORE_GROUP],
                None,
                a[MainAction.DOCUMENT_SETTINGS],
            ],
            "&Meeting": [
                a[MainAction.OPEN_MEETING],
                a[MainAction.NEW_PERSON],
                a[MainAction.ADD_GUEST],
                a[MainAction.REMOVE_GUEST],
                None,
                a[MainAction.NEXT_PART],
                a[MainAction.PREVIOUS_PART],
                None,
                a[MainAction.TONIGHTS_PACKET],
                a[MainAction.PRINT_HANDOUT],
                a[MainAction.PRINT_SIGN_IN],
                None,
                a[MainAction.CLOSE_MEETING],
            ],
            "&View": [
                a[MainAction.SHOW_OVERVIEW],
                a[MainAction.SHOW_MEETING],
                a[MainAction.SHOW_SHARING],
                a[MainAction.SHOW_ROSTER],
                a[MainAction.SHOW_HISTORY],
                a[MainAction.SHOW_GUIDES],
                None,
                groups_panel,
                script_panel,
                a[MainAction.SHOW_ARCHIVED],
                None,
                a[MainAction.FULL_SCREEN],
            ],
            "&Help": [a[MainAction.SHORTCUTS], None, a[MainAction.ABOUT], a[MainAction.ABOUT_QT]],
        }
        for title, entries in menus.items():
            menu = self.menuBar().addMenu(title)
            for action in entries:
                menu.addSeparator() if action is None else menu.addAction(action)
        toolbar = QToolBar("Main Toolbar", self, objectName="mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.setMovable(False)
        for name in (
            MainAction.NEW_GROUP,
            MainAction.EDIT_GROUP,
            None,
            MainAction.OPEN_MEETING,
            MainAction.NEW_PERSON,
            MainAction.CLOSE_MEETING,
            None,
            MainAction.UNDO,
            MainAction.REDO,
        ):
            toolbar.addSeparator() if name is None else toolbar.addAction(a[name])
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

    def _connect_actions(self) -> None:
        a = self.actions_by_name
        a[MainAction.NEW_GROUP].triggered.connect(self.new_group)
        a[MainAction.OPEN_DATA_FOLDER].triggered.connect(self.open_data_folder)
        a[MainAction.QUIT].triggered.connect(self.close)
        a[MainAction.EDIT_GROUP].triggered.connect(self.edit_group)
        a[MainAction.ARCHIVE_GROUP].triggered.connect(self.archive_group)
        a[MainAction.RESTORE_GROUP].triggered.connect(self.restore_group)
        a[MainAction.SHOW_ARCHIVED].toggled.connect(lambda _checked: self.reload_groups())
        a[MainAction.FULL_SCREEN].toggled.connect(self._set_full_screen)
        a[MainAction.ABOUT].triggered.connect(self.show_about)
        a[MainAction.SHORTCUTS].triggered.connect(self.show_shortcuts)
        a[MainAction.ABOUT_QT].triggered.connect(lambda: QMessageBox.aboutQt(self))
        a[MainAction.IMPORT_ROSTER].triggered.connect(self.import_roster)
        a[MainAction.EXPORT_ROSTER].triggered.connect(self.export_roster)
        a[MainAction.EXPORT_ATTENDANCE].triggered.connect(self.export_attendance)
        a[MainAction.UNDO].triggered.connect(self.undo_stack.undo)
        a[MainAction.REDO].triggered.connect(self.undo_stack.redo)
        a[MainAction.UNDO].setEnabled(False)
        a[MainAction.REDO].setEnabled(False)
        self.undo_stack.canUndoChanged.connect(a[MainAction.UNDO].setEnabled)
        self.undo_stack.canRedoChanged.connect(a[MainAction.REDO].setEnabled)
        self.undo_stack.undoTextChanged.connect(lambda text: self._undo_text(MainAction.UNDO, "&Undo", text))
        self.undo_stack.redoTextChanged.connect(lambda text: self._undo_text(MainAction.REDO, "&Redo", text))
        a[MainAction.FIND_PERSON].triggered.connect(self.find_person)
        a[MainAction.OPEN_MEETING].triggered.connect(lambda: self._on_meeting_tab(self.check_in.open_meeting))
        a[MainAction.NEW_PERSON].triggered.connect(lambda: self._on_meeting_tab(self.check_in.new_person))
        a[MainAction.ADD_GUEST].triggered.connect(lambda: self._on_meeting_tab(lambda: self.check_in.change_guests(1)))
        a[MainAction.REMOVE_GUEST].triggered.connect(
            lambda: self._on_meeting_tab(lambda: self.check_in.change_guests(-1))
        )
        a[MainAction.CLOSE_MEETING].triggered.connect(lambda: self._on_meeting_tab(self.check_in.close_meeting))
        a[MainAction.NEXT_PART].triggered.connect(lambda: self.script.step(1))
        a[MainAction.PREVIOUS_PART].triggered.connect(lambda: self.script.step(-1))
        a[MainAction.DOCUMENT_SETTINGS].triggered.connect(self.edit_document_settings)
        a[MainAction.BACK_UP].triggered.connect(lambda: self.back_up())
        a[MainAction.RESTORE].triggered.connect(lambda: self.restore_backup())
        a[MainAction.CHECK_RECORDS].triggered.connect(self.check_records)
        a[MainAction.RETENTION].triggered.connect(self.set_retention)
        a[MainAction.PRINT_HANDOUT].triggered.connect(lambda: self._make_for_meeting(self.documents.handout))
        a[MainAction.PRINT_SIGN_IN].triggered.connect(lambda: self._make_for_meeting(self.documents.sign_in_sheet))
        a[MainAction.TONIGHTS_PACKET].triggered.connect(lambda: self._make_for_meeting(self.documents.packet))
        a[MainAction.ATTENDANCE_REPORT].triggered.connect(lambda: self._make_for_group(self.documents.report))
        a[MainAction.ATTENDANCE_LETTER].triggered.connect(lambda: self._make_for_group(self.documents.letter))
        a[MainAction.CHECK_LETTER_CODE].triggered.connect(self.documents.check_code)
        for tab, name in enumerate(
            (
                MainAction.SHOW_OVERVIEW,
                MainAction.SHOW_MEETING,
                MainAction.SHOW_SHARING,
                MainAction.SHOW_ROSTER,
                MainAction.SHOW_HISTORY,
                MainAction.SHOW_GUIDES,
            )
        ):
            a[name].triggered.connect(lambda _checked=False, tab=tab: self.tabs.setCurrentIndex(tab))

    # ---- state ----------------------------------------------------------------------------

    def current_group(self) -> GroupInfo | None:
        index = self.group_list.currentIndex()
        return self.group_model.group(index.row()) if index.isValid() else None

    def reload_groups(self, select_id: int | None = None) -> None:
        """Read the groups afresh and keep (or move) the selection."""
        from facilitator.rules.groups import list_groups

        keep = select_id if select_id is not None else getattr(self.current_group(), "id", None)
        archived = self.actions_by_name[MainAction.SHOW_ARCHIVED].isChecked()
        groups = self.operations.run(lambda session: list_groups(session, include_archived=archived))
        if groups is None:
            return
        self.group_model.set_groups(groups)
        row = self.group_model.row_of(keep) if keep is not None else None
        if row is None and groups:
            row = 0
        if row is not None:
            self.group_list.selectionModel().setCurrentIndex(
                self.group_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        else:
            self._show_current_group()
        active = sum(not g.archived for g in groups)
        self.status_counts.setText(f"{active} group{'s' * (active != 1)} · kept on this computer only")

    def _show_current_group(self) -> None:
        group = self.current_group()
        self.pages.setCurrentWidget(self._welcome if group is None else self.tabs)
        # The meeting panel always knows its group, so the Meeting menu and counts stay right.
        self.check_in.show_group(group)
        self._show_script()
        self._show_tab()
        self.setWindowTitle(f"{window_title(group.name)} — Facilitator" if group else "Facilitator")
        a = self.actions_by_name
        active = group is not None and not group.archived
        for name in (MainAction.EDIT_GROUP, MainAction.ARCHIVE_GROUP, MainAction.IMPORT_ROSTER):
            a[name].setEnabled(active)
        a[MainAction.RESTORE_GROUP].setEnabled(group is not None and group.archived)
        for name in (
            MainAction.EXPORT_ROSTER,
            MainAction.EXPORT_ATTENDANCE,
            MainAction.ATTENDANCE_REPORT,
            MainAction.ATTENDANCE_LETTER,
        ):
            a[name].setEnabled(group is not None)
        self._update_meeting_actions()

    def _show_tab(self) -> None:
        """Fill the visible tab only: the others are read when they are shown."""
        from facilitator.rules.meetings import recent_meetings

        group = self.current_group()
        if group is None:
            return
        tab = self.tabs.currentIndex()
        if tab == OVERVIEW_TAB:
            recent = self.operations.run(lambda session: recent_meetings(session, group.id, RECENT_MEETINGS)) or []
            self.overview.show_group(group, recent)
        elif tab == MEETING_TAB:
            self.check_in.refresh()
        elif tab == SHARING_TAB:
            self.share_round.show_group(group)
        elif tab == ROSTER_TAB:
            self.roster.show_group(group)
        elif tab == HISTORY_TAB:
            self.history.show_group(group)
        elif tab == GUIDES_TAB:
            self.guides.refresh()

    def _update_meeting_actions(self) -> None:
        a = self.actions_by_name
        group = self.current_group()
        is_open = self.check_in.meeting is not None
        a[MainAction.OPEN_MEETING].setEnabled(group is not None and not group.archived and not is_open)
        for name in (
            MainAction.NEW_PERSON,
            MainAction.ADD_GUEST,
            MainAction.REMOVE_GUEST,
            MainAction.CLOSE_MEETING,
            MainAction.NEXT_PART,
            MainAction.PREVIOUS_PART,
            MainAction.PRINT_SIGN_IN,
        ):
            a[name].setEnabled(is_open)
        has_topic = is_open and self.check_in.meeting is not None and self.check_in.meeting.guide_slug is not None
        for name in (MainAction.PRINT_HANDOUT, MainAction.TONIGHTS_PACKET):
            a[name].setEnabled(has_topic)
        self.tabs.setTabText(MEETING_TAB, "Meeting (open)" if is_open else "Meeting")

    def _show_meeting_counts(self, text: str) -> None:
        self.meeting_counts.setText(text)
        self.meeting_counts.setVisible(bool(text))

    def _meeting_changed(self) -> None:
        self._update_meeting_actions()
        self._show_script()
        if self._built(SHARING_TAB) is not None:
            self.share_round.show_group(self.current_group())
        self.reload_groups()

    def _show_script(self) -> None:
        """The script sits beside the pages while a meeting is open, and makes way when none is."""
        meeting = self.check_in.meeting
        if self._script.page is not None:
            self.script.show_meeting(meeting)  # else it reads the meeting when first shown
        # Shown when a meeting opens and put away when it closes; in between, F9 is the user's.
        now = meeting.id if meeting is not None else None
        if now != self._script_meeting:
            self.script_dock.setVisible(meeting is not None)
        self._script_meeting = now

    def _library_changed(self) -> None:
        self.check_in.refresh()
        if self._script.page is not None:
            self.script.refresh()

    def _part_changed(self, name: str) -> None:
        """The parts of a meeting that happen on a page of their own bring that page forward."""
        tab = {"check-in": MEETING_TAB, "sharing round": SHARING_TAB}.get(name.casefold())
        if tab is not None:
            self.tabs.setCurrentIndex(tab)

    # ---- keeping the records safe ----------------------------------------------------------

    def back_up(self, reason: str = "by-hand") -> Path | None:
        """A checked backup now (by hand, daily, or as the window closes); None for a server."""
        from facilitator.storage.backups import make_backup

        if self.location.database_path is None:
            if reason == "by-hand":
                self.operations.tell("Your records are on a server; its own backups keep them safe.")
            return None
        made = self.operations.attempt(lambda: make_backup(self.location, reason))
        if made is not None and reason == "by-hand":
            self.statusBar().showMessage(f"Backed up to {made.name} (checked).", 8000)
        return made

    def _daily_backup(self) -> None:
        from facilitator.storage.backups import backup_due

        if self.location.database_path is not None and backup_due(self.location):
            self.back_up("daily")

    def restore_backup(self, path: Path | None = None) -> bool:
        from PySide6.QtWidgets import QFileDialog

        from facilitator.records import open_records
        from facilitator.storage.backups import restore

        location = self.location
        assert self.db is not None
        if location.database_path is None:
            self.operations.tell("Your records are on a server; restore them with the server's own tools.")
            return False
        if path is None:
            name, _filter = QFileDialog.getOpenFileName(
                self, "Restore from Backup", str(location.backup_dir), "Facilitator backups (*.sqlite3);;All files (*)"
            )
            if not name:
                return False
            path = Path(name)
        if not confirm(
            self,
            "Restore from Backup",
            f"Put the records in {path.name} in place of the ones open now?\n\n"
            "Anything recorded since that backup will no longer show. The records open now are kept as a "
            "backup first, so this can be undone by restoring that.",
            "Restore",
        ):
            return False
        self.db.close()
        kept = self.operations.attempt(lambda: restore(location, path))
        self.db = open_records(location)
        self.operations.db = self.db
        self.reload_groups()
        if kept is not None:
            self.statusBar().showMessage(f"Restored {path.name}. The records it replaced are in {kept.name}.", 15000)
        return kept is not None

    def check_records(self) -> None:
        from facilitator.storage.backups import check_database

        if self.location.database_path is None:
            self.operations.tell("Your records are on a server; check them with the server's own tools.")
            return
        report = self.operations.attempt(lambda: check_database(self.location))
        if report is None:
            return
        if report.ok:
            text = "Your records passed the integrity check and every link between them is sound."
            icon = QMessageBox.Icon.Information
        else:
            text = f"Your records are damaged: {report.problems[0]}.\n\nRestore a backup: File → Restore from Backup…"
            icon = QMessageBox.Icon.Warning
        message_box(self, icon, "Check Records", text).exec()

    def forget_person(self, participant_id: int) -> None:
        from facilitator.rules.privacy import forget_person, person_records

        records = self.operations.run(lambda session: person_records(session, participant_id))
        if records is None:
            return
        if not confirm(
            self,
            "Forget Person",
            f"Delete {records.display_name} and everything about them?\n\n"
            f"Groups: {', '.join(records.groups) or 'none'}. {records.check_ins} check-ins, "
            f"{records.share_turns} share turns, {records.letters} letters issued.\n\n"
            "Do this when someone asks to be forgotten. A backup is taken first; nothing else can bring it back.",
            "Forget",
        ):
            return
        if self.location.database_path is not None and self.back_up("before-forgetting") is None:
            return  # no backup, no deleting
        if self.operations.run(lambda session: forget_person(session, participant_id)) is not None:
            self.statusBar().showMessage(f"{records.display_name} was forgotten.", 8000)
            self._roster_changed()

    def apply_retention_rules(self) -> None:
        """At start-up: meetings that have grown older than their group keeps go, after a backup."""
        from facilitator.rules.groups import list_groups
        from facilitator.rules.privacy import apply_retention, retention_preview

        def due(session):  # type: ignore[no-untyped-def]
            groups = list_groups(session, include_archived=True)
            return [group.id for group in groups if retention_preview(session, group.id).meetings]

        groups = self.operations.run(due) or []
        if not groups or (self.location.database_path is not None and self.back_up("before-retention") is None):
            return
        gone = self.operations.run(lambda session: sum(apply_retention(session, g).meetings for g in groups))
        if gone:
            self.statusBar().showMessage(f"{gone} meetings older than their group keeps were deleted.", 15000)
            self.reload_groups()

    def set_retention(self) -> None:
        from facilitator.rules.privacy import (
            RETENTION_RANGE,
            apply_retention,
            retention_preview,
            retention_years,
            set_retention_years,
        )

        group = self.current_group()
        if group is None:
            return
        current = self.operations.run(lambda session: retention_years(session, group.id))
        years, accepted = QInputDialog.getInt(
            self,
            "How Long to Keep Records",
            f"Years of meetings {group.name} keeps (0 keeps them all).\n"
            "Older meetings and their attendance are deleted.",
            current or 0,
            RETENTION_RANGE.start,
            RETENTION_RANGE.stop - 1,
        )
        if not accepted:
            return
        preview = self.operations.run(lambda session: retention_preview(session, group.id, years))
        if preview is None:
            return
        if preview.meetings and not confirm(
            self,
            "How Long to Keep Records",
            f"{group.name} will keep {preview.kept_for}. That deletes {preview.meetings} meetings from before "
            f"{preview.before:%d %b %Y} now, with their {preview.check_ins} check-ins. A backup is taken first.",
            "Delete",
        ):
            return
        if preview.meetings and self.location.database_path is not None and self.back_up("before-retention") is None:
            return

        def keep(session):  # type: ignore[no-untyped-def]
            set_retention_years(session, group.id, years)
            return apply_retention(session, group.id)

        if self.operations.run(keep) is not None:
            self.statusBar().showMessage(f"{group.name} keeps {preview.kept_for}.", 8000)
            self.reload_groups()

    def edit_document_settings(self) -> None:
        if self.documents.settings() and self._script.page is not None:
            self.script.refresh()  # the crisis contacts it shows may have changed

    def _make_for_meeting(self, make) -> None:  # type: ignore[no-untyped-def]
        if self.check_in.meeting is not None:
            make(self.check_in.meeting)

    def _make_for_group(self, make) -> None:  # type: ignore[no-untyped-def]
        group = self.current_group()
        if group is not None:
            make(group)

    def _roster_changed(self) -> None:
        self.reload_groups()
        self.check_in.refresh()

    def _on_meeting_tab(self, action) -> None:  # type: ignore[no-untyped-def]
        self.tabs.setCurrentIndex(MEETING_TAB)
        action()

    def _undo_text(self, name: MainAction, plain: str, what: str) -> None:
        self.actions_by_name[name].setText(f"{plain} {action_text(what)}" if what else plain)

    def offer_resume(self) -> None:
        """After a crash or power cut, offer to go back to a meeting that was left open."""
        from facilitator.dates import local
        from facilitator.rules.meetings import open_meetings

        left_open = self.operations.run(open_meetings)
        if not left_open:
            return
        meeting = left_open[-1]
        since = local(meeting.started_at)
        box = message_box(
            self,
            QMessageBox.Icon.Question,
            "Resume Meeting",
            f"The meeting of {meeting.group_name} opened on {since:%a %d %b at %H:%M} is still open, "
            f"with {meeting.present + meeting.late} checked in. Everything recorded is kept.\n\n"
            "Go back to it now?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("Resume Meeting")
        box.button(QMessageBox.StandardButton.No).setText("Not Now")
        if box.exec() == QMessageBox.StandardButton.Yes:
            self.reload_groups(select_id=meeting.group_id)
            self.tabs.setCurrentIndex(MEETING_TAB)
            self.check_in.focus_search()

    # ---- actions --------------------------------------------------------------------------

    def new_group(self) -> None:
        from facilitator.rules.groups import create_group
        from ui.operations.group_dialog import GroupDialog

        def save(fields: GroupFields) -> GroupInfo:
            with self.operations.db.begin() as session:
                return create_group(session, **asdict(fields))

        dialog = GroupDialog(save, self)
        if dialog.exec() and dialog.saved is not None:
            self.reload_groups(select_id=dialog.saved.id)
            self.statusBar().showMessage(f"Created {dialog.saved.name}.", 5000)

    def edit_group(self) -> None:
        from facilitator.rules.groups import update_group
        from ui.operations.group_dialog import GroupDialog

        group = self.current_group()
        if group is None or group.archived:
            return

        def save(fields: GroupFields) -> GroupInfo:
            with self.operations.db.begin() as session:
                return update_group(session, group.id, **asdict(fields))

        dialog = GroupDialog(save, self, group=group)
        if dialog.exec() and dialog.saved is not None:
            self.reload_groups(select_id=group.id)
            self.statusBar().showMessage(f"Saved {dialog.saved.name}.", 5000)

    def archive_group(self) -> None:
        from facilitator.rules.groups import archive_group

        group = self.current_group()
        if group is None or group.archived:
            return
        if not confirm(
            self,
            "Archive Group",
            f"Archive “{group.name}”?\n\nIt leaves the list of groups. Its {group.meeting_count} meetings "
            "and all attendance are kept, and View → Show Archived Groups brings it back.",
            "Archive",
        ):
            return
        if self.operations.run(lambda session: archive_group(session, group.id)) is not None:
            self.reload_groups()
            self.statusBar().showMessage(f"Archived {group.name}.", 5000)

    def restore_group(self) -> None:
        from facilitator.rules.groups import restore_group

        group = self.current_group()
        if group is None or not group.archived:
            return
        if self.operations.run(lambda session: restore_group(session, group.id)) is not None:
            self.reload_groups(select_id=group.id)
            self.statusBar().showMessage(f"Restored {group.name}.", 5000)

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.location.data_dir)))

    def shortcut_sheet(self) -> str:
        """Every key, from the actions declared once and the tabs' own keys."""
        from ui.pages.meeting.check_in_panel import CHECK_IN_KEYS
        from ui.pages.sharing.share_round_panel import SHARING_KEYS

        lines = ["In the whole window:"]
        panels = (self.groups_dock.toggleViewAction(), self.script_dock.toggleViewAction())
        for action in (*self.actions_by_name.values(), *panels):
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                lines.append(f"  {keys:<16} {without_mnemonic(action.text())}")
        lines.append("")
        lines.append("On the Meeting tab:")
        lines.extend(f"  {keys:<16} {what}" for keys, what in CHECK_IN_KEYS)
        lines.append("")
        lines.append("On the Sharing tab:")
        lines.extend(f"  {keys:<16} {what}" for keys, what in SHARING_KEYS)
        return "\n".join(lines)

    def show_shortcuts(self) -> None:
        box = message_box(self, QMessageBox.Icon.NoIcon, "Keyboard Shortcuts", self.shortcut_sheet())
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        box.setFont(font)
        box.exec()

    def show_about(self) -> None:
        message_box(
            self,
            QMessageBox.Icon.Information,
            "About Facilitator",
            f"Facilitator {__version__}\n\n"
            "For the people who run peer-support and self-help groups: attendance, fair share rounds, "
            "topic guides and printable handouts.\n\n"
            f"Your records are kept on this computer only, in {self.location.data_dir}. "
            "Facilitator has no account and never uses the network.",
        ).exec()

    def find_person(self) -> None:
        if self.tabs.currentIndex() == ROSTER_TAB:
            self.roster.focus_search()
        else:
            self.tabs.setCurrentIndex(MEETING_TAB)
            self.check_in.focus_search()

    def show_person(self, participant_id: int) -> None:
        from facilitator.rules.history import participant_history
        from ui.pages.history.participant_dialog import QtParticipantDialog

        history = self.operations.run(lambda session: participant_history(session, participant_id))
        if history is not None:
            QtParticipantDialog(history, self).exec()

    def show_meeting(self, meeting_id: int) -> None:
        from ui.pages.history.meeting_dialog import QtMeetingDialog

        dialog = QtMeetingDialog(self.operations, meeting_id, self)
        dialog.exec()
        if dialog.changed:
            self.reload_groups()
            self._show_tab()
            self.check_in.refresh()

    def import_roster(self) -> None:
        group = self.current_group()
        if group is None or group.archived:
            return
        path = self.roster.choose_import_file()
        if path is None:
            return
        self.import_roster_from(path)

    def import_roster_from(self, path: Path) -> None:
        from ui.operations.import_dialog import QtImportDialog

        group = self.current_group()
        if group is None:
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            message_box(
                self, QMessageBox.Icon.Warning, "Import Roster", f"{path} cannot be read: {exc.strerror}."
            ).exec()
            return
        dialog = QtImportDialog(self.operations, group, path, data, self)
        if dialog.exec() and dialog.result is not None:
            added = len(dialog.result.added) + len(dialog.result.back)
            self.statusBar().showMessage(f"Added {added} {'person' if added == 1 else 'people'} to {group.name}.", 8000)
            self.tabs.setCurrentIndex(ROSTER_TAB)
            self._roster_changed()
            self.roster.refresh()

    def export_roster(self) -> None:
        from facilitator.rules.exports import roster_csv

        group = self.current_group()
        if group is not None:
            self._export(f"{group.name} roster.csv", lambda session: roster_csv(session, group.id))

    def export_attendance(self) -> None:
        from facilitator.rules.exports import attendance_csv

        group = self.current_group()
        if group is None:
            return
        date_from, date_to = self.history.date_range()
        self._export(
            f"{group.name} attendance.csv",
            lambda session: attendance_csv(session, group.id, date_from=date_from, date_to=date_to),
        )

    def _export(self, suggested: str, build) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtWidgets import QFileDialog

        safe = "".join(char if char.isalnum() or char in " -_.'" else "_" for char in suggested)
        name, _ = QFileDialog.getSaveFileName(self, "Export", str(Path.home() / safe), "CSV files (*.csv)")
        if name:
            self.export_to(Path(name), build)

    def export_to(self, target: Path, build) -> None:  # type: ignore[no-untyped-def]
        from facilitator.rules.exports import write_export

        export = self.operations.run(build)
        if export is None:
            return
        if self.operations.run(lambda _session: write_export(target, export.data)) is not None:
            self.statusBar().showMessage(
                f"Saved {export.rows} rows to {target}. It holds names: keep it somewhere private.", 8000
            )

    def _set_full_screen(self, on: bool) -> None:
        self.showFullScreen() if on else self.showNormal()

    # ---- window state ---------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._built(SHARING_TAB) is not None:
            self.share_round.timer.stop()
            if self.share_round.display is not None:
                self.share_round.display.close()
        if self._script.page is not None:
            self.script.timer.stop()
        self.backup_timer.stop()
        if self.db is not None:  # closed without its records (they could not be opened): the layout saved stays
            self.back_up("on-exit")
            self._settings.setValue("window/geometry", self.saveGeometry())
            self._settings.setValue("window/state", self.saveState())
            self._settings.sync()
            make_private_file(self.location.window_state_file)
        super().closeEvent(event)
