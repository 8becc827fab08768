"""The dialog that creates a group or changes its settings: name, usual day, time and place, share
length, name display, whether handouts name the group, and description."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox, QWidget

from facilitator.rules.groups import SHARE_MINUTES_RANGE, WEEKDAYS, GroupFields, GroupInfo
from facilitator.storage.models import GROUP_NAME_MAX, PLACE_MAX
from facilitator.text import NEW_GROUP_NAME_DISPLAY, NameDisplay
from ui.common.form_dialog import FormDialog, name_field, text_field
from ui.common.widgets import named

SaveGroup = Callable[[GroupFields], GroupInfo]

NAME_DISPLAY_CHOICES = (
    (NameDisplay.FULL, "Full name as entered"),
    (NameDisplay.FIRST_NAME_INITIAL, "First name and initial (Ann L.)"),
    (NameDisplay.INITIALS, "Initials only (A. L.)"),
)


class GroupDialog(FormDialog):
    """Asks for the group's settings and hands them to `save`; a refusal is shown in the dialog."""

    saved: GroupInfo | None

    def __init__(self, save: SaveGroup, parent: QWidget | None = None, *, group: GroupInfo | None = None) -> None:
        self.name_edit = name_field(
            group.name if group else "", GROUP_NAME_MAX, "For example: Tuesday Evening Recovery Group", "groupName"
        )
        super().__init__(
            "Group Settings" if group else "New Group", "Save" if group else "Create Group", self.name_edit, parent
        )
        self.setObjectName("groupDialog")
        self._save_group = save
        # The first choice is "no usual day"; the others are the weekdays from Monday, one place on.
        self.weekday = QComboBox()
        self.weekday.setObjectName("meetingWeekday")
        self.weekday.addItems(["No usual day", *WEEKDAYS])
        if group is not None and group.meeting_weekday is not None:
            self.weekday.setCurrentIndex(group.meeting_weekday + 1)
        usual_time = group.meeting_time if group else None
        self.time_edit = name_field(
            f"{usual_time:%H:%M}" if usual_time is not None else "", 20, "For example: 19:00", "meetingTime"
        )
        self.place_edit = name_field(
            group.place if group else "", PLACE_MAX, "For example: St Mark's Hall", "meetingPlace"
        )
        self.share_spin = named(QSpinBox(), "shareMinutes")
        self.share_spin.setRange(SHARE_MINUTES_RANGE.start, SHARE_MINUTES_RANGE.stop - 1)
        self.share_spin.setValue(round(group.share_minutes) if group else 3)
        self.share_spin.setSuffix(" min")
        self.share_spin.setToolTip("How long each member may share in the round")
        self.name_display = named(QComboBox(), "nameDisplay")
        for value, text in NAME_DISPLAY_CHOICES:
            self.name_display.addItem(text, value)
        self.name_display.setCurrentIndex(
            self.name_display.findData(group.name_display if group else NEW_GROUP_NAME_DISPLAY)
        )
        self.name_display.setToolTip("How names appear where the room can see them: the timer screen, sign-in sheets")
        self.handout_names_group = named(QCheckBox("Print the group's name on &handouts"), "handoutNamesGroup")
        self.handout_names_group.setChecked(group.handout_names_group if group else False)
        self.handout_names_group.setToolTip(
            "Handouts go home with people. Left unticked, they show the date and topic but not the "
            "group's name, which could tell whoever finds one what the group is for."
        )
        self.description_edit = text_field(
            group.description if group else "", "Who the group is for (optional)", "groupDescription"
        )
        self.form.addRow("&Name:", self.name_edit)
        self.form.addRow("Usual da&y:", self.weekday)
        self.form.addRow("Usual &time:", self.time_edit)
        self.form.addRow("&Place:", self.place_edit)
        self.form.addRow("&Share length:", self.share_spin)
        self.form.addRow("Names the &room sees:", self.name_display)
        self.form.addRow("", self.handout_names_group)
        self.form.addRow("&Description:", self.description_edit)

    def save(self) -> GroupInfo:
        return self._save_group(
            GroupFields(
                name=self.name_edit.text(),
                share_minutes=self.share_spin.value(),
                description=self.description_edit.toPlainText(),
                name_display=self.name_display.currentData(),
                meeting_weekday=self.weekday.currentIndex() - 1 if self.weekday.currentIndex() > 0 else None,
                meeting_time=self.time_edit.text(),
                place=self.place_edit.text(),
                handout_names_group=self.handout_names_group.isChecked(),
            )
        )
