"""`facilitator settings`: every document setting read, set and put back from the command line,
refused in plain words when it cannot be used, and seen the same way by the window's dialog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtWidgets import QDialog

from facilitator.documents import fonts
from facilitator.storage.database import Database
from facilitator.storage.preferences import CRISIS_TEXT_DEFAULT, DEFAULT_AGREEMENTS, default_page_size
from tests.window_helpers import shown_window
from ui.operations.document_dialogs import QtDocumentSettingsDialog

NAMES = [
    "paper",
    "font",
    "organisation",
    "logo",
    "signed-by",
    "contact",
    "agreements",
    "confidentiality-limits",
    "crisis-contacts",
]
WIDTH = max(len(name) for name in NAMES)  # `facilitator settings` lines up the values after the longest name
UNKNOWN = f"There is no document setting called “colour”. The settings are {', '.join(NAMES)}."


@pytest.fixture
def font(tmp_path: Path) -> Path:
    path = tmp_path / "mine.ttf"
    path.write_bytes(fonts.find_font().regular.read_bytes())
    return path


@pytest.fixture
def logo(tmp_path: Path) -> Path:
    path = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), "teal").save(path)
    return path


def new_values(font: Path, logo: Path) -> dict[str, str]:
    """A value for every setting, none of them its default."""
    return {
        "paper": "A4" if default_page_size() == "Letter" else "Letter",
        "font": str(font),
        "organisation": "Riverside Peer Network",
        "logo": str(logo),
        "signed-by": "Sam Rivera",
        "contact": "0161 496 0000, letters@riverside.example",
        "agreements": "Be kind.\nPhones on silent.",
        "confidentiality-limits": "Our host asks us to tell the centre manager about any threat of violence.",
        "crisis-contacts": "Riverside crisis line: 0100 000 000, any time.",
    }


def listed(cli) -> dict[str, dict[str, object]]:
    result = cli("settings", "--json")
    assert result.code == 0, result.err
    return {setting["name"]: setting for setting in json.loads(result.out)}


def test_every_setting_is_listed_with_its_default(cli) -> None:
    settings = listed(cli)
    assert list(settings) == NAMES
    assert all(setting["default"] is True for setting in settings.values())
    assert settings["paper"]["value"] == default_page_size()
    assert settings["agreements"]["value"] == DEFAULT_AGREEMENTS
    assert settings["crisis-contacts"]["value"] == CRISIS_TEXT_DEFAULT
    assert (settings["font"]["value"], settings["logo"]["value"], settings["organisation"]["value"]) == ("", "", "")
    plain = cli("settings").out.splitlines()
    assert plain[0] == f"{'paper':{WIDTH}}  {default_page_size()}  (default)"
    assert plain[1] == f"{'font':{WIDTH}}  (one found on this computer)  (default)"
    assert f"{'logo':{WIDTH}}  (none)  (default)" in plain
    assert f"{'confidentiality-limits':{WIDTH}}  (none)  (default)" in plain


@pytest.mark.parametrize("name", NAMES)
def test_every_setting_round_trips_through_set_get_and_unset(cli, name: str, font: Path, logo: Path) -> None:
    value = new_values(font, logo)[name]
    before = listed(cli)
    result = cli("settings", "set", name, value)
    assert result.code == 0 and result.err == ""
    assert cli("settings", "get", name).out == f"{value}\n"
    got = json.loads(cli("settings", "get", name, "--json").out)
    assert json.loads(cli("settings", "--json", "get", name).out) == got
    assert (got["name"], got["value"], got["default"]) == (name, value, False)
    after = listed(cli)
    assert {key: setting for key, setting in after.items() if key != name} == {
        key: setting for key, setting in before.items() if key != name
    }
    result = cli("settings", "unset", name)
    assert (result.code, result.out) == (0, f"{name} is back to its default.\n")
    assert listed(cli) == before


def test_values_are_kept_as_the_window_keeps_them(cli, font: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(font.parent)
    assert cli("settings", "set", "paper", "letter").out == "Set paper to “Letter”.\n"
    assert cli("settings", "get", "paper").out == "Letter\n"
    assert cli("settings", "set", "font", font.name).out == f"Set font to “{font}”.\n"  # found from anywhere
    assert cli("settings", "set", "organisation", "  Riverside  ").out == "Set organisation to “Riverside”.\n"
    assert cli("settings", "set", "agreements", "").out == "Set agreements.\n"
    assert cli("settings", "get", "agreements").out == "\n"  # no agreements at all, not the default ones
    assert cli("settings", "set", "crisis-contacts", "").out == f"Set crisis-contacts to “{CRISIS_TEXT_DEFAULT}”.\n"
    assert cli("settings", "get", "crisis-contacts").out == f"{CRISIS_TEXT_DEFAULT}\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "paper", "A5"), "The paper is A4 or Letter, not “A5”."),
        (("set", "font", "/nowhere/font.ttf"), "The font file /nowhere/font.ttf does not exist."),
        (("set", "logo", "/nowhere/logo.png"), "The image file /nowhere/logo.png does not exist."),
        (("set", "organisation", "R" * 201), "The organisation's name is 201 characters long; at most 200 fit."),
        (
            ("set", "confidentiality-limits", "L" * 1001),
            "The text of the limits to confidentiality is 1001 characters long; at most 1000 fit.",
        ),
        (
            ("set", "agreements", "A\x07"),
            "The text of the group agreements contains a control character (U+0007), which cannot be stored.",
        ),
        (
            ("set", "colour", "teal"),
            UNKNOWN,
        ),
        (("get", "colour"), UNKNOWN),
        (
            ("unset", "colour"),
            UNKNOWN,
        ),
    ],
)
def test_a_bad_value_is_refused_in_one_line_and_changes_nothing(cli, args: tuple[str, ...], message: str) -> None:
    cli("settings", "set", "organisation", "Riverside Peer Network")
    before = listed(cli)
    result = cli("settings", *args)
    assert (result.code, result.out, result.err) == (1, "", f"facilitator: {message}\n")
    assert listed(cli) == before


def test_a_file_that_is_not_a_font_or_an_image_is_refused(cli, tmp_path: Path) -> None:
    text = tmp_path / "notes.ttf"
    text.write_text("not a font")
    before = listed(cli)
    font = cli("settings", "set", "font", str(text))
    assert font.code == 1 and font.err.startswith("facilitator: notes.ttf cannot be used to print: ")
    assert font.err.endswith("Choose a TrueType (.ttf) font.\n") and font.err.count("\n") == 1
    logo = cli("settings", "set", "logo", str(text))
    assert logo.code == 1 and logo.err.startswith("facilitator: notes.ttf cannot be printed as a logo: ")
    assert logo.err.endswith("Choose a PNG or JPEG file.\n") and logo.err.count("\n") == 1
    assert listed(cli) == before


def test_the_dialog_shows_what_the_command_line_set(cli, db: Database, qtbot, font: Path, logo: Path) -> None:
    values = new_values(font, logo)
    for name, value in values.items():
        assert cli("settings", "set", name, value).code == 0
    window = shown_window(db, qtbot)
    dialog = QtDocumentSettingsDialog(window.operations, window)
    qtbot.addWidget(dialog)
    shown = {
        "paper": dialog.page_size.currentText(),
        "font": dialog.font_file.text(),
        "organisation": dialog.organisation.text(),
        "logo": dialog.logo_file.text(),
        "signed-by": dialog.facilitator.text(),
        "contact": dialog.contact.text(),
        "agreements": dialog.agreements.toPlainText(),
        "confidentiality-limits": dialog.limits.toPlainText(),
        "crisis-contacts": dialog.crisis.toPlainText(),
    }
    assert shown == values
    dialog.reject()
    window.close()


def test_the_command_line_reads_what_the_dialog_saved(cli, db: Database, qtbot, font: Path, logo: Path) -> None:
    values = new_values(font, logo)
    window = shown_window(db, qtbot)
    dialog = QtDocumentSettingsDialog(window.operations, window)
    qtbot.addWidget(dialog)
    dialog.page_size.setCurrentText(values["paper"])
    dialog.font_file.setText(values["font"])
    dialog.organisation.setText(values["organisation"])
    dialog.logo_file.setText(values["logo"])
    dialog.facilitator.setText(values["signed-by"])
    dialog.contact.setText(values["contact"])
    dialog.agreements.setPlainText(values["agreements"])
    dialog.limits.setPlainText(values["confidentiality-limits"])
    dialog.crisis.setPlainText(values["crisis-contacts"])
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    window.close()
    assert {name: setting["value"] for name, setting in listed(cli).items()} == values
    assert not any(setting["default"] for setting in listed(cli).values())
