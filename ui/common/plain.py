"""User text in Qt, always as plain text: Qt guesses "rich text" for labels, tooltips and dialogs."""

import re
from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QMessageBox, QWidget

from ui.common.fit import fit_title

# Every note field says it: a note outlives the meeting and the next facilitator reads it.
NOTE_REMINDER = "Never what anyone shared."
NOTES_FOR_NEXT_TIME = f"Notes for next time (optional): a room change, something to follow up. {NOTE_REMINDER}"


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
    fit_title(box)
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


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """One line of text typed in answer, or None if the question was cancelled."""
    dialog = _question(parent, title, label)
    dialog.setTextValue(text)
    return dialog.textValue() if dialog.exec() else None


def ask_choice(parent: QWidget | None, title: str, label: str, choices: Sequence[str]) -> int | None:
    """The place in `choices` of the one chosen (two alike are told apart by place), or None."""
    dialog = _question(parent, title, label)
    dialog.setComboBoxItems(list(choices))
    dialog.setComboBoxEditable(False)
    chosen = dialog.findChild(QComboBox)  # made by setComboBoxItems
    return chosen.currentIndex() if dialog.exec() and chosen is not None else None


def ask_number(parent: QWidget | None, title: str, label: str, value: int, least: int, most: int) -> int | None:
    """A whole number from `least` to `most`, or None if the question was cancelled."""
    dialog = _question(parent, title, label)
    dialog.setInputMode(QInputDialog.InputMode.IntInput)
    dialog.setIntRange(least, most)
    dialog.setIntValue(value)
    return dialog.intValue() if dialog.exec() else None


def _question(parent: QWidget | None, title: str, label: str) -> QInputDialog:
    """Qt's one-field question, its words plain text and wide enough for its title."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    for text in dialog.findChildren(QLabel):
        text.setTextFormat(Qt.TextFormat.PlainText)
    fit_title(dialog)
    return dialog
