"""After the round: who shared, who passed and for how long, and a second round for those who passed."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from facilitator.rules.share_round.keeper import RoundView
from ui.actions import SharingAction, following_button
from ui.common.plain import plain_label
from ui.common.widgets import button, named
from ui.pages.sharing.room_display import clock_text


class QtRoundSummary(QWidget):
    def __init__(self, actions: dict[SharingAction, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = named(QListWidget(), "roundSummary")
        self.summary.setAccessibleName("Who shared, who passed, and for how long")
        self.second_round_button = button(
            "Second Round for Those Who Passed", "Offer those who passed a second round now"
        )
        self.back_button = following_button(actions[SharingAction.BACK], "Back to the Last Turn")
        buttons = QHBoxLayout()
        buttons.addWidget(self.second_round_button)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("Round summary (for you, not printed)", object_name="sectionTitle"))
        layout.addWidget(self.summary, 1)
        layout.addLayout(buttons)

    def show_view(self, view: RoundView) -> None:
        self.summary.clear()
        for turn in view.finished:
            used = "passed" if turn.passed else clock_text(turn.seconds_used)
            self.summary.addItem(QListWidgetItem(f"{turn.position + 1}. {turn.sharer.display_name} — {used}"))
        self.second_round_button.setEnabled(bool(view.passed))
