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
PYUCA = "pyuca's licence and the Unicode collation table it carries"
# Distributions that ship no licence file: where this notice gives their licence text instead.
ADDED_TEXT = {"pyside6-essentials": QT, "pyside6-addons": QT, "shiboken6": QT, "pyuca": PYUCA}

NO_TEXT = "Its distribution carries no licence file, and none is added here."
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
        "bootloader. Each is listed with its version and licence, then the full texts of the licences.",
        "",
        *(f"  {d.metadata['Name']} {d.version}: {declared_licence(d)}" for d in dists),
        f"  Python {platform.python_version()}: PSF-2.0",
        "  PyInstaller bootloader: GPL-2.0-or-later WITH Bootloader-exception",
    ]
    sections = [_distribution_section(d) for d in dists]
    return "\n".join([*head, *sections, *_added_sections()]) + "\n"


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
            "and may be replaced by a modified version. Qt's own third-party components are listed in Qt's",
            "documentation under “Licenses Used in Qt”.",
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
        Path(argv[0]).write_text(notice(), encoding="utf-8")
    except (FileNotFoundError, metadata.PackageNotFoundError) as missing:
        print(f"third_party: cannot write the notice: {missing}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
