"""The Windows installer and the macOS disk image, as far as Linux can check them: the commands
run, the names made, the folder the disk image shows, the plain message when a tool is missing,
and that the Inno Setup script never reaches the records' folder."""

from __future__ import annotations

import fnmatch
import importlib.util
import re
import subprocess
import uuid
from pathlib import Path, PureWindowsPath
from types import ModuleType

import appdirs
import pytest

from facilitator.storage.locations import default_data_dir

ROOT = Path(__file__).resolve().parent.parent
ISS = ROOT / "installers" / "windows" / "facilitator.iss"


def load(name: str) -> ModuleType:
    """installers/ is a folder of build scripts, not a package: load one by its path."""
    spec = importlib.util.spec_from_file_location(f"installers_{name}", ROOT / "installers" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


windows = load("windows")
macos = load("macos")


class Runs:
    """Stands in for subprocess.run: keeps each command, answers with the scripted results."""

    def __init__(self, *results: tuple[int, str], effect=None) -> None:
        self.commands: list[list[str]] = []
        self.results = list(results) or [(0, "")]
        self.effect = effect

    def __call__(self, command, **kwargs):
        self.commands.append(list(command))
        if self.effect is not None:
            self.effect(command)
        code, err = self.results.pop(0) if len(self.results) > 1 else self.results[0]
        return subprocess.CompletedProcess(command, code, "", err)


def iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = []
        else:
            sections[current].append(line)
    return sections


def setup_directives() -> dict[str, str]:
    return dict(line.split("=", 1) for line in iss_sections()["Setup"])


# --- Windows ---------------------------------------------------------------------------------


def make_bundle(folder: Path, names: tuple[str, ...] = ("facilitator.exe", "facilitator-window.exe")) -> Path:
    (folder / "_internal").mkdir(parents=True)
    for name in names:
        (folder / name).write_bytes(b"MZ")
    return folder


def test_installer_compiles_the_script_with_the_version_bundle_and_output_folder(tmp_path, monkeypatch):
    bundle = make_bundle(tmp_path / "dist" / "facilitator")
    out = tmp_path / "dist"
    monkeypatch.setattr(windows.shutil, "which", lambda name: r"C:\Tools\iscc.exe" if name == "iscc" else None)

    def compile_setup(command):  # what iscc leaves behind: the setup named by the script
        (out / "Facilitator-1.2.3-windows-setup.exe").write_bytes(b"MZ")

    runs = Runs(effect=compile_setup)
    monkeypatch.setattr(windows.subprocess, "run", runs)

    setup = windows.installer(bundle, "1.2.3", out)

    assert setup == out / "Facilitator-1.2.3-windows-setup.exe"
    assert runs.commands == [
        [r"C:\Tools\iscc.exe", "/Qp", "/DAppVersion=1.2.3", f"/DBundle={bundle}", f"/O{out}", str(ISS)]
    ]


def test_the_script_names_the_setup_as_the_build_expects():
    base = setup_directives()["OutputBaseFilename"].replace("{#AppVersion}", "1.2.3")
    assert f"{base}.exe" == windows.setup_name("1.2.3") == "Facilitator-1.2.3-windows-setup.exe"


def test_without_inno_setup_the_message_says_what_to_install(tmp_path, monkeypatch):
    bundle = make_bundle(tmp_path / "facilitator")
    monkeypatch.setattr(windows.shutil, "which", lambda name: None)
    for variable in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        monkeypatch.setenv(variable, str(tmp_path / "empty"))
    runs = Runs()
    monkeypatch.setattr(windows.subprocess, "run", runs)

    with pytest.raises(SystemExit) as refusal:
        windows.installer(bundle, "1.2.3", tmp_path / "dist")

    assert str(refusal.value).startswith("Inno Setup (6 or newer) is needed to make the Windows installer")
    assert "choco install innosetup" in str(refusal.value)
    assert runs.commands == []


def test_inno_setup_is_found_in_program_files_when_not_on_path_newest_first(tmp_path, monkeypatch):
    for version in ("6", "7"):
        compiler = tmp_path / "Program Files (x86)" / f"Inno Setup {version}" / "ISCC.exe"
        compiler.parent.mkdir(parents=True)
        compiler.write_bytes(b"MZ")
    monkeypatch.setattr(windows.shutil, "which", lambda name: None)
    monkeypatch.setenv("ProgramFiles(x86)", str(tmp_path / "Program Files (x86)"))

    assert windows.iscc() == compiler


def test_a_bundle_without_the_window_program_is_refused_before_compiling(tmp_path, monkeypatch):
    bundle = make_bundle(tmp_path / "facilitator", names=("facilitator.exe",))
    runs = Runs()
    monkeypatch.setattr(windows.subprocess, "run", runs)

    with pytest.raises(SystemExit, match="lacks facilitator-window.exe: build the bundle"):
        windows.installer(bundle, "1.2.3", tmp_path / "dist")
    assert runs.commands == []


def test_a_failed_compile_is_reported(tmp_path, monkeypatch):
    bundle = make_bundle(tmp_path / "facilitator")
    monkeypatch.setattr(windows.shutil, "which", lambda name: "iscc")
    monkeypatch.setattr(windows.subprocess, "run", Runs((2, "")))

    with pytest.raises(SystemExit, match="Inno Setup could not make the installer"):
        windows.installer(bundle, "1.2.3", tmp_path / "dist")


def test_the_installer_is_per_user_and_its_shortcut_opens_the_window_without_a_console():
    setup = setup_directives()
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"] == r"{autopf}\Facilitator"
    assert str(uuid.UUID(setup["AppId"].removeprefix("{{").removesuffix("}"))).upper() in setup["AppId"]
    # The GPL is shown on a page with Next only: no "I accept" to click (GPL-3 section 9).
    assert (ISS.parent / PureWindowsPath(setup["InfoBeforeFile"]).as_posix()).resolve() == ROOT / "LICENSE"
    assert "LicenseFile" not in setup
    start_menu = [line for line in iss_sections()["Icons"] if line.startswith('Name: "{autoprograms}')]
    assert start_menu and all(r'Filename: "{app}\facilitator-window.exe"' in line for line in start_menu)


def test_the_uninstaller_deletes_inside_the_program_folder_only_never_the_records(monkeypatch):
    # Where the records go on Windows: appdirs' answer there, for the name locations.py gives it.
    monkeypatch.setattr(appdirs, "system", "win32")
    monkeypatch.setattr(appdirs, "_get_win_folder", lambda const: r"C:\Users\v\AppData\Local", raising=False)
    records = PureWindowsPath(str(default_data_dir()).replace("/", "\\"))
    program = PureWindowsPath(r"C:\Users\v\AppData\Local\Programs\Facilitator")  # {autopf} per user
    assert records == PureWindowsPath(r"C:\Users\v\AppData\Local\Facilitator")

    sections = iss_sections()
    deleted = [line for name in ("UninstallDelete", "InstallDelete") for line in sections.get(name, [])]
    assert deleted
    for line in deleted:
        target = re.search(r'Name: "([^"]+)"', line)
        assert target is not None and target.group(1).startswith("{app}\\"), line
        path = PureWindowsPath(target.group(1).replace("{app}", str(program)))
        assert path != records and records not in path.parents and path not in records.parents


# --- macOS -----------------------------------------------------------------------------------


def make_app(folder: Path) -> Path:
    app = folder / "Facilitator.app"
    framework = app / "Contents" / "Frameworks" / "QtCore.framework"
    (framework / "Versions" / "A").mkdir(parents=True)
    (framework / "Versions" / "Current").symlink_to("A")
    (app / "Contents" / "MacOS").mkdir()
    (app / "Contents" / "MacOS" / "facilitator-window").write_bytes(b"\xcf\xfa\xed\xfe")
    (app / "Contents" / "Info.plist").write_text("<plist/>")
    return app


def test_the_disk_image_holds_the_app_and_a_link_to_applications(tmp_path, monkeypatch):
    app = make_app(tmp_path / "dist")
    monkeypatch.setattr(macos.shutil, "which", lambda name: "/usr/bin/hdiutil" if name == "hdiutil" else None)
    monkeypatch.setattr(macos.platform, "machine", lambda: "arm64")
    staged: dict[str, object] = {}

    def look(command):  # the staged folder exists only while hdiutil runs
        source = Path(command[command.index("-srcfolder") + 1])
        staged["names"] = sorted(path.name for path in source.iterdir())
        staged["link"] = (source / "Applications").readlink()
        framework = source / "Facilitator.app" / "Contents" / "Frameworks" / "QtCore.framework"
        staged["current"] = (framework / "Versions" / "Current").readlink()

    runs = Runs(effect=look)
    monkeypatch.setattr(macos.subprocess, "run", runs)

    dmg = macos.disk_image(app, "1.2.3", tmp_path / "dist")

    assert dmg == tmp_path / "dist" / "Facilitator-1.2.3-macos-arm64.dmg"
    [command] = runs.commands
    source = command[command.index("-srcfolder") + 1]
    hdiutil = ["/usr/bin/hdiutil", "create", "-volname", "Facilitator", "-srcfolder", source]
    assert command == [*hdiutil, "-ov", "-format", "UDZO", str(dmg)]
    assert staged == {"names": ["Applications", "Facilitator.app"], "link": Path("/Applications"), "current": Path("A")}
    assert not Path(source).exists()


def test_hdiutil_is_tried_again_when_the_disk_is_busy(tmp_path, monkeypatch):
    app = make_app(tmp_path / "dist")
    monkeypatch.setattr(macos.shutil, "which", lambda name: "/usr/bin/hdiutil")
    pauses: list[float] = []
    monkeypatch.setattr(macos.time, "sleep", pauses.append)
    busy = (1, "hdiutil: create failed - Resource busy\n")
    runs = Runs(busy, busy, (0, ""))
    monkeypatch.setattr(macos.subprocess, "run", runs)

    dmg = macos.disk_image(app, "1.2.3", tmp_path / "out")

    assert dmg.name.startswith("Facilitator-1.2.3-macos-") and len(runs.commands) == 3
    assert pauses == [5, 10]


def test_other_hdiutil_failures_stop_at_once_with_a_plain_message(tmp_path, monkeypatch, capsys):
    app = make_app(tmp_path / "dist")
    monkeypatch.setattr(macos.shutil, "which", lambda name: "/usr/bin/hdiutil")
    runs = Runs((1, "hdiutil: create failed - No space left on device\n"))
    monkeypatch.setattr(macos.subprocess, "run", runs)

    with pytest.raises(SystemExit, match="hdiutil could not make the disk image"):
        macos.disk_image(app, "1.2.3", tmp_path / "out")
    assert len(runs.commands) == 1
    assert "No space left on device" in capsys.readouterr().err


def test_without_hdiutil_the_message_says_a_mac_is_needed(tmp_path, monkeypatch):
    monkeypatch.setattr(macos.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit, match="only be made on a Mac"):
        macos.disk_image(make_app(tmp_path), "1.2.3", tmp_path / "out")


# --- Linux ------------------------------------------------------------------------------------


def copyright_licence(path: str) -> str:
    """The License field of the last `Files` stanza of the .deb's copyright file matching `path` (DEP-5's rule)."""
    text = (ROOT / "installers" / "linux" / "copyright").read_text(encoding="utf-8")
    found = ""
    for stanza in text.split("\n\n"):
        fields = re.findall(r"(?m)^([A-Za-z-]+):((?:.*)(?:\n .*)*)", stanza)
        values = {name: value for name, value in fields}
        if "Files" in values and any(fnmatch.fnmatchcase(path, glob) for glob in values["Files"].split()):
            found = values["License"]
    return found


def test_the_deb_says_the_bundled_libraries_are_under_their_own_licences_and_the_program_under_the_gpl():
    assert copyright_licence("usr/share/applications/org.facilitator_app.Facilitator.desktop") == " GPL-3.0-or-later"
    for ours in (
        "opt/facilitator/_internal/facilitator/storage/migrations/env.py",
        "opt/facilitator/_internal/LICENSE",
    ):
        assert copyright_licence(ours) == " GPL-3.0-or-later"
    theirs = copyright_licence("opt/facilitator/_internal/libQt6Core.so.6")
    assert theirs.startswith(" other\n") and "/opt/facilitator/_internal/THIRD-PARTY" in theirs
