#!/usr/bin/env python3
"""Set up Facilitator in a private environment, then open it or test it.

    python3 dev.py app     open the window on demo data (set-up first, if needed)
    python3 dev.py test    run the whole test suite (set-up first, if needed): offscreen, then the
                           tests of focus, windows and keys on a real screen (Linux: a private
                           Xvfb with the openbox window manager)
    python3 dev.py bench   measure Facilitator against its libraries' floor (--small: a quick run)
    python3 dev.py package build the standalone program and this platform's package in dist/
                           (Linux: a .deb; Windows: a setup program; macOS: a disk image);
                           --check (Linux, as root): then install the .deb on a clean Debian
                           with no Python and use it there (tests/test_installed_package.py)

Set-up makes a virtual environment in .venv and installs Facilitator into it; it is skipped
while pyproject.toml is unchanged. Needs only Python 3.11 or newer.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / "facilitator-setup.sha256"
PACKAGE_VENV = ROOT / ".venv-package"
CONSTRAINTS = ROOT / "installers" / "constraints.txt"
DEMO_DATA = ROOT / ".demo-data"
# pytest-xdist: a worker per core, each taking the next test when it is free (the crash tests take
# minutes each, so dealing them out in advance leaves one worker waiting on the other).
PARALLEL = ("-n", "auto", "--dist", "worksteal")

# Shared libraries Qt loads on Linux, and the Debian/Ubuntu package that provides each.
QT_LIBRARIES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libX11.so.6": "libx11-6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libxkbcommon.so.0": "libxkbcommon0",
}
QT_SCREEN_LIBRARIES = {
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}

# Qt Multimedia plays the share round's chime through PulseAudio's client library; the tests
# check that it loads, and loads quietly, so they need it where a desktop would have it.
SOUND_LIBRARIES = {"libpulse.so.0": "libpulse0"}

# Libraries the standalone build links that Debian provides (the .deb's Depends are read from
# them, so the machine building it needs them all): Qt's, its Wayland and printing plug-ins', and
# those of the share round's chime.
PACKAGE_LIBRARIES = {
    **QT_LIBRARIES,
    **QT_SCREEN_LIBRARIES,
    **SOUND_LIBRARIES,
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libcups.so.2": "libcups2",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libxcb-glx.so.0": "libxcb-glx0",
}

# Programs the Linux package is made with: PyInstaller reads libraries with binutils' objdump; the
# .deb is packed by dpkg-deb, with the system libraries it needs found by dpkg-shlibdeps.
PACKAGE_PROGRAMS = {"objdump": "binutils", "strip": "binutils", "dpkg-deb": "dpkg", "dpkg-shlibdeps": "dpkg-dev"}
# And what its check uses: a clean Debian made with debootstrap, the validators of the menu entry
# and of the AppStream record, and xprop to read the window's class.
CHECK_PROGRAMS = {
    "debootstrap": "debootstrap",
    "desktop-file-validate": "desktop-file-utils",
    "appstreamcli": "appstream",
    "xprop": "x11-utils",
}
CLEAN_DEBIAN = ("bookworm", "http://deb.debian.org/debian")

# Programs the real-screen tests need on Linux: a virtual X server, a window manager (focus and
# activation are its work) and xdotool, which types through the X server as a keyboard does.
SCREEN_PROGRAMS = {"Xvfb": "xvfb", "openbox": "openbox", "xdotool": "xdotool"}


def say(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr, flush=True)


def venv_python(venv: Path = VENV) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_command(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / (f"{name}.exe" if os.name == "nt" else name)


def set_up() -> None:
    """Create .venv and install Facilitator with its test tools, unless already done."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by any Python
        sys.exit(f"dev.py: Facilitator needs Python 3.11 or newer; this is {platform.python_version()}.")
    if not venv_python().exists():
        say("creating a virtual environment in .venv …")
        made = subprocess.run([sys.executable, "-m", "venv", str(VENV)], capture_output=True, text=True)
        if made.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            hint = ""
            if "ensurepip" in made.stdout + made.stderr:
                version = f"{sys.version_info.major}.{sys.version_info.minor}"
                hint = (
                    "\nOn Debian or Ubuntu, install it with: "
                    f"sudo apt-get install python3-venv (or python{version}-venv)"
                )
            sys.exit(f"dev.py: Python's venv module could not make .venv.{hint}\n{made.stderr.strip()}")
    fingerprint = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + platform.python_version().encode()
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == fingerprint:
        return
    say("installing Facilitator and its dependencies into .venv (once; a few minutes) …")
    subprocess.run([str(venv_python()), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(venv_python()), "-m", "pip", "install", "--quiet", "--editable", f"{ROOT}[test]"], check=True)
    STAMP.write_text(fingerprint + "\n")


def missing_packages(libraries: dict[str, str]) -> list[str]:
    """Debian packages for the Qt libraries this Linux machine lacks (none elsewhere)."""
    if not sys.platform.startswith("linux"):
        return []
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    try:
        known = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []  # cannot tell; Qt will say what it misses
    have = {line.split()[0] for line in known.splitlines()[1:] if line.strip()}
    return sorted({package for library, package in libraries.items() if library not in have})


# Printed documents embed a font with wide language coverage; the tests check that one is found.
UNICODE_FONTS = ("DejaVuSans.ttf", "NotoSans-Regular.ttf", "LiberationSans-Regular.ttf", "FreeSans.ttf")


def missing_font_packages() -> list[str]:
    """The Debian package for a Unicode font, if this Linux machine has none of them."""
    if not sys.platform.startswith("linux"):
        return []
    roots = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts"]
    found = any(next(root.rglob(name), None) for root in roots if root.is_dir() for name in UNICODE_FONTS)
    return [] if found else ["fonts-dejavu-core"]


def missing_screen_programs() -> list[str]:
    """Debian packages for the programs the real-screen tests need, if this Linux machine lacks them."""
    if not sys.platform.startswith("linux"):
        return []
    return missing_programs(SCREEN_PROGRAMS)


def test_packages() -> list[str]:
    """Everything `test` needs that this machine lacks (Debian package names)."""
    libraries = {**QT_LIBRARIES, **QT_SCREEN_LIBRARIES, **SOUND_LIBRARIES}
    return sorted(set(missing_packages(libraries) + missing_font_packages() + missing_screen_programs()))


def missing_programs(programs: dict[str, str]) -> list[str]:
    return sorted({package for name, package in programs.items() if shutil.which(name) is None})


def package_packages() -> list[str]:
    return sorted(set(missing_programs(PACKAGE_PROGRAMS) + missing_packages(PACKAGE_LIBRARIES)))


def package_check_packages() -> list[str]:
    return sorted(set(package_packages() + missing_programs({**CHECK_PROGRAMS, **SCREEN_PROGRAMS})))


def require_packages(missing: list[str]) -> None:
    if missing:
        sys.exit(
            "dev.py: this machine lacks system packages Facilitator needs (Qt's libraries, a font, a virtual screen). "
            f"Install them with:\n    sudo apt-get install -y {' '.join(missing)}"
        )


def app(args: list[str]) -> int:
    set_up()
    require_packages(missing_packages({**QT_LIBRARIES, **QT_SCREEN_LIBRARIES}))
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        sys.exit("dev.py: there is no screen here (neither DISPLAY nor WAYLAND_DISPLAY is set).")
    if not (DEMO_DATA / "facilitator.sqlite3").exists():
        demo = [str(venv_command("facilitator")), "--data-dir", str(DEMO_DATA), "demo", "--years", "2"]
        subprocess.run(demo, check=True)
    window = [str(venv_command("facilitator-window")), "--data-dir", str(DEMO_DATA), *args]
    return subprocess.run(window).returncode


@contextlib.contextmanager
def real_screen() -> Iterator[dict[str, str]]:
    """The environment for tests on a real screen. On Linux: a private Xvfb with openbox, gone after;
    elsewhere, the desktop's own windowing (its windows show briefly)."""
    if not sys.platform.startswith("linux"):
        yield {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
        return
    with tempfile.TemporaryFile() as number, contextlib.ExitStack() as stack:
        # -displayfd: the server picks a free display and writes its number once it accepts clients.
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(number.fileno()), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
            pass_fds=[number.fileno()],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stack.callback(server.wait)
        stack.callback(server.terminate)
        deadline = time.monotonic() + 30
        while not os.pread(number.fileno(), 16, 0).strip():
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit("dev.py: the virtual screen (Xvfb) did not start.")
            time.sleep(0.05)
        display = ":" + os.pread(number.fileno(), 16, 0).decode().strip()
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        env.pop("WAYLAND_DISPLAY", None)
        manager = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stack.callback(manager.wait)
        stack.callback(manager.terminate)
        while subprocess.run(["xdotool", "search", "--class", "openbox"], env=env, capture_output=True).returncode:
            if manager.poll() is not None or time.monotonic() > deadline:
                sys.exit("dev.py: the window manager (openbox) did not start on the virtual screen.")
            time.sleep(0.05)
        yield env


def test(args: list[str]) -> int:
    """The suite offscreen, spread over the machine's cores (each test has its own folders and
    database), then the tests marked real_display one at a time on one real screen, where only
    one window can have the focus. pytest's exit code 5 (nothing collected) is no failure: given
    test files may hold only one kind. `-n 0` among `args` runs the offscreen ones in one process."""
    set_up()
    require_packages(test_packages())
    pytest = [str(venv_python()), "-m", "pytest"]
    offscreen = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # The installed package's tests need the package built and a clean Debian: `package --check`.
    first = subprocess.run(
        [*pytest, *PARALLEL, "-m", "not real_display and not installed_package", *args], cwd=ROOT, env=offscreen
    )
    say("the tests of focus, windows and keys, on a real screen")
    with real_screen() as env:
        second = subprocess.run([*pytest, "-m", "real_display and not installed_package", *args], cwd=ROOT, env=env)
    codes = (first.returncode, second.returncode)
    failed = [code for code in codes if code not in (0, 5)]
    return failed[0] if failed else min(codes)


def package(args: list[str]) -> int:
    """The standalone build and its package, made in .venv-package from the exact versions in
    installers/constraints.txt (never the test environment's)."""
    if args not in ([], ["--check"]):
        sys.exit("dev.py: package takes one option, --check.")
    check = args == ["--check"]
    if check and not (sys.platform.startswith("linux") and os.geteuid() == 0):
        sys.exit(
            "dev.py: package --check installs the .deb in a clean Debian folder (debootstrap, chroot): Linux, as root."
        )
    if sys.platform.startswith("linux"):
        require_packages(package_check_packages() if check else package_packages())
    python = venv_python(PACKAGE_VENV)
    fingerprint = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + CONSTRAINTS.read_bytes() + platform.python_version().encode()
    ).hexdigest()
    stamp = PACKAGE_VENV / "facilitator-package.sha256"
    pip = [str(python), "-m", "pip", "install", "--quiet", "-c", str(CONSTRAINTS)]
    if not (stamp.exists() and stamp.read_text().strip() == fingerprint):
        say("installing the packaging tools and Facilitator's pinned dependencies into .venv-package (once) …")
        shutil.rmtree(PACKAGE_VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(PACKAGE_VENV)], check=True)
        subprocess.run([*pip, str(ROOT), "pyinstaller", "pyinstaller-hooks-contrib", "build"], check=True)
        stamp.write_text(fingerprint + "\n")
    # This checkout's Facilitator, every time: its version and metadata go into the notices.
    subprocess.run([*pip, "--no-deps", "--force-reinstall", str(ROOT)], check=True)
    built = subprocess.run([str(python), str(ROOT / "installers" / "build.py")], cwd=ROOT).returncode
    return check_package() if check and built == 0 else built


def check_package() -> int:
    """The .deb in dist/ installed with apt on a copy of a clean Debian root (made once with
    debootstrap, kept in build/), then used there as a new user would, on a private screen."""
    set_up()
    build = ROOT / "build"
    release, mirror = CLEAN_DEBIAN
    pristine, root = build / f"debian-{release}", build / "installed-root"
    made = pristine.with_name(pristine.name + ".made")
    if not made.exists():  # a debootstrap cut short leaves a root that looks whole
        say(f"making a clean Debian ({release}, minimal) in {pristine} (once; a minute or two) …")
        remove_unmounted(pristine)
        subprocess.run(["debootstrap", "--variant=minbase", release, str(pristine), mirror], check=True)
        made.touch()
    remove_unmounted(root)
    subprocess.run(["cp", "-a", "--one-file-system", str(pristine), str(root)], check=True)
    deb = max((ROOT / "dist").glob("facilitator_*.deb"), key=lambda path: path.stat().st_mtime)
    tests = [str(venv_python()), "-m", "pytest", "-m", "installed_package", "tests/test_installed_package.py"]
    with real_screen() as env:
        env = {**env, "FACILITATOR_DEB": str(deb), "FACILITATOR_CLEAN_ROOT": str(root)}
        checked = subprocess.run(tests, cwd=ROOT, env=env).returncode
    size = subprocess.run(
        ["chroot", str(root), "dpkg-query", "-W", "-f=${Installed-Size}", "facilitator"], capture_output=True, text=True
    ).stdout
    say(f"{deb.name}: {deb.stat().st_size / 2**20:.0f} MB to download, {int(size or 0) / 1024:.0f} MB installed")
    return checked


def remove_unmounted(folder: Path) -> None:
    """Delete `folder`, a chroot's root, unless anything is still mounted in it (deleting would
    reach into what is mounted there: the machine's own /dev or /proc)."""
    inside = str(folder.resolve())
    mounts = Path("/proc/mounts").read_text().splitlines()
    points = [line.split()[1].encode().decode("unicode_escape") for line in mounts]  # "\040" is a space
    held = [point for point in points if point == inside or point.startswith(inside + "/")]
    if held:
        sys.exit(f"dev.py: {held[0]} is still mounted; unmount it (umount {held[0]}) and run again.")
    shutil.rmtree(folder, ignore_errors=True)


def bench(args: list[str]) -> int:
    set_up()
    require_packages(missing_packages(QT_LIBRARIES) + missing_font_packages())
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [str(venv_python()), str(ROOT / "benchmarks" / "run.py"), *args]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def main(argv: list[str]) -> int:
    commands = {"app": app, "test": test, "bench": bench, "package": package}
    if argv[:1] == ["missing-packages"]:  # for .ci/run: what to install before `test`, or `package --check`
        print("\n".join(package_check_packages() if argv[1:] == ["package"] else test_packages()))
        return 0
    if not argv or argv[0] not in commands:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
