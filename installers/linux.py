"""The Debian package: the standalone build in /opt/facilitator, the commands in /usr/bin, and the
menu entry, icons and AppStream record a desktop shows.

Made with Debian's own tools (dpkg-shlibdeps for the libraries the build needs from the system,
dpkg-deb to pack), so apt knows what to install beside it and what to remove after.
"""

from __future__ import annotations

import compileall
import os
import py_compile
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent / "linux"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Loaded by Qt at run time (dlopen), so no program names them: the bus desktops talk on, and a font
# for the window and the documents.
RUNTIME_DEPENDS = ("libdbus-1-3", "fonts-dejavu-core")


def debian_package(bundle: Path, resources: Path, version: str, app_id: str, out: Path, work: Path) -> Path:
    """Pack `bundle` (PyInstaller's folder) as `out`/facilitator_<version>_<arch>.deb, staged in
    `work`; beside `work`, left-to-debian.txt is the spec's list of the libraries it left out."""
    root = work / "root"
    shutil.rmtree(root, ignore_errors=True)
    program = root / "opt" / "facilitator"
    shutil.copytree(bundle, program, symlinks=True)
    _prepare_program(program)
    _desktop_files(root, resources, version, app_id)
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()
    control = (HERE / "control").read_text(encoding="utf-8")
    for key, value in {
        "VERSION": version,
        "ARCH": arch,
        "SIZE": str(_installed_size(root)),
        "DEPENDS": _depends(program, work.parent / "left-to-debian.txt"),
    }.items():
        control = control.replace(f"@{key}@", value)
    (root / "DEBIAN").mkdir(mode=0o755)
    (root / "DEBIAN" / "control").write_text(control, encoding="utf-8")
    shutil.copyfile(HERE / "postrm", root / "DEBIAN" / "postrm")
    _set_modes(root)
    deb = out / f"facilitator_{version}_{arch}.deb"
    deb.unlink(missing_ok=True)
    build = ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)]
    subprocess.run(build, check=True, stdout=subprocess.DEVNULL)
    return deb


def _prepare_program(program: Path) -> None:
    """Python's copy stripped of its debugging symbols (most of its size), and the migrations, which
    Alembic reads as source, compiled once here: a program run by an administrator then never leaves
    compiled files in /opt that the package would not know of."""
    internal = program / "_internal"
    for library in internal.glob("libpython3*.so*"):
        if not library.is_symlink():
            subprocess.run(["strip", "--strip-unneeded", str(library)], check=True)
    migrations = internal / "facilitator" / "storage" / "migrations"
    for cache in migrations.rglob("__pycache__"):
        shutil.rmtree(cache)
    compiled = compileall.compile_dir(
        migrations, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH
    )
    if not compiled:
        raise SystemExit("build: the migrations did not compile")
    (program.parent.parent / "usr" / "bin").mkdir(parents=True)
    for name in ("facilitator", "facilitator-window"):  # the window by its name: installers/launcher.py
        (program.parent.parent / "usr" / "bin" / name).symlink_to("/opt/facilitator/facilitator")


def _desktop_files(root: Path, resources: Path, version: str, app_id: str) -> None:
    share = root / "usr" / "share"
    released = time.strftime("%Y-%m-%d", time.gmtime(_source_date()))
    for template, target in (
        ("facilitator.desktop", share / "applications" / f"{app_id}.desktop"),
        ("metainfo.xml", share / "metainfo" / f"{app_id}.metainfo.xml"),
    ):
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (HERE / template).read_text(encoding="utf-8")
        text = text.replace("@APP_ID@", app_id).replace("@VERSION@", version).replace("@DATE@", released)
        target.write_text(text, encoding="utf-8")
    icons = share / "icons" / "hicolor"
    for size in ICON_SIZES:
        folder = icons / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copyfile(resources / "icons" / f"facilitator-{size}.png", folder / f"{app_id}.png")
    (icons / "scalable" / "apps").mkdir(parents=True)
    shutil.copyfile(resources / "icons" / "facilitator.svg", icons / "scalable" / "apps" / f"{app_id}.svg")
    doc = share / "doc" / "facilitator"
    doc.mkdir(parents=True)
    shutil.copyfile(HERE / "copyright", doc / "copyright")


def _depends(program: Path, left_to_debian: Path) -> str:
    _debian_libraries_owned(left_to_debian)
    found = _shared_library_depends(program)
    named = {item.split()[0] for item in found}
    return ", ".join([*found, *(package for package in RUNTIME_DEPENDS if package not in named)])


def _debian_libraries_owned(listing: Path) -> None:
    """Every library the spec left out of the bundle for Debian to provide belongs to a Debian
    package (a library installed by hand would be in neither the bundle nor its Depends)."""
    names: dict[str, set[str]] = {}  # each library, under every path dpkg may know it by (merged /usr)
    for line in listing.read_text(encoding="utf-8").splitlines():
        known = {line, os.path.realpath(line)}
        known |= {name.replace("/usr/lib/", "/lib/", 1) for name in known} | {f"/usr{name}" for name in known}
        names[line] = known
    asked = sorted(set().union(*names.values()))
    # One look-up for all: dpkg prints "package: path" for each path it knows, and fails for the rest.
    found = subprocess.run(["dpkg", "-S", *asked], capture_output=True, text=True).stdout
    owned = {entry.split(": ", 1)[1] for entry in found.splitlines() if ": " in entry}
    orphans = [line for line, known in names.items() if not known & owned]
    if orphans:
        raise SystemExit("build: these libraries belong to no Debian package: " + ", ".join(orphans))


def _shared_library_depends(program: Path) -> list[str]:
    """The Debian packages holding the system libraries the build links, with the least versions
    its symbols need: dpkg-shlibdeps, told which libraries are the build's own."""
    elves = [path for path in program.rglob("*") if path.is_file() and not path.is_symlink() and _is_elf(path)]
    own = sorted({str(path.parent) for path in elves if ".so" in path.name})
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "debian").mkdir()
        (Path(scratch) / "debian" / "control").write_text(
            "Source: facilitator\n\nPackage: facilitator\nArchitecture: any\n"
        )
        found = subprocess.run(
            [
                "dpkg-shlibdeps",
                "-O",
                "--warnings=0",
                # The build's own libraries (Pillow's, pdfium…) have no Debian package: skipped here.
                # Those it takes from Debian are checked by _debian_libraries_owned.
                "--ignore-missing-info",
                *(f"-l{d}" for d in own),
                *(f"-e{path}" for path in elves),
            ],
            cwd=scratch,
            capture_output=True,
            text=True,
        )
    if found.returncode != 0:
        raise SystemExit(f"build: dpkg-shlibdeps could not read the libraries:\n{found.stderr}")
    match = re.search(r"^shlibs:Depends=(.*)$", found.stdout, re.M)
    if match is None:
        raise SystemExit(f"build: dpkg-shlibdeps found no libraries:\n{found.stderr}")
    return match.group(1).split(", ")


def _is_elf(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def _installed_size(root: Path) -> int:
    """KiB, as dpkg counts them (what `apt` shows before installing)."""
    return sum(-(-path.lstat().st_size // 1024) for path in root.rglob("*") if not path.is_dir())


def _set_modes(root: Path) -> None:
    """What a package installs is readable by everyone and writable by root only, whatever the
    builder's umask was."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        executable = path.is_dir() or path.stat().st_mode & 0o100 or path.name == "postrm"
        path.chmod(0o755 if executable else 0o644)


def _source_date() -> int:
    return int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
