"""The dialog that creates a group or changes its name, share length and description."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from facilitator.errors import user_message
from facilitator.groups import SHARE_MINUTES_RANGE, GroupInfo
from facilitator.models import GROUP_NAME_MAX
from ui.plain import plain_label

SaveGroup = Callable[[str, int, str], GroupInfo]


class GroupDialog(QDialog):
    """Asks for the group's details and hands them to `save`; a refusal is shown in the dialog."""

    def __init__(self, save: SaveGroup, parent: QWidget | None = None, *, group: GroupInfo | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupDialog")
        self.setWindowTitle("Group Settings" if group else "New Group")
        self._save = save
        self.saved: GroupInfo | None = None

        self.name_edit = QLineEdit(group.name if group else "")
        self.name_edit.setObjectName("groupName")
        self.name_edit.setMaxLength(GROUP_NAME_MAX)
        self.name_edit.setPlaceholderText("For example: Tuesday Evening Recovery Group")
        self.share_spin = QSpinBox()
        self.share_spin.setObjectName("shareMinutes")
        self.share_spin.setRange(SHARE_MINUTES_RANGE.start, SHARE_MINUTES_RANGE.stop - 1)
        self.share_spin.setValue(round(group.share_minutes) if group else 3)
        self.share_spin.setSuffix(" min")
        self.share_spin.setToolTip("How long each member may share in the round")
        self.description_edit = QPlainTextEdit(group.description if group else "")
        self.description_edit.setObjectName("groupDescription")
        self.description_edit.setPlaceholderText("Who the group is for (optional)")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(80)
        self.error_label = plain_label("", object_name="dialogError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Share length:", self.share_spin)
        form.addRow("&Description:", self.description_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Create Group" if group is None else "Save")
        self.name_edit.textChanged.connect(lambda text: self.save_button.setEnabled(bool(text.strip())))
        self.save_button.setEnabled(bool(self.name_edit.text().strip()))

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        try:
            self.saved = self._save(self.name_edit.text(), self.share_spin.value(), self.description_edit.toPlainText())
        except Exception as exc:
            message = user_message(exc)
            if message is None:
                raise
            self.error_label.setText(message)
            self.error_label.show()
            self.name_edit.setFocus()
            return
        super().accept()
