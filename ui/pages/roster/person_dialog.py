"""The dialog that adds a person to a roster or corrects their name and private note."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from facilitator.storage.models import DISPLAY_NAME_MAX
from ui.common.form_dialog import FormDialog, name_field, text_field
from ui.common.plain import NOTE_REMINDER

SavePerson = Callable[[str, str], Any]


class PersonDialog(FormDialog):
    def __init__(
        self, save: SavePerson, parent: QWidget | None = None, *, name: str = "", note: str = "", adding: bool = True
    ) -> None:
        self.name_edit = name_field(name, DISPLAY_NAME_MAX, "First name or initials are enough", "personName")
        super().__init__("Add Person" if adding else "Edit Person", "Add" if adding else "Save", self.name_edit, parent)
        self.setObjectName("personDialog")
        self._save_person = save
        self.note_edit = text_field(
            note, f"Private, seen only by facilitators: practical things (optional). {NOTE_REMINDER}", "personNote"
        )
        self.form.addRow("&Name:", self.name_edit)
        self.form.addRow("Private &note:", self.note_edit)

    def save(self) -> Any:
        return self._save_person(self.name_edit.text(), self.note_edit.toPlainText())
