"""Groups from the window: create one, change its settings, archive it and bring it back."""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from facilitator.plurals import counted
from facilitator.rules.groups import GroupFields, GroupInfo
from ui.common.plain import confirm
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations


class GroupOperations(QObject):
    def __init__(self, operations: Operations, parent: QWidget) -> None:
        super().__init__(parent)
        self._operations = operations
        self._parent = parent

    def new_group(self) -> GroupInfo | None:
        """The group created, or None if the facilitator cancelled."""
        from facilitator.rules.groups import create_group
        from ui.operations.group_dialog import GroupDialog

        def save(fields: GroupFields) -> GroupInfo:
            return self._operations.run_or_raise(lambda session: create_group(session, **asdict(fields)), Change.GROUPS)

        dialog = GroupDialog(save, self._parent)
        if dialog.exec() and dialog.saved is not None:
            self._operations.say(f"Created {dialog.saved.name}.")
            return dialog.saved
        return None

    def edit_group(self, group: GroupInfo) -> None:
        from facilitator.rules.groups import update_group
        from ui.operations.group_dialog import GroupDialog

        if group.archived:
            return

        def save(fields: GroupFields) -> GroupInfo:
            return self._operations.run_or_raise(
                lambda session: update_group(session, group.id, **asdict(fields)), Change.GROUPS
            )

        dialog = GroupDialog(save, self._parent, group=group)
        if dialog.exec() and dialog.saved is not None:
            self._operations.say(f"Saved {dialog.saved.name}.")

    def archive_group(self, group: GroupInfo) -> None:
        from facilitator.rules.groups import archive_group

        if group.archived or not confirm(
            self._parent,
            "Archive Group",
            f"Archive “{group.name}”?\n\nIt leaves the list of groups. Its {counted(group.meeting_count, 'meeting')} "
            "and all attendance are kept, and View → Show Archived Groups brings it back.",
            "Archive",
        ):
            return
        if self._operations.run(lambda session: archive_group(session, group.id), Change.GROUPS) is not REFUSED:
            self._operations.say(f"Archived {group.name}.")

    def restore_group(self, group: GroupInfo) -> None:
        from facilitator.rules.groups import restore_group

        if not group.archived:
            return
        if self._operations.run(lambda session: restore_group(session, group.id), Change.GROUPS) is not REFUSED:
            self._operations.say(f"Restored {group.name}.")
