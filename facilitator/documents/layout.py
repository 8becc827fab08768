"""What every printed document shares: page size, the embedded font and its styles, user text
made safe for ReportLab's markup and drawn in its own script (what the font lacks, in an installed
font that has it; what no font has, reported before printing), and a footer with "Page X of Y"
counted per document (so a packet of two documents numbers each on its own).

A PDF carries the time it was made as its creation date, read from a clock that tests pin; with
the clock pinned, the same input gives the same bytes (ReportLab's invariant mode derives the
document id from the content), so tests can compare documents whole.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from facilitator.documents.fonts import FontChoice, fallback_for, find_font, has_glyph, register
from facilitator.errors import InvalidInput
from facilitator.storage.preferences import DocumentSettings

PAGE_SIZES = {"A4": A4, "Letter": LETTER}
MARGIN = 16 * mm
FOOTER_GAP = 9 * mm
INK = colors.HexColor("#1f1f1f")
QUIET = colors.HexColor("#5a5a5a")
RULE = colors.HexColor("#9a9a9a")
SHADE = colors.HexColor("#eeeeee")
BLANK = "blank"  # the page template of a blank back


@dataclass(frozen=True)
class PageSetup:
    size: str
    font: FontChoice

    def __post_init__(self) -> None:
        if self.size not in PAGE_SIZES:
            raise InvalidInput(f"The page size is A4 or Letter, not “{self.size}”.")


@dataclass
class Part:
    """One document of a PDF: its pages, footer text, and whether it is printed landscape."""

    footer: str
    story: list[Flowable]
    wide: bool = False
    key: str = field(default="")


def _reads_right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def right_to_left(text: str) -> bool:
    """Whether the text's first strong letter reads right to left (its base direction)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def rtl_ready(text: str, *, left_to_right: bool = False) -> str:
    """Right-to-left text (Arabic, Hebrew) joined and put in the order it is drawn; ReportLab
    draws left to right exactly as given. Text that reads left to right (or is made to, with
    `left_to_right`) keeps its order, and each right-to-left stretch in it is turned round on its
    own, as if isolated (FSI…PDI): the date after an Arabic group name stays whole, after it. Text
    with no right-to-left letter is returned as it is."""
    if text.isascii() or not any(_reads_right_to_left(char) for char in text):
        return text
    if right_to_left(text) and not left_to_right:
        return _drawn_right_to_left(text)
    pieces, start = [], 0
    for begin, end in _right_to_left_stretches(text):
        pieces += [text[start:begin], _drawn_right_to_left(text[begin:end])]
        start = end
    return "".join([*pieces, text[start:]])


def _drawn_right_to_left(text: str) -> str:
    import arabic_reshaper
    from bidi.algorithm import get_display

    return str(get_display(arabic_reshaper.reshape(text), base_dir="R"))


def _right_to_left_stretches(text: str) -> list[tuple[int, int]]:
    """Where each right-to-left stretch begins and ends: from a right-to-left letter to the last
    one before a left-to-right letter, so numbers and punctuation after it stay outside."""
    stretches: list[tuple[int, int]] = []
    begin = last = -1
    for index, char in enumerate(text):
        if _reads_right_to_left(char):
            begin, last = (index if begin < 0 else begin), index
        elif unicodedata.bidirectional(char) == "L" and begin >= 0:
            stretches.append((begin, last + 1))
            begin = -1
    return [*stretches, (begin, last + 1)] if begin >= 0 else stretches


def _invisible(char: str) -> bool:
    """A character that shapes or steers the text but has no glyph of its own: joiners, direction
    marks, variation selectors (the emoji one after ❤). Drawn, it would be a box."""
    code = ord(char)
    return unicodedata.category(char) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


@functools.lru_cache(maxsize=4096)  # a name is drawn on every page of a long report
def font_runs(text: str, font: str) -> tuple[tuple[str, str], ...]:
    """`text` in runs, each with the registered font that draws it: `font` where it has the glyph,
    else the first installed font that has it. A character no font has stays in `font`, to print as
    a box (`Pdf` says so before printing); invisible ones are left out."""
    if text.isascii():
        return ((text, font),) if text else ()
    main = getFont(font)
    runs: list[tuple[str, str]] = []
    for char in text:
        if _invisible(char):
            continue
        used = font if has_glyph(main, char) else (fallback_for(char) or font)
        if runs and runs[-1][1] == used:
            runs[-1] = (runs[-1][0] + char, used)
        else:
            runs.append((char, used))
    return tuple(runs)


@functools.lru_cache(maxsize=4096)
def _lacking(text: str, font: str) -> str:
    """The characters of `text` that neither `font` nor any installed font draws."""
    if text.isascii():
        return ""
    main = getFont(font)
    return "".join(
        sorted({c for c in text if not (c.isspace() or _invisible(c) or has_glyph(main, c) or fallback_for(c))})
    )


def _no_font_warning(text: str, lacking: str) -> str:
    """What to tell the user before printing `text`, some of whose characters no font here has:
    the text itself when short (a name), else the words those characters are in with a word either
    side, since a character that prints as a box often shows as nothing where the warning is read."""
    words = text.split()
    if len(text) > 60:
        marked = [number for number, word in enumerate(words) if any(char in lacking for char in word)]
        words = [word for number, word in enumerate(words) if any(abs(number - at) <= 1 for at in marked)]
    return (
        f"Some characters in “{' '.join(words)}” have no font on this computer and would print as boxes: "
        f"install a font that has them ({_font_advice(lacking)}), or choose one in the document settings."
    )


def _font_advice(lacking: str) -> str:
    names = " ".join(unicodedata.name(char, "") for char in lacking)
    if any(script in names for script in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "FULLWIDTH", "IDEOGRAPHIC")):
        return "Droid Sans Fallback has Chinese, Japanese and Korean"
    if "DEVANAGARI" in names:
        return "Lohit Devanagari or Noto Sans Devanagari has Devanagari"
    if any(0x1F000 <= ord(char) < 0x20000 for char in lacking):
        return "Symbola has emoji"
    return "the Noto fonts cover most scripts"


def _runs_width(runs: Sequence[tuple[str, str]], size: float) -> float:
    return sum(stringWidth(run, font, size) for run, font in runs)


def local_now() -> datetime:
    return datetime.now().astimezone()


def check_image_file(path: Path) -> None:
    """Refuse, in plain words, a logo ReportLab cannot read."""
    from reportlab.lib.utils import ImageReader

    if not path.is_file():
        raise InvalidInput(f"The image file {path} does not exist.")
    try:
        ImageReader(str(path)).getSize()
    except Exception as error:  # PIL raises many kinds for a file that is not an image
        raise InvalidInput(f"{path.name} cannot be printed as a logo: {error}. Choose a PNG or JPEG file.") from None


class Pdf:
    """Styles and building blocks for one document, in the chosen font."""

    def __init__(self, setup: PageSetup, clock: Callable[[], datetime] = local_now) -> None:
        self.setup = setup
        self.clock = clock  # the PDF's creation date
        self.warnings = [setup.font.warning] if setup.font.warning else []  # for the user, after making
        self.font, self.bold = register(setup.font)
        base = ParagraphStyle(
            "body", fontName=self.font, bulletFontName=self.font, fontSize=10.5, leading=14, textColor=INK, spaceAfter=5
        )
        self.styles = {
            "body": base,
            "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor=QUIET),
            "title": ParagraphStyle("title", parent=base, fontName=self.bold, fontSize=19, leading=24, spaceAfter=3),
            "strong": ParagraphStyle("strong", parent=base, fontName=self.bold),
            "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=15, textColor=QUIET),
            "heading": ParagraphStyle(
                "heading",
                parent=base,
                fontName=self.bold,
                fontSize=12.5,
                leading=16,
                spaceBefore=9,
                spaceAfter=4,
                keepWithNext=1,
            ),
            "item": ParagraphStyle(
                "item", parent=base, leading=13, leftIndent=12, bulletIndent=2, spaceAfter=2, bulletFontName=self.font
            ),
            "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12, spaceAfter=0),
            "cell-bold": ParagraphStyle("cell-bold", parent=base, fontName=self.bold, fontSize=9, leading=11),
            "cell-centre": ParagraphStyle(
                "cell-centre", parent=base, fontSize=8.5, leading=10.5, spaceAfter=0, alignment=TA_CENTER
            ),
            "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
            "doing": ParagraphStyle("doing", parent=base, textColor=QUIET),  # a script's line to do, not to say
        }

    def markup(self, value: str, style: str = "body") -> str:
        """User text as ReportLab paragraph markup that shows it literally (`<b>` prints as typed),
        in the style's font and, for the characters that font lacks, a font that has them."""
        font = self.styles[style].fontName
        self._check_glyphs(value, font)
        return "<br/>".join(self._line_markup(rtl_ready(line), font) for line in value.split("\n"))

    def _line_markup(self, drawn: str, font: str) -> str:
        """One line, in drawing order, as markup: runs in another font than `font` say which."""
        return "".join(
            escape(run) if used == font else f'<font name="{used}">{escape(run)}</font>'
            for run, used in font_runs(drawn, font)
        )

    def _check_glyphs(self, value: str, font: str) -> None:
        """Warn, once per text, about characters no installed font draws."""
        lacking = _lacking(value, font)
        warning = _no_font_warning(value, lacking) if lacking else ""
        if warning and warning not in self.warnings:
            self.warnings.append(warning)

    def text(self, value: str, style: str = "body") -> Paragraph:
        """A paragraph of user text (escaped; never markup). A right-to-left paragraph is broken
        into lines first and each line put in drawing order, so its lines read top to bottom."""
        chosen = self.styles[style]
        if not right_to_left(value):
            return Paragraph(self.markup(value, style), chosen)
        self._check_glyphs(value, chosen.fontName)
        import arabic_reshaper
        from bidi.algorithm import get_display
        from reportlab.lib.utils import simpleSplit

        width = self.page_size()[0] - 2 * MARGIN - chosen.leftIndent - chosen.rightIndent
        lines: list[str] = []
        for line in value.split("\n"):
            lines += simpleSplit(arabic_reshaper.reshape(line), chosen.fontName, chosen.fontSize, width) or [""]
        drawn = "<br/>".join(self._line_markup(str(get_display(line, base_dir="R")), chosen.fontName) for line in lines)
        return Paragraph(drawn, ParagraphStyle(f"{style}-rtl", parent=chosen, alignment=TA_RIGHT))

    def cell(self, value: str, width: float, style: str = "cell") -> str | Paragraph:
        """A table cell for user text: the plain string when it fits on one line (a table draws
        strings as they are, so nothing in them is read as markup), else a paragraph that wraps."""
        chosen = self.styles[style]
        shown = rtl_ready(value)
        runs = font_runs(shown, chosen.fontName)
        in_one_font = all(used == chosen.fontName for _run, used in runs) and not _lacking(shown, chosen.fontName)
        if "\n" not in value and in_one_font and _runs_width(runs, chosen.fontSize) <= width:
            return "".join(run for run, _used in runs)
        return self.text(value, style)

    def item(self, value: str) -> Paragraph:
        return Paragraph(self.markup(value, "item"), self.styles["item"], bulletText="•")

    def numbered(self, number: int, value: str, *, last: int) -> Paragraph:
        """Paragraph `number` of a list up to `last`, its number hanging in the margin: the text,
        wrapped lines too, lines up with the text around it, and the numbers stand to its left, as
        wide as the widest needs. The page keeps its full width for the text."""
        body = self.styles["body"]
        indent = stringWidth(f"{last}.", body.fontName, body.fontSize) + 0.55 * body.fontSize  # and a gap
        style = ParagraphStyle(f"numbered-{last}", parent=body, leftIndent=0, bulletIndent=-indent)
        return Paragraph(self.markup(value), style, bulletText=f"{number}.")

    def table(self, rows: Sequence[list[Any]], style: list[tuple[Any, ...]], **options: Any) -> Table:
        """A table whose plain-text cells use the document's font too (ReportLab's would be
        Helvetica); `options` go to ReportLab's `Table`."""
        table = Table(rows, **options)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), self.font, 8.5), *style]))
        return table

    def page_size(self, wide: bool = False) -> tuple[float, float]:
        size = PAGE_SIZES[self.setup.size]
        return landscape(size) if wide else size

    def render(self, parts: Sequence[Part], *, title: str) -> bytes:
        """The PDF of one or more documents, each starting on the front of a sheet: after a
        document of an odd number of pages comes a blank page, so printed on both sides no
        document is on the back of another (the sign-in sheet passed round the room is not on
        the back of the handout people take home). `title` names the kind of
        document only, never a group or a person: file browsers, mail programs and printer queues
        show a PDF's properties to anyone, without opening it."""
        buffer = io.BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=self.page_size(),
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + FOOTER_GAP,
            title=title,
            author="Facilitator",
            creator="Facilitator",
            invariant=1,
            initialFontName=self.font,  # so that Helvetica is never even set up
        )
        width, height = self.page_size()
        blank = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN, id="blank")
        templates, story = [], []
        for number, part in enumerate(parts):
            part.key = f"part{number}"
            self._check_glyphs(part.footer, self.font)
            width, height = self.page_size(part.wide)
            frame = Frame(MARGIN, MARGIN + FOOTER_GAP, width - 2 * MARGIN, height - 2 * MARGIN - FOOTER_GAP, id="body")
            templates.append(
                PageTemplate(id=part.key, frames=[frame], pagesize=(width, height), onPage=_mark(part.key, part.footer))
            )
            if number:
                story += [_BlankBackIfOdd(), NextPageTemplate(part.key), PageBreak()]
            story += part.story or [Paragraph("", self.styles["body"])]
        doc.addPageTemplates([*templates, PageTemplate(id=BLANK, frames=[blank], onPage=_mark(BLANK, ""))])
        doc.build(story, canvasmaker=_numbered_canvas(self.font, self.clock()))
        return buffer.getvalue()


class _BlankBackIfOdd(ActionFlowable):
    """Ends a document that ends on the front of a sheet (an odd page) with a blank page, its back."""

    def apply(self, doc: BaseDocTemplate) -> None:
        if doc.page % 2:
            doc.handle_nextPageTemplate(BLANK)
            doc.handle_pageBreak()


def _mark(key: str, footer: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.part_key = key  # type: ignore[attr-defined]  # read back from the page's __dict__ by NumberedCanvas
        canvas.part_footer = footer  # type: ignore[attr-defined]  # as part_key

    return on_page


def _stamp(moment: datetime) -> TimeStamp:
    """ReportLab's time stamp for a PDF's creation date, at `moment` (aware) rather than its
    invariant mode's fixed 1 January 2000."""
    stamp = TimeStamp(invariant=1)
    offset = moment.utcoffset() or timedelta()
    minutes = int(offset.total_seconds()) // 60
    stamp.t = moment.timestamp()
    stamp.lt = moment.timetuple()
    stamp.YMDhms = tuple(moment.timetuple())[:6]
    stamp.dhh, stamp.dmm = int(minutes / 60), abs(minutes) % 60
    stamp.tzname = moment.tzname() or "UTC"
    return stamp


def _numbered_canvas(font: str, made_at: datetime) -> type[Canvas]:
    """A canvas that holds its pages back until the end, to write "Page X of Y" on each, counted
    within the document the page belongs to, dated `made_at`."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = _stamp(made_at)  # type: ignore[attr-defined]  # ReportLab's own, not in its stubs
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # ReportLab's own, private, so not in its stubs

        def save(self) -> None:
            totals: dict[str, int] = {}
            for page in self._pages:
                totals[page.get("part_key", "")] = totals.get(page.get("part_key", ""), 0) + 1
            seen: dict[str, int] = {}
            for page in self._pages:
                key = page.get("part_key", "")
                seen[key] = seen.get(key, 0) + 1
                self.__dict__.update(page)
                if key != BLANK:
                    self._footer(page.get("part_footer", ""), seen[key], totals[key])
                super().showPage()
            super().save()

        def _footer(self, text: str, number: int, total: int) -> None:
            width, _height = self._pagesize  # type: ignore[attr-defined]  # as _startPage
            self.saveState()
            self.setFont(font, 8)
            self.setFillColor(QUIET)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, MARGIN + 5 * mm, width - MARGIN, MARGIN + 5 * mm)
            page = f"Page {number} of {total}"
            room = width - 2 * MARGIN - stringWidth(page, font, 8) - 6 * mm
            left = MARGIN
            for run, used in _fitted(list(font_runs(rtl_ready(text, left_to_right=True), font)), font, 8, room):
                self.setFont(used, 8)
                self.drawString(left, MARGIN, run)
                left += stringWidth(run, used, 8)
            self.setFont(font, 8)
            self.drawRightString(width - MARGIN, MARGIN, page)
            self.restoreState()

    return NumberedCanvas


def pdf_for(settings: DocumentSettings, *, clock: Callable[[], datetime] = local_now) -> Pdf:
    """A document in the page size and font the settings give, dated by `clock`. A chosen font
    that has gone (deleted, moved) gives way to one found here, with a warning, so tonight still prints."""
    try:
        font = find_font(Path(settings.font_file) if settings.font_file else None)
    except InvalidInput as problem:
        found = find_font()
        font = FontChoice(found.regular, found.bold, f"{problem} Printing with {found.name} instead.")
    return Pdf(PageSetup(settings.page_size, font), clock)


def _fitted(runs: list[tuple[str, str]], font: str, size: float, room: float) -> list[tuple[str, str]]:
    """The runs of a line cut to fit `room` points, ending in "…" (in `font`) when cut."""
    if _runs_width(runs, size) <= room:
        return runs
    ellipsis = ("…", font)
    while runs and _runs_width([*runs, ellipsis], size) > room:
        run, font = runs[-1]
        runs = [*runs[:-1], (run[:-1], font)] if len(run) > 1 else runs[:-1]
    if runs:
        runs[-1] = (runs[-1][0].rstrip(), runs[-1][1])
    return [*runs, ellipsis]
