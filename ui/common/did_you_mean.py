"""The question asked before adding a name alike one on the roster: "Did you mean Chloé Martin?"."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QMessageBox, QWidget

from facilitator.rules.participants import NameAlike
from ui.common.plain import action_text, message_box


class Meant(enum.Enum):
    EXISTING = enum.auto()  # the person on the roster
    NEW = enum.auto()  # someone new after all
    NEITHER = enum.auto()  # back to the name, nothing done


def ask_did_you_mean(parent: QWidget | None, title: str, typed: str, alike: NameAlike, use_text: str) -> Meant:
    """Ask whether `typed` meant the person `alike` (`use_text` names that answer). A name the same
    under the rule cannot be added again, so then the only answers are that person or neither.
    The person on the roster is the default; Esc is neither."""
    typed = " ".join(typed.split())
    name = alike.display_name
    if alike.same:
        why = (
            f"“{typed}” is the same name as {name}'s, who is on the roster already; "
            "one roster cannot hold the same name twice."
        )
    else:
        why = (
            f"“{typed}” is close to the name of {name}, who is on the roster already; "
            "if they are the same person, adding someone new would split their attendance in two."
        )
    box = message_box(
        parent, QMessageBox.Icon.Question, title, f"Did you mean {name}?\n\n{why}", QMessageBox.StandardButton.NoButton
    )
    use = box.addButton(action_text(use_text), QMessageBox.ButtonRole.AcceptRole)
    add = None if alike.same else box.addButton(action_text(f"Add “{typed}” Anyway"), QMessageBox.ButtonRole.ActionRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(use)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked == use:
        return Meant.EXISTING
    return Meant.NEW if add is not None and clicked == add else Meant.NEITHER
