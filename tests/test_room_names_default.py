"""A new group shows "Ann L." where the room can see (room display, sign-in sheet), unless the
facilitator chooses full names: privacy first. Groups that exist keep what they have."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from facilitator.rules.groups import create_group, group_info, update_group
from facilitator.storage.database import Database
from facilitator.storage.models import Group
from facilitator.text import NameDisplay
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction
from ui.operations.group_dialog import GroupDialog


def test_a_new_group_shows_first_name_and_initial_by_default(db: Database, cli) -> None:
    with db.begin() as session:
        made = create_group(session, "Tuesday Circle")
        bare = Group(name="Made Elsewhere", share_seconds=180)  # as any other code path would make one
        session.add(bare)
        session.flush()
        assert made.name_display is NameDisplay.FIRST_NAME_INITIAL
        assert bare.name_display is NameDisplay.FIRST_NAME_INITIAL
    assert cli("group", "add", "Thursday Circle").code == 0
    listed = {g["name"]: g["name_display"] for g in json.loads(cli("groups", "--json").out)}
    assert listed["Thursday Circle"] == "first_initial"


def test_a_group_that_shows_full_names_keeps_them(db: Database, qtbot) -> None:
    with db.begin() as session:
        group_id = create_group(session, "Tuesday Circle", name_display=NameDisplay.FULL).id
        update_group(session, group_id, share_minutes=4)
    with db.begin() as session:
        group = group_info(session, group_id)
        assert group.name_display is NameDisplay.FULL
    dialog = GroupDialog(lambda fields: group, group=group)
    qtbot.addWidget(dialog)
    assert dialog.name_display.currentData() == NameDisplay.FULL


def test_the_new_group_dialog_starts_on_first_name_and_initial(db: Database, qtbot) -> None:
    window = shown_window(db, qtbot)
    seen: list[object] = []

    def create(dialog: GroupDialog) -> None:
        seen.append(dialog.name_display.currentData())
        qtbot.keyClicks(dialog.name_edit, "Tuesday Circle")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_modal_opens(qtbot, create, GroupDialog)
    window.actions_by_name[MainAction.NEW_GROUP].trigger()
    assert seen == [NameDisplay.FIRST_NAME_INITIAL]
    assert window.current_group().name_display is NameDisplay.FIRST_NAME_INITIAL
