"""Every action and key of the window, declared once: text, shortcut, tip and menu role.

`MainAction` holds the menus' actions, `MeetingKey` and `SharingAction` the pages' own keys. Menus,
toolbars, buttons, tooltips and the Help → Keyboard Shortcuts sheet are all made from these
declarations, so a key is written in one place only.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QKeyCombination
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton, QWidget

from ui.common.widgets import button

Name = TypeVar("Name", bound=enum.Enum)


@dataclass(frozen=True)
class ActionSpec:
    text: str
    tip: str
    shortcut: QKeySequence.StandardKey | str | None = None
    role: QAction.MenuRole = QAction.MenuRole.NoRole
    checkable: bool = False
    also: tuple[str, ...] = ()  # other keys that do the same (a presenter remote's)


class MainAction(enum.Enum):
    NEW_GROUP = ActionSpec("&New Group…", "Create a group", QKeySequence.StandardKey.New)
    BACK_UP = ActionSpec("&Back Up Now", "A checked copy of your records in the backup folder")
    RESTORE = ActionSpec("Re&store from Backup…", "Put a backup in place of your records; the current ones are kept")
    CHECK_RECORDS = ActionSpec("Chec&k Records", "Check your records for damage")
    RETENTION = ActionSpec(
        "How Long to &Keep Records…", "Meetings older than the years the group keeps are deleted, after a backup"
    )
    OPEN_DATA_FOLDER = ActionSpec("Open &Data Folder", "Show the folder where your records are kept")
    QUIT = ActionSpec("&Quit", "Close Facilitator", QKeySequence.StandardKey.Quit, QAction.MenuRole.QuitRole)
    EDIT_GROUP = ActionSpec("&Group Settings…", "Rename the group or change its share length", "F2")
    ARCHIVE_GROUP = ActionSpec("&Archive Group…", "Take the group out of the list; its history is kept")
    RESTORE_GROUP = ActionSpec("Res&tore Group", "Bring an archived group back into the list")
    IMPORT_ROSTER = ActionSpec("&Import Roster…", "Add names from a CSV file to the group's roster")
    EXPORT_ROSTER = ActionSpec("Export &Roster…", "Save the group's roster as a CSV file")
    EXPORT_ATTENDANCE = ActionSpec("Export A&ttendance…", "Save the group's attendance as a CSV file")
    UNDO = ActionSpec("&Undo", "Undo the last change to who is marked here", QKeySequence.StandardKey.Undo)
    REDO = ActionSpec("&Redo", "Redo the change to who is marked here just undone", "Ctrl+Shift+Z")
    FIND_PERSON = ActionSpec("&Find Person", "Jump to the name search", QKeySequence.StandardKey.Find)
    OPEN_MEETING = ActionSpec("&Open Tonight's Meeting", "Start tonight's meeting for the group", "Ctrl+Shift+O")
    NEW_PERSON = ActionSpec("&New Person…", "Add someone new to the roster and check them in", "Ctrl+Shift+N")
    ADD_GUEST = ActionSpec("Add &Guest", "Count one more guest, who is not named", "Ctrl+G")
    REMOVE_GUEST = ActionSpec("Remove G&uest", "Count one guest fewer", "Ctrl+Shift+G")
    CLOSE_MEETING = ActionSpec("&Close Meeting…", "End the meeting, with notes for next time", "Ctrl+Shift+W")
    SHOW_OVERVIEW = ActionSpec("&Overview", "The group at a glance", "Ctrl+1")
    SHOW_MEETING = ActionSpec("&Meeting", "Tonight's meeting: mark who is here", "Ctrl+2")
    SHOW_SHARING = ActionSpec("&Sharing", "The share round and the room display", "Ctrl+3")
    SHOW_ROSTER = ActionSpec("&Roster", "Who is in the group", "Ctrl+4")
    SHOW_HISTORY = ActionSpec("&History", "Past meetings and who to reach out to", "Ctrl+5")
    SHOW_GUIDES = ActionSpec("G&uides", "The library of topic guides and meeting formats", "Ctrl+6")
    NEXT_PART = ActionSpec("Ne&xt Part", "Move the meeting on to the next part of its format", "Ctrl+.")
    PREVIOUS_PART = ActionSpec("&Back a Part", "Go back to the part of the meeting before", "Ctrl+,")
    DOCUMENT_SETTINGS = ActionSpec(
        "Settings for &Printed Documents…",
        "Paper size, font, organisation, group agreements and the crisis contacts for your area",
    )
    CRISIS_CONTACTS = ActionSpec(
        "&Crisis Contacts…", "The crisis line and emergency number for your area, on handouts and cards"
    )
    CRISIS_PAGE = ActionSpec(
        "&In a Crisis…", "What to do when someone in the room is in crisis, with your crisis contacts", "Ctrl+Shift+H"
    )
    PRINT_CRISIS_CARD = ActionSpec("&Crisis Card…", "What to do when someone is in crisis in the room, on one page")
    PRINT_AGREEMENTS_CARD = ActionSpec(
        "&Agreements Card…",
        "The group's agreements, what the facilitator writes down, and the limits of confidentiality",
    )
    PRINT_TRICKY_MOMENTS_CARD = ActionSpec(
        "&Tricky Moments Card…", "Long shares, advice, cross-talk, tears, walking out: what to say, on one page"
    )
    PRINT_SELF_CARE_PAGE = ActionSpec("&Self-care Page…", "Looking after yourself, and a short debrief after a meeting")
    PRINT_HANDOUT = ActionSpec("Print &Handout…", "The handout for tonight's topic, to preview and print")
    PRINT_SIGN_IN = ActionSpec("Print &Sign-in Sheet…", "The sign-in sheet with the group's roster")
    PRINT_BLANK_SIGN_IN = ActionSpec(
        "Print Blan&k Sign-in Sheet…", "A sign-in sheet with rows to write in and no one's name printed"
    )
    RUN_SHEET = ActionSpec(
        "Print &Run Sheet…", "The meeting format on paper with the topic filled in: the backup if the laptop fails"
    )
    WELCOME_LEAFLET = ActionSpec(
        "Print &Welcome Leaflet…", "A page for newcomers to take home: what to expect and when the group meets"
    )
    TONIGHTS_PACKET = ActionSpec(
        "Tonight's &Packet…", "The handout and the sign-in sheet together, to print in one go", "Ctrl+P"
    )
    ATTENDANCE_REPORT = ActionSpec("Attendance Re&port…", "The group's attendance over a date range, to print")
    ATTENDANCE_LETTER = ActionSpec("Attendance &Letter…", "A letter confirming one person's attendance")
    CHECK_LETTER_CODE = ActionSpec("Check a Letter's &Code…", "Confirm that an attendance letter was issued here")
    SHOW_ARCHIVED = ActionSpec("Show &Archived Groups", "List archived groups too", checkable=True)
    FULL_SCREEN = ActionSpec(
        "&Full Screen", "Fill the screen with the window", QKeySequence.StandardKey.FullScreen, checkable=True
    )
    SHORTCUTS = ActionSpec("&Keyboard Shortcuts", "Every key the program knows, on one page", "F1")
    ABOUT = ActionSpec("&About Facilitator", "Version and how your data is kept", role=QAction.MenuRole.AboutRole)
    ABOUT_QT = ActionSpec("About &Qt", "The Qt toolkit this program is built with", role=QAction.MenuRole.AboutQtRole)


class SharingAction(enum.Enum):
    """The Sharing page's keys: window-wide while the page shows, wherever the focus is."""

    START_OR_PAUSE = ActionSpec("Start Round", "Start the round, pause it or go on", "Space")
    NEXT = ActionSpec("Next", "End this turn; the next person begins", "N")
    PASS = ActionSpec("Pass", "They pass; offered a second round at the end", "P")
    MINUTE_MORE = ActionSpec("+1 min", "Give a minute more", "+")
    HALF_MINUTE_MORE = ActionSpec("+30 s", "Give half a minute more", "H")
    FAIR_SHARE = ActionSpec("Use the Fair Share", "Everyone still to share gets the equal share of the time left", "F")
    LATECOMER_AT_END = ActionSpec("Latecomer at the End…", "Someone who arrived late joins the end of the queue", "L")
    LATECOMER_NEXT = ActionSpec("Latecomer Next…", "Someone who arrived late shares next", "Shift+L")
    EARLIER = ActionSpec("Earlier", "The highlighted person shares earlier", "Ctrl+Up")
    LATER = ActionSpec("Later", "The highlighted person shares later", "Ctrl+Down")
    REMOVE = ActionSpec("Remove from Queue", "Take the highlighted person out of the queue", "Delete")
    LEAVING_EARLY = ActionSpec("Leaving Early…", "Someone who must leave early shares next, marked so", "E")
    BLANK_DISPLAY = ActionSpec(
        "Blank the display", "A neutral screen, no names, for a sensitive moment", "B", also=(".",)
    )
    SHOW_DISPLAY = ActionSpec("Show Room Display", "Open the timer the room sees, in its own window", "Ctrl+D")
    # A USB presenter remote sends these. Page Down, Page Up and Esc act only while a turn is on
    # (Page Up also once the round is over; the page turns them on and off), so that outside the
    # round they page through lists as usual.
    START = ActionSpec(
        "Start or Go On", "Presenter remote: start the round, or go on after a pause", "F5", also=("Shift+F5",)
    )
    REMOTE_NEXT = ActionSpec("Next", "Presenter remote, during a turn: the next person begins", "PgDown")
    BACK = ActionSpec("Back", "Presenter remote, during a turn or after the round: the previous turn again", "PgUp")
    PAUSE = ActionSpec("Pause", "Presenter remote, during a turn: pause it", "Esc")


def create_actions(parent: QWidget) -> dict[MainAction, QAction]:
    return _create(MainAction, parent)


def create_sharing_actions(parent: QWidget) -> dict[SharingAction, QAction]:
    """The Sharing page's actions, added to `parent` so their keys work while it shows."""
    actions = _create(SharingAction, parent)
    parent.addActions(list(actions.values()))
    return actions


def shortcut_rows(names: type[enum.Enum]) -> Iterator[tuple[str, str]]:
    """(keys, what they do) for each declared action with a key, for the shortcut sheet."""
    for name in names:
        spec: ActionSpec = name.value
        if spec.shortcut is not None:
            yield ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in keys_list(spec)), spec.tip


def keys_list(spec: ActionSpec) -> list[QKeySequence]:
    """Every key declared for an action: its own, then the others that do the same."""
    return [QKeySequence(key) for key in ((spec.shortcut, *spec.also) if spec.shortcut is not None else ())]


def action_button(action: QAction, text: str = "") -> QPushButton:
    """A push button for a declared action: its text (or `text`, where the page words it for the
    moment), its tooltip with the key, and a click that triggers it."""
    widget = button(text or action.text(), action.toolTip())
    widget.clicked.connect(action.trigger)
    return widget


def following_button(action: QAction, text: str = "") -> QPushButton:
    """An `action_button` that is enabled only while its action is, for an action the page turns
    on and off as the moment allows."""
    widget = action_button(action, text)
    widget.setEnabled(action.isEnabled())
    action.enabledChanged.connect(widget.setEnabled)
    return widget


def _create(names: type[Name], parent: QWidget) -> dict[Name, QAction]:
    actions = {}
    for name in names:
        spec: ActionSpec = name.value
        action = QAction(spec.text, parent)
        action.setObjectName(name.name.lower())
        action.setMenuRole(spec.role)
        action.setCheckable(spec.checkable)
        action.setShortcuts(keys_list(spec))
        action.setToolTip(tip(spec))
        action.setStatusTip(spec.tip)
        actions[name] = action
    return actions


class PanelAction(enum.Enum):
    """The window's docks: their show/hide actions are Qt's own, given these words and keys."""

    GROUPS = ActionSpec("&Groups Panel", "The list of groups, beside every page")
    SCRIPT = ActionSpec("S&cript Panel", "The meeting's format and topic guide, beside every page", "F9")


class PreviewAction(enum.Enum):
    """The keys of a document's preview window (a dialog of its own, over the main window)."""

    PRINT = ActionSpec("&Print…", "Print on a printer, or to a PDF printer", QKeySequence.StandardKey.Print)
    SAVE = ActionSpec("&Save as PDF…", "Keep the PDF where you choose", QKeySequence.StandardKey.Save)


def apply(spec: ActionSpec, action: QAction) -> None:
    """Give an action Qt made (a dock's show/hide) the words and keys declared for it."""
    action.setText(spec.text)
    if spec.shortcut is not None:
        action.setShortcut(QKeySequence(spec.shortcut))
    action.setToolTip(tip(spec))
    action.setStatusTip(spec.tip)


def keys_text(name: enum.Enum) -> str:
    """The keys declared for `name`, as the platform writes them ("Ctrl+." or "⌘."); empty if none."""
    return keys_of(name).toString(QKeySequence.SequenceFormat.NativeText)


def keys_of(name: enum.Enum) -> QKeySequence:
    """The keys declared for `name`; empty when it has none."""
    spec: ActionSpec = name.value
    return QKeySequence() if spec.shortcut is None else QKeySequence(spec.shortcut)


def first_key(name: enum.Enum) -> QKeyCombination:
    """The first key (with its modifiers) of those declared for `name`, as a key event compares it."""
    return keys_of(name)[0]  # type: ignore[index, no-any-return]  # PySide6's stubs lack __getitem__


def tip(spec: ActionSpec) -> str:
    """A tooltip naming the key that does the same, as the sheet and the menus show it."""
    if spec.shortcut is None:
        return spec.tip
    keys = QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
    return f"{spec.tip} ({keys})"


class MeetingKey(enum.Enum):
    """The Meeting page's own keys; those without a shortcut act only in the list named."""

    SEARCH = ActionSpec("type a name", "narrow the list; Enter marks the highlighted person here")
    PRESENT = ActionSpec("&Present", "Mark the highlighted person here", "Return")
    LATE = ActionSpec("&Late", "Mark the highlighted person here, late", "Ctrl+L")
    EXCUSED = ActionSpec("Sent &Word", "Mark that the highlighted person sent word they cannot come", "Ctrl+E")
    INTO_LIST = ActionSpec("Down", "into the list; Enter marks here")
    MARK_PRESENT = ActionSpec("Mark Present", "Change the highlighted person's mark to present", "P")
    MARK_LATE = ActionSpec("Mark Late", "Change the highlighted person's mark to late", "L")
    MARK_EXCUSED = ActionSpec("Mark Sent Word", "Change the highlighted person's mark to sent word", "E")
    NOT_HERE = ActionSpec("No&t Here", "Take back the highlighted person's mark", "Delete")


class RoomDisplayKey(enum.Enum):
    """The room display's own keys, once it is clicked (the Sharing page's keys work there too)."""

    FULL_SCREEN = ActionSpec("Full Screen", "Fill the display's screen, or leave full screen", "F11")
    LEAVE_FULL_SCREEN = ActionSpec("Leave Full Screen", "Back to a window, the round going on", "Esc")


def key_rows() -> list[tuple[str, list[tuple[str, str]]]]:
    """The pages' own keys for the shortcut sheet: (where, [(keys, what they do)])."""
    meeting = []
    for key in MeetingKey:
        spec = key.value
        keys = QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText) if spec.shortcut else ""
        meeting.append((keys or spec.text, spec.tip))
    return [
        ("On the Meeting tab", meeting),
        ("On the Sharing tab", list(shortcut_rows(SharingAction))),
        ("On the room display", list(shortcut_rows(RoomDisplayKey))),
    ]
