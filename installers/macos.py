"""The macOS disk image: the app bundle beside a link to /Applications, so the user drags one onto the other.

Called by installers/build.py on macOS; standard library only (it runs in the packaging venv).
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VOLUME = "Facilitator"
# hdiutil on GitHub's macOS runners fails now and then with "Resource busy" (a race with the
# system's own disk-image scanning; actions/runner-images#7522); a retry succeeds.
ATTEMPTS = 4
PAUSE_SECONDS = 5


def image_name(version: str) -> str:
    return f"Facilitator-{version}-macos-{platform.machine()}.dmg"


def stage(app: Path, folder: Path) -> Path:
    """`folder` holding a copy of `app` and the Applications link; returns `folder`."""
    folder.mkdir(parents=True)
    # symlinks=True keeps the frameworks' Versions/Current links, which the signature covers.
    shutil.copytree(app, folder / app.name, symlinks=True)
    (folder / "Applications").symlink_to("/Applications")
    return folder


def disk_image(app: Path, version: str, out: Path) -> Path:
    """Make the compressed, read-only .dmg for `app` in the folder `out`; its path."""
    hdiutil = shutil.which("hdiutil")
    if hdiutil is None:
        raise SystemExit("hdiutil was not found: the macOS disk image can only be made on a Mac.")
    if not (app / "Contents" / "Info.plist").is_file():
        raise SystemExit(f"{app} is not an app bundle: build it with installers/facilitator.spec first.")
    out.mkdir(parents=True, exist_ok=True)
    dmg = out / image_name(version)
    with tempfile.TemporaryDirectory() as scratch:
        source = stage(app, Path(scratch) / VOLUME)
        command = [hdiutil, "create", "-volname", VOLUME, "-srcfolder", str(source), "-ov", "-format", "UDZO", str(dmg)]
        for attempt in range(1, ATTEMPTS + 1):
            made = subprocess.run(command, capture_output=True, text=True)
            if made.returncode == 0:
                return dmg
            print(made.stdout + made.stderr, end="", file=sys.stderr)
            if "Resource busy" not in made.stderr or attempt == ATTEMPTS:
                break
            time.sleep(PAUSE_SECONDS * attempt)
    raise SystemExit(f"hdiutil could not make the disk image (its messages are above): {' '.join(command)}")
