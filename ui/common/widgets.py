"""Small builders for the widgets every page uses, so that they look and behave alike."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import TypeVar, cast

from PySide6.QtCore import QAbstractItemModel, QDate, Qt
from PySide6.QtGui import QAction, QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.dates import EARLIEST, LATEST
from ui.common.columns import ColumnFit
from ui.common.plain import plain_label, without_mnemonic

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """The widget with its object name set (tests and saved state find it by that name). The
    `objectName=` keyword does the same, but PySide6's stubs list it for few classes."""
    widget.setObjectName(name)
    return widget


def button(text: str, tip: str, accessible: str = "") -> QPushButton:
    """A push button that says what it does: a tooltip, and a spoken name without the mnemonic."""
    widget = QPushButton(text)
    widget.setToolTip(tip)
    widget.setAccessibleName(accessible or without_mnemonic(text).rstrip("…"))
    widget.setAutoDefault(False)
    return widget


def action_button(action: QAction) -> QToolButton:
    """A button for an action declared elsewhere: it shows the action's text and tip, triggers it,
    and follows it when it is enabled or disabled."""
    tool = QToolButton()
    tool.setDefaultAction(action)
    tool.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    tool.setAutoRaise(False)
    tool.setObjectName(f"{action.objectName()}Button")
    return tool


def action_buttons(actions: Sequence[QAction]) -> QHBoxLayout:
    """A row of buttons for actions declared elsewhere (see `action_button`)."""
    row = QHBoxLayout()
    for action in actions:
        row.addWidget(action_button(action))
    return row


class NextStep(QFrame):
    """What stands where there is nothing yet to show: a sentence saying what to do next, and the
    actions it names as buttons right under it."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nextStep")
        self.text = plain_label(text, object_name="nextStepText")
        self.text.setWordWrap(True)
        self._buttons = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addLayout(self._buttons)

    def show_step(self, text: str, actions: Sequence[QAction] = ()) -> None:
        self.text.setText(text)
        while (item := self._buttons.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        for action in actions:
            tool = action_button(action)
            self._buttons.addWidget(tool)
            tool.show()  # now, not at the layout's next turn: the page may already be on screen
        self._buttons.addStretch(1)


def date_range(prefix: str, first: date, last: date) -> tuple[QDateEdit, QDateEdit]:
    """Two date pickers for a range (both days included) that can never be back to front, and
    only offer the dates the program keeps."""
    edits = []
    for name, day, spoken in (("From", first, "First day"), ("To", last, "Last day")):
        edit = named(QDateEdit(QDate(day.year, day.month, day.day)), f"{prefix}{name}")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setAccessibleName(spoken)
        edit.setDateRange(
            QDate(EARLIEST.year, EARLIEST.month, EARLIEST.day), QDate(LATEST.year, LATEST.month, LATEST.day)
        )
        edits.append(edit)
    start, end = edits
    end.setMinimumDate(start.date())
    start.dateChanged.connect(end.setMinimumDate)
    return start, end


def picked(edit: QDateEdit) -> date:
    return python_date(edit.date())


def python_date(day: QDate) -> date:
    return cast(date, day.toPython())  # PySide6's stubs type toPython() as any object


def table_view(name: str, accessible: str, model: QAbstractItemModel, *, stretch: int = 0) -> QTableView:
    """A read-only table of whole rows, one selected at a time; column `stretch` is the one long
    text column, which takes the room (the rest fit their content: ui.common.columns)."""
    view = named(QTableView(), name)
    view.setModel(model)  # before the columns are fitted, which needs the model's columns
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    ColumnFit(view, stretch)
    return view


def column_fit(view: QTableView) -> ColumnFit:
    """How the columns of a table made by `table_view` are fitted."""
    fit = view.findChild(ColumnFit)
    assert fit is not None, "a table made by table_view"
    return fit


class DurationSpinBox(QSpinBox):
    """A length of time in seconds, shown and typed as minutes and seconds ("5:30"), stepping
    by `step` seconds. Typing plain minutes ("4") works too."""

    def __init__(self, step: int = 15, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSingleStep(step)
        self.setAccelerated(True)

    def textFromValue(self, value: int) -> str:  # noqa: N802 - Qt's name
        return f"{value // 60}:{value % 60:02d}"

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt's name
        seconds = _duration_seconds(text)
        return self.value() if seconds is None else seconds

    def validate(self, text: str, position: int) -> tuple[QValidator.State, str, int]:
        bare = text.strip()
        if _DURATION.fullmatch(bare) is None:
            return QValidator.State.Invalid, text, position
        seconds = _duration_seconds(bare)
        if seconds is None or not self.minimum() <= seconds <= self.maximum():
            return QValidator.State.Intermediate, text, position
        return QValidator.State.Acceptable, text, position


_DURATION = re.compile(r"\d{0,3}(:\d{0,2})?")


def _duration_seconds(text: str) -> int | None:
    minutes, _, seconds = text.strip().partition(":")
    if not minutes and not seconds:
        return None
    if seconds and int(seconds) > 59:
        return None
    return int(minutes or 0) * 60 + int(seconds or 0)
