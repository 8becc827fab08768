"""The import dialog: read on the worker thread with no transaction open, progress with Cancel,
the good rows and the close names imported only when ticked, and the choices of how to read."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from facilitator.rules.groups import GroupInfo, create_group, group_info
from facilitator.rules.participants import add_participant, list_participants
from facilitator.rules.roster_import import RosterFile, read_roster_file
from facilitator.storage.database import Database
from ui.app import application
from ui.operations import import_dialog
from ui.operations.import_dialog import CLOSE_BACKGROUND, QtImportDialog
from ui.operations.runner import Operations


@pytest.fixture
def group(db: Database) -> GroupInfo:
    with db.begin() as session:
        made = create_group(session, "Tuesday")
        add_participant(session, made.id, "Chloé Martin")
        return group_info(session, made.id)


@pytest.fixture
def parent(qtbot) -> Iterator[QWidget]:
    application()
    widget = QWidget()
    qtbot.addWidget(widget)
    yield widget


def _dialog(db: Database, group: GroupInfo, parent: QWidget, qtbot, path: Path) -> QtImportDialog:
    dialog = QtImportDialog(Operations(db, parent), group, path, parent)
    qtbot.addWidget(dialog)
    return dialog


def _outcomes(dialog: QtImportDialog) -> list[tuple[str, str, str]]:
    model = dialog.model
    return [
        (model.index(r, 0).data(), model.index(r, 1).data(), model.index(r, 3).data()) for r in range(model.rowCount())
    ]


def _names(db: Database, group: GroupInfo) -> list[str]:
    with db.begin() as session:
        return sorted(person.display_name for person in list_participants(session, group.id))


@pytest.mark.sqlite_only("another program's write is tried on the SQLite file")
def test_the_file_is_read_on_the_worker_thread_with_the_records_unlocked(
    db: Database, group: GroupInfo, parent: QWidget, qtbot, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name\nAnn\nBo\n")
    seen: dict[str, object] = {}

    def read(*args, **kwargs) -> RosterFile:
        seen["thread"] = threading.current_thread()
        # Another program can take the write lock while the file is read: nothing holds it.
        assert db.location.database_path is not None
        other = sqlite3.connect(db.location.database_path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # "database is locked" if a transaction were open
            seen["locked"] = False
            other.execute("ROLLBACK")
        finally:
            other.close()
        return read_roster_file(*args, **kwargs)

    monkeypatch.setattr(import_dialog, "read_roster_file", read)
    dialog = _dialog(db, group, parent, qtbot, path)
    assert seen["thread"] is not threading.main_thread() and seen["locked"] is False
    assert _outcomes(dialog) == [("2", "Ann", "new"), ("3", "Bo", "new")]
    assert dialog.file_label.text() == "people.csv (CSV file, UTF-8)"


def test_a_long_read_shows_its_progress_and_can_be_cancelled(
    db: Database, group: GroupInfo, parent: QWidget, qtbot, tmp_path: Path, monkeypatch
) -> None:
    shown: list[str] = []
    ended = threading.Event()

    def endless_read(path: Path, *, progress, **_choices) -> RosterFile:
        count = 0
        while not ended.wait(0.002):  # bounded by the test's own end below, never for ever
            count += 1000
            progress(count)
        raise AssertionError("the reading was never cancelled")

    def cancel_once_counting() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
        if windows and "lines so far" in windows[0].labelText():
            shown.append(windows[0].labelText())
            waited.append(time.monotonic() - started)
            windows[0].findChild(QPushButton).click()  # Cancel, as the user presses it
        else:
            QTimer.singleShot(20, cancel_once_counting)

    monkeypatch.setattr(import_dialog, "read_roster_file", endless_read)
    QTimer.singleShot(0, cancel_once_counting)
    QTimer.singleShot(20_000, ended.set)
    waited: list[float] = []
    started = time.monotonic()
    dialog = _dialog(db, group, parent, qtbot, tmp_path / "big.csv")
    ended.set()
    # Shown after PROGRESS_AFTER_MS (0.4 s), not Qt's own 4 s: a generous bound between the two.
    assert waited and waited[0] < 3
    assert shown and shown[0].startswith("Reading big.csv: ") and shown[0].endswith(" lines so far…")
    assert dialog.stopped and dialog.roster is None
    assert dialog.summary.text() == "Reading was stopped; nothing was imported."
    assert not dialog.import_button.isEnabled()


def test_bad_rows_are_imported_only_when_the_good_rows_are_ticked(
    db: Database, group: GroupInfo, parent: QWidget, qtbot, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(b"Name,E-mail\nAnn,\nCy\x1b[2J,\n,bo@example.org\n")
    dialog = _dialog(db, group, parent, qtbot, path)
    assert _outcomes(dialog) == [
        ("2", "Ann", "new"),
        ("3", "", "problem: The name contains a control character (U+001B), which cannot be stored."),
        ("4", "", "skipped: no name (only an e-mail address)"),
    ]
    assert dialog.summary.text() == (
        "1 new · 0 already on the roster · 0 repeated in the file · 1 skipped · "
        "1 with a problem (shown in red): fix the file, or import the good rows."
    )
    assert not dialog.good_rows.isHidden() and dialog.add_close.isHidden()
    assert not dialog.import_button.isEnabled()
    dialog.good_rows.setChecked(True)
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "Import 1 Person"
    dialog.import_button.click()
    assert dialog.result is not None and dialog.result.left_out == [3]
    assert _names(db, group) == ["Ann", "Chloé Martin"]


def test_a_name_close_to_someone_is_added_only_when_ticked(
    db: Database, group: GroupInfo, parent: QWidget, qtbot, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name\nChloe Marten\nBo\n", encoding="utf-8")
    dialog = _dialog(db, group, parent, qtbot, path)
    assert _outcomes(dialog) == [("2", "Chloe Marten", "close to “Chloé Martin” on the roster"), ("3", "Bo", "new")]
    assert dialog.model.index(0, 1).data(8).color() == CLOSE_BACKGROUND  # Qt.BackgroundRole
    assert not dialog.add_close.isHidden()
    assert dialog.import_button.text() == "Import 1 Person"
    dialog.add_close.setChecked(True)
    assert dialog.import_button.text() == "Import 2 People"
    dialog.import_button.click()
    assert _names(db, group) == ["Bo", "Chloe Marten", "Chloé Martin"]


def test_an_unsure_encoding_a_workbook_and_a_guessed_column_are_asked_about(
    db: Database, group: GroupInfo, parent: QWidget, qtbot, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Who,Phone\nAnn,1\n")
    asked: list[dict[str, object]] = []

    def read(path: Path, **choices) -> RosterFile:
        asked.append({key: value for key, value in choices.items() if key != "progress"})
        roster = read_roster_file(path, name_column="Who")  # as the reader's guess will choose
        return replace(
            roster,
            encoding=choices["encoding"] or "Windows-1252",
            doubt="" if choices["encoding"] else "The text could be Windows-1252 or Mac-Roman.",
            sheets=["Members", "Old"],
            sheet=choices["sheet"] or "Members",
            guessed=True,
        )

    monkeypatch.setattr(import_dialog, "read_roster_file", read)
    dialog = _dialog(db, group, parent, qtbot, path)
    assert dialog.file_label.text() == "people.csv (CSV file, Windows-1252, sheet “Members”)"
    assert dialog.doubt_label.text().startswith(
        "The text could be Windows-1252 or Mac-Roman. The names below are as read"
    )
    assert not dialog.doubt_label.isHidden() and dialog.form.isRowVisible(dialog.encoding)
    assert dialog.encoding.currentText() == "Windows-1252"
    assert dialog.form.isRowVisible(dialog.sheet) and dialog.sheet.currentText() == "Members"
    assert dialog.guess_label.text() == (
        "No heading says where the names are: they were taken from the column “Who” by what it holds. Check them below."
    )
    dialog.encoding.setCurrentText("Mac-Roman")
    assert asked[-1] == {"name_column": None, "encoding": "Mac-Roman", "sheet": None}
    assert "Mac-Roman" in dialog.file_label.text()
    dialog.sheet.setCurrentText("Old")
    assert asked[-1] == {"name_column": None, "encoding": "Mac-Roman", "sheet": "Old"}


def test_the_file_chooser_offers_every_kind() -> None:
    kinds = import_dialog.FILE_KINDS.split(";;")
    assert kinds[0] == "Rosters (*.csv *.txt *.vcf *.xlsx *.xls *.ods)"
    assert "vCard files (*.vcf)" in kinds and "Excel workbooks (*.xlsx *.xls)" in kinds


def test_a_cancelled_reading_opens_no_preview_and_says_so(
    db: Database, group: GroupInfo, parent: QWidget, qtbot, tmp_path: Path, monkeypatch
) -> None:
    from ui.operations.transfer import Transfer

    def stopped_read(path: Path, *, progress, **_choices) -> RosterFile:
        raise import_dialog.ReadStopped()  # as `progress` raises once Cancel is pressed

    monkeypatch.setattr(import_dialog, "read_roster_file", stopped_read)
    operations = Operations(db, parent)
    said: list[str] = []
    operations.notice.connect(said.append)
    opened: list[QWidget] = []
    monkeypatch.setattr(QtImportDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    assert Transfer(operations, parent).import_roster(group, tmp_path / "big.csv") is False
    assert opened == [] and said == ["Stopped reading big.csv; nothing was imported."]


def test_what_happens_to_each_line_shows_whole_beside_a_long_note(
    db: Database, group: GroupInfo, parent: QWidget, qtbot, tmp_path: Path
) -> None:
    # A vCard's NOTE is often a paragraph: the note may be cut (its tooltip holds it), the
    # outcome may not. On a screen of 1280x720.
    path = tmp_path / "contacts.vcf"
    note = "Prefers the evening group, not the morning one; asked twice. Call before the first meeting. " * 2
    path.write_text(
        f"BEGIN:VCARD\nVERSION:3.0\nFN:Seán O'Brien\nNOTE:{note}\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:;;;;\nORG:Neighbourhood Centre\nTEL:+1 555 0100\nEND:VCARD\n"
    )
    dialog = _dialog(db, group, parent, qtbot, path)
    dialog.resize(dialog.size().boundedTo(QSize(1280, 680)))
    dialog.show()
    qtbot.waitExposed(dialog)
    outcome = "skipped: no name (only a company and a phone number)"
    assert _outcomes(dialog)[1] == ("6", "", outcome)
    view = dialog.view
    needed = view.fontMetrics().horizontalAdvance(outcome)
    assert view.columnWidth(3) > needed
    assert sum(view.columnWidth(column) for column in range(4)) <= view.viewport().width()


def test_a_japanese_file_can_be_read_again_as_shift_jis_after_another_choice(
    db: Database, group: GroupInfo, parent: QWidget, qtbot, tmp_path: Path
) -> None:
    path = tmp_path / "meibo.csv"
    path.write_bytes("氏名,電話番号\r\n山田 太郎,090\r\n佐藤 花子,080\r\n".encode("shift_jis"))
    dialog = _dialog(db, group, parent, qtbot, path)
    assert [name for _, name, _ in _outcomes(dialog)] == ["山田 太郎", "佐藤 花子"]
    chooser = dialog.encoding
    chooser.setCurrentIndex(chooser.findText("Windows-1252"))  # the user tries another: garbled
    assert [name for _, name, _ in _outcomes(dialog)] != ["山田 太郎", "佐藤 花子"]
    for encoding in ("Shift_JIS", "GB18030", "Big5", "EUC-KR", "KOI8-R"):
        assert chooser.findText(encoding) >= 0, encoding
    chooser.setCurrentIndex(chooser.findText("Shift_JIS"))
    assert [name for _, name, _ in _outcomes(dialog)] == ["山田 太郎", "佐藤 花子"]
