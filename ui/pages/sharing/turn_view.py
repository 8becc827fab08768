"""The turn in progress, for the facilitator: who is sharing, the time left, and the turn's controls."""

from __future__ import annotations

from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from facilitator.rules.share_round.keeper import RoundView
from facilitator.rules.share_round.machine import FairShare, Sharer, TurnTiming
from ui.actions import SharingAction, action_button, following_button
from ui.common.plain import plain_label
from ui.common.style import SUBTITLE_POINTS, set_points
from ui.pages.sharing.room_display import BACKGROUND, TEXT, clock_text, phase_words


class QtTurnView(QWidget):
    """The timer face and its buttons; it repaints from the round's own clock when asked."""

    def __init__(self, actions: dict[SharingAction, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sharer = plain_label("", object_name="pageTitle")
        self.time_label = plain_label("", object_name="roundTime")
        # The room display's colours, so the facilitator sees the warning and the time as the room does.
        self.time_label.setAutoFillBackground(True)
        self.time_label.setMargin(8)
        self.phase_label = plain_label("")
        set_points(self.phase_label, SUBTITLE_POINTS)
        self.pause_button = action_button(actions[SharingAction.START_OR_PAUSE], "Pause")
        self.next_button = action_button(actions[SharingAction.NEXT])
        self.pass_button = action_button(actions[SharingAction.PASS])
        self.back_button = following_button(actions[SharingAction.BACK], "Previous Turn")
        self.more_30 = action_button(actions[SharingAction.HALF_MINUTE_MORE])
        self.more_60 = action_button(actions[SharingAction.MINUTE_MORE])
        self.running_fair = plain_label("")
        self.running_fair.setObjectName("runningFairShare")
        self.use_fair_now = action_button(actions[SharingAction.FAIR_SHARE], "Use for Everyone Still to Share")
        controls = QGridLayout()
        for position, each in enumerate(
            (self.pause_button, self.next_button, self.pass_button, self.more_30, self.more_60, self.back_button)
        ):
            controls.addWidget(each, 0, position)
        fair_row = QHBoxLayout()
        fair_row.addWidget(self.running_fair)
        fair_row.addWidget(self.use_fair_now)
        fair_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.sharer, self.time_label, self.phase_label):
            layout.addWidget(widget)
        layout.addLayout(controls)
        layout.addLayout(fair_row)

    def show_view(self, view: RoundView) -> None:
        """The equal share of the time left for whoever is still to share, when the round has a budget."""
        fair = view.fair
        if fair is None:
            self.running_fair.setText("")
            self.use_fair_now.hide()
            return
        each = f"Each share: {clock_text(view.allotment)} · "
        if fair.limited:
            self.running_fair.setText(
                f"{each}fair share of the {clock_text(fair.time_left)} left: "
                f"{clock_text(fair.seconds)} for {fair.people}, {limit_words(fair)}"
            )
        else:
            self.running_fair.setText(
                f"{each}fair share of the time left: {clock_text(fair.seconds)} for {fair.people}"
            )
        self.use_fair_now.setVisible(view.fair_share_offered)

    def show_timing(self, sharer: Sharer, timing: TurnTiming, *, paused: bool) -> None:
        self.sharer.setText(sharer.display_name)
        remaining = timing.remaining
        self.time_label.setText(clock_text(remaining) if remaining > 0 else f"+{clock_text(-remaining)}")
        palette = self.time_label.palette()
        palette.setColor(QPalette.ColorRole.Window, BACKGROUND[timing.phase])
        palette.setColor(QPalette.ColorRole.WindowText, TEXT)
        self.time_label.setPalette(palette)
        words = phase_words(timing) or "Sharing"
        self.phase_label.setText(f"Paused · {words}" if paused else words)
        self.pause_button.setText("Go On" if paused else "Pause")


def limit_words(fair: FairShare) -> str:
    """Why a fair share is less than the time would allow: the group's limit (`FAIR_SHARE_LIMIT`)."""
    return f"at most twice the group's {clock_text(fair.group_share or 0)} share"
