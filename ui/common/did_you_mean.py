"""The question asked before adding a name alike one on the roster: "Did you mean Chloé Martin?"."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QMessageBox, QWidget

from facilitator.rules.participants import NameAlike, names_listed
from ui.common.plain import action_text, message_box


class Meant(enum.Enum):
    EXISTING = enum.auto()  # a person on the roster
    NEW = enum.auto()  # someone new after all
    NEITHER = enum.auto()  # back to the name, nothing done


@dataclass(frozen=True)
class Answer:
    meant: Meant
    person: NameAlike | None = None  # with EXISTING: who


def ask_did_you_mean(
    parent: QWidget | None, title: str, typed: str, alike: Sequence[NameAlike], use_text: Callable[[str], str]
) -> Answer:
    """Ask whether `typed` meant one of the people `alike` (every one of them is offered, each by
    `use_text` of their name). A name the same under the rule cannot be added again, so then the
    only answers are a person on the roster or neither. The first person is the default; Esc is neither."""
    typed = " ".join(typed.split())
    names = [person.display_name for person in alike]
    box = message_box(
        parent,
        QMessageBox.Icon.Question,
        title,
        f"Did you mean {names_listed(names)}?\n\n{_why(typed, alike)}",
        QMessageBox.StandardButton.NoButton,
    )
    uses = [
        (box.addButton(action_text(use_text(name)), QMessageBox.ButtonRole.AcceptRole), p)
        for name, p in zip(names, alike, strict=True)
    ]
    same = any(person.same for person in alike)
    add = None if same else box.addButton(action_text(f"Add “{typed}” Anyway"), QMessageBox.ButtonRole.ActionRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(uses[0][0])
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    for use, person in uses:
        if clicked == use:
            return Answer(Meant.EXISTING, person)
    return Answer(Meant.NEW if add is not None and clicked == add else Meant.NEITHER)


def _why(typed: str, alike: Sequence[NameAlike]) -> str:
    same = [person.display_name for person in alike if person.same]
    if same:
        return (
            f"“{typed}” is the same name as {same[0]}'s, who is on the roster already; "
            "one roster cannot hold the same name twice."
        )
    if len(alike) == 1:
        return (
            f"“{typed}” is close to the name of {alike[0].display_name}, who is on the roster already; "
            "if they are the same person, adding someone new would split their attendance in two."
        )
    names = names_listed([person.display_name for person in alike], "and")
    return (
        f"“{typed}” is close to the names of {names}, who are on the roster already; "
        "if one of them is the same person, adding someone new would split their attendance in two."
    )
