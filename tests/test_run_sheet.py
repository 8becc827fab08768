"""The run sheet: any meeting format on paper with tonight's topic guide filled into its parts,
their planned minutes and times, and the lines for a room with no screen; the backup when the
laptop fails. Read back as a facilitator would read it, on A4 and on Letter."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu
from reportlab.lib.pagesizes import A4, LETTER

from facilitator.documents.layout import pdf_for
from facilitator.documents.run_sheet import LAPTOP_FAILS, no_screen_lines, run_sheet_content, run_sheet_pdf
from facilitator.documents.settings import change_document_settings
from facilitator.errors import InvalidInput
from facilitator.rules.groups import create_group, update_group
from facilitator.rules.guide_format import PartKind, parse_guide, typographic
from facilitator.rules.guides import builtin_guide_files, get_guide, suggested_topic, topic_guide_choices
from facilitator.rules.meeting_script import planned_script
from facilitator.rules.meetings import close_meeting, open_meeting
from facilitator.storage.database import Database
from facilitator.storage.models import GuideKind
from facilitator.storage.preferences import document_settings, mark_asked_for_crisis_contacts
from tests.test_documents_window import preview_then
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction
from ui.operations.document_dialogs import QtRunSheetDialog

GROUP = "Dual Recovery Circle"
CRISIS = "Riverside crisis line: 0100 000 000, any time\nText HELP to 85258 to talk by text"
T0 = datetime(2026, 3, 3, 19, 0).astimezone()
PAPERS = {"A4": A4, "Letter": LETTER}
QUIET_SIGNAL = "I’ll give a quiet signal at one minute"


def built_in_formats() -> list[str]:
    """Every meeting format that comes with the program, by slug: those added later are covered too."""
    guides = [parse_guide(text, name) for name, text in builtin_guide_files()]
    return [guide.slug for guide in guides if guide.kind is GuideKind.FORMAT]


def in_meeting_menu(window: QMainWindow, action: QAction) -> bool:
    menu = next(item.menu() for item in window.menuBar().actions() if item.text() == "&Meeting")
    return isinstance(menu, QMenu) and action in menu.actions()


def flat(text: str) -> str:
    return " ".join(text.split())


def read(data: bytes) -> tuple[list[str], list[tuple[float, float]]]:
    """Each page's text, and each page's size in points."""
    pages = PdfReader(io.BytesIO(data)).pages
    return [page.extract_text() for page in pages], [(float(p.mediabox.width), float(p.mediabox.height)) for p in pages]


def without_footer(page: str) -> str:
    """A page's text without its footer, so that a paragraph that runs on to the next page reads whole."""
    lines = page.rstrip().split("\n")
    assert lines[-1].startswith("Page ") and "Run sheet" in lines[-2]  # the footer, read last
    return "\n".join(lines[:-2])


def run_sheet(db: Database, paper: str = "A4", **source: object) -> tuple[str, list[str], list[tuple[float, float]]]:
    """The run sheet's text as one line, its pages' texts and their sizes."""
    with db.begin() as session:
        change_document_settings(session, {"paper": paper, "crisis-contacts": CRISIS})
        content = run_sheet_content(session, **source)  # type: ignore[arg-type]
        pages, sizes = read(run_sheet_pdf(pdf_for(document_settings(session)), content))
    return flat(" ".join(without_footer(page) for page in pages)), pages, sizes


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_built_in_format_prints_with_the_guide_filled_into_its_parts(db: Database, paper: str) -> None:
    formats = built_in_formats()
    assert {"standard-meeting", "newcomer-meeting"} <= set(formats)
    with db.begin() as session:
        guide = get_guide(session, "coping-strategies")
    for slug in formats:
        with db.begin() as session:
            script = planned_script(get_guide(session, slug), guide, document_settings(session).agreement_lines)
        text, pages, sizes = run_sheet(db, paper, format_slug=slug, guide_slug="coping-strategies")
        assert all(size == pytest.approx(PAPERS[paper]) for size in sizes), f"{slug}: a page is not {paper}"
        assert 1 <= len(pages) <= 8, f"{slug} runs to {len(pages)} pages on {paper}"
        assert script.format is not None and flat(typographic(script.format.title)) in text
        assert f"Tonight’s topic: {typographic(guide.title)}" in text
        assert f"In all {script.planned_minutes}" in text, f"{slug}: no total of the planned minutes"
        begin = 0
        for number, part in enumerate(script.parts):
            end = begin + part.planned_minutes
            when = f"{part.planned_minutes} min · {begin // 60}:{begin % 60:02d} – {end // 60}:{end % 60:02d}"
            assert f"{number + 1}. {part.name} {when}" in text, f"{slug}: part {part.name} is not headed with its time"
            for block in script.part_text(number).blocks:
                assert flat(typographic(block.text)) in text, f"{slug}, {part.name}: “{block.text[:40]}…” is missing"
            for section in script.guide_sections(number):
                assert f"From tonight’s topic: {section.name}" in text
                for block in section.blocks:
                    assert flat(typographic(block.text)) in text, f"{slug}, {part.name}: the guide's {section.name}"
            begin = end
        kinds = {part.kind for part in script.parts}
        assert (flat(CRISIS) in text) == (PartKind.OPENING in kinds), f"{slug}: the crisis contacts go with the opening"
        assert (QUIET_SIGNAL in text) == (PartKind.SHARING in kinds), f"{slug}: the no-screen lines go with sharing"
        assert all(flat(line) in text for line in LAPTOP_FAILS)


def test_the_standard_format_takes_every_guides_check_in_question_prompts_and_closing(db: Database) -> None:
    with db.begin() as session:
        guides = [get_guide(session, choice.slug) for choice in topic_guide_choices(session)]
    assert len(guides) >= 8
    for guide in guides:
        text, _pages, _sizes = run_sheet(db, format_slug="standard-meeting", guide_slug=guide.slug)
        for name in ("Check-in question", "Opening reading", "Closing reflection"):
            assert flat(typographic(guide.section_text(name))) in text, f"{guide.slug}: its {name} is not printed"
        for number, prompt in enumerate(guide.prompts, start=1):
            assert f"{number}. {flat(typographic(prompt))}" in text, f"{guide.slug}: prompt {number}"


def test_a_format_without_a_guide_prints_its_own_parts_only(db: Database) -> None:
    text, _pages, _sizes = run_sheet(db, format_slug="standard-meeting")
    assert "No topic guide chosen" in text and "From tonight’s topic" not in text
    assert "1. Welcome 5 min · 0:00 – 0:05" in text and QUIET_SIGNAL in text


def test_a_meetings_run_sheet_has_its_format_and_guide_and_the_groups_clock_and_share(db: Database) -> None:
    with db.begin() as session:
        group = create_group(session, GROUP, share_minutes=4, meeting_weekday=1, meeting_time="19:00")
        meeting = open_meeting(
            session, group.id, guide_slug="emotional-support", format_slug="standard-meeting", now=T0
        ).id
        question = get_guide(session, "emotional-support").section_text("Check-in question")
    text, pages, _sizes = run_sheet(db, meeting_id=meeting)
    assert "Run sheet · Tuesday 3 March 2026" in text and GROUP not in text  # left behind, it says nothing of the group
    assert "Tonight’s topic: Being heard without being fixed" in text and flat(typographic(question)) in text
    assert "6. Sharing round 35 min · 19:40 – 20:15" in text and "8 Closing 5 20:25 – 20:30" in text
    assert "Each person has 4 minutes." in text and QUIET_SIGNAL in text
    with db.begin() as session:
        update_group(session, group.id, handout_names_group=True)
    named, pages, _sizes = run_sheet(db, meeting_id=meeting)
    assert f"{GROUP} · Run sheet · Tuesday 3 March 2026" in named and all(GROUP in page for page in pages)


def test_the_no_screen_lines_say_the_share_length_when_it_is_known() -> None:
    assert no_screen_lines(1)[1] == "Each person has 1 minute."
    assert no_screen_lines(None)[1] == "Each person has the same time."
    assert "I’ll give a quiet signal at one minute, like this." in no_screen_lines(3)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"format_slug": "coping-strategies"}, "“Sharing what helps when things get hard” is a topic guide; "),
        ({"format_slug": "standard-meeting", "guide_slug": "newcomer-meeting"}, "choose a topic guide to fill it in"),
        ({}, "A run sheet needs a meeting, or a meeting format."),
    ],
)
def test_a_run_sheet_of_the_wrong_kind_of_guide_is_refused_plainly(
    db: Database, source: dict[str, str], message: str
) -> None:
    with db.begin() as session, pytest.raises(InvalidInput, match=message):
        run_sheet_content(session, **source)  # type: ignore[arg-type]


def test_a_meeting_without_a_format_has_no_run_sheet_and_says_so(db: Database) -> None:
    with db.begin() as session:
        meeting = open_meeting(session, create_group(session, GROUP).id, guide_slug="emotional-support", now=T0).id
    with db.begin() as session, pytest.raises(InvalidInput, match="This meeting has no meeting format"):
        run_sheet_content(session, meeting_id=meeting)


def test_a_run_sheet_from_the_command_line(cli, tmp_path: Path) -> None:
    assert cli("group", "add", GROUP, "--time", "18:30").code == 0
    out = tmp_path / "run.pdf"
    refused = cli("handout", "--guide", "standard-meeting", "--group", GROUP, "-o", str(out))
    assert refused.code == 1 and "A format prints as a run sheet." in refused.err and not out.exists()
    made = cli(
        "run-sheet", "--format", "standard-meeting", "--guide", "coping-strategies", "--group", GROUP, "-o", str(out)
    )
    assert made.code == 0 and made.out.strip() == f"Wrote the run sheet to {out}."
    text = flat(" ".join(read(out.read_bytes())[0]))
    assert "1. Welcome 5 min · 18:30 – 18:35" in text and "Tonight’s topic: Sharing what helps" in text
    assert (
        cli("meeting", "open", "--group", GROUP, "--guide", "emotional-support", "--format", "newcomer-meeting").code
        == 0
    )
    assert cli("run-sheet", "--meeting", "1", "-o", str(out)).code == 0
    assert "Being heard without being fixed" in flat(" ".join(read(out.read_bytes())[0]))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--meeting", "1", "--guide", "coping-strategies"], "--guide and --group go with --format"),
        (["--format", "coping-strategies"], "is a topic guide; a run sheet is made from a meeting format."),
        (["--format", "standard-meeting", "--group", "Nobody"], "There is no group"),
    ],
)
def test_wrong_run_sheet_commands_get_one_plain_line_and_write_nothing(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("run-sheet", *args, "-o", "x.pdf")
    assert result.code == 1 and message in result.err and "Traceback" not in result.err
    assert not (tmp_path / "x.pdf").exists()


def test_the_run_sheet_prints_from_the_meeting_menu(db: Database, qtbot) -> None:
    with db.begin() as session:
        mark_asked_for_crisis_contacts(session, "print")  # the ask before printing: tests/test_cards_window.py
        group = create_group(session, GROUP)
        open_meeting(session, group.id, guide_slug="coping-strategies", format_slug="standard-meeting")
    window = shown_window(db, qtbot)
    action = window.actions_by_name[MainAction.RUN_SHEET]
    assert action.isEnabled() and in_meeting_menu(window, action)
    seen = preview_then(qtbot, lambda _preview: None)
    action.trigger()
    assert seen and seen[0].windowTitle() == "Run Sheet"
    text = flat(" ".join(read(seen[0].data)[0]))
    assert "Standard peer-support meeting" in text and "Tonight’s topic: Sharing what helps" in text
    window.close()


def test_with_no_meeting_open_the_run_sheet_asks_which_format_and_topic(db: Database, qtbot) -> None:
    with db.begin() as session:
        mark_asked_for_crisis_contacts(session, "print")  # the ask before printing: tests/test_cards_window.py
        group = create_group(session, GROUP, meeting_time="18:30")
        open_meeting(session, group.id, format_slug="newcomer-meeting", now=T0)
        close_meeting(session, 1, now=T0)
        suggested = suggested_topic(session, group.id)
    window = shown_window(db, qtbot)
    action = window.actions_by_name[MainAction.RUN_SHEET]
    assert window.meeting is None and action.isEnabled()
    offered: list[str] = []
    made: list[bytes] = []

    def choose(dialog: QtRunSheetDialog) -> None:
        offered.extend([dialog.format.currentData(), dialog.topic.currentData()])  # as the meeting page suggests
        dialog.topic.setCurrentIndex(dialog.topic.findData("coping-strategies"))
        preview_then(qtbot, lambda preview: made.append(preview.data))
        dialog.accept()

    when_modal_opens(qtbot, choose, QtRunSheetDialog)
    action.trigger()
    assert suggested is not None and offered == ["newcomer-meeting", suggested.slug] and made
    text = flat(" ".join(read(made[0])[0]))
    assert "Meeting that welcomes newcomers" in text and "Tonight’s topic: Sharing what helps" in text
    assert "1. Welcome 5 min · 18:30 – 18:35" in text
    window.close()


def test_a_meeting_opened_without_a_format_offers_one_with_tonights_topic(db: Database, qtbot) -> None:
    with db.begin() as session:
        mark_asked_for_crisis_contacts(session, "print")  # the ask before printing: tests/test_cards_window.py
        open_meeting(session, create_group(session, GROUP).id, guide_slug="emotional-support")
    window = shown_window(db, qtbot)
    seen: list[tuple[str, str, str]] = []

    def look(dialog: QtRunSheetDialog) -> None:
        said = " ".join(label.text() for label in dialog.findChildren(QLabel))
        seen.append((said, dialog.format.currentData(), dialog.topic.currentData()))
        dialog.reject()

    when_modal_opens(qtbot, look, QtRunSheetDialog)
    window.actions_by_name[MainAction.RUN_SHEET].trigger()
    assert seen and "Tonight's meeting has no format. Print the run sheet of:" in seen[0][0]
    assert seen[0][1:] == ("standard-meeting", "emotional-support")
    window.close()


def test_without_a_guide_the_format_brings_its_own_check_in_question_and_the_local_limits_are_read(
    db: Database,
) -> None:
    """The run sheet reads as the script panel does: the format's own check-in question when no
    topic is chosen, and the group's limits to confidentiality with the opening statement."""
    limits = "Staff at the centre must report a risk to a child."
    with db.begin() as session:
        change_document_settings(session, {"confidentiality-limits": limits})
        question = get_guide(session, "standard-meeting").section_text("Check-in question")
    text, _pages, _sizes = run_sheet(db, format_slug="standard-meeting")
    assert f"Check-in question {flat(typographic(question))}" in text
    assert f"Limits to confidentiality here {limits}" in text
    assert text.index(limits) < text.index(flat(CRISIS))  # read with the opening, before the crisis contacts

    with_guide, _pages, _sizes = run_sheet(db, format_slug="standard-meeting", guide_slug="coping-strategies")
    assert flat(typographic(question)) not in with_guide  # tonight's topic asks its own
