"""Help → About and `--version`: the version the package is installed as, where the records are, and the licence."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from facilitator.storage.database import Database
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction
from ui.app import main as window_main
from ui.shell.handlers import about_text

INSTALLED = metadata.version("facilitator")
STALE = "the installed metadata says {}: reinstall (pip install -e .) after changing __version__"


def test_about_says_the_version_the_data_folder_and_the_licence(db: Database, qtbot) -> None:
    window = shown_window(db, qtbot)
    seen: list[str] = []
    when_modal_opens(qtbot, lambda box: (seen.append(box.text()), box.accept()), QMessageBox)
    window.actions_by_name[MainAction.ABOUT].trigger()
    [text] = seen
    assert text.startswith(f"Facilitator {INSTALLED}\n"), STALE.format(INSTALLED)
    assert f"Your records are kept on this computer only, in {window.location.data_dir}." in text
    assert (
        "Copyright © The Facilitator contributors. Facilitator is free software: you may share and change it "
        "under the GNU General Public License, version 3 or later (https://www.gnu.org/licenses/gpl-3.0.html). "
        "It comes with no warranty."
    ) in text
    # Run by Python (not the standalone program): no THIRD-PARTY file to point to.
    assert text.endswith(
        "Built with Qt and PySide6 (under the GNU LGPL, version 3) and other free libraries, "
        "each under its own licence."
    )


def test_the_standalone_programs_about_says_where_the_licences_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "facilitator" / "_internal"
    monkeypatch.setattr("sys._MEIPASS", str(bundle), raising=False)
    assert about_text(tmp_path / "data").endswith("other free libraries, each under its own licence.")
    bundle.mkdir(parents=True)
    (bundle / "THIRD-PARTY").write_text("Third-party software in Facilitator\n", encoding="utf-8")
    notice = bundle / "THIRD-PARTY"
    assert about_text(tmp_path / "data").endswith(f"other free libraries, whose licences are in {notice}.")


def test_both_commands_say_the_installed_version(cli, capsys: pytest.CaptureFixture[str]) -> None:
    said = cli("--version")
    assert (said.code, said.out) == (0, f"facilitator {INSTALLED}\n"), STALE.format(INSTALLED)
    with pytest.raises(SystemExit) as done:
        window_main(["--version"])
    assert (done.value.code, capsys.readouterr().out) == (0, f"facilitator-window {INSTALLED}\n")
