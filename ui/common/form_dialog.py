"""A small form dialog whose Save hands the fields to the core; a refusal stays in the dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.errors import user_message
from ui.common.fit import fit_title
from ui.common.plain import plain_label


def name_field(text: str, max_length: int, placeholder: str, object_name: str) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setObjectName(object_name)
    edit.setMaxLength(max_length)
    edit.setPlaceholderText(placeholder)
    return edit


def text_field(text: str, placeholder: str, object_name: str) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setObjectName(object_name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(80)
    return edit


class FormDialog(QDialog):
    """Rows of fields, an error line and Save/Cancel. `save()` returns what was saved or raises."""

    def __init__(self, title: str, save_text: str, required: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.saved: Any = None
        self.form = QFormLayout()
        self.error_label = plain_label("", object_name="dialogError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(save_text)
        self._required = required
        required.textChanged.connect(lambda text: self.save_button.setEnabled(bool(text.strip())))
        self.save_button.setEnabled(bool(required.text().strip()))
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        fit_title(self)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802  # Qt's name
        """Open with the focus in the first field. The buttons were made before the subclass's
        fields, so Qt's own choice would be a button, and typing "Ann Lee" would press it."""
        super().showEvent(event)
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            field = item.widget() if item is not None else None
            if field is not None and field.isEnabled() and field.focusPolicy() & Qt.FocusPolicy.TabFocus:
                field.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def save(self) -> Any:
        """What was saved; None when nothing was, as the user went back to the fields."""
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.saved = self.save()
        except Exception as exc:
            message = user_message(exc)
            if message is None:
                raise
            self.error_label.setText(message)
            self.error_label.show()
            self._required.setFocus()
            return
        if self.saved is None:
            self._required.setFocus()
            return
        super().accept()
