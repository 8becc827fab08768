"""Every name in its own script: characters the document's font lacks are drawn in an installed
font that has them (embedded like the first), a character no font here has is reported before
printing, naming whose text it is in, and a right-to-left name in a footer keeps to its place.

The fonts these tests need are the ones CI installs (.ci/run): Droid Sans Fallback
for Chinese, Lohit Devanagari for Devanagari. Without them a test fails under CI and is skipped,
saying what to install, elsewhere.
"""

from __future__ import annotations

import io
import os
import re
import sys
from datetime import date, datetime
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader

from facilitator.documents import fonts
from facilitator.documents.attendance_report import report_content, report_pdf
from facilitator.documents.layout import Part, Pdf, pdf_for
from facilitator.documents.letter import letter_pdf
from facilitator.documents.sign_in import sign_in_content, sign_in_pdf
from facilitator.rules.groups import create_group
from facilitator.rules.letters import letter_facts
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.preferences import document_settings
from facilitator.text import NameDisplay
from tests.test_documents import pages, weekly_meetings

CHINESE, DEVANAGARI, EMOJI = "李小龙", "प्रिया", "🌈"
NO_FONT_HAS_IT = "\ue000"  # a private-use code point: no installed font draws it
T0 = datetime(2026, 3, 3, 19, 0).astimezone()


def need_fonts_for(text: str) -> None:
    """Fail under CI, which installs the fonts, and skip elsewhere, when no font here draws `text`."""
    lacking = "".join(char for char in text if fonts.fallback_for(char) is None)
    if lacking:
        reason = f"no installed font draws {lacking!r}: install fonts-droid-fallback and fonts-lohit-deva"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def pdf(db: Database) -> Pdf:
    with db.begin() as session:
        return pdf_for(document_settings(session), clock=lambda: T0)


def sign_in_sheet(db: Database, pdf: Pdf, names: list[str], group_name: str = "Names") -> bytes:
    with db.begin() as session:
        group = create_group(session, group_name, name_display=NameDisplay.FULL)
        for name in names:
            add_participant(session, group.id, name, joined_on=date(2026, 1, 1))
        return sign_in_pdf(pdf, sign_in_content(session, group.id, date(2026, 3, 3)))


def embedded_fonts(data: bytes) -> set[str]:
    return {name.decode().split("+")[-1] for name in re.findall(rb"/BaseFont /([^\s/]+)", data)}


def drawn(pdf: Pdf, text: str) -> bytes:
    """The pixels of `text` printed alone, big, at the top left of a page."""
    data = pdf.render([Part("", [pdf.text(text, "title")])], title="Test")
    page = pypdfium2.PdfDocument(data)[0]
    image = page.render(scale=2).to_pil().convert("L")
    return bytes(image.crop((0, 0, image.width // 2, image.height // 6)).tobytes())


def test_chinese_and_devanagari_names_print_as_glyphs_and_as_text(db: Database, pdf: Pdf) -> None:
    need_fonts_for(CHINESE + DEVANAGARI + EMOJI)
    names = [CHINESE, f"{DEVANAGARI} शर्मा", f"{EMOJI} Rainbow", "Ann Lee"]
    data = sign_in_sheet(db, pdf, names)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert all(name in text for name in names)
    assert {"DroidSansFallback", "Lohit-Devanagari", "Symbola"} <= embedded_fonts(data)
    assert pdf.warnings == []
    # On the page: each character has ink, and is not the empty box a font draws for what it lacks.
    box = drawn(pdf, NO_FONT_HAS_IT)
    blank = drawn(pdf, " ")
    for char in CHINESE + DEVANAGARI + EMOJI:
        glyph = drawn(pdf, char)
        assert glyph != box and glyph != blank, f"{char!r} printed as a box or not at all"


def test_a_letter_names_its_chinese_reader_in_its_text(db: Database, pdf: Pdf) -> None:
    need_fonts_for(CHINESE)
    with db.begin() as session:
        group = create_group(session, "Thursday Circle")
        person = add_participant(session, group.id, CHINESE, joined_on=date(2026, 1, 1)).id
        weekly_meetings(session, group.id, [person], 2)
        facts = letter_facts(session, person, group.id, date(2026, 3, 1), date(2026, 3, 31), signed_by="Sam Rivera")
        data = letter_pdf(pdf, facts)
    assert f"This confirms that {CHINESE} attended 2 meetings" in " ".join(pages(data)[0].split())


def test_a_report_prints_a_full_width_name_in_a_fallback_font(db: Database, pdf: Pdf) -> None:
    need_fonts_for("Ａｎｎａ")
    with db.begin() as session:
        group = create_group(session, "Names", name_display=NameDisplay.FULL)
        anna = add_participant(session, group.id, "Ａｎｎａ", joined_on=date(2026, 1, 1)).id
        weekly_meetings(session, group.id, [anna], 2)
        data = report_pdf(pdf, report_content(session, group.id, date_from=date(2026, 1, 1), date_to=date(2026, 3, 31)))
    assert "Ａｎｎａ" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "DroidSansFallback" in embedded_fonts(data)


def test_a_character_no_font_has_is_reported_before_printing_naming_whose_name_it_is_in(db: Database, pdf: Pdf) -> None:
    sign_in_sheet(db, pdf, [f"Kim {NO_FONT_HAS_IT}", "Ann Lee", f"Bo {NO_FONT_HAS_IT}{NO_FONT_HAS_IT}"])
    advice = "install a font that has them (the Noto fonts cover most scripts), or choose one in the document settings."
    assert pdf.warnings == [
        f"Some characters in “{name}” have no font on this computer and would print as boxes: {advice}"
        for name in (f"Bo {NO_FONT_HAS_IT}{NO_FONT_HAS_IT}", f"Kim {NO_FONT_HAS_IT}")
    ]


def test_a_variation_selector_in_a_name_is_left_out_not_printed_as_a_box(db: Database, pdf: Pdf) -> None:
    """A Japanese name keeps the selector that picks its kanji's variant (U+E0100); no font draws
    the selector itself, nor needs to."""
    need_fonts_for("葛城")
    data = sign_in_sheet(db, pdf, ["葛\U000e0100城 Aiko"])
    assert pdf.warnings == []
    assert "葛城 Aiko" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_a_date_after_an_arabic_group_name_stays_whole_on_its_right_in_the_footer(db: Database, pdf: Pdf) -> None:
    group = "دائرة التعافي"
    data = sign_in_sheet(db, pdf, ["Ann Lee"], group_name=group)
    page = pypdfium2.PdfDocument(data)[0]
    footer = [
        (text.get_text_range(index, 1), text.get_charbox(index)[0])
        for text in [page.get_textpage()]
        for index in range(text.count_chars())
        if text.get_charbox(index)[1] < 60  # the footer line, near the bottom of the page
    ]
    drawn_left_to_right = "".join(char for char, _left in sorted(footer, key=lambda found: found[1]))
    arabic = re.search(r"[\u0600-\u06ff\ufb50-\ufeff][\u0600-\u06ff\ufb50-\ufeff ]*", drawn_left_to_right)
    assert arabic is not None
    assert drawn_left_to_right[: arabic.start()] == "Sign-in · "
    assert drawn_left_to_right[arabic.end() :].lstrip().startswith("· 3 Mar 2026 · private")


@pytest.mark.parametrize(
    ("platform", "environ", "folders"),
    [
        (
            "win32",
            {"WINDIR": r"D:\Windows", "LOCALAPPDATA": r"C:\Users\kim\AppData\Local"},
            [r"D:\Windows/Fonts", r"C:\Users\kim\AppData\Local/Microsoft/Windows/Fonts"],
        ),
        ("darwin", {}, ["/System/Library/Fonts", "/Library/Fonts", "~/Library/Fonts"]),
        ("linux", {}, ["/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts"]),
    ],
)
def test_fonts_are_looked_for_in_the_system_and_the_users_font_folders(
    monkeypatch: pytest.MonkeyPatch, platform: str, environ: dict[str, str], folders: list[str]
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    home = str(Path.home())
    assert [str(folder).replace(home, "~") for folder in fonts.font_folders()] == [
        str(Path(folder)) for folder in folders
    ]


def test_the_window_says_before_printing_whose_name_would_print_as_boxes(db: Database, qtbot) -> None:
    from facilitator.rules.meetings import open_meeting
    from tests.test_documents_window import preview_then
    from tests.window_helpers import shown_window
    from ui.actions import MainAction

    with db.begin() as session:
        group = create_group(session, "Tuesday Circle", name_display=NameDisplay.FULL)
        add_participant(session, group.id, f"Kim {NO_FONT_HAS_IT}", joined_on=date(2026, 1, 1))
        open_meeting(session, group.id)
    window = shown_window(db, qtbot)
    shown: list[str] = []
    seen = preview_then(
        qtbot, lambda preview: shown.append(preview.warning.text() if preview.warning.isVisibleTo(preview) else "")
    )
    window.actions_by_name[MainAction.PRINT_SIGN_IN].trigger()
    assert seen and shown[0].startswith(f"Some characters in “Kim {NO_FONT_HAS_IT}” have no font on this computer")
    window.close()


def test_a_character_no_font_has_in_a_long_text_is_reported_with_the_words_around_it(pdf: Pdf) -> None:
    """A character that prints as a box shows as nothing in a terminal: quoted alone, the warning
    would name “” (a legal name "Ann \ue000 Lee" inside a letter's long sentence)."""
    pdf.text(f"This confirms that Ann {NO_FONT_HAS_IT} Lee, known in the group as Chen, attended 24 meetings.")
    assert [warning.split("” have no font")[0] for warning in pdf.warnings] == [
        f"Some characters in “Ann {NO_FONT_HAS_IT} Lee,"
    ]
