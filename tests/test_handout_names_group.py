"""A take-home handout names the group only when the group chooses (Group Settings, or `group set`):
"Dual Recovery Circle" on a sheet left on a kitchen table says too much. The sign-in sheet in
tonight's packet still names it: it stays with the facilitator."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from facilitator.documents.handout import handout_content, handout_pdf
from facilitator.documents.layout import pdf_for
from facilitator.documents.packet import packet_content, packet_pdf
from facilitator.documents.settings import change_document_settings
from facilitator.records import open_records
from facilitator.rules.groups import create_group, group_info, update_group
from facilitator.rules.meetings import open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.locations import DataLocation
from facilitator.storage.preferences import document_settings
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction
from ui.operations.group_dialog import GroupDialog

GROUP = "Dual Recovery Circle"
T0 = datetime(2026, 3, 3, 19, 0).astimezone()
FIXTURE_0011 = Path(__file__).with_name("fixtures") / "migrations" / "schema-0011.sqlite3"


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def tonights_meeting(db: Database) -> tuple[int, int]:
    with db.begin() as session:
        group = create_group(session, GROUP)
        add_participant(session, group.id, "Ann Lee", joined_on=date(2026, 1, 1))
        return group.id, open_meeting(session, group.id, guide_slug="coping-strategies", now=T0).id


def handout_texts(db: Database, meeting_id: int, paper: str) -> list[str]:
    with db.begin() as session:
        change_document_settings(session, {"paper": paper})
        pdf = pdf_for(document_settings(session))
        return page_texts(handout_pdf(pdf, handout_content(session, meeting_id=meeting_id)))


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_handout_names_no_group_unless_the_group_chooses(db: Database, paper: str) -> None:
    group_id, meeting_id = tonights_meeting(db)
    with db.begin() as session:
        assert group_info(session, group_id).handout_names_group is False  # privacy first

    quiet = handout_texts(db, meeting_id, paper)
    assert len(quiet) == 2 and all("Dual" not in text and "Recovery Circle" not in text for text in quiet)
    assert "Tuesday 3 March 2026" in quiet[0] and "Sharing what helps" in quiet[0]  # the day and topic still

    with db.begin() as session:
        update_group(session, group_id, handout_names_group=True)
    named = handout_texts(db, meeting_id, paper)
    assert f"{GROUP} · Tuesday 3 March 2026" in named[0] and all(GROUP in text for text in named)


def test_a_handout_for_a_guide_and_a_group_follows_the_same_choice(db: Database) -> None:
    def handout(session: Session, group_id: int) -> list[str]:
        content = handout_content(session, guide_slug="coping-strategies", group_id=group_id)
        return page_texts(handout_pdf(pdf_for(document_settings(session)), content))

    with db.begin() as session:
        group_id = create_group(session, GROUP).id
        quiet = handout(session, group_id)
        update_group(session, group_id, handout_names_group=True)
        named = handout(session, group_id)
    assert not any("Recovery" in text for text in quiet)
    assert GROUP in named[0]


def test_the_packets_handout_names_no_group_but_its_sign_in_sheet_does(db: Database) -> None:
    group_id, meeting_id = tonights_meeting(db)

    def packet() -> list[str]:
        with db.begin() as session:
            return page_texts(packet_pdf(pdf_for(document_settings(session)), *packet_content(session, meeting_id)))

    quiet = packet()
    sign_in = [text for text in quiet if "Sign-in" in text]
    handout = [text for text in quiet if "Sign-in" not in text and text.strip()]
    assert len(handout) == 2 and len(sign_in) == 1
    assert not any("Recovery" in text for text in handout)
    assert f"Sign-in · {GROUP}" in sign_in[0]

    with db.begin() as session:
        update_group(session, group_id, handout_names_group=True)
    named = packet()
    assert all(GROUP in text for text in named if text.strip())


def test_the_command_line_sets_and_shows_whether_handouts_name_the_group(db: Database, cli, tmp_path: Path) -> None:
    _group_id, meeting_id = tonights_meeting(db)

    def listed() -> bool:
        found = {g["name"]: g["handout_names_group"] for g in json.loads(cli("groups", "--json").out)}[GROUP]
        assert isinstance(found, bool)  # true or false in the JSON, not 1 or 0
        return found

    assert listed() is False
    already = cli("group", "set", GROUP, "--handout-names-group", "no")
    assert (already.code, already.out) == (0, f"Handouts of {GROUP} already leave the group's name out.\n")
    made = cli("group", "set", GROUP, "--handout-names-group", "yes")
    assert (made.code, made.out, made.err) == (0, f"Handouts of {GROUP} now name the group.\n", "")
    assert listed() is True
    assert (
        cli("group", "set", GROUP, "--handout-names-group", "yes").out
        == f"Handouts of {GROUP} already name the group.\n"
    )
    assert cli("handout", "--meeting", str(meeting_id), "-o", str(tmp_path / "named.pdf")).code == 0
    assert GROUP in page_texts((tmp_path / "named.pdf").read_bytes())[0]

    made = cli("group", "set", GROUP.lower(), "--handout-names-group", "no")
    assert (made.code, made.out) == (0, f"Handouts of {GROUP} no longer name the group.\n")
    assert listed() is False
    assert cli("handout", "--meeting", str(meeting_id), "-o", str(tmp_path / "quiet.pdf")).code == 0
    assert not any("Recovery" in text for text in page_texts((tmp_path / "quiet.pdf").read_bytes()))

    added = cli("group", "add", "Open Circle", "--handout-names-group", "yes")
    assert added.code == 0
    assert {g["name"]: g["handout_names_group"] for g in json.loads(cli("groups", "--json").out)}["Open Circle"]

    wrong = cli("group", "set", GROUP, "--handout-names-group", "maybe")
    assert wrong.code == 2 and "invalid choice: 'maybe'" in wrong.err
    nothing = cli("group", "set", GROUP)
    assert (nothing.code, nothing.err) == (
        1,
        "facilitator: Nothing to change: say what to set, like --handout-names-group yes.\n",
    )


def test_the_group_settings_checkbox_round_trips(db: Database, qtbot) -> None:
    group_id, _meeting_id = tonights_meeting(db)
    window = shown_window(db, qtbot)
    seen: list[bool] = []

    def tick(dialog: QWidget) -> None:
        assert isinstance(dialog, GroupDialog) and dialog.windowTitle() == "Group Settings"
        seen.append(dialog.handout_names_group.isChecked())
        qtbot.mouseClick(dialog.handout_names_group, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_modal_opens(qtbot, tick)
    window.actions_by_name[MainAction.EDIT_GROUP].trigger()
    with db.begin() as session:
        assert group_info(session, group_id).handout_names_group is True

    when_modal_opens(qtbot, tick)
    window.actions_by_name[MainAction.EDIT_GROUP].trigger()
    with db.begin() as session:
        assert group_info(session, group_id).handout_names_group is False
    assert seen == [False, True]
    window.close()


@pytest.mark.sqlite_only("it opens an SQLite file made by schema 0011")
def test_groups_from_before_the_setting_keep_everything_and_name_no_group(location: DataLocation, cli) -> None:
    """Existing groups get False, as new ones do: their handouts stop naming them until a
    facilitator chooses to, because the sheet goes home with people."""
    location.data_dir.mkdir(parents=True)
    assert location.database_path is not None
    shutil.copyfile(FIXTURE_0011, location.database_path)
    before = sqlite3.connect(FIXTURE_0011).execute("SELECT * FROM groups ORDER BY id").fetchall()

    open_records(location).close()

    after = sqlite3.connect(location.database_path).execute("SELECT * FROM groups ORDER BY id").fetchall()
    assert [row[:-1] for row in after] == before and [row[-1] for row in after] == [0, 0, 0]
    groups = json.loads(cli("groups", "--all", "--json").out)
    assert [(g["name"], g["handout_names_group"]) for g in groups] == [
        ("Thursday Family Group", False),
        ("Tuesday Circle", False),
        ("Grupo de los sábados", False),
    ]
