"""The window's pages: which there are, the place each waits in until it is first shown, and the
page the window shows while the records open.

Every page answers the same calls: `show_group(group)` when it is shown or the group changes,
`on_changes(changes, initiator)` after an operation, and `shut_down()` as the window closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.actions import MainAction

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent, QShowEvent

    from facilitator.rules.groups import GroupInfo
    from ui.operations.changes import Change


class Page(Protocol):
    def show_group(self, group: GroupInfo | None) -> None: ...

    def on_changes(self, changes: Change, initiator: object | None) -> None: ...

    def shut_down(self) -> None: ...


# The tabs, in order: the key of each (its factory in the shell is `_make_<key>`), its title, the
# action that brings it forward.
TABS = (
    ("overview", "Overview", MainAction.SHOW_OVERVIEW),
    ("meeting", "Meeting", MainAction.SHOW_MEETING),
    ("sharing", "Sharing", MainAction.SHOW_SHARING),
    ("roster", "Roster", MainAction.SHOW_ROSTER),
    ("history", "History", MainAction.SHOW_HISTORY),
    ("guides", "Guides", MainAction.SHOW_GUIDES),
)


P = TypeVar("P")


class PageIn(Generic[P]):
    """A page of the window, as the type it is, built from its place when first asked for."""

    def __init__(self, place: Callable[[Any], LazyPage]) -> None:
        self._place = place

    def __get__(self, window: Any, owner: type | None = None) -> P:
        return window.page_in(self._place(window))  # type: ignore[no-any-return]  # each place holds the page named


class OpeningPage(QLabel):
    """What the window shows while the records open; says when it has first been drawn."""

    painted = Signal()

    def __init__(self) -> None:
        super().__init__("Opening your records…")
        self.setObjectName("openingPage")
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
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def built(self) -> QWidget:
        if self.page is None:
            self.page = self._make()
            self._layout.addWidget(self.page)
            self.page.show()  # a layout shows a child added to a shown widget only later
            self.setFocusProxy(self.page)
        return self.page

    def showEvent(self, event: QShowEvent) -> None:
        self.built()
        super().showEvent(event)
