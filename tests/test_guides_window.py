"""The Guides page and the meeting's script panel, driven as a facilitator would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from facilitator.documents.settings import change_document_settings
from facilitator.rules.groups import create_group
from facilitator.rules.guide_format import with_fields
from facilitator.rules.guides import builtin_guide_files, guide_source, list_guides
from facilitator.rules.meeting_script import meeting_script
from facilitator.rules.meetings import open_meeting_of
from facilitator.storage.database import Database
from tests.conftest import HOSTILE_NAME
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction
from ui.pages.guides.guide_editor import QtGuideEditor
from ui.shell.main_window import QtMainWindow


@pytest.fixture
def group_id(db: Database) -> int:
    with db.begin() as session:
        return create_group(session, "Tuesday Circle").id


def listed(window: QtMainWindow) -> list[str]:
    model = window.guides.model
    return [model.row_at(row).slug for row in range(model.rowCount())]


def test_the_library_is_browsed_searched_and_previewed(db: Database, group_id: int, qtbot) -> None:
    window = shown_window(db, qtbot, active=True)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    panel = window.guides
    assert window.current_page() is panel
    built_in = len(builtin_guide_files())
    assert len(listed(window)) == built_in and panel.count.text() == f"{built_in} guides"
    assert panel.preview.toPlainText().startswith(panel.current().title)
    assert not panel.delete_button.isEnabled()  # the first is a built-in
    assert panel.edit_button.text() == "Edit a Copy…"

    qtbot.keyClicks(panel.search, "relapse lapse")
    assert listed(window) == ["relapse-prevention"]
    preview = panel.preview.toPlainText()
    assert "Discussion prompts" in preview and "Take home" in preview
    panel.search.clear()
    panel.kind.setCurrentIndex(panel.kind.findText("Meeting formats"))
    assert listed(window) == ["discussion-meeting", "newcomer-meeting", "one-hour-meeting", "standard-meeting"]
    assert "Opening statement · 5 min" in panel.preview.toPlainText()
    panel.kind.setCurrentIndex(0)
    panel.theme.setCurrentIndex(panel.theme.findText("Advocacy and social engagement"))
    assert listed(window) == ["advocacy-and-social-engagement", "stigma-and-self-stigma"]  # by title
    qtbot.keyClicks(panel.search, "zzzz")
    assert listed(window) == [] and panel.count.text() == "No guide has all these words."
    window.close()


def test_a_builtin_is_copied_edited_exported_imported_and_deleted(
    db: Database, group_id: int, qtbot, tmp_path: Path
) -> None:
    window = shown_window(db, qtbot, active=True)
    window.actions_by_name[MainAction.SHOW_GUIDES].trigger()
    panel = window.guides
    panel.search.setText("riding out a hard moment")
    copy = panel.duplicate_current()
    assert copy is not None and panel.current_slug() == "coping-strategies-copy"
    assert panel.delete_button.isEnabled() and panel.edit_button.text() == "Edit…"

    exported = panel.export_to(tmp_path / "mine.md")
    assert exported is not None
    with db.begin() as session:
        assert exported.read_text(encoding="utf-8") == guide_source(session, "coping-strategies-copy")
    exported.write_text(with_fields(exported.read_text(encoding="utf-8"), slug="shared-by-sam"), encoding="utf-8")
    panel.search.clear()
    assert panel.import_from(exported) is not None and panel.current_slug() == "shared-by-sam"

    broken = tmp_path / "broken.md"
    broken.write_text("---\nslug: x\nkind: essay\n---\n", encoding="utf-8")
    seen: list[str] = []
    when_modal_opens(qtbot, lambda box: (seen.append(box.text()), box.accept()))
    assert panel.import_from(broken) is None
    assert seen == ["broken.md, line 3: field “kind” is “topic” or “format”, not “essay”"]
    assert len(listed(window)) == len(builtin_guide_files()) + 2  # the copy and the one imported

    when_modal_opens(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    panel.delete_current()
    assert "shared-by-sam" not in listed(window) and len(listed(window)) == len(builtin_guide_files()) + 1
    window.close()


def test_the_editor_previews_as_you_type_and_names_the_line_of_a_mistake(db: Database, group_id: int, qtbot) -> None:
    window = shown_window(db, qtbot, active=True)
    with db.begin() as session:
        text = guide_source(session, "emotional-support")
    editor = QtGuideEditor(window.operations, with_fields(text, slug="mine", title=HOSTILE_NAME), parent=window)
    qtbot.addWidget(editor)
    save = editor.buttons.button(editor.buttons.StandardButton.Save)
    assert save.isEnabled() and editor.preview.toPlainText().startswith(HOSTILE_NAME)  # shown literally

    editor.editor.setPlainText(text.replace("kind: topic", "kind topic"))
    assert not editor.update_preview()
    assert editor.problem.text() == "This guide, line 3: header lines are “field: value”, not “kind topic”"
    assert not save.isEnabled()
    assert [mark.cursor.blockNumber() for mark in editor.editor.extraSelections()] == [2]

    editor.editor.setPlainText(with_fields(text, slug="mine", title="Being heard, our way"))
    qtbot.waitUntil(lambda: save.isEnabled())  # the preview follows after a short pause
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert editor.saved is not None and editor.saved.slug == "mine"
    with db.begin() as session:
        assert [g.title for g in list_guides(session) if not g.builtin] == ["Being heard, our way"]
    window.close()


def test_a_meeting_is_run_from_the_script_panel(db: Database, group_id: int, qtbot) -> None:
    with db.begin() as session:
        change_document_settings(
            session,
            {
                "crisis-contacts": "Call the Riverside crisis line on 0100 000 000.",
                "confidentiality-limits": "The centre's manager is told of any threat of violence.",
            },
        )
    window = shown_window(db, qtbot, active=True)
    window.actions_by_name[MainAction.SHOW_MEETING].trigger()
    check_in = window.check_in
    # The topic the group has gone longest without, and the standard format, are chosen for it.
    assert check_in.choices.guide_choice.currentText().endswith("(suggested: not used yet)")
    assert check_in.choices.format_choice.currentText() == "Standard peer-support meeting (suggested: the usual one)"
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    script = window.script
    assert script.heading.text() == "Standard peer-support meeting"
    assert script.parts.count() == 8 and script.totals.text() == "Planned 90 min · 0 min so far"

    next_part = (Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, *next_part)
    assert script.parts.item(0).text() == "▶ Welcome · 5 min · took 0 min"
    assert script.now_text.toPlainText().startswith("Welcome · 5 min")
    qtbot.keyClick(window, *next_part)
    opening = script.now_text.toPlainText()
    assert "Crisis contacts (from your settings): Call the Riverside crisis line" in opening
    assert "Limits to confidentiality here (from your settings): The centre's manager is told" in opening
    qtbot.keyClick(window, *next_part)  # check-in: the Meeting page comes forward
    assert window.current_page() is check_in
    assert script.script is not None and script.script.guide is not None and script.script.format is not None
    reading = script.now_text.toPlainText()
    assert f"From tonight's topic guide: {script.script.guide.title}" in reading
    assert reading.count("Check-in question") == 1  # the guide's question, not the format's as well
    assert script.script.guide.section_text("Check-in question") in reading
    assert script.script.format.section_text("Check-in question") not in reading
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert script.parts.currentRow() == 1

    item = script.prompts.item(2)
    item.setCheckState(Qt.CheckState.Checked)
    assert script.pages.tabText(2) == f"Prompts (1/{script.prompts.count()})"
    with db.begin() as session:
        meeting = open_meeting_of(session, group_id)
        assert meeting is not None
        recorded = meeting_script(session, meeting.id)
    assert recorded.current_part == 1 and recorded.prompts_used == frozenset({2})
    window.close()

    again = shown_window(db, qtbot, active=True)  # after a restart the script is where it was
    assert again.script.parts.currentRow() == 1
    assert again.script.prompts.item(2).checkState() == Qt.CheckState.Checked
    again.close()


def test_a_translated_format_keeps_what_goes_with_each_part(db: Database, group_id: int, qtbot) -> None:
    from facilitator.rules.guides import save_guide
    from facilitator.rules.meetings import open_meeting

    spanish = {
        "## Welcome (welcome,": "## Bienvenida (welcome,",
        "## Opening statement (opening,": "## Declaración de apertura (opening,",
        "## Check-in (check-in,": "## Ronda de llegada (check-in,",
        "## Topic (topic,": "## El tema (topic,",
        "## Sharing round (sharing,": "## Ronda de compartir (sharing,",
        "## Closing (closing,": "## Cierre (closing,",
    }
    with db.begin() as session:
        change_document_settings(session, {"crisis-contacts": "Call the Riverside crisis line on 0100 000 000."})
        text = with_fields(guide_source(session, "standard-meeting"), slug="reunion", title="Nuestra reunión")
        for english, translated in spanish.items():
            text = text.replace(english, translated)
        save_guide(session, text)
        open_meeting(session, group_id, guide_slug="coping-strategies", format_slug="reunion")
    window = shown_window(db, qtbot, active=True)
    window.actions_by_name[MainAction.SHOW_OVERVIEW].trigger()
    script = window.script
    assert script.heading.text() == "Nuestra reunión"
    next_part = (Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, *next_part)
    assert script.now_text.toPlainText().startswith("Bienvenida · 5 min")
    assert "Crisis contacts" not in script.now_text.toPlainText()
    qtbot.keyClick(window, *next_part)
    assert "Crisis contacts (from your settings): Call the Riverside crisis line" in script.now_text.toPlainText()
    assert window.current_page() is window.overview
    qtbot.keyClick(window, *next_part)  # the check-in, by any name, brings the Meeting page forward
    assert window.current_page() is window.check_in
    assert "Check-in question" in script.now_text.toPlainText()
    qtbot.keyClick(window, *next_part)
    reading = script.now_text.toPlainText()
    assert reading.startswith("El tema · 10 min")
    assert "Opening reading" in reading and "Discussion prompts" in reading and "Exercise" in reading
    qtbot.keyClick(window, *next_part)
    assert script.now_text.toPlainText().startswith("Break · 10 min")
    qtbot.keyClick(window, *next_part)  # and the sharing round brings the Sharing page forward
    assert window.current_page() is window.share_round
    qtbot.keyClick(window, *next_part)
    assert script.now_text.toPlainText().startswith("Check-out · 10 min")
    qtbot.keyClick(window, *next_part)
    assert "Closing reflection" in script.now_text.toPlainText()
    window.close()


def test_prompts_are_ticked_by_keyboard_without_touching_the_share_round(db: Database, group_id: int, qtbot) -> None:
    from facilitator.rules.attendance import check_in
    from facilitator.rules.meetings import open_meeting
    from facilitator.rules.participants import add_participant
    from facilitator.rules.share_round.machine import RoundState

    with db.begin() as session:
        meeting = open_meeting(session, group_id, guide_slug="coping-strategies", format_slug="standard-meeting")
        for name in ("Ann", "Bo"):
            check_in(session, meeting.id, add_participant(session, group_id, name).id)
    window = shown_window(db, qtbot, active=True)
    window.actions_by_name[MainAction.SHOW_SHARING].trigger()
    window.share_round.start_or_pause()
    script = window.script
    script.pages.setCurrentIndex(2)
    script.prompts.setFocus()
    script.prompts.setCurrentRow(2)
    qtbot.keyClick(script.prompts, Qt.Key.Key_Space)
    qtbot.keyClick(script.prompts, Qt.Key.Key_Down)
    qtbot.keyClick(script.prompts, Qt.Key.Key_Space)
    assert window.share_round.round is not None and window.share_round.round.state is RoundState.RUNNING
    with db.begin() as session:
        assert meeting_script(session, meeting.id).prompts_used == frozenset({2, 3})
    script.refresh()  # what the 15-second repaint does: nothing the reader is on moves
    assert script.prompts.currentRow() == 3 and script.pages.tabText(2) == "Prompts (2/6)"
    window.close()


def test_the_topic_chosen_stays_chosen_until_the_meeting_opens(db: Database, group_id: int, qtbot) -> None:
    window = shown_window(db, qtbot, active=True)
    window.actions_by_name[MainAction.SHOW_MEETING].trigger()
    box = window.check_in.choices.guide_choice
    box.setCurrentIndex(4)
    box.activated.emit(4)  # what choosing with the mouse or keys reports
    chosen = box.currentData()
    window.check_in.refresh()  # a roster change, a library change, a tab switch
    assert box.currentData() == chosen
    window.check_in.open_meeting()
    with db.begin() as session:
        meeting = open_meeting_of(session, group_id)
        assert meeting is not None and meeting.guide_slug == chosen
    window.close()


def test_editing_a_builtin_saves_a_copy_only_when_asked_and_asks_before_discarding(
    db: Database, group_id: int, qtbot
) -> None:
    window = shown_window(db, qtbot, active=True)
    window.actions_by_name[MainAction.SHOW_GUIDES].trigger()
    panel = window.guides
    asked: list[str] = []

    def type_then_escape(editor) -> None:
        assert isinstance(editor, QtGuideEditor)
        assert editor.text().splitlines()[1].endswith("-copy")
        editor.editor.appendPlainText("More.")
        when_modal_opens(
            qtbot, lambda box: (asked.append(box.text()), box.button(QMessageBox.StandardButton.Yes).click())
        )
        editor.reject()

    when_modal_opens(qtbot, type_then_escape)
    panel.edit_current()
    assert asked == ["Close the editor and lose the changes you typed?"]
    assert len(listed(window)) == len(builtin_guide_files())  # no copy was kept
    window.close()
