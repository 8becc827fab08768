"""Builds the standalone Facilitator and this platform's package, and says where they are.

Run by `python3 dev.py package` with the packaging environment's Python (.venv-package, holding
Facilitator and the exact versions in installers/constraints.txt): the notices, then PyInstaller
with installers/facilitator.spec, then a check of what the bundle holds, then the .deb (Linux),
the setup program (Windows) or the disk image (macOS) in dist/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # the checkout's Facilitator, which the spec freezes

import facilitator  # noqa: E402

DIST = ROOT / "dist"
BUILD = ROOT / "build"

# (what must be in the bundle, why) and what must not: a check that the spec did its work.
REQUIRED = (
    ("facilitator/storage/migrations/env.py", "Alembic's migrations, read from disk"),
    ("facilitator/storage/migrations/versions/0001_initial_schema.py", "the first migration"),
    ("resources/guides/coping-strategies.md", "the built-in guides"),
    ("resources/cards/crisis.md", "the cards' words"),
    ("resources/sounds/time.wav", "the share round's chime"),
    ("resources/icons/facilitator-256.png", "the window's icon"),
    ("reportlab/fonts/Vera.ttf", "ReportLab's last-resort font"),
    ("pyuca/allkeys-10.0.0.txt", "the table names are sorted by"),
    ("THIRD-PARTY", "the notices of the libraries inside"),
    ("LICENSE", "Facilitator's licence"),
    (f"source/facilitator-{facilitator.__version__}.tar.gz", "Facilitator's source"),
)
FORBIDDEN = (
    "Qt6Quick",
    "Qt6Qml",
    "Qt6Pdf",
    "Qt6WebEngine",
    "avcodec",
    "avformat",
    "/translations/",
    "libgtk-3",
    "plugins/multimedia",
)


def main() -> int:
    BUILD.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.setdefault("SOURCE_DATE_EPOCH", _commit_time())
    subprocess.run([sys.executable, str(HERE / "third_party.py"), str(BUILD / "THIRD-PARTY")], check=True, env=env)
    _source_archive(env)
    freeze = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN"]
    freeze += ["--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"), str(HERE / "facilitator.spec")]
    subprocess.run(freeze, check=True, env=env, cwd=ROOT)
    bundle = DIST / "facilitator"
    check_bundle(bundle)
    os.environ["SOURCE_DATE_EPOCH"] = env["SOURCE_DATE_EPOCH"]  # dpkg-deb's file times
    made = [bundle, _platform_package(bundle, facilitator.__version__, facilitator.APP_ID)]
    for path in made:
        print(f"{path}  ({_size(path) / 2**20:.0f} MB)")
    return 0


def _source_archive(env: dict[str, str]) -> None:
    """Facilitator's own source (its sdist), which travels inside the program: what the GPL asks
    of whoever passes the program on."""
    source = BUILD / "source"
    for old in source.glob("*"):
        old.unlink()
    # -P: the checkout's own build/ folder must not pass for PyPA's `build`.
    make = [sys.executable, "-P", "-m", "build", "--sdist", "--outdir", str(source), str(ROOT)]
    subprocess.run(make, check=True, env=env, stdout=subprocess.DEVNULL)


def check_bundle(bundle: Path) -> None:
    """Refuse a bundle missing what the program reads, or holding what the spec leaves out."""
    internal = bundle / "_internal"
    missing = [f"{path} ({why})" for path, why in REQUIRED if not (internal / path).is_file()]
    if not list(internal.glob("_rl_accel*")):
        missing.append("_rl_accel (ReportLab's accelerator)")
    files = ["/" + path.relative_to(internal).as_posix() for path in internal.rglob("*")]
    unwanted = sorted({path for path in files if any(part in path for part in FORBIDDEN)})
    if missing or unwanted:
        sys.exit(
            "build: the bundle is wrong.\n  missing: " + "; ".join(missing) + "\n  unwanted: " + "; ".join(unwanted)
        )


def _platform_package(bundle: Path, version: str, app_id: str) -> Path:
    if sys.platform.startswith("linux"):
        import linux

        return linux.debian_package(bundle, ROOT / "resources", version, app_id, DIST, BUILD / "deb")
    if sys.platform == "win32":
        import windows

        return windows.installer(bundle, version, DIST)
    import macos

    return macos.disk_image(DIST / "Facilitator.app", version, DIST)


def _commit_time() -> str:
    """The time of the commit built, so two builds of it carry the same dates."""
    try:
        shown = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    except FileNotFoundError:  # no git: built from a source archive
        return str(int(time.time()))
    return shown.stdout.strip() or str(int(time.time()))


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file() and not item.is_symlink())


if __name__ == "__main__":
    sys.exit(main())
