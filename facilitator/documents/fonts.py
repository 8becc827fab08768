"""The font printed documents use: a Unicode TrueType font found on this computer (or the file
the facilitator chose), embedded in every PDF, so that Zoë, Łukasz, Мария and Nguyễn print.

ReportLab's built-in Helvetica has no Cyrillic and would print black boxes, so it is never used
for user text. When no suitable font is found, ReportLab's own Vera (Latin letters only) is the
fallback, with a warning that says how to choose a font.
"""

from __future__ import annotations

import functools
import os
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

from facilitator.errors import InvalidInput

REGULAR, BOLD = "FacilitatorSans", "FacilitatorSans-Bold"


@dataclass(frozen=True)
class FontChoice:
    regular: Path
    bold: Path
    warning: str = ""  # set when the fallback is used, for the user to read

    @property
    def name(self) -> str:
        return self.regular.stem


def _candidates() -> list[tuple[Path, Path]]:
    """Regular and bold files of fonts with wide coverage, most complete first, per platform."""
    if sys.platform == "win32":
        fonts = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        pairs = [("segoeui.ttf", "segoeuib.ttf"), ("arial.ttf", "arialbd.ttf"), ("calibri.ttf", "calibrib.ttf")]
        return [(fonts / regular, fonts / bold) for regular, bold in pairs]
    if sys.platform == "darwin":
        return [
            (Path("/Library/Fonts/Arial Unicode.ttf"), Path("/Library/Fonts/Arial Unicode.ttf")),
            (
                Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf"),
                Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf"),
            ),
            (
                Path("/System/Library/Fonts/Supplemental/Arial.ttf"),
                Path("/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
            ),
        ]
    roots = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts"]
    names = [
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
        ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
        ("FreeSans.ttf", "FreeSansBold.ttf"),
    ]
    found = []
    for regular, bold in names:
        for root in roots:
            for path in sorted(root.rglob(regular)) if root.is_dir() else []:
                found.append((path, path.with_name(bold)))
    return found


def _vera() -> tuple[Path, Path]:
    import reportlab

    folder = Path(reportlab.__file__).parent / "fonts"
    return folder / "Vera.ttf", folder / "VeraBd.ttf"


def find_font(chosen: Path | None = None) -> FontChoice:
    """The font to print with: the facilitator's chosen file if it is a usable TrueType font,
    else the first wide-coverage font this computer has, else Vera with a warning."""
    if chosen is not None:
        check_font_file(chosen)
        return FontChoice(chosen, chosen)
    return _system_font()


@functools.lru_cache(maxsize=1)
def _system_font() -> FontChoice:
    """Looked for once per run: searching the font folders costs more than making a handout."""
    for regular, bold in _candidates():
        if _usable(regular):
            return FontChoice(regular, bold if _usable(bold) else regular)
    regular, bold = _vera()
    return FontChoice(
        regular,
        bold,
        "No font with wide language coverage was found, so documents use a basic font: names in "
        "scripts such as Cyrillic, Greek or Arabic will not print. Choose a font file in the "
        "document settings (DejaVu Sans, Noto Sans or Arial, for example).",
    )


def check_font_file(path: Path) -> None:
    """Refuse, in plain words, a file ReportLab cannot embed."""
    from reportlab.pdfbase.ttfonts import TTFont

    if not path.is_file():
        raise InvalidInput(f"The font file {path} does not exist.")
    try:
        TTFont("FacilitatorCheck", str(path))
    except Exception as error:  # a broken font file fails in many ways (struct, TTFError, IndexError...)
        reason = str(error) or type(error).__name__
        raise InvalidInput(f"{path.name} cannot be used to print: {reason}. Choose a TrueType (.ttf) font.") from None


@functools.lru_cache(maxsize=32)
def _usable(path: Path) -> bool:
    try:
        check_font_file(path)
    except InvalidInput:
        return False
    return True


def register(choice: FontChoice) -> tuple[str, str]:
    """Register the font with ReportLab (once per file) and return its regular and bold names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = []
    for base, path in ((REGULAR, choice.regular), (BOLD, choice.bold)):
        # The file's own name is part of the registered name, so two fonts never clash.
        name = f"{base}-{zlib.crc32(str(path).encode()):08x}"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        names.append(name)
    return names[0], names[1]
