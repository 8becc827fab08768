"""The Meeting page while no meeting is open: the topic guide and format to open one with, and Open."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QVBoxLayout, QWidget

from facilitator.rules.groups import GroupInfo
from facilitator.rules.guides import GuideChoice, Suggestion
from ui.actions import MainAction, tip
from ui.common.plain import plain_label
from ui.common.style import SUBTITLE_POINTS, set_points
from ui.common.widgets import button, named

# The topic guides and the formats to choose from, and the suggestion of each.
Choices = tuple[list[GuideChoice], list[GuideChoice], Suggestion | None, Suggestion | None]


class QtMeetingChoices(QWidget):
    """What tonight's meeting will use, the suggestions chosen until the facilitator chooses."""

    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.no_meeting_title = plain_label("No meeting is open", object_name="sectionTitle")
        self.no_meeting_text = plain_label("When people start to arrive, open tonight's meeting and mark them here.")
        set_points(self.no_meeting_text, SUBTITLE_POINTS)
        self.guide_choice = named(QComboBox(), "guideChoice")
        self.guide_choice.setAccessibleName("Topic guide for the meeting")
        self.guide_choice.setToolTip("The topic guide the meeting will use (optional)")
        self.format_choice = named(QComboBox(), "formatChoice")
        self.format_choice.setAccessibleName("Meeting format")
        self.format_choice.setToolTip("The parts of the meeting and what to read in each (optional)")
        for box in (self.guide_choice, self.format_choice):
            box.activated.connect(lambda _index, box=box: box.setProperty("chosen", True))
        self.choices = QFormLayout()
        self.choices.addRow("&Topic:", self.guide_choice)
        self.choices.addRow("Fo&rmat:", self.format_choice)
        self.open_button = button("Open Tonight's Meeting", tip(MainAction.OPEN_MEETING.value))
        self.open_button.setObjectName("primaryButton")
        self.open_button.clicked.connect(self.open_requested)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.no_meeting_title, self.no_meeting_text):
            layout.addWidget(widget)
        layout.addLayout(self.choices)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(2)

    def show_group(self, group: GroupInfo, choices: Choices | None) -> None:
        """No meeting of `group` is open; `choices` (when read) fill the boxes."""
        self.no_meeting_title.setText(f"No meeting of {group.name} is open")
        if choices is not None:
            topics, formats, topic, format_ = choices
            self._fill_choice(self.guide_choice, "No topic guide", topics, topic)
            self._fill_choice(self.format_choice, "No format", formats, format_)
        self.open_button.setEnabled(not group.archived)

    def chosen(self) -> tuple[str | None, str | None]:
        """The slugs of the topic guide and the format chosen (None for none)."""
        return self.guide_choice.currentData(), self.format_choice.currentData()

    def forget_choices(self) -> None:
        """The next meeting starts from fresh suggestions."""
        for box in (self.guide_choice, self.format_choice):
            box.setProperty("chosen", False)

    @staticmethod
    def _fill_choice(box: QComboBox, none: str, choices: list[GuideChoice], suggested: Suggestion | None) -> None:
        """The library's guides of one kind, the suggested one marked. What the facilitator chose
        stays chosen; until they choose, the suggestion is."""
        chosen = box.currentData() if box.property("chosen") else None
        box.blockSignals(True)
        box.clear()
        box.addItem(none, None)
        for choice in choices:
            if suggested is not None and choice.slug == suggested.slug:
                box.addItem(f"{choice.title} (suggested: {suggested.reason})", choice.slug)
            else:
                box.addItem(choice.title, choice.slug)
        keep = box.findData(chosen) if chosen is not None else -1
        box.setCurrentIndex(keep if keep >= 0 else max(0, box.findData(suggested.slug)) if suggested else 0)
        box.blockSignals(False)
