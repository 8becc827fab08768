"""The .deb as a volunteer meets it: installed with apt on a clean Debian with no Python, then used.

`python3 dev.py package --check` runs these (and so does CI): it builds the package, copies a
freshly made Debian 12 root folder (debootstrap, nothing but the minimal base) and starts a
private screen, then names the two in FACILITATOR_DEB and FACILITATOR_CLEAN_ROOT. The tests
install the package there with apt and use it through chroot, as a new user with an empty home
folder. Without those, the tests are deselected by dev.py test and fail if asked for.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from facilitator import APP_ID, __version__

# The first test also waits for apt to fetch the package's dependencies from Debian's mirror.
pytestmark = [pytest.mark.installed_package, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parent.parent
USER = "volunteer"
HOME = Path("/home") / USER
SHOT = ROOT / "build" / "installed-window.png"


@dataclass
class Machine:
    """A clean Debian root folder, entered with chroot."""

    root: Path

    def run(self, *command: str, user: bool = True, env: dict[str, str] | None = None) -> str:
        """`command` in the root, as the volunteer (with a login's bare environment) or as root.
        Returns what it printed; a failure fails the test with what it said."""
        done = subprocess.run(self._command(command, user, env), capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def start(self, *command: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(self._command(command, True, env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def _command(self, command: tuple[str, ...], user: bool, env: dict[str, str] | None) -> list[str]:
        if not user:
            return ["chroot", str(self.root), "env", "DEBIAN_FRONTEND=noninteractive", *command]
        login = {"HOME": str(HOME), "LANG": "C.UTF-8", "PATH": "/usr/local/bin:/usr/bin:/bin", **(env or {})}
        return [
            "chroot",
            f"--userspec={USER}:{USER}",
            str(self.root),
            "env",
            "-i",
            *(f"{key}={value}" for key, value in login.items()),
            *command,
        ]

    def has_python(self) -> bool:
        found = subprocess.run(
            ["chroot", str(self.root), "sh", "-c", "command -v python3 || command -v python || ls /usr/bin/python3*"],
            capture_output=True,
        )
        return found.returncode == 0

    def path(self, inside: str | Path) -> Path:
        return self.root / str(inside).lstrip("/")

    def install(self, deb: Path) -> None:
        shutil.copyfile(deb, self.path("/tmp") / deb.name)
        self.run("apt-get", "install", "-y", "-qq", "--no-install-recommends", f"/tmp/{deb.name}", user=False)


@pytest.fixture(scope="module")
def deb() -> Path:
    return Path(_given("FACILITATOR_DEB"))


@pytest.fixture(scope="module")
def machine(deb: Path) -> Iterator[Machine]:
    """The clean root with the package installed by apt, and a new user; the mounts a desktop
    session has (processes, shared memory) for as long as the tests run. The screen needs none:
    the X server also listens on an abstract socket, which a chroot shares with the machine."""
    machine = Machine(Path(_given("FACILITATOR_CLEAN_ROOT")))
    assert not machine.has_python(), "the clean Debian root already has Python: it proves nothing"
    mounts: list[Path] = []
    try:
        for kind, source, target, options in (
            ("proc", "proc", "/proc", []),
            ("tmpfs", "tmpfs", "/dev/shm", ["-o", "mode=1777"]),
        ):
            machine.path(target).mkdir(parents=True, exist_ok=True)
            subprocess.run(["mount", "-t", kind, *options, source, str(machine.path(target))], check=True)
            mounts.append(machine.path(target))
        shutil.copyfile("/etc/resolv.conf", machine.path("/etc/resolv.conf"))
        machine.run("apt-get", "update", "-qq", user=False)
        machine.install(deb)
        machine.run("useradd", "--create-home", USER, user=False)
        yield machine
    finally:
        for mount in reversed(mounts):
            subprocess.run(["umount", str(mount)], check=True)


def _given(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run these tests with python3 dev.py package --check", pytrace=False)
    return value


def test_the_package_brings_no_python_and_says_its_version(machine: Machine, deb: Path) -> None:
    assert not machine.has_python()
    assert machine.run("facilitator", "--version") == f"facilitator {__version__}\n"
    assert machine.run("facilitator-window", "--version") == f"facilitator-window {__version__}\n"
    assert machine.run("dpkg-query", "-W", "-f=${Version}", "facilitator", user=False) == __version__
    architecture = machine.run("dpkg", "--print-architecture", user=False).strip()
    assert deb.name == f"facilitator_{__version__}_{architecture}.deb"


def test_a_new_user_makes_records_and_prints_tonights_packet(machine: Machine) -> None:
    data = ["--data-dir", f"{HOME}/records"]
    assert "Demo ready" in machine.run("facilitator", *data, "demo", "--years", "1")
    group = "Newcomers' Welcome"
    machine.run("facilitator", *data, "meeting", "open", "--group", group, "--guide", "coping-strategies")
    meeting = json.loads(machine.run("facilitator", *data, "meetings", "--group", group, "--json"))[-1]
    assert meeting["state"] == "open"
    machine.run("facilitator", *data, "packet", "--meeting", str(meeting["id"]), "-o", f"{HOME}/packet.pdf")
    pages = [page.extract_text() for page in PdfReader(machine.path(HOME / "packet.pdf")).pages]
    assert len(pages) >= 3  # the handout's two pages and the sign-in sheet
    assert any("Sign-in" in text for text in pages) and meeting["guide"] in pages[0]
    person = machine.run("facilitator", *data, "participants", "--group", group, "--json")
    name = json.loads(person)[0]["name"]
    machine.run(
        "facilitator", *data, "letter", "--participant", name, "--group", group, "--from", "2025-01-01",
        "--to", meeting["date"], "--signed-by", "Sam Okafor", "-o", f"{HOME}/letter.pdf",
    )  # fmt: skip
    letter = PdfReader(machine.path(HOME / "letter.pdf")).pages[0].extract_text()
    assert name in letter and "Sam Okafor" in letter


def test_the_guides_cards_chimes_and_notices_are_installed(machine: Machine) -> None:
    shipped = sorted(path.stem for path in (ROOT / "resources" / "guides").glob("*.md") if path.name != "README.md")
    listed = json.loads(machine.run("facilitator", "--data-dir", f"{HOME}/guides", "guides", "list", "--json"))
    assert len(listed) == len(shipped)
    machine.run("facilitator", "--data-dir", f"{HOME}/guides", "card", "crisis", "-o", f"{HOME}/crisis.pdf")
    assert "crisis" in PdfReader(machine.path(HOME / "crisis.pdf")).pages[0].extract_text().lower()
    inside = machine.path("/opt/facilitator/_internal")
    for sound in ("time.wav", "warning.wav"):
        assert (inside / "resources" / "sounds" / sound).read_bytes()[:4] == b"RIFF"
    assert "PySide6" in (inside / "THIRD-PARTY").read_text(encoding="utf-8")
    assert (inside / "LICENSE").read_text(encoding="utf-8").startswith("                    GNU GENERAL PUBLIC LICENSE")


def test_the_menu_entry_and_its_icon_and_record_are_valid(machine: Machine) -> None:
    entry = machine.path(f"/usr/share/applications/{APP_ID}.desktop")
    record = machine.path(f"/usr/share/metainfo/{APP_ID}.metainfo.xml")
    for check in (["desktop-file-validate", str(entry)], ["appstreamcli", "validate", "--no-net", str(record)]):
        done = subprocess.run(check, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    lines = entry.read_text(encoding="utf-8").splitlines()
    assert f"Icon={APP_ID}" in lines and "Exec=facilitator-window" in lines
    for size in (16, 32, 48, 256):
        assert machine.path(f"/usr/share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    assert f'<release version="{__version__}"' in record.read_text(encoding="utf-8")


def test_the_window_opens_from_its_menu_command(machine: Machine, qapp) -> None:
    data = ["--data-dir", f"{HOME}/window"]
    machine.run("facilitator", *data, "demo", "--years", "1")
    display = os.environ.get("DISPLAY", "")
    assert display, "no screen: dev.py package --check starts one"
    window = machine.start("facilitator-window", *data, env={"DISPLAY": display})
    try:
        found = _wait_for_window(" — Facilitator$", window)  # titled with a group: the records are shown
        SHOT.parent.mkdir(exist_ok=True)
        assert qapp.primaryScreen().grabWindow(0).save(str(SHOT))
        wm_class = subprocess.run(["xprop", "-id", found, "WM_CLASS"], capture_output=True, text=True).stdout
        startup_class = next(line for line in _entry_lines(machine) if line.startswith("StartupWMClass="))
        assert f'"{startup_class.split("=", 1)[1]}"' in wm_class  # the dock matches the window to its entry
    finally:
        window.terminate()
        window.wait(timeout=30)


def _wait_for_window(title: str, program: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", title], capture_output=True, text=True)
        if found.stdout.split():
            return found.stdout.split()[0]
        assert program.poll() is None, program.stderr.read().decode() if program.stderr else "the window ended"
        time.sleep(0.2)
    raise AssertionError("the installed window did not open within a minute")


def _entry_lines(machine: Machine) -> list[str]:
    return machine.path(f"/usr/share/applications/{APP_ID}.desktop").read_text(encoding="utf-8").splitlines()


def test_an_upgrade_keeps_the_program_and_removing_it_keeps_the_records(machine: Machine, deb: Path) -> None:
    machine.run("facilitator", "demo", "--years", "1")  # in the usual place: ~/.local/share/Facilitator
    records = machine.path(HOME / ".local" / "share" / "Facilitator" / "facilitator.sqlite3")
    before = hashlib.sha256(records.read_bytes()).hexdigest()
    # Installing over itself runs the old package's postrm with "upgrade": the program must stay.
    machine.run("dpkg", "-i", f"/tmp/{deb.name}", user=False)
    assert machine.run("facilitator", "--version") == f"facilitator {__version__}\n"
    try:
        for removal in ("remove", "purge"):
            machine.run("apt-get", removal, "-y", "-qq", "facilitator", user=False)
            for gone in ("/opt/facilitator", "/usr/bin/facilitator", f"/usr/share/applications/{APP_ID}.desktop"):
                assert not os.path.lexists(machine.path(gone)), f"{gone} is still there after {removal}"
            assert hashlib.sha256(records.read_bytes()).hexdigest() == before
    finally:
        machine.install(deb)  # as the other tests found it
