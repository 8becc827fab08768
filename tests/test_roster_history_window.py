"""The Roster and History pages, the import preview, corrections and a person's history."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget

from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import close_meeting, meeting_info, open_meeting
from facilitator.rules.participants import add_participant, list_participants, remove_from_roster, update_participant
from facilitator.storage.database import Database
from facilitator.storage.models import AttendanceStatus
from tests.conftest import HOSTILE_NAME
from tests.window_helpers import when_modal_opens
from ui.actions import MainAction
from ui.app import application
from ui.operations.import_dialog import QtImportDialog
from ui.pages.history.meeting_dialog import QtMeetingDialog
from ui.pages.history.participant_dialog import QtParticipantDialog
from ui.pages.roster.person_dialog import PersonDialog
from ui.shell.main_window import QtMainWindow


@pytest.fixture
def ids(db: Database) -> dict[str, int]:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        found = {"group": group.id, "other": create_group(session, "Saturday Group").id}
        for name in ("Ann", "Bo", HOSTILE_NAME):
            found[name] = add_participant(session, group.id, name, joined_on=date(2025, 1, 1)).id
        found["Eve"] = add_participant(session, found["other"], "Eve").id
        for week in range(12):
            moment = datetime(2025, 3, 4, 19, 0).astimezone() + timedelta(weeks=week)
            meeting = open_meeting(session, group.id, now=moment)
            check_in(session, meeting.id, found["Ann"], now=moment)
            if week % 3 == 0:
                check_in(session, meeting.id, found["Bo"], now=moment)
            close_meeting(session, meeting.id, now=moment + timedelta(hours=1))
            found["last meeting"] = meeting.id
        return found


@pytest.fixture
def window(db: Database, ids: dict[str, int], qtbot):
    application()
    main = QtMainWindow.with_records(db)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.group_list.setCurrentIndex(main.group_model.index(main.group_model.row_of(ids["group"])))  # type: ignore[arg-type]  # listed
    yield main
    main.close()


def roster_names(window: QtMainWindow) -> list[str]:
    view = window.roster.filter
    return [view.index(row, 0).data() for row in range(view.rowCount())]


def test_the_roster_page_lists_searches_and_sorts(window, qtbot) -> None:
    window.actions_by_name[MainAction.SHOW_ROSTER].trigger()
    assert window.current_page() is window.roster
    assert roster_names(window) == [HOSTILE_NAME, "Ann", "Bo"]
    assert window.roster.title.text() == "3 people on the roster"
    window.actions_by_name[MainAction.FIND_PERSON].trigger()
    qtbot.keyClicks(window.roster.search, "an")
    assert roster_names(window) == ["Ann"]
    window.roster.search.clear()
    window.roster.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # most meetings attended first
    assert roster_names(window) == ["Ann", "Bo", HOSTILE_NAME]


def test_tooltips_hold_whole_what_a_narrow_column_cuts_short(window, db: Database, ids: dict[str, int]) -> None:
    with db.begin() as session:
        update_participant(session, ids[HOSTILE_NAME], display_name=HOSTILE_NAME, note="shares last")
        moment = datetime(2025, 6, 3, 19, 0).astimezone()
        meeting = open_meeting(session, ids["group"], guide_slug="relapse-prevention", now=moment)
        close_meeting(session, meeting.id, now=moment + timedelta(hours=1))
    window.show_page(window.roster)
    window.roster.refresh()
    row = roster_names(window).index(HOSTILE_NAME)
    name_tip, note_tip = (window.roster.filter.index(row, c).data(Qt.ItemDataRole.ToolTipRole) for c in (0, 1))
    assert "&lt;b&gt;" in name_tip and "shares last" not in name_tip  # the name, as text, not markup
    assert "shares last" in note_tip
    window.show_page(window.history)
    window.history.refresh()
    meetings = window.history.model
    topics = [meetings.index(r, 1).data(Qt.ItemDataRole.ToolTipRole) for r in range(meetings.rowCount())]
    assert sum(tip is not None and meeting.guide_title in tip for tip in topics) == 1
    assert topics.count(None) == 12  # the meetings with no topic, notes or correction


def test_add_edit_and_remove_a_person(window, db: Database, ids: dict[str, int], qtbot) -> None:
    window.show_page(window.roster)
    roster = window.roster

    def fill(name: str, note: str):
        def act(dialog: QWidget) -> None:
            assert isinstance(dialog, PersonDialog)
            dialog.name_edit.setText(name)
            dialog.note_edit.setPlainText(note)
            dialog.save_button.click()

        return act

    when_modal_opens(qtbot, fill("Cy", "uses the side door"))
    qtbot.mouseClick(roster.add_button, Qt.MouseButton.LeftButton)
    assert "Cy" in roster_names(window)

    roster.view.setCurrentIndex(roster.filter.index(roster_names(window).index("Cy"), 0))
    when_modal_opens(qtbot, fill("Cy K.", "uses the side door"))
    qtbot.mouseClick(roster.edit_button, Qt.MouseButton.LeftButton)
    roster.view.setCurrentIndex(roster.filter.index(roster_names(window).index("Cy K."), 0))

    def confirm(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and "Cy K." in box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    when_modal_opens(qtbot, confirm)
    qtbot.mouseClick(roster.remove_button, Qt.MouseButton.LeftButton)
    assert "Cy K." not in roster_names(window)
    roster.former.setChecked(True)
    assert roster_names(window) == ["Cy K."]
    roster.view.setCurrentIndex(roster.filter.index(0, 0))
    qtbot.mouseClick(roster.back_button, Qt.MouseButton.LeftButton)
    roster.former.setChecked(False)
    with db.begin() as session:
        notes = {p.display_name: p.note for p in list_participants(session, ids["group"])}
    assert notes["Cy K."] == "uses the side door"


def test_a_person_from_another_group_joins_this_one(window, db: Database, ids: dict[str, int], qtbot) -> None:
    window.show_page(window.roster)

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        assert dialog.comboBoxItems() == ["Eve (Saturday Group)"]
        dialog.accept()

    when_modal_opens(qtbot, choose)
    qtbot.mouseClick(window.roster.from_group_button, Qt.MouseButton.LeftButton)
    assert "Eve" in roster_names(window)


def test_import_preview_then_import(window, db: Database, ids: dict[str, int], tmp_path: Path, qtbot) -> None:
    csv_file = tmp_path / "members.csv"
    csv_file.write_bytes(
        "First name;Surname;Notes\r\nann;;\r\nZoë;Nowak;\r\nJosé;;prefers Joe\r\nBO;;\r\n".encode("cp1252")
    )
    with db.begin() as session:
        remove_from_roster(session, ids["group"], ids["Bo"], on=date(2025, 6, 3))
    dialogs: list[QtImportDialog] = []

    def look_then_import(dialog: QWidget) -> None:
        assert isinstance(dialog, QtImportDialog)
        dialogs.append(dialog)
        rows = [[dialog.model.index(r, c).data() for c in range(4)] for r in range(dialog.model.rowCount())]
        assert rows[0] == ["2", "ann", "", "already on the roster"]
        assert rows[1][1:] == ["Zoë Nowak", "", "new"]
        assert rows[3] == ["5", "BO", "", "back on the roster (left 3 Jun 2025)"]
        assert dialog.summary.text().startswith("2 new · 1 back on the roster · 1 already on the roster")
        assert "Windows-1252" in dialog.file_label.text()
        assert dialog.import_button.text() == "Import 3 People"
        dialog.import_button.click()

    when_modal_opens(qtbot, look_then_import)
    window.import_roster(csv_file)
    assert dialogs and dialogs[0].result is not None
    assert window.current_page() is window.roster
    assert window.statusBar().currentMessage() == "Added 3 people to Tuesday Circle."
    assert set(roster_names(window)) == {HOSTILE_NAME, "Ann", "Bo", "Zoë Nowak", "José"}


def test_an_import_with_a_problem_cannot_be_imported(db: Database, ids: dict[str, int], qtbot, tmp_path: Path) -> None:
    from facilitator.rules.groups import group_info
    from ui.operations.runner import Operations

    application()
    parent = QWidget()
    qtbot.addWidget(parent)
    with db.begin() as session:
        group = group_info(session, ids["group"])
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Name,Note\nDee,ok\n\x1b[2J,x\n")
    dialog = QtImportDialog(Operations(db, parent), group, bad, parent)
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    assert "1 with a problem" in dialog.summary.text()
    bad = dialog.model.index(1, 3).data()
    assert bad.startswith("problem: The name contains a control character")


def test_the_import_preview_counts_by_placement_not_by_wording(
    db: Database, ids: dict[str, int], qtbot, monkeypatch, tmp_path: Path
) -> None:
    from facilitator.rules import roster_import
    from facilitator.rules.groups import group_info
    from facilitator.rules.roster_import import Placement
    from ui.operations.import_dialog import PROBLEM_BACKGROUND
    from ui.operations.runner import Operations

    # Reworded (as a translation would be): the counts, the red rows and the button stay right.
    reworded = {
        Placement.ON_ROSTER: "schon da",
        Placement.NEW: "neu",
        Placement.BACK: "wieder da",
        Placement.REPEATED: "doppelt",
        Placement.PROBLEM: "Fehler",
    }
    for placement, text in reworded.items():
        monkeypatch.setitem(roster_import.PLACEMENT_TEXT, placement, text)
    application()
    parent = QWidget()
    qtbot.addWidget(parent)
    with db.begin() as session:
        remove_from_roster(session, ids["group"], ids["Bo"], on=date(2025, 6, 3))
        group = group_info(session, ids["group"])
    roster = tmp_path / "roster.csv"
    roster.write_bytes(b"Name\nAnn\nbo\nDee\nEd\nDEE\n\x1b[2J\n")
    dialog = QtImportDialog(Operations(db, parent), group, roster, parent)
    qtbot.addWidget(dialog)
    outcomes = [dialog.model.index(row, 3).data() for row in range(dialog.model.rowCount())]
    assert outcomes[:5] == ["schon da", "wieder da (left 3 Jun 2025)", "neu", "neu", "doppelt"]
    assert outcomes[5].startswith("Fehler: The name contains a control character")
    assert dialog.summary.text().startswith("2 neu · 1 wieder da · 1 schon da · 1 doppelt · 1 with a problem")
    backgrounds = [dialog.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) for row in range(6)]
    assert [brush.color() == PROBLEM_BACKGROUND if brush else False for brush in backgrounds] == [False] * 5 + [True]
    assert dialog.import_button.text() == "Import 3 People" and not dialog.import_button.isEnabled()


def test_history_by_dates_and_a_corrected_meeting(window, db: Database, ids: dict[str, int], qtbot) -> None:
    window.actions_by_name[MainAction.SHOW_HISTORY].trigger()
    history = window.history
    assert history.model.rowCount() == 12
    history.all_dates.setChecked(False)
    history.date_from.setDate(date(2025, 3, 1))
    history.date_to.setDate(date(2025, 3, 31))
    assert history.model.rowCount() == 4
    assert history.count_label.text() == "4 meetings between these dates."

    dialog = QtMeetingDialog(window.operations, ids["last meeting"], window)
    qtbot.addWidget(dialog)
    names = [dialog.roll.index(row, 0).data() for row in range(dialog.roll.rowCount())]
    assert dialog.roll.index(names.index("Bo"), 1).data() == "Absent"
    assert dialog.roll.index(names.index("Ann"), 1).data() == "Present"
    dialog.view.setCurrentIndex(dialog.roll.index(names.index("Bo"), 0))
    assert not dialog.status_buttons[None].isEnabled()
    dialog.status_buttons[AttendanceStatus.LATE].click()
    assert dialog.roll.index(names.index("Bo"), 1).data() == "Late"
    dialog.guests.setValue(3)
    assert dialog.corrected.isVisibleTo(dialog) and dialog.corrected.text().startswith("Corrected on")
    assert dialog.changed
    with db.begin() as session:
        corrected = meeting_info(session, ids["last meeting"])
    assert (corrected.late, corrected.guests) == (1, 3) and corrected.edited_at is not None


def test_reach_out_list_and_a_persons_history(window, db: Database, ids: dict[str, int], qtbot) -> None:
    window.show_page(window.history)
    quiet = window.history.reach_out_model.stringList()
    assert quiet[0] == f"{HOSTILE_NAME} — not seen yet"
    assert any(line.startswith("Bo — last seen") for line in quiet)
    window.history.weeks.setValue(8)
    with db.begin() as session:
        from facilitator.storage.preferences import reach_out_weeks

        assert reach_out_weeks(session) == 8
    shown: list[QtParticipantDialog] = []

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, QtParticipantDialog)
        shown.append(dialog)
        dialog.reject()

    when_modal_opens(qtbot, look)
    window.show_person(ids["Ann"])
    dialog = shown[0]
    assert dialog.figures[0].findChildren(QWidget)[0].text() == "12"  # type: ignore[attr-defined]  # the figure's label
    assert dialog.milestones.text() == "Milestones: 10 meetings (next: 25)" and dialog.milestones.isVisibleTo(dialog)
    assert dialog.timeline.model().rowCount() == 12
    assert dialog.result() == QDialog.DialogCode.Rejected

    when_modal_opens(qtbot, look)
    window.show_person(ids["Bo"])  # 4 meetings: no milestone yet, and nothing said of one
    assert not shown[1].milestones.isVisibleTo(shown[1]) and "none yet" not in shown[1].milestones.text()


def test_exports_from_the_window_use_the_core_csv(window, ids: dict[str, int], tmp_path: Path) -> None:
    from facilitator.rules.exports import roster_csv

    target = tmp_path / "roster.csv"
    window.transfer.export_to(target, lambda session: roster_csv(session, ids["group"]))
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "Name,Note,Joined,Meetings attended,Last seen"
    assert "Saved 3 rows" in window.statusBar().currentMessage()


def test_adding_a_name_alike_one_on_the_roster_asks_did_you_mean_first(
    window, db: Database, ids: dict[str, int], qtbot
) -> None:
    with db.begin() as session:
        add_participant(session, ids["group"], "Chloé Martin")
    window.show_page(window.roster)
    roster = window.roster
    asked: list[str] = []
    left_open: list[str] = []

    def add(name: str, answer: str):
        def act(dialog: QWidget) -> None:
            assert isinstance(dialog, PersonDialog)

            def choose(box: QWidget) -> None:
                assert isinstance(box, QMessageBox)
                asked.append(box.text())
                (chosen,) = [button for button in box.buttons() if button.text() == answer]
                chosen.click()

            dialog.name_edit.setText(name)
            when_modal_opens(qtbot, choose, QMessageBox)
            dialog.save_button.click()
            if dialog.isVisible():  # back to the name, to correct it
                left_open.append(dialog.name_edit.text())
                dialog.reject()

        return act

    when_modal_opens(qtbot, add("chloe martin", "Use Chloé Martin"))
    qtbot.mouseClick(roster.add_button, Qt.MouseButton.LeftButton)
    assert asked == [
        "Did you mean Chloé Martin?\n\n“chloe martin” is the same name as Chloé Martin's, who is on the roster "
        "already; one roster cannot hold the same name twice."
    ]
    assert roster_names(window).count("Chloé Martin") == 1 and len(roster_names(window)) == 4  # nobody was added
    assert roster.view.currentIndex().data() == "Chloé Martin"  # the person meant, chosen

    when_modal_opens(qtbot, add("Chloe Marten", "Cancel"))
    qtbot.mouseClick(roster.add_button, Qt.MouseButton.LeftButton)
    assert asked[1].startswith("Did you mean Chloé Martin?\n\n“Chloe Marten” is close to the name of Chloé Martin")
    assert left_open == ["Chloe Marten"] and len(roster_names(window)) == 4

    when_modal_opens(qtbot, add("Chloe Marten", "Add “Chloe Marten” Anyway"))
    qtbot.mouseClick(roster.add_button, Qt.MouseButton.LeftButton)
    assert "Chloe Marten" in roster_names(window) and len(asked) == 3


def test_the_persons_chart_says_which_year_its_months_are_in(qtbot) -> None:
    from ui.pages.history.month_chart import QtMonthChart

    application()
    chart = QtMonthChart()
    qtbot.addWidget(chart)
    months = tuple((date(year, month, 1), count) for year, month, count in ((2025, 11, 3), (2025, 12, 0), (2026, 1, 2)))
    chart.set_months(months)
    # The year under the first month and again where it changes, as a reader of a calendar expects.
    assert chart.month_labels() == ["Nov\n2025", "Dec", "Jan\n2026"]
    assert chart.accessibleDescription() == "5 meetings in the last 3 months: Nov 2025 3, Dec 2025 0, Jan 2026 2"
