"""Making, previewing, printing and saving documents from the window."""

from __future__ import annotations

import io
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog

from facilitator.documents.settings import change_document_settings
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.preferences import document_settings, mark_asked_for_crisis_contacts
from facilitator.text import NameDisplay
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction
from ui.app import application
from ui.operations.document_dialogs import QtDocumentSettingsDialog, QtLetterDialog
from ui.operations.document_preview import QtDocumentPreview
from ui.operations.documents import making


@pytest.fixture
def group_id(db: Database) -> int:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle", name_display=NameDisplay.FULL)
        for name in ("Ann Lee", "Bo Chen"):
            add_participant(session, group.id, name, joined_on=date(2026, 1, 1))
        mark_asked_for_crisis_contacts(session, "print")  # the ask before printing: tests/test_cards_window.py
        return group.id


def preview_then(qtbot, act) -> list[QtDocumentPreview]:
    """Act on the next preview once it shows (it is modal), then close it."""
    seen: list[QtDocumentPreview] = []

    def look(dialog) -> None:
        assert isinstance(dialog, QtDocumentPreview)
        seen.append(dialog)
        act(dialog)
        dialog.reject()

    when_modal_opens(qtbot, look, QtDocumentPreview)
    return seen


def test_tonights_packet_is_previewed_printed_and_saved(db: Database, group_id: int, qtbot, tmp_path: Path) -> None:
    with db.begin() as session:
        open_meeting(session, group_id, guide_slug="validation-and-belonging")
    window = shown_window(db, qtbot)
    actions = window.actions_by_name
    assert actions[MainAction.TONIGHTS_PACKET].isEnabled() and actions[MainAction.PRINT_HANDOUT].isEnabled()
    results: dict[str, Any] = {}

    def use(preview: QtDocumentPreview) -> None:
        results["pages"] = len(preview.pages)
        results["first drawn"] = not preview.pages[0].pixmap().isNull()
        results["last drawn"] = not preview.pages[-1].pixmap().isNull()  # not until scrolled to
        results["saved"] = preview.save_to(tmp_path / "packet.pdf")
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        preview.print_to(printer)

    seen = preview_then(qtbot, use)
    actions[MainAction.TONIGHTS_PACKET].trigger()
    assert seen and seen[0].windowTitle() == "Tonight's Packet"
    assert results["first drawn"] and not results["last drawn"]
    saved = tmp_path / "packet.pdf"
    assert results["saved"] == saved and saved.read_bytes() == seen[0].data
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(saved.read_bytes())).pages)
    assert "A place where we belong as we are" in text and "Sign-in · Tuesday Circle" in text and "Ann Lee" in text
    printed = PdfReader(str(tmp_path / "printed.pdf"))
    assert len(printed.pages) == results["pages"] >= 3
    window.close()


def test_printing_needs_an_open_meeting_and_a_handout_needs_a_topic(db: Database, group_id: int, qtbot) -> None:
    window = shown_window(db, qtbot)
    actions = window.actions_by_name
    assert not any(actions[name].isEnabled() for name in (MainAction.PRINT_SIGN_IN, MainAction.TONIGHTS_PACKET))
    with db.begin() as session:
        open_meeting(session, group_id)  # no topic guide
    window.check_in.refresh()
    window._update_group_actions()
    assert actions[MainAction.PRINT_SIGN_IN].isEnabled() and not actions[MainAction.PRINT_HANDOUT].isEnabled()
    assert actions[MainAction.ATTENDANCE_REPORT].isEnabled()
    window.close()


def test_a_letter_is_made_for_one_person_and_its_code_checks_out(
    db: Database, group_id: int, qtbot, tmp_path: Path
) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, group_id)
        for person in (1, 2):
            check_in(session, meeting.id, person)
        close_meeting(session, meeting.id)
        change_document_settings(session, {"contact": "0161 496 0000"})  # a letter without the group's name needs it
    window = shown_window(db, qtbot)
    made: list[bytes] = []

    def fill(dialog) -> None:
        assert isinstance(dialog, QtLetterDialog)
        dialog.person.setCurrentIndex(dialog.person.findText("Bo Chen"))
        dialog.anonymous.setChecked(True)
        dialog.signer.setText("Sam Rivera")

        def keep(preview: QtDocumentPreview) -> None:
            made.append(preview.data)
            if len(made) == 1:  # the first letter is saved; the second only looked at
                preview.save_to(tmp_path / "letter.pdf")

        preview_then(qtbot, keep)
        dialog.accept()

    when_modal_opens(qtbot, fill)
    window.actions_by_name[MainAction.ATTENDANCE_LETTER].trigger()
    when_modal_opens(qtbot, fill)
    window.actions_by_name[MainAction.ATTENDANCE_LETTER].trigger()
    text = PdfReader(io.BytesIO(made[0])).pages[0].extract_text()
    unsaved = PdfReader(io.BytesIO(made[1])).pages[0].extract_text().split("quote the code ", 1)[1][:9]
    with db.begin() as session:
        from facilitator.errors import NotFound
        from facilitator.rules.letters import check_letter

        with pytest.raises(NotFound):
            check_letter(session, unsaved)  # a letter only looked at was never issued
    assert "Bo Chen attended 1 meeting of a peer-support group" in " ".join(text.split())
    assert "Ann Lee" not in text and "Tuesday Circle" not in text and "Sam Rivera" in text
    code = text.split("quote the code ", 1)[1][:9]

    told: list[str] = []

    def type_code(box) -> None:
        box.setTextValue(code.lower())  # typed as it comes, in small letters
        when_modal_opens(qtbot, lambda answer: (told.append(answer.text()), answer.accept()))
        box.accept()

    when_modal_opens(qtbot, type_code)
    window.actions_by_name[MainAction.CHECK_LETTER_CODE].trigger()
    qtbot.waitUntil(lambda: bool(told))
    assert told[0].startswith(f"Genuine: letter {code}") and "Bo Chen of Tuesday Circle" in told[0]
    window.close()


def test_the_settings_refuse_a_bad_font_and_keep_what_was_typed(
    db: Database, group_id: int, qtbot, tmp_path: Path
) -> None:
    window = shown_window(db, qtbot)
    dialog = QtDocumentSettingsDialog(window.operations, window)
    qtbot.addWidget(dialog)
    dialog.organisation.setText("Riverside Peer Network")
    dialog.crisis.setPlainText("Riverside crisis line: 0100 000 000")
    dialog.font_file.setText(str(tmp_path / "missing.ttf"))
    told: list[str] = []
    when_modal_opens(qtbot, lambda box: (told.append(box.text()), box.accept()))
    dialog.save()
    assert told and "does not exist" in told[0]
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.organisation.text() == "Riverside Peer Network"
    dialog.font_file.clear()
    dialog.page_size.setCurrentText("Letter")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with db.begin() as session:
        settings = document_settings(session)
    assert (settings.organisation, settings.page_size) == ("Riverside Peer Network", "Letter")
    window.close()


def test_a_refused_document_says_why_and_shows_no_preview(db: Database, group_id: int, qtbot) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, group_id)
    window = shown_window(db, qtbot)
    told: list[str] = []
    when_modal_opens(qtbot, lambda box: (told.append(box.text()), box.accept()))
    window.documents.handout(window.check_in.meeting)  # type: ignore[arg-type]  # a meeting is open
    assert told == ["This meeting has no topic guide, so there is no handout to print; choose one first."]
    assert window.documents.last_preview is None and meeting.guide_title is None
    window.close()


def test_a_wide_report_prints_landscape(db: Database, group_id: int, qtbot, tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    from facilitator.documents.attendance_report import report_content, report_pdf
    from facilitator.documents.layout import pdf_for

    with db.begin() as session:
        for week in range(20):
            meeting = open_meeting(session, group_id, now=datetime(2026, 1, 6, 19).astimezone() + timedelta(weeks=week))
            close_meeting(session, meeting.id, now=meeting.started_at + timedelta(hours=1))
        data = report_pdf(pdf_for(document_settings(session)), report_content(session, group_id))
    application()
    operations = shown_window(db, qtbot).operations
    preview = QtDocumentPreview(operations, data, title="Report", file_name="r.pdf", documents_dir=tmp_path)
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    preview.print_to(printer)
    box = PdfReader(str(tmp_path / "printed.pdf")).pages[0].mediabox
    assert float(box.width) > float(box.height)


def test_the_window_keeps_turning_while_a_ten_year_report_is_made(db: Database, group_id: int, qtbot) -> None:
    from datetime import UTC, datetime, timedelta

    from PySide6.QtCore import QTimer
    from sqlalchemy import insert

    from facilitator.storage.models import Attendance, AttendanceStatus, Meeting, MeetingState
    from ui.operations.document_dialogs import QtReportDialog

    with db.begin() as session:
        people = [
            add_participant(session, group_id, f"Member {n:02d}", joined_on=date(2016, 1, 1)).id for n in range(40)
        ]
        first = datetime(2016, 1, 5, 19, 0, tzinfo=UTC)
        rows = [
            {"group_id": group_id, "state": MeetingState.CLOSED, "started_at": first + timedelta(weeks=w)}
            for w in range(520)
        ]
        meetings = session.scalars(insert(Meeting).returning(Meeting.id), rows).all()
        session.execute(
            insert(Attendance),
            [
                {"meeting_id": m, "participant_id": p, "status": AttendanceStatus.PRESENT}
                for m in meetings
                for p in people
            ],
        )
    window = shown_window(db, qtbot)
    ticks: list[float] = []
    beat = QTimer()
    beat.setInterval(10)
    beat.timeout.connect(lambda: ticks.append(time.monotonic()))

    def all_dates(dialog) -> None:
        assert isinstance(dialog, QtReportDialog)
        dialog.date_from.setDate(QDate(2016, 1, 1))
        preview_then(qtbot, lambda preview: None)
        beat.start()
        dialog.accept()

    when_modal_opens(qtbot, all_dates)
    started = time.monotonic()
    window.actions_by_name[MainAction.ATTENDANCE_REPORT].trigger()
    beat.stop()
    made_in = time.monotonic() - started
    # The report took a while, and all the while the event loop went on turning: the heartbeat
    # kept beating, never stopping for long (made on the window's own thread, it would stop for
    # the whole report). Generous bounds, so that a busy machine does not make this flaky.
    gaps = [later - earlier for earlier, later in zip(ticks, ticks[1:], strict=False)]
    assert made_in > 0.3 and len(ticks) >= 5
    assert max(gaps) < made_in / 2


def a_preview(db: Database, qtbot, tmp_path: Path) -> QtDocumentPreview:
    from facilitator.documents.attendance_report import report_content, report_pdf
    from facilitator.documents.layout import pdf_for

    with db.begin() as session:
        group = create_group(session, "Tuesday Circle")
        data = report_pdf(pdf_for(document_settings(session)), report_content(session, group.id))
    operations = shown_window(db, qtbot).operations
    preview = QtDocumentPreview(
        operations, data, title="Report", file_name="report.pdf", documents_dir=tmp_path / "viewer-copies"
    )
    qtbot.addWidget(preview)
    return preview


def test_open_in_viewer_with_no_pdf_viewer_says_so_and_where_the_file_is(
    db: Database, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QDesktopServices

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)  # no program takes PDFs
    preview = a_preview(db, qtbot, tmp_path)
    told: list[str] = []
    when_modal_opens(qtbot, lambda box: (told.append(box.text()), box.accept()))
    copy = preview.open_in_viewer()
    assert copy is not None and copy.read_bytes() == preview.data
    assert told == [
        f"No program to open PDF files was found on this computer. The document is in {copy.parent}, "
        f"named {copy.name}; to keep it, use Save as PDF…, or print it."
    ]
    preview.reject()


@pytest.mark.parametrize("has_documents", [True, False])
def test_save_as_pdf_starts_in_the_documents_folder_or_home_and_confirms(
    db: Database, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, has_documents: bool
) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog

    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True) if has_documents else home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    offered: list[str] = []
    chosen = home / "Tuesday report"  # typed without ".pdf"

    def choose(parent, caption, directory, file_filter):  # noqa: ANN001, ANN202 - Qt's signature
        offered.append(directory)
        return str(chosen), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    preview = a_preview(db, qtbot, tmp_path)
    preview.save_button.click()
    start = home / "Documents" if has_documents else home
    assert offered == [str(start / "report.pdf")]
    saved = home / "Tuesday report.pdf"
    assert saved.read_bytes() == preview.data
    assert preview.saved_note.isVisibleTo(preview)
    assert preview.saved_note.text().startswith(f"Saved as “Tuesday report.pdf” in {home}.")
    preview.saved_note.linkActivated.emit(preview.saved_note.text().split('href="')[1].split('"')[0])
    assert opened == [QUrl.fromLocalFile(str(home))]
    preview.reject()


def test_the_handout_preview_says_when_the_crisis_contacts_are_still_the_default(
    db: Database, group_id: int, qtbot
) -> None:
    from tests.test_documents import DEFAULT_CRISIS_WARNING

    with db.begin() as session:
        open_meeting(session, group_id, guide_slug="validation-and-belonging")
    window = shown_window(db, qtbot)
    shown: list[str] = []
    seen = preview_then(
        qtbot, lambda preview: shown.append(preview.warning.text() if preview.warning.isVisibleTo(preview) else "")
    )
    window.actions_by_name[MainAction.PRINT_HANDOUT].trigger()
    assert seen and shown == [DEFAULT_CRISIS_WARNING]


def test_the_letter_is_for_the_person_selected_and_its_file_name_reads_plainly(
    db: Database, group_id: int, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from ui.pages.roster.roster_model import PARTICIPANT_ID_ROLE
    from ui.shell.main_window import ROSTER_TAB

    window = shown_window(db, qtbot)
    window.tabs.setCurrentIndex(ROSTER_TAB)
    view = window.roster.view
    rows = [view.model().index(row, 0) for row in range(view.model().rowCount())]
    bo = next(index for index in rows if index.data() == "Bo Chen")
    view.setCurrentIndex(bo)
    offered: list[str] = []
    suggested: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda _parent, _title, path, _kinds: (suggested.append(path), ("", ""))[1]
    )

    def fill(dialog) -> None:
        assert isinstance(dialog, QtLetterDialog)
        offered.append(dialog.person.currentText())
        dialog.date_from.setDate(QDate(2026, 1, 1))
        dialog.date_to.setDate(QDate(2026, 6, 30))
        dialog.signer.setText("Sam Rivera")
        preview_then(qtbot, lambda preview: preview._choose_save())
        dialog.accept()

    when_modal_opens(qtbot, fill)
    window.actions_by_name[MainAction.ATTENDANCE_LETTER].trigger()
    assert bo.data(PARTICIPANT_ID_ROLE) == 2 and offered == ["Bo Chen"]  # not the first on the roster, Ann Lee
    assert Path(suggested[0]).name == "attendance letter, 2026-01-01 to 2026-06-30.pdf"  # no name in it
    window.close()


def test_the_letter_asked_for_beside_the_reach_out_list_is_for_the_person_selected_there(
    db: Database, group_id: int, qtbot
) -> None:
    from ui.shell.main_window import HISTORY_TAB

    with db.begin() as session:
        meeting = open_meeting(session, group_id, now=datetime(2026, 1, 6, 19).astimezone())
        check_in(session, meeting.id, 1, now=meeting.started_at)
        close_meeting(session, meeting.id, now=meeting.started_at + timedelta(hours=1))
    window = shown_window(db, qtbot)
    window.tabs.setCurrentIndex(HISTORY_TAB)
    view = window.history.reach_out_view
    rows = [view.model().index(row, 0) for row in range(view.model().rowCount())]
    view.setCurrentIndex(next(index for index in rows if str(index.data()).startswith("Bo Chen")))
    offered: list[str] = []

    def look(dialog) -> None:
        offered.append(dialog.person.currentText())
        dialog.reject()

    when_modal_opens(qtbot, look, QtLetterDialog)
    window.actions_by_name[MainAction.ATTENDANCE_LETTER].trigger()
    assert offered == ["Bo Chen"]
    window.close()


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("Tonight's Packet", "Making tonight's packet…"),
        ("Handout", "Making the handout…"),
        ("Blank Sign-in Sheet", "Making the blank sign-in sheet…"),
    ],
)
def test_the_progress_window_names_the_document_in_plain_english(title: str, said: str) -> None:
    assert making(title) == said
