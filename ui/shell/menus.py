"""The menu bar and the toolbar, laid out from the declared actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QToolBar

from ui.actions import MainAction as A
from ui.common.widgets import named

# None is a separator; a string names one of the panel actions the window adds (its docks); a
# (title, actions) pair is a submenu.
Entry = A | str | None | tuple[str, tuple[A, ...]]
CARDS = (A.PRINT_CRISIS_CARD, A.PRINT_AGREEMENTS_CARD, A.PRINT_TRICKY_MOMENTS_CARD, A.PRINT_SELF_CARE_PAGE)
MENUS: dict[str, tuple[Entry, ...]] = {
    "&File": (
        A.NEW_GROUP, None, A.IMPORT_ROSTER, A.EXPORT_ROSTER, A.EXPORT_ATTENDANCE, None,
        A.ATTENDANCE_REPORT, A.ATTENDANCE_LETTER, A.CHECK_LETTER_CODE, None,
        A.BACK_UP, A.RESTORE, A.CHECK_RECORDS, A.OPEN_DATA_FOLDER, None, A.QUIT,
    ),
    "&Edit": (
        A.UNDO, A.REDO, None, A.FIND_PERSON, None,
        A.EDIT_GROUP, A.ARCHIVE_GROUP, A.RETENTION, A.RESTORE_GROUP, None, A.DOCUMENT_SETTINGS,
        A.CRISIS_CONTACTS,
    ),
    "&Meeting": (
        A.OPEN_MEETING, A.NEW_PERSON, A.ADD_GUEST, A.REMOVE_GUEST, None, A.NEXT_PART, A.PREVIOUS_PART, None,
        A.TONIGHTS_PACKET, A.PRINT_HANDOUT, A.PRINT_SIGN_IN, A.PRINT_BLANK_SIGN_IN, A.RUN_SHEET,
        ("Print Car&d", CARDS), None, A.WELCOME_LEAFLET, None, A.CRISIS_PAGE, None, A.CLOSE_MEETING,
    ),
    "&View": (
        A.SHOW_OVERVIEW, A.SHOW_MEETING, A.SHOW_SHARING, A.SHOW_ROSTER, A.SHOW_HISTORY, A.SHOW_GUIDES, None,
        "groups", "script", A.SHOW_ARCHIVED, None, A.FULL_SCREEN,
    ),
    "&Help": (A.SHORTCUTS, None, A.ABOUT, A.ABOUT_QT),
}  # fmt: skip
TOOLBAR = (A.NEW_GROUP, A.EDIT_GROUP, None, A.OPEN_MEETING, A.NEW_PERSON, A.CLOSE_MEETING, None, A.UNDO, A.REDO)


def build_menus(window: QMainWindow, actions: dict[A, QAction], panels: dict[str, QAction]) -> None:
    """The menus and the toolbar of `window`; `panels` are its docks' show/hide actions by name."""
    for title, entries in MENUS.items():
        menu = window.menuBar().addMenu(title)
        for entry in entries:
            if entry is None:
                menu.addSeparator()
            elif isinstance(entry, tuple):
                submenu = menu.addMenu(entry[0])
                for action in entry[1]:
                    submenu.addAction(actions[action])
            else:
                menu.addAction(panels[entry] if isinstance(entry, str) else actions[entry])
    toolbar = named(QToolBar("Main Toolbar", window), "mainToolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.setMovable(False)
    for name in TOOLBAR:
        toolbar.addSeparator() if name is None else toolbar.addAction(actions[name])
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
