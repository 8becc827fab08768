"""The THIRD-PARTY notice of the standalone program: every library it carries (the runtime closure of
`facilitator`, from the installed metadata), its version, its licence and the full licence texts.

It runs in the packaging environment, whose PyInstaller brings `packaging` (PyPA's reading of
requirements and their markers). `python installers/third_party.py OUT_PATH`.
"""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

LICENSES = Path(__file__).resolve().parent / "licenses"

# SPDX identifiers whose code may be combined into a work released under GPL-3.0-or-later.
# Not GPL-2.0-only, not the old BSD with its advertising clause, nothing proprietary.
ALLOWED = frozenset(
    {
        "0BSD", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "BSL-1.0", "CC0-1.0", "HPND", "ISC", "MIT",
        "MIT-CMU", "MPL-2.0", "PSF-2.0", "Python-2.0", "Unicode-3.0", "Unicode-DFS-2016", "Zlib",
        "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later",
        "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later",
    }
)  # fmt: skip

# Licences some distributions declare in words (the whole field must match), and the SPDX expression their licence
# files say, read by hand.
IN_WORDS = (
    # ReportLab and rl_accel: the licence file has the three clauses of BSD-3-Clause.
    (
        re.compile(r"BSD license \(see license\.txt for details\), Copyright \(c\) [0-9-]+, ReportLab Inc\.", re.I),
        "BSD-3-Clause",
    ),
    # vobject 0.9.9 says "Apache"; its dist-info holds LICENSE-2.0.txt.
    (re.compile(r"Apache"), "Apache-2.0"),
    # python-bidi declares only the classifier; its licence files are COPYING (GPL-3) and COPYING.LESSER (LGPL-3).
    (re.compile(r"GNU Library or Lesser General Public License \(LGPL\)"), "LGPL-3.0-only"),
    # pypdfium2: PDFium and the libraries built into it (FreeType, ICU, libjpeg-turbo, OpenJPEG, libpng, libtiff,
    # lcms, zlib, abseil, ...) are under permissive licences, all written out in its dist-info and so in the notice.
    (re.compile(r"BSD-3-Clause, Apache-2\.0, dependency licenses"), "BSD-3-Clause AND Apache-2.0"),
)

QT = "Qt and Qt for Python"
QT_PARTS_TITLE = "Components inside the Qt libraries"
SOURCE_TITLE = "Where the source code is"
PYUCA = "pyuca's licence and the Unicode collation table it carries"
# Distributions that ship no licence file: where this notice gives their licence text instead.
ADDED_TEXT = {"pyside6-essentials": QT, "pyside6-addons": QT, "shiboken6": QT, "pyuca": PYUCA}

NO_TEXT = "Its distribution carries no licence file, and none is added here."

# Code other projects wrote that the Qt libraries of the wheels carry built in (the wheels carry no notices for it):
# Qt 6.11's own list (qt_attribution.json in Qt's source, "Licenses Used in Qt" in its documentation), limited to
# the libraries and plug-ins this program keeps. (component, where it is, SPDX expression, its notice in licenses/qt/
# and the copyright to print above a shared licence text, "" when the notice file carries its own).
QT_PARTS = (
    ("ICU 73", "libicu*.so.73 (Linux)", "Unicode-DFS-2016", "icu.txt", ""),
    ("PCRE2", "QtCore", "BSD-3-Clause WITH PCRE2-exception", "pcre2.txt", ""),
    ("zlib", "QtCore (Windows, macOS)", "Zlib", "zlib.txt", ""),
    ("double-conversion", "QtCore", "BSD-3-Clause", "BSD-3-Clause.txt", "Copyright 2006-2012, the V8 project authors"),
    ("Easing Equations", "QtCore", "BSD-3-Clause", "BSD-3-Clause.txt", "Copyright (c) 2001 Robert Penner"),
    (
        "SHA-384 and SHA-512 (RFC 6234)", "QtCore", "BSD-3-Clause", "BSD-3-Clause.txt",
        "Copyright (c) 2011 IETF Trust and the persons identified as authors of the code.",
    ),
    (
        "SHA-3 (Keccak)", "QtCore", "CC0-1.0", "CC0-1.0.txt",
        "Guido Bertoni, Joan Daemen, Michaël Peeters and Gilles Van Assche",
    ),
    ("SHA-3 (brg_endian.h)", "QtCore", "BSD-2-Clause", "brg_endian.txt", ""),
    ("BLAKE2", "QtCore", "CC0-1.0 OR Apache-2.0", "CC0-1.0.txt", "Copyright 2012, Samuel Neves <sneves@dei.uc.pt>"),
    ("TinyCBOR", "QtCore", "MIT", "MIT.txt", "Copyright (C) 2015-2021 Intel Corporation"),
    (
        "forkfd", "QtCore (Linux, macOS)", "MIT", "MIT.txt",
        "Copyright (C) 2016 Intel Corporation\n"
        "Copyright (C) 2015 Klarälvdalens Datakonsult AB, a KDAB Group company, info@kdab.com",
    ),
    ("HarfBuzz", "QtGui", "MIT-Modern-Variant", "harfbuzz.txt", ""),
    ("FreeType", "QtGui (its rasterizer; all of FreeType on Windows)", "FTL", "freetype.txt", ""),
    (
        "Smooth Scaling Algorithm", "QtGui", "BSD-2-Clause", "BSD-2-Clause.txt",
        "Copyright (C) 2004, 2005 Daniel M. Duley.",
    ),
    (
        "Smooth Scaling Algorithm (from Imlib2)", "QtGui", "Imlib2", "imlib2.txt",
        "(C) Carsten Haitzler and various contributors.\n(C) Willem Monsuwe <willem@stack.nl>",
    ),
    ("X Server helper (QRegion, from X11)", "QtGui", "X11 AND HPND", "x11.txt", ""),
    ("libpng", "QtGui", "libpng-2.0", "libpng.txt", ""),
    ("MD4C", "QtGui", "MIT", "MIT.txt", "Copyright © 2016-2020 Martin Mitáš"),
    ("WebGradients", "QtGui", "MIT", "MIT.txt", "Copyright (c) 2017 itmeo"),
    ("Emoji Segmenter", "QtGui", "Apache-2.0", "../Apache-2.0.txt", "Copyright 2019 Google LLC"),
    ("sRGB colour profile", "QtGui", "LicenseRef-ICC-License", "icc-srgb.txt", ""),
    (
        "The Public Suffix List", "QtNetwork", "MPL-2.0", "MPL-2.0.txt",
        "The list was originally provided by Jo Hermans <jo.hermans@gmail.com>. It is now maintained on github\n"
        "(https://github.com/publicsuffix/list). Its source: https://publicsuffix.org/list/public_suffix_list.dat",
    ),
    (
        "libpsl (its lookup code)", "QtNetwork", "BSD-3-Clause", "BSD-3-Clause.txt",
        "Copyright 2014-2016 The Chromium Authors. All rights reserved.",
    ),
    (
        "Wayland protocol definitions",
        "QtWaylandClient and the Wayland plug-ins (Linux)", "MIT AND HPND", "MIT.txt",
        "Copyright © 2008-2013 Kristian Høgsberg\nCopyright © 2010-2013 Intel Corporation\n"
        "Copyright © 2012-2016 Collabora, Ltd.\nCopyright © 2013 Rafael Antognolli\n"
        "Copyright © 2013 Jasper St. Pierre\n"
        "Copyright © 2015-2017 Samsung Electronics Co., Ltd\nCopyright © 2015-2017 Red Hat Inc.\n"
        "Copyright 2014 © Stephen \"Lyude\" Chandler Paul\nCopyright © 2015, 2016 Jan Arne Petersen\n"
        "and the authors named in each protocol file (wayland.xml, xdg-shell, xdg-output, viewporter,\n"
        "pointer-gestures, primary-selection, tablet, text-input and others: https://gitlab.freedesktop.org/wayland/wayland-protocols)",
    ),
    ("libjpeg-turbo", "the JPEG image plug-in", "IJG AND BSD-3-Clause AND Zlib", "libjpeg-turbo.txt", ""),
    ("LibTIFF", "the TIFF image plug-in", "libtiff", "libtiff.txt", ""),
    ("libwebp", "the WebP image plug-in", "BSD-3-Clause", "libwebp.txt", ""),
)  # fmt: skip

QT_SOURCE = "https://download.qt.io/official_releases/qt/{minor}/{version}/single/qt-everywhere-src-{version}.tar.xz"
PYSIDE_SOURCE = (
    "https://download.qt.io/official_releases/QtForPython/pyside6/PySide6-{version}-src/"
    "pyside-setup-everywhere-src-{version}.tar.xz"
)
PYPI_FILES = "https://pypi.org/project/{name}/{version}/#files"
LICENCE_FILE = re.compile(r"(licen[cs]e|copying|notice|authors)", re.IGNORECASE)


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions(root: str = "facilitator") -> list[metadata.Distribution]:
    """`root`'s requirements, followed for this Python and platform (with the extras asked for), sorted by name."""
    found: dict[str, metadata.Distribution] = {}
    asked = {(normalized(root), frozenset[str]())}
    todo = list(asked)
    while todo:
        name, extras = todo.pop()
        for line in metadata.distribution(name).requires or []:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is not None and not any(marker.evaluate({"extra": extra}) for extra in extras | {""}):
                continue
            key = normalized(requirement.name)
            wanted_extras = frozenset(normalized(extra) for extra in requirement.extras)
            found.setdefault(key, metadata.distribution(requirement.name))
            if (key, wanted_extras) not in asked:
                asked.add((key, wanted_extras))
                todo.append((key, wanted_extras))
    return sorted(found.values(), key=lambda d: normalized(d.metadata["Name"]))


def declared_licence(dist: metadata.Distribution) -> str:
    """What the distribution says its licence is: License-Expression, else License, else its classifiers."""
    meta = dist.metadata
    said: list[str] = (meta.get_all("License-Expression") or meta.get_all("License") or [""])[0].strip().splitlines()
    if said and said[0].strip():
        return said[0].strip()
    classifiers = [c.rsplit(" :: ", 1)[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return " OR ".join(classifiers) or "not stated"


def spdx(licence: str) -> str:
    """The SPDX expression for a declared licence: itself, or what its words were read to mean."""
    return next((expression for words, expression in IN_WORDS if words.fullmatch(licence)), licence)


def compatible(expression: str) -> bool:
    """True if some alternative of the SPDX `expression` has every part in ALLOWED."""
    alternatives = expression.replace("(", " ").replace(")", " ").split(" OR ")
    return any(all(part.strip() in ALLOWED for part in alternative.split(" AND ")) for alternative in alternatives)


def not_allowed(dists: list[metadata.Distribution]) -> list[str]:
    """ "name version: licence" of each distribution whose licence may not join a GPL-3.0-or-later program."""
    said = ((d, declared_licence(d)) for d in dists)
    return [f"{d.metadata['Name']} {d.version}: {licence}" for d, licence in said if not compatible(spdx(licence))]


def licence_files(dist: metadata.Distribution) -> list[tuple[str, str]]:
    """(name, text) of every licence file in the distribution's dist-info, in the order its RECORD lists them."""
    texts = []
    for file in dist.files or []:
        parts = file.parts
        if len(parts) < 2 or not parts[0].endswith(".dist-info"):
            continue
        inside = "/".join(parts[1:])
        if inside.startswith("licenses/") or LICENCE_FILE.search(parts[-1]):
            text = Path(str(dist.locate_file(file))).read_text("utf-8", errors="replace")
            texts.append((inside.removeprefix("licenses/"), text))
    return texts


def notice() -> str:
    """The whole notice, as shipped beside the program."""
    dists = runtime_distributions()
    version = metadata.version("facilitator")
    head = [
        f"Third-party software in Facilitator {version}",
        "",
        "Facilitator is free software under the GNU General Public License, version 3 or later: see LICENSE.",
        "The standalone program also carries the Python interpreter, the libraries below and PyInstaller's",
        "bootloader. Each is listed with its version and licence, then where the source code is and the full texts.",
        "",
        *(f"  {d.metadata['Name']} {d.version}: {declared_licence(d)}" for d in dists),
        f"  Python {platform.python_version()}: PSF-2.0",
        "  PyInstaller bootloader: GPL-2.0-or-later WITH Bootloader-exception",
    ]
    sections = [_source_section(dists), *(_distribution_section(d) for d in dists)]
    return "\n".join([*head, *sections, *_added_sections(), _qt_parts_section()]) + "\n"


def _source_section(dists: list[metadata.Distribution]) -> str:
    """Where the Corresponding Source of the program and of each library it carries is (GPL-3 §6, LGPL-3 §4)."""
    own = metadata.version("facilitator")
    qt = metadata.version("pyside6-essentials")
    minor = ".".join(qt.split(".")[:2])
    libraries = [d for d in dists if ADDED_TEXT.get(normalized(d.metadata["Name"])) != QT]
    python = platform.python_version()
    return "\n".join(
        [
            _rule(SOURCE_TITLE),
            f"Facilitator {own}: its complete source is in the program folder, in source/facilitator-{own}.tar.gz",
            "beside this file.",
            "",
            f"Qt {qt} (LGPL-3.0-only), whose libraries are in the program folder:",
            "  " + QT_SOURCE.format(minor=minor, version=qt),
            f"Qt for Python {qt} (PySide6 and shiboken6, LGPL-3.0-only):",
            "  " + PYSIDE_SOURCE.format(version=qt),
            "Once Qt replaces this release with a newer one, its archives are under https://download.qt.io/archive/",
            f"instead (Qt's in archive/qt/{minor}/{qt}/single/).",
            "",
            "Each Qt library is a separate file in the program folder; you may replace it with a compatible build of",
            f"the same version (Qt {qt}), for instance one you made from the source above with your own changes. On",
            "macOS, sign the application again afterwards: codesign --force --deep -s - Facilitator.app",
            "",
            "The Python libraries, each as published on PyPI with its source distribution:",
            *(
                f"  {d.metadata['Name']} {d.version}: "
                + PYPI_FILES.format(name=normalized(d.metadata["Name"]), version=d.version)
                for d in libraries
            ),
            f"Python {python}: https://www.python.org/ftp/python/{python}/Python-{python}.tar.xz",
        ]
    )


def _distribution_section(dist: metadata.Distribution) -> str:
    lines = [_rule(f"{dist.metadata['Name']} {dist.version}"), f"Licence: {declared_licence(dist)}"]
    files = licence_files(dist)
    added = ADDED_TEXT.get(normalized(dist.metadata["Name"]))
    if not files:
        lines.append(
            f"Its distribution carries no licence file; the text is under “{added}” below." if added else NO_TEXT
        )
    for name, text in files:
        lines += ["", f"--- {name} ---", "", text.rstrip()]
    return "\n".join(lines)


def _added_sections() -> Iterator[str]:
    yield "\n".join(
        [
            _rule(QT),
            "Qt for Python (PySide6-Essentials, PySide6-Addons, shiboken6) and the Qt libraries they carry:",
            "Copyright (C) The Qt Company Ltd. and other contributors. Facilitator uses them under the GNU Lesser",
            "General Public License, version 3 (LGPL-3.0-only), whose text follows; it adds to the GNU General Public",
            "License, version 3, whose text is in LICENSE. Each Qt library is a separate file in the program folder",
            "and may be replaced by a modified version (see “Where the source code is” above). The code of other",
            f"projects built into the Qt libraries is under “{QT_PARTS_TITLE}” at the end.",
            "",
            _text("LGPL-3.0.txt"),
        ]
    )
    yield "\n".join(
        [_rule(PYUCA), "pyuca (MIT):", "", _text("pyuca.txt"), "", "Its allkeys tables (Unicode):", ""]
        + [_text("pyuca-allkeys.txt")]
    )
    yield "\n".join([_rule(f"Python {platform.python_version()}"), _python_licence().read_text("utf-8").rstrip()])
    yield "\n".join(
        [
            _rule("PyInstaller bootloader"),
            "The programs' start-up code is PyInstaller's bootloader; from its COPYING.txt:",
            "",
            _text("PyInstaller.txt"),
            "",
            "The Apache License, Version 2.0 (PyInstaller's run-time hooks):",
            "",
            _text("Apache-2.0.txt"),
        ]
    )


def _qt_parts_section() -> str:
    """The notices of QT_PARTS: the list, then each licence text once, under the copyrights it covers."""
    lines = [
        _rule(QT_PARTS_TITLE),
        "The Qt libraries and plug-ins in the program folder carry code from these projects, each under its",
        "own licence (Qt's list, “Licenses Used in Qt”, limited to the parts this program carries):",
        "",
        *(f"  {name}, in {where}: {expression}" for name, where, expression, _, _ in QT_PARTS),
    ]
    for file in dict.fromkeys(file for _, _, _, file, _ in QT_PARTS):
        parts = [(name, copyright) for name, _, _, text, copyright in QT_PARTS if text == file]
        lines += ["", f"--- {', '.join(name for name, _ in parts)} ---", ""]
        lines += [line for _, copyright in parts if copyright for line in (*copyright.splitlines(), "")]
        lines.append(_text(f"qt/{file}"))
    return "\n".join(lines)


def _python_licence() -> Path:
    """The licence of the Python the program is built with, which the program carries (Windows: beside python.exe)."""
    base = Path(sys.base_prefix)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = (base / "lib" / version / "LICENSE.txt", base / "LICENSE.txt", base / "Lib" / "LICENSE.txt")
    found = next((path for path in candidates if path.is_file()), None)
    if found is None:
        raise FileNotFoundError(f"Python's LICENSE.txt is in none of: {', '.join(map(str, candidates))}")
    return found


def _text(name: str) -> str:
    return (LICENSES / name).read_text("utf-8").rstrip()


def _rule(title: str) -> str:
    return f"\n\n{'=' * 78}\n{title}\n{'=' * 78}"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python installers/third_party.py OUT_PATH", file=sys.stderr)
        return 2
    try:
        refused = not_allowed(runtime_distributions())
        if refused:
            print(
                "third_party: not writing the notice: a library's licence may not join a GPL-3.0-or-later program: "
                + "; ".join(refused),
                file=sys.stderr,
            )
            return 1
        Path(argv[0]).write_text(notice(), encoding="utf-8")
    except (FileNotFoundError, metadata.PackageNotFoundError) as missing:
        print(f"third_party: cannot write the notice: {missing}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
