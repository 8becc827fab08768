"""User text in Qt, always as plain text: Qt guesses "rich text" for labels, tooltips and dialogs."""

import re
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_label(text: str = "", parent: QWidget | None = None, *, object_name: str = "") -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    if object_name:
        label.setObjectName(object_name)
    return label


def window_title(text: str) -> str:
    """A window title showing `text` as typed: "[*]" is Qt's placeholder unless doubled."""
    return text.replace("[*]", "[*][*]")


def action_text(text: str) -> str:
    """Menu or toolbar text showing `text` as typed: a single "&" would make a shortcut."""
    return text.replace("&", "&&")


def without_mnemonic(text: str) -> str:
    """Menu text as read aloud: "&Undo" is "Undo", and "&&" is one "&"."""
    return re.sub(r"&(.)", r"\1", text)


def plain_tooltip(text: str) -> str:
    """A tooltip showing `text` literally (tooltips have no plain-text switch, so it is escaped)."""
    return f"<p style='white-space:pre-wrap'>{escape(text)}</p>"


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
    default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return box


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    yes_text: str,
    no_text: str = "Cancel",
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
    yes_by_default: bool = False,
) -> bool:
    """Ask, with two named answers; True for `yes_text`. The other answer (Esc) does nothing,
    and is the default unless `yes_by_default`: before something the user may regret."""
    box = message_box(
        parent,
        icon,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Yes if yes_by_default else QMessageBox.StandardButton.Cancel,
    )
    box.button(QMessageBox.StandardButton.Yes).setText(yes_text)
    box.button(QMessageBox.StandardButton.Cancel).setText(no_text)
    return box.exec() == QMessageBox.StandardButton.Yes
