"""Where there is nothing yet to show (no groups, a new group, nobody to reach out to), the page
says what to do next, and the action is a button right there: the window's declared action."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QToolButton, QWidget

from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import close_meeting, open_meeting, open_meeting_of
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction
from ui.shell.main_window import QtMainWindow


def action_buttons_in(window: QtMainWindow, where: QWidget) -> dict[MainAction, QToolButton]:
    """The visible buttons in `where` that stand for one of the window's declared actions."""
    by_action = {action: name for name, action in window.actions_by_name.items()}
    return {
        by_action[tool.defaultAction()]: tool
        for tool in where.findChildren(QToolButton)
        if tool.isVisibleTo(window) and tool.defaultAction() in by_action
    }


def test_with_no_groups_the_window_offers_new_group(db: Database, qtbot) -> None:
    window = shown_window(db, qtbot)
    assert window.welcome_page.isVisible()
    assert window.no_groups.isVisibleTo(window) and not window.group_list.isVisibleTo(window)
    assert window.no_groups.findChild(QWidget, "nextStepText").text() == "No groups yet."
    assert list(action_buttons_in(window, window.no_groups)) == [MainAction.NEW_GROUP]
    triggered: list[bool] = []
    window.actions_by_name[MainAction.NEW_GROUP].triggered.connect(lambda: triggered.append(True))
    opened: list[QDialog] = []
    when_modal_opens(qtbot, lambda dialog: (opened.append(dialog), dialog.reject()), QDialog)
    window.welcome_page.create_button.click()  # the welcome's big button is the same action
    assert triggered == [True] and len(opened) == 1


def test_a_new_groups_overview_offers_its_first_steps(db: Database, qtbot) -> None:
    with db.begin() as session:
        group_id = create_group(session, "Tuesday Circle").id
    window = shown_window(db, qtbot)
    window.actions_by_name[MainAction.SHOW_OVERVIEW].trigger()
    step = window.overview.next_step
    assert step.isVisibleTo(window)
    assert step.findChild(QWidget, "nextStepText").text() == (
        "No one is on the roster yet. Add the people who come on the Roster page, or open tonight's meeting "
        "and add them as they arrive."
    )
    buttons = action_buttons_in(window, step)
    assert list(buttons) == [MainAction.OPEN_MEETING, MainAction.SHOW_ROSTER]
    buttons[MainAction.OPEN_MEETING].click()
    with db.begin() as session:
        assert open_meeting_of(session, group_id) is not None


def test_an_empty_reach_out_list_says_what_to_do(db: Database, qtbot) -> None:
    with db.begin() as session:
        group_id = create_group(session, "Tuesday Circle").id
        ann = add_participant(session, group_id, "Ann Lee").id
    window = shown_window(db, qtbot)
    window.actions_by_name[MainAction.SHOW_HISTORY].trigger()
    history = window.history
    assert history.reach_out_note.text() == "Nobody to reach out to yet: this list fills once the group has met."
    assert list(action_buttons_in(window, history.reach_out_step)) == [MainAction.OPEN_MEETING]

    with db.begin() as session:
        meeting = open_meeting(session, group_id)
        check_in(session, meeting.id, ann)
        close_meeting(session, meeting.id)
    history.refresh()
    assert history.reach_out_note.text() == (
        "Everyone has been seen in the last 4 weeks. To look further back, raise the weeks above."
    )
