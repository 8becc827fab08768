"""Setting up tonight's round: the order, each share's length, the warning, the time for all, the chime."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QSlider, QSpinBox, QVBoxLayout, QWidget

from facilitator.rules.share_round.keeper import RoundView, suggested_share
from facilitator.rules.share_round.order import Ordering
from facilitator.storage.preferences import SoundSettings
from ui.actions import SharingAction, action_button
from ui.common.plain import plain_label
from ui.common.widgets import DurationSpinBox, named
from ui.pages.sharing.room_display import clock_text
from ui.pages.sharing.turn_view import limit_words

ORDERINGS = (
    (Ordering.ROTATE, "Rotate: start after last week's first sharer"),
    (Ordering.CHECK_IN, "In the order people arrived"),
    (Ordering.SHUFFLE, "Shuffled"),
)


class QtRoundSetup(QWidget):
    """The page before the round starts. It says what the facilitator chose; the panel acts on it."""

    ordering_changed = Signal()
    auto_fair_changed = Signal(bool)  # the group's "always the fair share", to keep
    sound_changed = Signal(int, bool)  # volume (0–100), muted

    def __init__(self, actions: dict[SharingAction, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._people = 1
        self._group_share = 180
        self._suggested = 180
        self._meeting: int | None = None  # the meeting the values are for
        self._offering = False  # the page, not the facilitator, is setting a value
        self._typed: set[QSpinBox] = set()  # the values the facilitator set for this meeting's round
        self.ordering = named(QComboBox(), "roundOrdering")
        for value, text in ORDERINGS:
            self.ordering.addItem(text, value)
        self.ordering.setToolTip("Who goes first, and in what order")
        self.ordering.currentIndexChanged.connect(lambda _index: self.ordering_changed.emit())
        self.share_length = DurationSpinBox(15)
        self.share_length.setObjectName("roundShareLength")
        self.share_length.setRange(30, 30 * 60)
        self.share_length.setToolTip("Each person's time, in minutes and seconds")
        self.share_length.setAccessibleName("Each share, minutes and seconds")
        self.warning_seconds = named(QSpinBox(), "roundWarning")
        self.warning_seconds.setRange(0, 300)
        self.warning_seconds.setSingleStep(15)
        self.warning_seconds.setSuffix(" s before the end")
        self.warning_seconds.setToolTip("When the display turns to its warning colour and words")
        self.round_minutes = named(QSpinBox(), "roundBudget")
        self.round_minutes.setRange(5, 180)
        self.round_minutes.setSuffix(" min for the round")
        self.round_minutes.setToolTip("Time you have for the whole round; suggests an equal share")
        self.round_minutes.valueChanged.connect(lambda _v: self.suggest())
        self.fair_share = plain_label("")
        self.fair_share.setWordWrap(True)  # a limited share says why in a sentence: it wraps, never cut
        self.use_fair = action_button(actions[SharingAction.FAIR_SHARE], "Use This Share")
        self.auto_fair = named(QCheckBox("Always, for this group"), "autoFairShare")
        self.auto_fair.setToolTip("Give everyone the equal share for the time there is, without asking")
        self.auto_fair.toggled.connect(self._auto_fair_toggled)
        self.chime_on = named(QCheckBox("Soft chime at the warning and at time"), "chimeOn")
        self.chime_on.setToolTip("A gentle sound; the room display always shows the same in colour and words")
        self.volume = named(QSlider(Qt.Orientation.Horizontal), "chimeVolume")
        self.volume.setRange(0, 100)
        self.volume.setAccessibleName("Chime volume")
        self.volume.setToolTip("How loud the chime is")
        self.chime_on.toggled.connect(lambda _on: self._sound_toggled())
        self.volume.valueChanged.connect(lambda _value: self._sound_toggled())
        self.setup_people = plain_label("")
        self.setup_people.setWordWrap(True)
        self.start_button = action_button(actions[SharingAction.START_OR_PAUSE])
        self.start_button.setObjectName("primaryButton")
        for box in (self.share_length, self.warning_seconds, self.round_minutes):
            box.valueChanged.connect(lambda _value, box=box: self._value_set(box))
        self._lay_out()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("&Order:", self.ordering)
        form.addRow("&Each share:", self.share_length)
        form.addRow("&Warning:", self.warning_seconds)
        budget = QHBoxLayout()
        for widget in (self.round_minutes, self.use_fair, self.auto_fair):
            budget.addWidget(widget)
        budget.addStretch(1)
        form.addRow("Time for all:", budget)
        form.addRow("", self.fair_share)  # a row of its own: the whole width to say it in
        sound = QHBoxLayout()
        sound.addWidget(self.chime_on)
        sound.addWidget(self.volume, 1)
        form.addRow("Sound:", sound)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("Sharing round", object_name="sectionTitle"))
        layout.addLayout(form)
        layout.addWidget(self.setup_people)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    # ---- what is shown --------------------------------------------------------------------

    def show_stored(self, *, auto_fair: bool, sound: SoundSettings) -> None:
        """The group's fair-share choice and the chime as stored: showing them writes nothing back."""
        for widget in (self.auto_fair, self.chime_on, self.volume):
            widget.blockSignals(True)
        self.auto_fair.setChecked(auto_fair)
        self.chime_on.setChecked(not sound.muted)
        self.volume.setValue(sound.volume)
        for widget in (self.auto_fair, self.chime_on, self.volume):
            widget.blockSignals(False)

    def prepare(
        self, *, meeting_id: int, share_seconds: int, warning_seconds: int, round_minutes: int, people: int
    ) -> None:
        """A new round's starting values: the group's share and warning, the time the meeting's
        format plans for sharing, and the fair share if the group always wants that. Shown again for
        the same meeting (someone checked in), a value the facilitator set stays as they set it."""
        if meeting_id != self._meeting:
            self._meeting = meeting_id
            self._typed.clear()
        self._people = max(1, people)
        self._group_share = share_seconds
        self._offer(self.share_length, share_seconds)
        self._offer(self.warning_seconds, warning_seconds)
        self.round_minutes.blockSignals(True)
        self._offer(self.round_minutes, round_minutes)
        self.round_minutes.blockSignals(False)
        self.suggest()

    def show_waiting(self, view: RoundView) -> None:
        names = ", ".join(sharer.display_name for sharer in view.waiting)
        self.setup_people.setText(
            f"{len(view.waiting)} to share: {names}." if view.waiting else "Nobody marked here is waiting to share yet."
        )
        self.start_button.setEnabled(bool(view.waiting))

    def suggest(self) -> None:
        fair = suggested_share(self.round_minutes.value() * 60, self._people, self._group_share)
        self._suggested = fair.seconds
        if fair.limited:
            self.fair_share.setText(
                f"{clock_text(fair.seconds)} each for {fair.people}: {limit_words(fair)} "
                f"({clock_text(fair.equal)} each would fit)"
            )
        else:
            self.fair_share.setText(f"about {clock_text(fair.seconds)} each for {fair.people}")
        if self.auto_fair.isChecked():
            self.use_suggestion()

    def use_suggestion(self) -> None:
        self.share_length.setValue(self._suggested)

    def chosen(self) -> tuple[int, int, int]:
        """Each share, the warning and the time for all, in seconds."""
        return self.share_length.value(), self.warning_seconds.value(), self.round_minutes.value() * 60

    def _offer(self, box: QSpinBox, value: int) -> None:
        if box not in self._typed:
            self._offering = True
            box.setValue(value)
            self._offering = False

    def _value_set(self, box: QSpinBox) -> None:
        if not self._offering:
            self._typed.add(box)

    def _auto_fair_toggled(self, on: bool) -> None:
        self.auto_fair_changed.emit(on)
        if on:
            self.use_suggestion()

    def _sound_toggled(self) -> None:
        self.sound_changed.emit(self.volume.value(), not self.chime_on.isChecked())
