"""The roster page: who is in the group, with search, adding, editing, removing and importing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from facilitator.plurals import counted
from facilitator.rules.groups import GroupInfo
from facilitator.rules.participants import (
    add_participant,
    add_to_group,
    list_participants,
    names_alike_on_roster,
    people_outside,
    remove_from_roster,
    update_participant,
)
from facilitator.text import invisible_left_out
from ui.common.did_you_mean import Meant, ask_did_you_mean
from ui.common.plain import ask_choice, confirm, message_box, plain_label
from ui.common.widgets import button, named, table_view
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations, Session
from ui.pages.roster.person_dialog import PersonDialog
from ui.pages.roster.roster_model import PARTICIPANT_ID_ROLE, RosterFilter, RosterModel

CONCERNS = Change.ROSTER | Change.ATTENDANCE | Change.MEETING


class QtRosterPanel(QWidget):
    history_requested = Signal(int)  # participant id
    import_requested = Signal()
    export_requested = Signal()
    forget_requested = Signal(int)  # participant id: delete them and everything about them

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rosterPanel")
        self._operations = operations
        self.group: GroupInfo | None = None

        self.title = plain_label("", object_name="sectionTitle")
        self.search = named(QLineEdit(), "rosterSearch")
        self.search.setPlaceholderText("Find a person by name")
        self.search.setAccessibleName("Find a person on the roster")
        self.search.setClearButtonEnabled(True)
        self.former = named(QCheckBox("Show people who have left"), "showFormer")
        self.former.setToolTip("People taken off the roster; their attendance is kept")
        self.former.toggled.connect(lambda _on: self.refresh())
        self._build_table()
        buttons = self._build_buttons()
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.former)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def _build_table(self) -> None:
        """The roster, narrowed by the search; Enter or a double click shows the person's history."""
        self.model = RosterModel(self)
        self.filter = RosterFilter(self)
        self.filter.setSourceModel(self.model)
        self.search.textChanged.connect(self.filter.set_search)
        self.view = table_view("rosterTable", "Roster", self.filter, stretch=1)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(lambda _index: self.show_history())
        self.view.activated.connect(lambda _index: self.show_history())
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())

    def _build_buttons(self) -> QGridLayout:
        self.add_button = button("&Add Person…", "Add someone to the roster")
        self.from_group_button = button("From Another &Group…", "Add someone already on another group's roster")
        self.edit_button = button("E&dit…", "Correct the name or the private note")
        self.remove_button = button("&Remove from Roster…", "They leave the roster; their attendance is kept")
        self.back_button = button("Add &Back", "Put someone who left back on the roster")
        self.history_button = button("Hi&story…", "Their attendance over time, across their groups (Enter)")
        self.import_button = button("&Import…", "Add names from a CSV file, with a preview first")
        self.export_button = button("E&xport…", "Save the roster as a CSV file")
        self.forget_button = button(
            "Dele&te Person's Records…", "When someone asks: delete all their records, in every group"
        )
        self.forget_button.clicked.connect(self._forget)
        self.add_button.clicked.connect(self.add_person)
        self.from_group_button.clicked.connect(self.add_from_another_group)
        self.edit_button.clicked.connect(self.edit_person)
        self.remove_button.clicked.connect(self.remove_person)
        self.back_button.clicked.connect(self.add_back)
        self.history_button.clicked.connect(self.show_history)
        self.import_button.clicked.connect(self.import_requested)
        self.export_button.clicked.connect(self.export_requested)
        buttons = QGridLayout()
        for position, each in enumerate(
            (
                self.add_button,
                self.edit_button,
                self.history_button,
                self.import_button,
                self.from_group_button,
                self.remove_button,
                self.back_button,
                self.export_button,
                self.forget_button,
            )
        ):
            buttons.addWidget(each, position // 4, position % 4)
        return buttons

    def show_group(self, group: GroupInfo | None) -> None:
        self.group = group
        self.refresh()

    def refresh(self) -> None:
        group = self.group
        if group is None:
            return
        former = self.former.isChecked()
        people = self._operations.run(lambda session: list_participants(session, group.id, former=former))
        if people is REFUSED:
            return
        self.model.set_rows(people)
        what = "have left" if former else "on the roster"
        self.title.setText(f"{counted(len(people), 'person')} {what}")
        editable = not group.archived
        for each in (self.add_button, self.from_group_button, self.import_button):
            each.setEnabled(editable and not former)
        self._update_buttons()

    def selected_person_id(self) -> int | None:
        """The person in the current row, if any: the one an attendance letter is first offered for."""
        index = self.view.currentIndex()
        return index.data(PARTICIPANT_ID_ROLE) if index.isValid() else None

    def _select(self, person_id: int) -> None:
        """Make this person the current row (the one just added, or the one meant)."""
        found = self.filter.match(self.filter.index(0, 0), PARTICIPANT_ID_ROLE, person_id, 1, Qt.MatchFlag.MatchExactly)
        if found:
            self.view.setCurrentIndex(found[0])

    def _update_buttons(self) -> None:
        chosen = self.selected_person_id() is not None
        former = self.former.isChecked()
        editable = self.group is not None and not self.group.archived
        self.edit_button.setEnabled(chosen and editable)
        self.remove_button.setEnabled(chosen and editable and not former)
        self.forget_button.setEnabled(chosen)
        self.back_button.setVisible(former)
        self.back_button.setEnabled(chosen and editable)
        self.history_button.setEnabled(chosen)

    def on_changes(self, changes: Change, initiator: object | None) -> None:
        if initiator is not self and changes & CONCERNS and self.isVisible():
            self.refresh()

    def shut_down(self) -> None:
        """Nothing runs here between actions."""

    def _write(self, work: Callable[[Session], object]) -> bool:
        """A change to the roster, said to every page; True when it was made."""
        return self._operations.run(work, Change.ROSTER, self) is not REFUSED

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # ---- actions --------------------------------------------------------------------------

    def add_person(self) -> None:
        group = self.group
        if group is None:
            return

        def save(name: str, note: str) -> object:
            alike = self._operations.run_or_raise(lambda session: names_alike_on_roster(session, group.id, name))
            if alike:
                answer = ask_did_you_mean(dialog, "Add Person", name, alike, lambda meant: f"Use {meant}")
                if answer.meant is not Meant.NEW:
                    return answer.person  # None: back to the name
            added = self._operations.run_or_raise(
                lambda session: add_participant(session, group.id, name, note=note), Change.ROSTER, self
            )
            self._say_invisible_left_out(name)
            return added

        dialog = PersonDialog(save, self)
        if dialog.exec():
            self.refresh()
            self._select(dialog.saved.id)

    def edit_person(self) -> None:
        person_id = self.selected_person_id()
        if person_id is None:
            return
        person = self.model.row_at(self.filter.mapToSource(self.view.currentIndex()).row())

        def save(name: str, note: str) -> object:
            return self._operations.run_or_raise(
                lambda session: update_participant(session, person_id, display_name=name, note=note),
                Change.ROSTER,
                self,
            )

        dialog = PersonDialog(save, self, name=person.display_name, note=person.note or "", adding=False)
        if dialog.exec():
            self._say_invisible_left_out(dialog.name_edit.text())
            self.refresh()

    def _say_invisible_left_out(self, typed: str) -> None:
        if word := invisible_left_out(typed, "the name"):
            self._operations.say(word)

    def remove_person(self) -> None:
        group, person_id = self.group, self.selected_person_id()
        if group is None or person_id is None:
            return
        person = self.model.row_at(self.filter.mapToSource(self.view.currentIndex()).row())
        if not confirm(
            self,
            "Remove from Roster",
            f"Take “{person.display_name}” off the roster of {group.name}?\n\n"
            "Their attendance stays in the records, and “Show people who have left” can add them back.",
            "Remove",
        ):
            return
        if self._write(lambda session: remove_from_roster(session, group.id, person_id)):
            self.refresh()

    def _forget(self) -> None:
        person_id = self.selected_person_id()
        if person_id is not None:
            self.forget_requested.emit(person_id)

    def add_back(self) -> None:
        group, person_id = self.group, self.selected_person_id()
        if group is None or person_id is None:
            return
        if self._write(lambda session: add_to_group(session, person_id, group.id)):
            self.refresh()

    def add_from_another_group(self) -> None:
        group = self.group
        if group is None:
            return
        people = self._operations.run(lambda session: people_outside(session, group.id))
        if people is REFUSED:
            return
        if not people:
            message_box(self, QMessageBox.Icon.Information, "Add Person", "Nobody from other groups to add.").exec()
            return
        labels = [f"{person.display_name} ({', '.join(person.groups)})" for person in people]
        place = ask_choice(self, "Add from Another Group", "Person:", labels)
        if place is None:
            return
        chosen = people[place]
        if self._write(lambda session: add_to_group(session, chosen.id, group.id)):
            self.refresh()

    def show_history(self) -> None:
        person_id = self.selected_person_id()
        if person_id is not None:
            self.history_requested.emit(person_id)
