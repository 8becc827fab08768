"""Helpers for the tests marked `real_display`: real key events and real window activation.

Such tests run under a real X server with a window manager (`python3 dev.py test` starts Xvfb and
openbox for them). On X11 the keys go through xdotool (XTEST), as a person's keyboard sends them:
to whichever window the window manager gave the focus, through Qt's own key bindings and shortcut
handling. Where xdotool is not at hand (macOS, Windows), Qt's test events go to the focus widget.

Keys are written as Qt writes them in ui/actions.py: "Ctrl+E", "PgDown", "Shift+F5", "Space".
Each `press` returns once the program has received the key's release, so a test that asserts that
a key did *nothing* asserts it after the key was really handled.
"""

from __future__ import annotations

import shutil
import subprocess

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

# Qt's keys by the names X gives them (xdotool takes X keysym names); letters and digits are their own.
_X_NAMES = {
    Qt.Key.Key_Return: "Return",
    Qt.Key.Key_Enter: "KP_Enter",
    Qt.Key.Key_Space: "space",
    Qt.Key.Key_Escape: "Escape",
    Qt.Key.Key_Tab: "Tab",
    Qt.Key.Key_Backspace: "BackSpace",
    Qt.Key.Key_Delete: "Delete",
    Qt.Key.Key_PageDown: "Next",
    Qt.Key.Key_PageUp: "Prior",
    Qt.Key.Key_Home: "Home",
    Qt.Key.Key_End: "End",
    Qt.Key.Key_Up: "Up",
    Qt.Key.Key_Down: "Down",
    Qt.Key.Key_Left: "Left",
    Qt.Key.Key_Right: "Right",
    Qt.Key.Key_Plus: "plus",
    Qt.Key.Key_Minus: "minus",
    Qt.Key.Key_Period: "period",
    Qt.Key.Key_Comma: "comma",
}
_X_MODIFIERS = {
    Qt.KeyboardModifier.ControlModifier: "ctrl",
    Qt.KeyboardModifier.ShiftModifier: "shift",
    Qt.KeyboardModifier.AltModifier: "alt",
    Qt.KeyboardModifier.MetaModifier: "super",
}
_TIMEOUT_MS = 5000


def real_keyboard() -> bool:
    """Whether keys go through the X server (xcb and xdotool), rather than Qt's test events."""
    return QGuiApplication.platformName() == "xcb" and shutil.which("xdotool") is not None


def press(qtbot, keys: str) -> None:
    """Press `keys` (one key with its modifiers, or several separated by spaces, as "Down Return")
    on the window that has the focus, and return once the program has received each key."""
    for key in keys.split():
        combination = QKeySequence(key)[0]  # type: ignore[index]  # PySide6's stubs lack __getitem__
        if real_keyboard():
            with _received(qtbot, 1):
                subprocess.run(["xdotool", "key", "--clearmodifiers", _x_name(combination)], check=True)
        else:
            QTest.keyClick(_focus(), combination.key(), combination.keyboardModifiers())


def type_text(qtbot, text: str) -> None:
    """Type `text` on the keyboard, as a person would, into whatever has the focus."""
    if real_keyboard():
        with _received(qtbot, len(text)):
            subprocess.run(["xdotool", "type", "--clearmodifiers", "--delay", "15", text], check=True)
    else:
        QTest.keyClicks(_focus(), text)


def show_and_activate(qtbot, window: QWidget) -> None:
    """Show `window` and wait until the window manager has really made it the active window."""
    window.show()
    window.raise_()
    window.activateWindow()
    wait_until_active(qtbot, window)


def wait_until_active(qtbot, window: QWidget) -> None:
    """Wait until the window manager has given `window` the keyboard (a dialog just opened is shown
    a moment before it gets it: keys pressed in between go to the window under it)."""
    qtbot.waitUntil(window.isActiveWindow, timeout=_TIMEOUT_MS)


def active_window() -> QWidget | None:
    """The window the keyboard goes to, as the window manager has it."""
    return QApplication.activeWindow()


def _x_name(combination: QKeyCombination) -> str:
    key = combination.key()
    if key in _X_NAMES:
        name = _X_NAMES[key]
    elif Qt.Key.Key_F1.value <= key.value <= Qt.Key.Key_F35.value:
        name = f"F{key.value - Qt.Key.Key_F1.value + 1}"
    elif Qt.Key.Key_A.value <= key.value <= Qt.Key.Key_Z.value or Qt.Key.Key_0.value <= key.value <= Qt.Key.Key_9.value:
        name = chr(key.value).lower()
    else:
        raise ValueError(f"no X name written here for {key!r}: add it to _X_NAMES")
    held = [x for modifier, x in _X_MODIFIERS.items() if combination.keyboardModifiers() & modifier]
    return "+".join([*held, name])


def _focus() -> QWidget:
    widget = QApplication.focusWidget() or QApplication.activeWindow()
    assert widget is not None, "no window has the focus: show_and_activate the window first"
    return widget


class _KeyReleases(QObject):
    """Counts the releases of keys other than the modifiers that the application receives. (Not
    of one key: xdotool lets go of Shift first, so "+" comes back as the release of "=".)"""

    _MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr}

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802  # Qt's name
        # Each release from the X server reaches its QWindow once (then the widgets, maybe several).
        if event.type() == QEvent.Type.KeyRelease and isinstance(watched, QWindow) and isinstance(event, QKeyEvent):
            if not event.isAutoRepeat() and event.key() not in self._MODIFIER_KEYS:
                self.count += 1
        return False


class _received:  # noqa: N801  # used as a `with` block
    """Wait, after the block, until the application has received `count` key releases."""

    def __init__(self, qtbot, count: int) -> None:
        self.qtbot = qtbot
        self.releases = _KeyReleases()
        self.wanted = count

    def __enter__(self) -> None:
        QApplication.instance().installEventFilter(self.releases)

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self.qtbot.waitUntil(lambda: self.releases.count >= self.wanted, timeout=_TIMEOUT_MS)
        finally:
            QApplication.instance().removeEventFilter(self.releases)
