"""Tonight's packet printed for real: from the window's preview, through Qt's print path, to a CUPS
queue whose printer is cups-pdf, a virtual printer that writes each job as a PDF file.

CI installs and starts it (.ci/run) and sets CI=true, so there the test must print; elsewhere it
is skipped, saying why, when no such printer is set up. The preview prints each page as an image
(drawn by PDFium at the printer's resolution), so the printed file has no text to read: its pages
are matched with the document's by how they look.
"""

from __future__ import annotations

import io
import os
import time
import uuid
from datetime import date, datetime
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinterInfo

from facilitator.documents.settings import change_document_settings
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.database import Database
from facilitator.storage.preferences import mark_asked_for_crisis_contacts
from tests.window_helpers import shown_window, when_modal_opens
from ui.actions import MainAction
from ui.operations.document_preview import QtDocumentPreview

PRINTER = os.environ.get("FACILITATOR_TEST_PRINTER", "PDF")  # the queue .ci/run adds
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
PAPER_POINTS = {"A4": (595, 842), "Letter": (612, 792)}
PRINT_DEADLINE_SECONDS = 120  # CUPS runs Ghostscript on a few pages of 300 dpi images
T0 = datetime(2026, 3, 3, 19, 0).astimezone()


def printer_missing() -> str | None:
    """Why this machine cannot print to cups-pdf, or None when it can."""
    if not CUPS_PDF_CONF.exists():
        return f"cups-pdf is not installed ({CUPS_PDF_CONF} is missing; Debian: cups printer-driver-cups-pdf)"
    if QPrinterInfo.printerInfo(PRINTER).isNull():
        return f"CUPS has no print queue named {PRINTER} (is cupsd running? .ci/run adds it with lpadmin)"
    return None


def cups_pdf_folders() -> list[Path]:
    """Where cups-pdf writes a job: its Out folder (${HOME} and ${USER} are the job owner's), or its
    folder for anonymous jobs."""
    import pwd  # POSIX only, as CUPS is here

    settings: dict[str, str] = {}
    for line in CUPS_PDF_CONF.read_text().splitlines():
        key, _space, value = line.strip().partition(" ")
        if key and not key.startswith("#"):
            settings[key] = value.strip()
    owner = pwd.getpwuid(os.getuid())
    out = settings.get("Out", "/var/spool/cups-pdf/${USER}")
    out = out.replace("${HOME}", owner.pw_dir).replace("${USER}", owner.pw_name)
    return [Path(out), Path(settings.get("AnonDirName", "/var/spool/cups-pdf/ANONYMOUS"))]


def printed_file(job: str, pages: int) -> Path:
    """The job's PDF once cups-pdf has written all of it, polled for up to PRINT_DEADLINE_SECONDS."""
    deadline = time.monotonic() + PRINT_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        for folder in cups_pdf_folders():
            for found in folder.glob(f"{job}*.pdf") if folder.is_dir() else ():
                try:
                    if len(PdfReader(found).pages) == pages:
                        return found
                except Exception:  # still being written (any parse error): look again
                    pass
        time.sleep(0.25)
    folders = ", ".join(str(folder) for folder in cups_pdf_folders())
    raise AssertionError(f"no complete PDF of job {job} in {folders} after {PRINT_DEADLINE_SECONDS} s")


def page_look(data: bytes) -> list[Image.Image]:
    """Each page drawn small and grey, the same size whatever its resolution, to compare by eye."""
    document = pypdfium2.PdfDocument(data)
    try:
        return [page.render(scale=40 / 72).to_pil().convert("L").resize((150, 210)) for page in document]
    finally:
        document.close()


def difference(one: Image.Image, other: Image.Image) -> float:
    return float(ImageStat.Stat(ImageChops.difference(one, other)).mean[0])


@pytest.fixture
def tonights_meeting(db: Database, paper: str) -> int:
    with db.begin() as session:
        change_document_settings(session, {"paper": paper})
        group = create_group(session, "Tuesday Circle")
        for name in ("Ann Lee", "Bo Chen", "Cy Diaz"):
            add_participant(session, group.id, name, joined_on=date(2026, 1, 1))
        mark_asked_for_crisis_contacts(session, "print")  # the ask before printing: tests/test_cards_window.py
        return open_meeting(session, group.id, guide_slug="coping-strategies", now=T0).id


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_tonights_packet_prints_on_a_real_print_queue_in_order_on_its_paper(
    db: Database, tonights_meeting: int, paper: str, qtbot
) -> None:
    missing = printer_missing()
    if missing is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must print for real, but {missing}", pytrace=False)
        pytest.skip(missing)
    window = shown_window(db, qtbot)
    job = f"facilitator-test-{uuid.uuid4().hex[:12]}"
    made: list[bytes] = []

    def print_it(preview: QtDocumentPreview) -> None:
        made.append(preview.data)
        printer = preview.document_printer()
        printer.setPrinterName(PRINTER)  # as chosen in the print dialog
        printer.setDocName(job)  # the file's name in cups-pdf's folder
        preview.print_to(printer)
        preview.reject()

    when_modal_opens(qtbot, print_it, QtDocumentPreview)
    window.actions_by_name[MainAction.TONIGHTS_PACKET].trigger()
    window.close()
    assert made, "the packet's preview never opened"

    document = PdfReader(io.BytesIO(made[0]))
    printed = printed_file(job, len(document.pages))
    try:
        width, height = PAPER_POINTS[paper]
        for page in PdfReader(printed).pages:
            assert abs(float(page.mediabox.width) - width) <= 2 and abs(float(page.mediabox.height) - height) <= 2
        wanted, came = page_look(made[0]), page_look(printed.read_bytes())
        for number, look in enumerate(came):
            differences = [difference(look, page) for page in wanted]
            assert differences.index(min(differences)) == number, f"printed page {number + 1} is not in its place"
            assert differences[number] < 8, f"printed page {number + 1} does not look like the document's"
    finally:
        printed.unlink()
