"""A printed document before it is printed: its pages to look through, then Print… through Qt's
print dialog, Save as PDF…, or Open in the system's PDF viewer.

Pages are drawn with PDFium (pypdfium2), imported when the first document is shown; Qt's own
PDF module is not in the PySide6 wheels on every platform.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPageLayout, QPageSize, QPainter, QPixmap, QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from facilitator.plurals import counted
from facilitator.storage.locations import make_private_dir, write_private_file
from ui.actions import PreviewAction, keys_of, tip
from ui.common.plain import plain_label
from ui.common.widgets import button, named
from ui.operations.runner import REFUSED, Operations

if TYPE_CHECKING:
    from pypdfium2 import PdfPage

PREVIEW_WIDTH = 720  # pixels a page is drawn across in the preview, whatever its paper
VIEWER_COPY_DAYS = 1
PRINT_DPI_LIMIT = 300  # enough for any meeting-room printer, and light on an old laptop's memory


def page_image(pdf_page: PdfPage, dpi: float) -> QImage:
    """One page drawn at `dpi`, as a Qt image that owns its pixels."""
    bitmap = pdf_page.render(scale=dpi / 72, rev_byteorder=True)  # RGB, as Qt's RGB888 wants
    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
    return image.copy()  # the bitmap's memory goes when it does


class QtDocumentPreview(QDialog):
    def __init__(
        self,
        operations: Operations,
        data: bytes,
        *,
        title: str,
        file_name: str,
        documents_dir: Path,
        warning: str = "",
        before_output: Callable[[], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        import pypdfium2

        super().__init__(parent)
        self.setObjectName("documentPreview")
        self.setWindowTitle(title)
        self._operations = operations
        self.data = data
        self._file_name = file_name
        self._documents_dir = documents_dir
        self._before_output = before_output  # once, before the first print, save or open
        self.document = pypdfium2.PdfDocument(data)
        self.pages: list[QLabel] = []

        self.warning = plain_label(warning, object_name="dialogError")
        self.warning.setWordWrap(True)
        self.warning.setVisible(bool(warning))
        self.count = plain_label(counted(len(self.document), "page"))
        self.saved_note = named(QLabel(), "savedNote")  # "Saved as …", with a link to its folder
        self.saved_note.setTextFormat(Qt.TextFormat.RichText)  # for the link; the names in it are escaped
        self.saved_note.setWordWrap(True)
        self.saved_note.setVisible(False)
        self.saved_note.linkActivated.connect(lambda _link: self._open_saved_folder())
        self._saved_folder: Path | None = None
        self.scroll_area = self._build_pages()
        buttons = self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.saved_note)
        layout.addWidget(buttons)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(PREVIEW_WIDTH + 80, screen.width() * 9 // 10), min(980, screen.height() * 9 // 10))

    def _build_pages(self) -> QScrollArea:
        """A place of the right size for each page, in a column that scrolls; none drawn yet."""
        column = named(QWidget(), "previewPages")
        pages_layout = QVBoxLayout(column)
        pages_layout.setSpacing(14)
        for index in range(len(self.document)):
            width, height = self.document[index].get_size()
            label = QLabel()
            label.setAccessibleName(f"Page {index + 1}")
            label.setFrameShape(QLabel.Shape.Box)
            label.setFixedSize(PREVIEW_WIDTH, round(PREVIEW_WIDTH * height / width))
            pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.pages.append(label)
        scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        # Pages are drawn as they scroll into view: a 50-page report opens as fast as a letter.
        scroll.verticalScrollBar().valueChanged.connect(lambda _value: self.draw_visible_pages())
        return scroll

    def _build_buttons(self) -> QDialogButtonBox:
        self.print_button = button(PreviewAction.PRINT.value.text, tip(PreviewAction.PRINT.value))
        self.print_button.setShortcut(keys_of(PreviewAction.PRINT))
        self.save_button = button(PreviewAction.SAVE.value.text, tip(PreviewAction.SAVE.value))
        self.save_button.setShortcut(keys_of(PreviewAction.SAVE))
        self.open_button = button("&Open in Viewer", "Open the PDF in this computer's PDF viewer")
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self._choose_save)
        self.open_button.clicked.connect(self.open_in_viewer)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for each in (self.print_button, self.save_button, self.open_button):
            buttons.addButton(each, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        return buttons

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.draw_visible_pages()

    def draw_visible_pages(self) -> None:
        """Pages in view (and one screen either side) are drawn; the rest let go of their pixels,
        so a 200-page report is as light as a letter."""
        reach = self.scroll_area.viewport().height()
        top = self.scroll_area.verticalScrollBar().value() - reach
        bottom = top + 3 * reach
        ratio = self.devicePixelRatioF()
        for index, label in enumerate(self.pages):
            near = label.y() < bottom and label.y() + label.height() > top
            if near and label.pixmap().isNull():
                width, _height = self.document[index].get_size()
                image = page_image(self.document[index], 72 * PREVIEW_WIDTH * ratio / width)
                pixmap = QPixmap.fromImage(image)
                pixmap.setDevicePixelRatio(ratio)
                label.setPixmap(pixmap)
            elif not near and not label.pixmap().isNull():
                label.setPixmap(QPixmap())

    def done(self, result: int) -> None:  # noqa: N802 - Qt's name
        super().done(result)
        for label in self.pages:
            label.setPixmap(QPixmap())
        self.document.close()

    def print_document(self) -> None:
        printer = self.document_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, len(self.document))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def document_printer(self) -> QPrinter:
        """The system's printer (until the print dialog changes it) set up for this document: its
        paper, not the printer's default (a Letter document on an A4 default would shrink to fit),
        which way up, and its pages."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        printer.setPageSize(self._paper(1))
        printer.setPageOrientation(self._orientation(1))
        printer.setFromTo(1, len(self.document))
        return printer

    def print_to(self, printer: QPrinter) -> None:
        """Each page drawn at the printer's resolution (up to a limit), fitted to its paper, which
        is turned to match the page (a wide report prints landscape)."""
        if not self._may_output():
            return
        spans = [(span.from_, span.to) for span in printer.pageRanges().toRangeList()] or [(1, len(self.document))]
        numbers = [n for first, last in spans for n in range(max(1, first), min(len(self.document), last) + 1)]
        if not numbers:
            return
        printer.setFullPage(True)
        printer.setPageMargins(QMarginsF(0, 0, 0, 0))
        printer.setPageOrientation(self._orientation(numbers[0]))
        dpi = min(printer.resolution(), PRINT_DPI_LIMIT)
        painter = QPainter()
        if not painter.begin(printer):
            self._operations.tell("The printer could not be started. Check that it is on and try again.")
            return
        try:
            for position, number in enumerate(numbers):
                if position:
                    printer.setPageOrientation(self._orientation(number))
                    printer.newPage()
                image = page_image(self.document[number - 1], dpi)
                area = QRectF(painter.viewport())
                scale = min(area.width() / image.width(), area.height() / image.height())
                target = QRectF(0, 0, image.width() * scale, image.height() * scale)
                target.moveCenter(area.center())
                painter.drawImage(target, image)
        finally:
            painter.end()

    def save_to(self, path: Path) -> Path | None:
        if not self._may_output():
            return None
        saved = self._operations.attempt(lambda: write_private_file(path, self.data))
        return None if saved is REFUSED else path

    def open_in_viewer(self) -> Path | None:
        """A private copy in the data folder's documents folder, opened by the system's viewer.
        Copies from earlier days are cleared out first: the folder is for looking, not keeping."""
        if not self._may_output():
            return None
        stem = Path(self._file_name).stem
        path = self._documents_dir / f"{stem} (opened {datetime.now():%H.%M.%S}).pdf"  # never over one still open

        def write() -> Path:
            make_private_dir(self._documents_dir)
            for old in self._documents_dir.glob("*.pdf"):
                if time.time() - old.stat().st_mtime > VIEWER_COPY_DAYS * 86400:
                    old.unlink(missing_ok=True)
            write_private_file(path, self.data)
            return path

        written = self._operations.attempt(write)
        if written is REFUSED:
            return None
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(written))):
            self._operations.tell(
                f"No program to open PDF files was found on this computer. The document is in "
                f"{written.parent}, named {written.name}; to keep it, use Save as PDF…, or print it."
            )
        return written

    def _may_output(self) -> bool:
        """Run the once-only step before the first print, save or open (recording a letter)."""
        if self._before_output is None:
            return True
        if not self._before_output():
            return False
        self._before_output = None
        return True

    def _paper(self, number: int) -> QPageSize:
        """The paper a page is drawn for, upright: A4 or Letter as the printer knows them."""
        short, long = sorted(self.document[number - 1].get_size())
        return QPageSize(QSizeF(short, long), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)

    def _orientation(self, number: int) -> QPageLayout.Orientation:
        width, height = self.document[number - 1].get_size()
        return QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait

    def _choose_save(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, "Save as PDF", str(documents_folder() / self._file_name), "PDF files (*.pdf)"
        )
        if not name:
            return
        saved = self.save_to(Path(name) if name.lower().endswith(".pdf") else Path(f"{name}.pdf"))
        if saved is not None:
            self._confirm_saved(saved)

    def _confirm_saved(self, path: Path) -> None:
        """Say where the file went, here and in the status bar, with its folder one click away."""
        self._saved_folder = path.parent
        self.saved_note.setText(
            f"Saved as “{escape(path.name)}” in {escape(str(path.parent))}. "
            f'<a href="{escape(QUrl.fromLocalFile(str(path.parent)).toString())}">Open the folder</a>'
        )
        self.saved_note.setVisible(True)
        self._operations.say(f"Saved “{path.name}” in {path.parent}.")

    def _open_saved_folder(self) -> None:
        folder = self._saved_folder
        if folder is not None and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self._operations.tell(f"No program to show folders was found on this computer. The file is in {folder}.")


def documents_folder() -> Path:
    """Where a document is saved unless the user says otherwise: their Documents folder, or their
    home folder when there is none (a dialog given a folder that does not exist opens in the
    program's own folder instead)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()
