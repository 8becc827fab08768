"""The Windows installer: Inno Setup's compiler turns PyInstaller's folder into one setup program.

Called by installers/build.py on Windows; standard library only (it runs in the packaging venv).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "windows" / "facilitator.iss"
EXECUTABLES = ("facilitator.exe", "facilitator-window.exe")
MISSING_ISCC = (
    "Inno Setup (6 or newer) is needed to make the Windows installer and was not found (iscc on PATH or in "
    "Program Files). Install it from https://jrsoftware.org/isinfo.php or with: choco install innosetup"
)


def iscc() -> Path:
    """Inno Setup's command-line compiler: on PATH, or where its own installer puts it (newest first)."""
    found = shutil.which("iscc")
    if found:
        return Path(found)
    for variable in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        base = os.environ.get(variable)
        if not base:
            continue
        # Inno Setup's per-user install goes to %LOCALAPPDATA%\Programs; each major version has its folder.
        folder = Path(base) / "Programs" if variable == "LOCALAPPDATA" else Path(base)
        compilers = sorted(folder.glob("Inno Setup [6-9]/ISCC.exe"), reverse=True)
        if compilers:
            return compilers[0]
    raise SystemExit(MISSING_ISCC)


def setup_name(version: str) -> str:
    return f"Facilitator-{version}-windows-setup.exe"


def installer(bundle: Path, version: str, out: Path) -> Path:
    """Compile the setup program for the one-folder `bundle` into the folder `out`; its path."""
    missing = [name for name in EXECUTABLES if not (bundle / name).is_file()]
    if missing:
        lacking = " and ".join(missing)
        raise SystemExit(f"{bundle} lacks {lacking}: build the bundle with installers/facilitator.spec first.")
    compiler = iscc()
    out.mkdir(parents=True, exist_ok=True)
    command = [
        str(compiler),
        "/Qp",
        f"/DAppVersion={version}",
        f"/DBundle={bundle.resolve()}",
        f"/O{out.resolve()}",
        str(SCRIPT),
    ]
    if subprocess.run(command).returncode != 0:
        raise SystemExit(f"Inno Setup could not make the installer (its messages are above): {' '.join(command)}")
    setup = out / setup_name(version)
    if not setup.is_file():
        raise SystemExit(f"Inno Setup finished but {setup} is not there.")
    return setup
