"""The main window: menus and toolbar built from the declared actions, the group list, the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSettings, Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)
from sqlalchemy.orm import Session

from facilitator import __version__
from facilitator.db import Database
from facilitator.errors import user_message
from facilitator.groups import GroupInfo, archive_group, create_group, list_groups, restore_group, update_group
from facilitator.meetings import recent_meetings
from facilitator.paths import make_private_file
from ui.actions import MainAction, create_actions
from ui.group_dialog import GroupDialog
from ui.group_list_model import GroupListModel
from ui.group_overview import QtGroupOverview
from ui.plain import message_box
from ui.welcome_page import QtWelcomePage

RECENT_MEETINGS = 12
T = TypeVar("T")


class QtMainWindow(QMainWindow):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("mainWindow")
        self.setWindowTitle("Facilitator")
        self.actions_by_name = create_actions(self)
        self._settings = QSettings(str(db.location.window_state_file), QSettings.Format.IniFormat)

        self.group_model = GroupListModel(self)
        self.group_list = QListView(objectName="groupList")
        self.group_list.setModel(self.group_model)
        self.group_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.group_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.group_list.setUniformItemSizes(True)
        self.group_list.setAccessibleName("Groups")
        self.group_list.selectionModel().currentChanged.connect(self._show_current_group)
        self.group_list.doubleClicked.connect(self.edit_group)
        self.groups_dock = QDockWidget("Groups", self, objectName="groupsDock")
        self.groups_dock.setWidget(self.group_list)
        self.groups_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.groups_dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.groups_dock)

        self.welcome_page = QtWelcomePage(db.location.data_dir)
        self.welcome_page.create_group_requested.connect(self.new_group)
        self.overview = QtGroupOverview()
        self.overview.restore_requested.connect(self.restore_group)
        self.pages = QStackedWidget(objectName="pages")
        self.pages.addWidget(self.welcome_page)
        self.pages.addWidget(self.overview)
        self.setCentralWidget(self.pages)

        self.status_counts = QLabel(objectName="statusCounts")
        self.status_counts.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.status_counts)

        self._build_menus()
        self._connect_actions()
        self.resize(1100, 720)
        self._restore_window_state()
        self.reload_groups()

    # ---- construction ---------------------------------------------------------------------

    def _build_menus(self) -> None:
        a = self.actions_by_name
        groups_panel = self.groups_dock.toggleViewAction()
        groups_panel.setText("&Groups Panel")
        menus = {
            "&File": [a[MainAction.NEW_GROUP], None, a[MainAction.OPEN_DATA_FOLDER], None, a[MainAction.QUIT]],
            "&Edit": [a[MainAction.EDIT_GROUP], a[MainAction.ARCHIVE_GROUP], a[MainAction.RESTORE_GROUP]],
            "&View": [groups_panel, a[MainAction.SHOW_ARCHIVED], None, a[MainAction.FULL_SCREEN]],
            "&Help": [a[MainAction.ABOUT], a[MainAction.ABOUT_QT]],
        }
        for title, entries in menus.items():
            menu = self.menuBar().addMenu(title)
            for action in entries:
                menu.addSeparator() if action is None else menu.addAction(action)
        toolbar = QToolBar("Main Toolbar", self, objectName="mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.setMovable(False)
        for name in (MainAction.NEW_GROUP, MainAction.EDIT_GROUP, MainAction.ARCHIVE_GROUP):
            toolbar.addAction(a[name])
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
        a[MainAction.ABOUT_QT].triggered.connect(lambda: QMessageBox.aboutQt(self))

    # ---- state ----------------------------------------------------------------------------

    def current_group(self) -> GroupInfo | None:
        index = self.group_list.currentIndex()
        return self.group_model.group(index.row()) if index.isValid() else None

    def reload_groups(self, select_id: int | None = None) -> None:
        """Read the groups afresh and keep (or move) the selection."""
        keep = select_id if select_id is not None else getattr(self.current_group(), "id", None)
        archived = self.actions_by_name[MainAction.SHOW_ARCHIVED].isChecked()
        groups = self._run(lambda session: list_groups(session, include_archived=archived))
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
        if group is None:
            self.pages.setCurrentWidget(self.welcome_page)
        else:
            recent = self._run(lambda session: recent_meetings(session, group.id, RECENT_MEETINGS)) or []
            self.overview.show_group(group, recent)
            self.pages.setCurrentWidget(self.overview)
        # "[*]" in a title is Qt's placeholder for the modified mark; doubled, it shows as typed.
        self.setWindowTitle(f"{group.name.replace('[*]', '[*][*]')} — Facilitator" if group else "Facilitator")
        a = self.actions_by_name
        a[MainAction.EDIT_GROUP].setEnabled(group is not None and not group.archived)
        a[MainAction.ARCHIVE_GROUP].setEnabled(group is not None and not group.archived)
        a[MainAction.RESTORE_GROUP].setEnabled(group is not None and group.archived)

    # ---- actions --------------------------------------------------------------------------

    def new_group(self) -> None:
        def save(name: str, share_minutes: int, description: str) -> GroupInfo:
            with self.db.begin() as session:
                return create_group(session, name, share_minutes=share_minutes, description=description)

        dialog = GroupDialog(save, self)
        if dialog.exec() and dialog.saved is not None:
            self.reload_groups(select_id=dialog.saved.id)
            self.statusBar().showMessage(f"Created {dialog.saved.name}.", 5000)

    def edit_group(self) -> None:
        group = self.current_group()
        if group is None or group.archived:
            return

        def save(name: str, share_minutes: int, description: str) -> GroupInfo:
            with self.db.begin() as session:
                return update_group(session, group.id, name=name, share_minutes=share_minutes, description=description)

        dialog = GroupDialog(save, self, group=group)
        if dialog.exec() and dialog.saved is not None:
            self.reload_groups(select_id=group.id)
            self.statusBar().showMessage(f"Saved {dialog.saved.name}.", 5000)

    def archive_group(self) -> None:
        group = self.current_group()
        if group is None or group.archived:
            return
        box = message_box(
            self,
            QMessageBox.Icon.Question,
            "Archive Group",
            f"Archive “{group.name}”?\n\nIt leaves the list of groups. Its {group.meeting_count} meetings "
            "and all attendance are kept, and View → Show Archived Groups brings it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("Archive")
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        if self._run(lambda session: archive_group(session, group.id)) is not None:
            self.reload_groups()
            self.statusBar().showMessage(f"Archived {group.name}.", 5000)

    def restore_group(self) -> None:
        group = self.current_group()
        if group is None or not group.archived:
            return
        if self._run(lambda session: restore_group(session, group.id)) is not None:
            self.reload_groups(select_id=group.id)
            self.statusBar().showMessage(f"Restored {group.name}.", 5000)

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.db.location.data_dir)))

    def show_about(self) -> None:
        message_box(
            self,
            QMessageBox.Icon.Information,
            "About Facilitator",
            f"Facilitator {__version__}\n\n"
            "For the people who run peer-support and self-help groups: attendance, fair share rounds, "
            "topic guides and printable handouts.\n\n"
            f"Your records are kept on this computer only, in {self.db.location.data_dir}. "
            "Facilitator has no account and never uses the network.",
        ).exec()

    def _run(self, work: Callable[[Session], T]) -> T | None:
        """One unit of work in its own transaction. A refusal or a database error is shown to
        the user (and None returned); nothing half-done is kept."""
        try:
            with self.db.begin() as session:
                return work(session)
        except Exception as exc:
            message = user_message(exc)
            if message is None:
                raise
            message_box(self, QMessageBox.Icon.Warning, "Facilitator", message).exec()
            return None

    def _set_full_screen(self, on: bool) -> None:
        self.showFullScreen() if on else self.showNormal()

    # ---- window state ---------------------------------------------------------------------

    def _restore_window_state(self) -> None:
        geometry = self._settings.value("window/geometry")
        state = self._settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self._settings.sync()
        make_private_file(self.db.location.window_state_file)
        super().closeEvent(event)
