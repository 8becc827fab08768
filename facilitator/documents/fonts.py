"""The font printed documents use: a Unicode TrueType font found on this computer (or the file
the facilitator chose), embedded in every PDF, so that Zoë, Łukasz, Мария and Nguyễn print.

ReportLab's built-in Helvetica has no Cyrillic and would print black boxes, so it is never used
for user text. When no suitable font is found, ReportLab's own Vera (Latin letters only) is the
fallback, with a warning that says how to choose a font.

What the font lacks (李小龙, प्रिया, Ａｎｎａ, 🌈) is drawn in another installed font that has the
glyph (`fallback_for`), embedded the same way: looked for by file name in the system's and the
user's font folders, once per run, and only when a character asks for one.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from facilitator.errors import InvalidInput

REGULAR, BOLD = "FacilitatorSans", "FacilitatorSans-Bold"
FALLBACK = "FacilitatorFallback"


@dataclass(frozen=True)
class FontChoice:
    regular: Path
    bold: Path
    warning: str = ""  # set when the fallback is used, for the user to read

    @property
    def name(self) -> str:
        return self.regular.stem


def font_folders() -> list[Path]:
    """Where this computer keeps its fonts: the system's folders and the user's own."""
    home = Path.home()
    if sys.platform == "win32":
        windows = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        local = os.environ.get("LOCALAPPDATA")
        return [windows, *([Path(local) / "Microsoft" / "Windows" / "Fonts"] if local else [])]
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts", home / ".fonts"]


@functools.lru_cache(maxsize=1)
def _installed() -> dict[str, Path]:
    """The font files of the font folders by their lower-case names, the first found of each name.
    Walked once per run, and only when a document needs a font the main one is not."""
    found: dict[str, Path] = {}
    for folder in font_folders():
        for root, _dirs, files in os.walk(folder):
            for name in sorted(files):
                if name.lower().endswith((".ttf", ".ttc", ".otf")):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


def _installed_file(name: str) -> Path | None:
    return _installed().get(name.lower())


def _candidates() -> list[tuple[Path, Path]]:
    """Regular and bold files of fonts with wide coverage, most complete first, per platform."""
    if sys.platform == "win32":
        pairs = [("segoeui.ttf", "segoeuib.ttf"), ("arial.ttf", "arialbd.ttf"), ("calibri.ttf", "calibrib.ttf")]
    elif sys.platform == "darwin":
        pairs = [("Arial Unicode.ttf", "Arial Unicode.ttf"), ("Arial.ttf", "Arial Bold.ttf")]
    else:
        pairs = [
            ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
            ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
            ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
            ("FreeSans.ttf", "FreeSansBold.ttf"),
        ]
    found = []
    for regular, bold in pairs:
        path = _installed_file(regular)
        if path is not None:
            found.append((path, _installed_file(bold) or path))
    return found


# Fonts that draw what the main font lacks, looked for by file name, in the order they are
# preferred; each is used for the characters its own map has. Collections (.ttc) give their first
# font. Outlines ReportLab cannot embed (PostScript-flavoured OpenType, such as Noto Sans CJK's
# .ttc, or colour bitmaps) are passed over when they fail to load.
FALLBACKS = (
    # Chinese, Japanese, Korean and full-width forms
    "msyh.ttc", "msyh.ttf", "simsun.ttc", "YuGothR.ttc", "meiryo.ttc", "msgothic.ttc", "malgun.ttf", "gulim.ttc",
    "PingFang.ttc", "Hiragino Sans GB.ttc", "STHeiti Light.ttc", "AppleSDGothicNeo.ttc",
    "DroidSansFallbackFull.ttf", "DroidSansFallback.ttf", "wqy-microhei.ttc", "wqy-zenhei.ttc",
    "NotoSansSC-Regular.ttf", "NotoSansJP-Regular.ttf", "NotoSansKR-Regular.ttf",
    # Devanagari and the other scripts of India
    "Nirmala.ttf", "mangal.ttf", "Kohinoor.ttc", "Devanagari Sangam MN.ttc", "DevanagariMT.ttc",
    "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagariUI-Regular.ttf", "Lohit-Devanagari.ttf",
    "NotoSansBengali-Regular.ttf", "NotoSansGurmukhi-Regular.ttf", "NotoSansGujarati-Regular.ttf",
    "NotoSansTamil-Regular.ttf", "NotoSansTelugu-Regular.ttf", "NotoSansKannada-Regular.ttf",
    "NotoSansMalayalam-Regular.ttf", "NotoSansSinhala-Regular.ttf",
    # Other scripts
    "NotoSansThai-Regular.ttf", "NotoSansLao-Regular.ttf", "NotoSansKhmer-Regular.ttf",
    "NotoSansMyanmar-Regular.ttf", "NotoSansEthiopic-Regular.ttf", "NotoSansArmenian-Regular.ttf",
    "NotoSansGeorgian-Regular.ttf", "NotoSansArabic-Regular.ttf", "NotoSansHebrew-Regular.ttf",
    "ebrima.ttf", "NotoSans-Regular.ttf",
    # Emoji and symbols, in outlines a PDF can carry
    "seguiemj.ttf", "seguisym.ttf", "Apple Symbols.ttf", "NotoEmoji-Regular.ttf", "Symbola_hint.ttf", "Symbola.ttf",
    "NotoSansSymbols-Regular.ttf", "NotoSansSymbols2-Regular.ttf",
    # Wide coverage last
    "FreeSans.ttf", "FreeSerif.ttf", "arialuni.ttf", "Arial Unicode.ttf", "DejaVuSans.ttf",
)  # fmt: skip


@functools.cache
def _fallback_font(file_name: str) -> Any | None:
    """The fallback font of that file name, loaded (not yet registered), if it is installed here
    and ReportLab can embed it. Loaded once per run, and only when a character asks for it."""
    from reportlab.pdfbase.ttfonts import TTFont

    path = _installed_file(file_name)
    if path is None:
        return None
    try:
        return TTFont(f"{FALLBACK}-{zlib.crc32(str(path).encode()):08x}", str(path), subfontIndex=0)
    except Exception:  # a font ReportLab cannot read (struct, TTFError...) is one this computer cannot print with
        return None


def has_glyph(font: Any, char: str) -> bool:
    """Whether the loaded TrueType `font` draws `char` (a glyph other than the empty box)."""
    return bool(font.face.charToGlyph.get(ord(char)))


@functools.lru_cache(maxsize=4096)
def fallback_for(char: str) -> str | None:
    """The registered name of the first installed fallback font that draws `char`, or None."""
    from reportlab.pdfbase import pdfmetrics

    for file_name in FALLBACKS:
        font = _fallback_font(file_name)
        if font is not None and has_glyph(font, char):
            if font.fontName not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(font)
                # One face for every style, so a bold paragraph asks for no bold it cannot find.
                pdfmetrics.registerFontFamily(font.fontName, normal=font.fontName, bold=font.fontName)
            return str(font.fontName)
    return None


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


def _text_of_every_plane(make_cmap: Callable[[str, Any], str]) -> Callable[[str, Any], str]:
    """ReportLab's map from a font's glyphs back to text (copy, search, screen readers), with the
    characters beyond the first 65,536 (emoji) written as UTF-16 pairs, as PDF asks: ReportLab 5.1
    writes five hex digits, which PDF readers reject, and the name drops out of the text."""

    def to_unicode_cmap(fontname: str, subset: Any) -> str:
        cmap = make_cmap(fontname, subset)
        return re.sub(r"<([0-9A-F]{5,6})>$", _as_utf16, cmap, flags=re.MULTILINE)

    to_unicode_cmap.fixed = True  # type: ignore[attr-defined]  # so it is put in place once
    return to_unicode_cmap


def _as_utf16(found: re.Match[str]) -> str:
    return f"<{chr(int(found[1], 16)).encode('utf-16-be').hex().upper()}>"


def register(choice: FontChoice) -> tuple[str, str]:
    """Register the font with ReportLab (once per file) and return its regular and bold names."""
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.ttfonts import TTFont

    if not getattr(ttfonts.makeToUnicodeCMap, "fixed", False):
        ttfonts.makeToUnicodeCMap = _text_of_every_plane(ttfonts.makeToUnicodeCMap)  # type: ignore[assignment]  # the same signature

    names = []
    for base, path in ((REGULAR, choice.regular), (BOLD, choice.bold)):
        # The file's own name is part of the registered name, so two fonts never clash.
        name = f"{base}-{zlib.crc32(str(path).encode()):08x}"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        names.append(name)
    return names[0], names[1]
