"""The THIRD-PARTY notice (installers/third_party.py): every library the program runs with, its version, a licence
that may join a GPL-3.0-or-later program, and its licence text."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest
from PySide6 import QtCore

ROOT = Path(__file__).resolve().parents[1]


def _load() -> ModuleType:
    """installers/ is not a package (the folder holds build scripts): load the script by its path."""
    spec = importlib.util.spec_from_file_location("third_party", ROOT / "installers" / "third_party.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


third_party = _load()


def _not_allowed() -> list[str]:
    return list(third_party.not_allowed(third_party.runtime_distributions()))


def _names(dists: list[metadata.Distribution]) -> set[str]:
    return {third_party.normalized(d.metadata["Name"]) for d in dists}


def _asked_for() -> set[str]:
    """The names pyproject.toml's [project] dependencies ask for."""
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return {third_party.normalized(re.split(r"[\[<>=!~;\s]", line, maxsplit=1)[0]) for line in dependencies}


def test_every_library_the_program_runs_with_may_join_a_gpl_3_program() -> None:
    assert _not_allowed() == [], "read its licence; if it allows GPL-3.0-or-later, say so in ALLOWED or IN_WORDS"


class Relicensed(metadata.Distribution):
    """An installed distribution whose METADATA says its licence is "Proprietary"."""

    def __init__(self, real: metadata.Distribution) -> None:
        self.real = real

    def read_text(self, filename: str) -> str | None:
        text = self.real.read_text(filename)
        if filename != "METADATA" or text is None:
            return text
        text = re.sub(r"(?m)^(License|License-Expression|Classifier: License ::)[^\n]*\n", "", text)
        return re.sub(r"(?m)^(Version: [^\n]*\n)", r"\1License: Proprietary\n", text, count=1)

    def locate_file(self, path: str | os.PathLike[str]) -> Path:
        return Path(str(self.real.locate_file(path)))


def _relicense_vobject(monkeypatch: pytest.MonkeyPatch) -> None:
    real = metadata.distribution

    def reader(name: str) -> metadata.Distribution:
        found = real(name)
        return Relicensed(found) if third_party.normalized(name) == "vobject" else found

    monkeypatch.setattr(third_party.metadata, "distribution", reader)


def test_a_library_under_a_licence_not_allowed_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    _relicense_vobject(monkeypatch)
    assert _not_allowed() == [f"vobject {metadata.version('vobject')}: Proprietary"]


def test_the_build_refuses_to_write_the_notice_for_a_library_not_allowed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _relicense_vobject(monkeypatch)
    out = tmp_path / "THIRD-PARTY"
    assert third_party.main([str(out)]) == 1
    assert not out.exists()
    said = capsys.readouterr().err
    assert f"vobject {metadata.version('vobject')}: Proprietary" in said
    assert "GPL-3.0-or-later" in said and "Traceback" not in said


def test_the_notice_names_every_library_with_its_version_and_licence_text(tmp_path: Path) -> None:
    out = tmp_path / "THIRD-PARTY"
    subprocess.run([sys.executable, str(ROOT / "installers" / "third_party.py"), str(out)], check=True)
    notice = out.read_text(encoding="utf-8")
    assert notice.startswith(f"Third-party software in Facilitator {metadata.version('facilitator')}\n")
    dists = third_party.runtime_distributions()
    # What pyproject.toml asks for, the accelerator reportlab[accel] brings, and what alembic needs in turn;
    # not the test tools (the "test" extra) nor SQLAlchemy's optional drivers.
    assert _asked_for() | {"rl-accel", "mako", "markupsafe"} <= _names(dists)
    assert not _names(dists) & {"pytest", "psycopg", "mypy", "greenlet", "asyncpg"}
    for dist in dists:
        assert f"\n{dist.metadata['Name']} {dist.version}\n{'=' * 78}\nLicence: " in notice, dist.metadata["Name"]
    assert third_party.NO_TEXT not in notice, "a library ships no licence file: add its text to installers/licenses"
    by_hand = (
        "GNU LESSER GENERAL PUBLIC LICENSE",
        "James Tauber",
        "PYTHON SOFTWARE FOUNDATION LICENSE",
        "Bootloader Exception",
    )
    for added in by_hand:
        assert added in notice


def test_the_libraries_listed_are_those_the_program_runs_with() -> None:
    names = _names(third_party.runtime_distributions())
    assert _asked_for() <= names
    assert "rl-accel" in names  # reportlab[accel]: an extra asked for is followed
    assert not names & {"pytest", "pytest-qt", "mypy", "psycopg", "textstat", "openpyxl"}  # the test extra is not


def _section(notice: str, title: str) -> str:
    """The text of the notice's section `title`, up to the next section."""
    return notice.split(f"\n{title}\n{'=' * 78}\n", 1)[1].split(f"\n\n\n{'=' * 78}\n", 1)[0]


def test_the_notice_says_where_the_source_of_each_version_shipped_is() -> None:
    source = _section(third_party.notice(), third_party.SOURCE_TITLE)
    own = metadata.version("facilitator")
    assert f"source/facilitator-{own}.tar.gz" in source
    qt = QtCore.qVersion()  # the Qt the wheels carry, as the program loads it
    minor = ".".join(qt.split(".")[:2])
    assert f"https://download.qt.io/official_releases/qt/{minor}/{qt}/single/qt-everywhere-src-{qt}.tar.xz" in source
    pyside = metadata.version("pyside6-essentials")
    assert (
        f"https://download.qt.io/official_releases/QtForPython/pyside6/PySide6-{pyside}-src/"
        f"pyside-setup-everywhere-src-{pyside}.tar.xz" in source
    )
    bidi = metadata.version("python-bidi")
    assert f"https://pypi.org/project/python-bidi/{bidi}/#files" in source
    assert "codesign --force --deep -s - Facilitator.app" in source
    assert "pypi.org/project/pyside6" not in source.lower()  # its wheels are not its source


def test_the_notices_of_the_code_inside_the_qt_libraries_are_given() -> None:
    parts = _section(third_party.notice(), third_party.QT_PARTS_TITLE)
    for name, _, _, file, _ in third_party.QT_PARTS:
        assert f"\n  {name}, in " in parts
        assert (third_party.LICENSES / "qt" / file).is_file()
    notices = (
        "UNICODE, INC. LICENSE AGREEMENT",  # ICU
        "University of Cambridge",  # PCRE2
        "Behdad Esfahbod",  # HarfBuzz
        "The PNG Reference Library is supplied",  # libpng
        "Martin Mitáš",  # md4c
        "The FreeType Project LICENSE",
        "Independent JPEG Group",
        "Mozilla Public License Version 2.0",
    )
    for text in notices:
        assert text in parts, text
