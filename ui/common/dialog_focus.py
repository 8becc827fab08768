"""Every dialog opens with the focus where the first typing belongs: its first field.

Qt gives a dialog's focus to the first widget in its tab order that takes it, which is often a
button (a form's buttons are made before its fields): typing a name then presses Cancel at the
first space. One watcher on the application puts the focus in the first field instead, for every
dialog the program opens, unless the dialog has put it in a field itself.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from ui.common.fit import fit_title

# Where typing belongs. A message box is left alone: its buttons are all there is to answer.
FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox)


class QtFirstFieldFocus(QObject):
    """Watches every dialog as it is shown; made once, by `focus_first_fields`."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802  # Qt's name
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog):
            fit_title(watched)  # the one watcher of dialogs as they show: wide enough for their title too
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and not isinstance(watched, QMessageBox):
            focus = watched.focusWidget()
            if focus is None or isinstance(focus, QAbstractButton):
                field = first_field(watched)
                if field is not None:
                    field.setFocus(Qt.FocusReason.TabFocusReason)
        return False


def first_field(dialog: QWidget) -> QWidget | None:
    """The first field of `dialog`, in its tab order, that a person can type into."""
    widget = dialog.nextInFocusChain()
    while widget is not None and widget is not dialog:
        if dialog.isAncestorOf(widget) and widget.isVisibleTo(dialog) and _takes_typing(widget):
            return widget
        widget = widget.nextInFocusChain()
    return None


def focus_first_fields(app: QApplication) -> None:
    """From now on, every dialog of `app` opens with the focus in its first field."""
    if app.findChild(QtFirstFieldFocus) is None:
        app.installEventFilter(QtFirstFieldFocus(app))


def _takes_typing(widget: QWidget) -> bool:
    if not isinstance(widget, FIELDS) or not widget.isEnabled():
        return False
    if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return False
    return not (isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit) and widget.isReadOnly())
