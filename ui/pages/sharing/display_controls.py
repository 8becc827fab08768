"""The room display's options, always at hand: which screen, gentle mode, names hidden, blanked."""

from __future__ import annotations

from PySide6.QtGui import QAction, QGuiApplication, QScreen
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QWidget

from facilitator.rules.share_round.machine import ShareRound
from facilitator.text import NameDisplay
from ui.actions import SharingAction, action_button
from ui.common.widgets import named
from ui.pages.sharing.room_display import BEFORE_ROUND, QtRoomDisplay

HIDE_DISPLAY = "Hide Room Display"  # the display button's words while the display is open


class QtDisplayControls(QWidget):
    """Opens the room display and keeps it showing the round it is given, as the options say."""

    def __init__(self, actions: dict[SharingAction, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.display: QtRoomDisplay | None = None
        self._round_actions = list(actions.values())  # the round's keys work on the display too
        self._round: ShareRound | None = None
        self._name_display = NameDisplay.FULL
        self._between_turns = BEFORE_ROUND
        self._show_action = actions[SharingAction.SHOW_DISPLAY]
        self._show_text = self._show_action.text()
        self.screen_choice = named(QComboBox(), "displayScreen")
        self.screen_choice.setAccessibleName("Screen for the room display")
        self.screen_choice.setToolTip("Where the room display goes: another screen fills it; this one gets a window")
        self._list_screens()
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(lambda _screen: self._list_screens())
        app.screenRemoved.connect(self.screen_removed)
        self.display_button = action_button(actions[SharingAction.SHOW_DISPLAY])
        self.gentle = named(QCheckBox("Gentle mode: a ring, no digits"), "gentleMode")
        self.gentle.setToolTip("For groups that find a countdown stressful")
        self.hide_names = named(QCheckBox("No names on the display"), "hideNames")
        self.hide_names.setToolTip("The display says “Sharing now” instead of a name")
        blanking = actions[SharingAction.BLANK_DISPLAY]
        self.blank = named(QCheckBox(blanking.text()), "blankDisplay")
        self.blank.setToolTip(blanking.toolTip())
        blanking.triggered.connect(self.blank.toggle)
        for box in (self.gentle, self.hide_names, self.blank):
            box.toggled.connect(lambda _on: self._apply())
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.display_button, 0, 0)
        layout.addWidget(self.screen_choice, 0, 1)
        layout.addWidget(self.gentle, 1, 0)
        layout.addWidget(self.hide_names, 1, 1)
        layout.addWidget(self.blank, 1, 2)
        layout.setColumnStretch(3, 1)

    def show_round(self, round_: ShareRound | None, name_display: NameDisplay, between_turns: str) -> None:
        """What the display shows from now on (None: nobody sharing), names as the group says, and
        the words for when nobody is sharing."""
        self._round, self._name_display, self._between_turns = round_, name_display, between_turns
        self._apply()

    def open_display(self) -> None:
        if self.display is None:
            self.display = QtRoomDisplay(self._round or _no_round(), self._name_display)
            self.display.closed.connect(self._display_closed)
            self.display.addActions(self._round_actions)
            self._name_button(HIDE_DISPLAY)
        self._apply()
        screens = QGuiApplication.screens()
        index = self.screen_choice.currentIndex()
        screen = screens[index] if 0 <= index < len(screens) else QGuiApplication.primaryScreen()
        self.display.show_on(screen, beside=self.window().frameGeometry())

    def screen_removed(self, screen: QScreen) -> None:
        """A screen went (a projector unplugged): the display moves off it, the list follows."""
        if self.display is not None:
            self.display.screen_removed(screen)
        self._list_screens()

    def _apply(self) -> None:
        if self.display is None:
            return
        self.display.round = self._round or _no_round()
        self.display.name_display = self._name_display
        self.display.gentle = self.gentle.isChecked()
        self.display.hide_names = self.hide_names.isChecked()
        self.display.blank = self.blank.isChecked()
        self.display.between_turns = self._between_turns
        self.display.update()

    def _list_screens(self) -> None:
        self.screen_choice.clear()
        for number, screen in enumerate(QGuiApplication.screens(), start=1):
            size = screen.geometry().size()
            self.screen_choice.addItem(f"Screen {number}: {screen.name()} ({size.width()}×{size.height()})")
        self.screen_choice.setCurrentIndex(self.screen_choice.count() - 1)  # a projector is usually the last

    def _display_closed(self) -> None:
        self.display = None
        self._name_button(self._show_text)

    def _name_button(self, text: str) -> None:
        self._show_action.setText(text)
        self.display_button.setText(text)


def _no_round() -> ShareRound:
    """What the room display shows between rounds: nobody sharing."""
    return ShareRound(queue=[], allotment=60, warning=0)
