"""What a new user sees before there is any group: what the program is, and one clear first step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.actions import MainAction, keys_text
from ui.common.plain import plain_label
from ui.common.style import NOTE_POINTS, SUBTITLE_POINTS, set_points


class QtWelcomePage(QWidget):
    def __init__(self, data_dir: Path, new_group: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        title = plain_label("Welcome to Facilitator", object_name="pageTitle")
        intro = plain_label(
            "Keep your group's roster, take attendance as people arrive,\n"
            "run fair share rounds and print what you need for the meeting.\n\n"
            "Start by creating the group you facilitate."
        )
        set_points(intro, SUBTITLE_POINTS)
        self.create_button = QPushButton("Create Your First Group…")
        self.create_button.setObjectName("primaryButton")
        self.create_button.setDefault(True)
        keys = keys_text(MainAction.NEW_GROUP)
        self.create_button.setToolTip(f"Name the group, choose how long each person shares ({keys})")
        # The window's own New Group action, so that the button does just what the menu does.
        self.create_button.clicked.connect(new_group.trigger)
        privacy = plain_label(
            f"Everything you enter stays on this computer, in {data_dir}. "
            "Facilitator has no account and never uses the network."
        )
        privacy.setWordWrap(True)
        set_points(privacy, NOTE_POINTS)
        privacy.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        column = QVBoxLayout()
        column.setSpacing(18)
        column.addStretch(1)
        column.addWidget(title)
        column.addWidget(intro)
        column.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addSpacing(12)
        column.addWidget(privacy)
        column.addStretch(2)
        holder = QWidget()
        holder.setFixedWidth(560)
        holder.setLayout(column)

        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(holder)
        layout.addStretch(1)
