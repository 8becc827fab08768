"""Making a printed document from the window: read what it needs in one transaction, draw it,
and show it in the preview to print, save or open. ReportLab is imported here, when the first
document is made, never at start-up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from sqlalchemy.orm import Session

from facilitator.dates import date_custom
from facilitator.documents.cards import Card, card_content, card_named
from facilitator.rules.groups import GroupInfo
from facilitator.rules.guides import GuideChoice, suggested_format, suggested_topic, topic_guide_choices
from facilitator.rules.meetings import MeetingInfo, get_meeting
from facilitator.rules.participants import ParticipantInfo, list_participants
from facilitator.storage.models import GuideKind
from facilitator.storage.preferences import (
    DocumentSettings,
    document_settings,
    mark_asked_for_crisis_contacts,
    should_ask_for_crisis_contacts,
)
from ui.common.plain import ask_text, confirm, message_box
from ui.common.widgets import button
from ui.operations.document_dialogs import (
    QtCrisisContactsDialog,
    QtDocumentSettingsDialog,
    QtLetterDialog,
    QtReportDialog,
    QtRunSheetDialog,
)
from ui.operations.runner import REFUSED, Operations

# The formats and topics to choose from, and those first offered (format, topic).
RunSheetChoices = tuple[list[GuideChoice], list[GuideChoice], tuple[str | None, str | None]]

if TYPE_CHECKING:  # imported when the first document is made, as ReportLab is
    from facilitator.documents.layout import Pdf
    from facilitator.rules.letters import LetterFacts
    from ui.operations.crisis_page import QtCrisisPage

ASK_AT_START = (
    "Where can people in your area turn in a crisis? Printouts and the crisis page say only "
    "“call your local emergency number” until you add your local crisis line."
)
AFTER_ANOTHER_DIALOG_MS = 300  # how often the start-up ask looks again while another window is being answered
ASK_BEFORE_PRINT = (
    "This printout says only “call your local emergency number” for a crisis. "
    "Add the crisis line for your area first? You can print without it."
)


class DocumentMaker:
    def __init__(self, operations: Operations, documents_dir: Path, parent: QWidget) -> None:
        self._operations = operations
        self._documents_dir = documents_dir
        self._parent = parent
        self.last_preview: QDialog | None = None  # for tests and for closing with the window
        self.crisis_page_shown: QtCrisisPage | None = None

    # ---- documents --------------------------------------------------------------------------

    def handout(self, meeting: MeetingInfo) -> None:
        from facilitator.documents.handout import handout_content, handout_pdf

        self._make(
            lambda session, pdf: handout_pdf(pdf, handout_content(session, meeting_id=meeting.id)),
            title="Handout",
            file_name=f"handout-{meeting.local_date.isoformat()}.pdf",
            shows_crisis_contacts=True,
        )

    def card(self, name: str) -> None:
        """One of the facilitator's cards, by the name the command line gives it, through the same
        preview as every document."""
        from facilitator.documents.cards import card_pdf

        card = card_named(name)
        self._make(
            lambda session, pdf: card_pdf(pdf, card_content(session, card)),
            title=card.title,
            file_name=f"{card.value}-card.pdf",
            shows_crisis_contacts=card in (Card.CRISIS, Card.AGREEMENTS),
        )

    def crisis_page(self) -> None:
        """The crisis card's words on screen, beside the window; shown again (with the contacts as
        they are now) if it is already open."""
        from ui.operations.crisis_page import QtCrisisPage

        content = self._operations.run(lambda session: card_content(session, Card.CRISIS))
        if content is REFUSED:
            return
        page = self.crisis_page_shown
        if page is None:
            print_card = button("&Print Crisis Card…", "The crisis card on one page, to keep in your bag")
            print_card.clicked.connect(lambda: self.card(Card.CRISIS.value))
            page = self.crisis_page_shown = QtCrisisPage(content, print_card, self._parent)
            room = self._parent.screen().availableGeometry()
            page.resize(min(760, room.width() * 9 // 10), room.height() * 9 // 10)
        page.show_content(content)
        page.show()
        page.raise_()
        page.activateWindow()

    def crisis_contacts(self, why: str = "") -> bool:
        """Edit → Crisis Contacts…: the crisis contacts alone. True when they were saved."""
        dialog = QtCrisisContactsDialog(self._operations, self._parent, why=why)
        saved = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return saved

    def ask_for_crisis_contacts_at_start(self) -> None:
        """On first start, while the crisis contacts name no local line: ask for them, once, after
        whatever start-up does and shows first (a meeting to resume, work in the background) is over."""
        if self._operations.busy or QApplication.activeModalWidget() is not None:
            QTimer.singleShot(AFTER_ANOTHER_DIALOG_MS, self.ask_for_crisis_contacts_at_start)
            return
        if self._asking_for_crisis_contacts("start"):
            self.crisis_contacts(ASK_AT_START)

    def _ask_before_print(self) -> None:
        """Before the first print while the crisis contacts name no local line: offer to add them,
        once; printing goes on whatever the answer."""
        if self._asking_for_crisis_contacts("print") and confirm(
            self._parent,
            "Crisis Contacts",
            ASK_BEFORE_PRINT,
            "Add Crisis Contacts…",
            "Print Without Them",
            yes_by_default=True,
        ):
            self.crisis_contacts()

    def _asking_for_crisis_contacts(self, moment: str) -> bool:
        """Whether to ask at `moment`, kept as asked at once: declining is an answer too. Records
        open for reading only (found damaged) keep nothing, so nothing is asked."""
        if self._operations.db.damage is not None:
            return False

        def ask(session: Session) -> bool:
            if not should_ask_for_crisis_contacts(session, moment):
                return False
            mark_asked_for_crisis_contacts(session, moment)
            return True

        return self._operations.run(ask) is True

    def sign_in_sheet(self, meeting: MeetingInfo, *, blank: bool = False) -> None:
        """The sign-in sheet for `meeting`: with the roster, or with `blank` rows only."""
        from facilitator.documents.sign_in import sign_in_content, sign_in_pdf

        day = meeting.local_date
        self._make(
            lambda session, pdf: sign_in_pdf(pdf, sign_in_content(session, meeting.group_id, day, blank=blank)),
            title="Blank Sign-in Sheet" if blank else "Sign-in Sheet",
            file_name=f"sign-in-{'blank-' if blank else ''}{day.isoformat()}.pdf",
        )

    def packet(self, meeting: MeetingInfo) -> None:
        from facilitator.documents.packet import packet_content, packet_pdf

        self._make(
            lambda session, pdf: packet_pdf(pdf, *packet_content(session, meeting.id)),
            title="Tonight's Packet",
            file_name=f"packet-{meeting.local_date.isoformat()}.pdf",
            shows_crisis_contacts=True,
        )

    def run_sheet(self, group: GroupInfo, meeting: MeetingInfo | None) -> None:
        """The run sheet of the group's open `meeting`; with none open, or one opened without a
        format, of a format and topic chosen now (to print ahead of the meeting)."""
        from facilitator.documents.run_sheet import run_sheet_content, run_sheet_pdf

        def read(session: Session) -> RunSheetChoices | None:
            if meeting is not None and get_meeting(session, meeting.id).format is not None:
                return None
            format_, topic = suggested_format(session, group.id), suggested_topic(session, group.id)
            tonight = meeting.guide_slug if meeting is not None else (topic.slug if topic else None)
            return (
                topic_guide_choices(session, GuideKind.FORMAT),
                topic_guide_choices(session, GuideKind.TOPIC),
                (format_.slug if format_ else None, tonight),
            )

        found = self._operations.run(read)
        if found is REFUSED:
            return
        if found is None:
            assert meeting is not None
            self._make(
                lambda session, pdf: run_sheet_pdf(pdf, run_sheet_content(session, meeting_id=meeting.id)),
                title="Run Sheet",
                file_name=f"run-sheet-{meeting.local_date.isoformat()}.pdf",
                shows_crisis_contacts=True,
            )
            return
        why = f"No meeting of {group.name} is open." if meeting is None else "Tonight's meeting has no format."
        self._chosen_run_sheet(group, why, found)

    def _chosen_run_sheet(self, group: GroupInfo, why: str, choices: RunSheetChoices) -> None:
        """The run sheet of the format and topic chosen in a dialog that says `why` it asks."""
        from facilitator.documents.run_sheet import run_sheet_content, run_sheet_pdf

        dialog = QtRunSheetDialog(why, *choices, self._parent)
        accepted, format_slug, guide_slug = (
            dialog.exec() == QDialog.DialogCode.Accepted,
            dialog.format.currentData(),
            dialog.topic.currentData(),
        )
        dialog.deleteLater()
        if not accepted or format_slug is None:
            return
        self._make(
            lambda session, pdf: run_sheet_pdf(
                pdf, run_sheet_content(session, format_slug=format_slug, guide_slug=guide_slug, group_id=group.id)
            ),
            title="Run Sheet",
            file_name=f"run-sheet-{format_slug}.pdf",
            shows_crisis_contacts=True,
        )

    def welcome_leaflet(self, group: GroupInfo) -> None:
        from facilitator.documents.welcome_leaflet import leaflet_content, leaflet_pdf

        self._make(
            lambda session, pdf: leaflet_pdf(pdf, leaflet_content(session, group.id)),
            title="Welcome Leaflet",
            file_name="welcome-leaflet.pdf",  # no group's name: file names show in folders and print queues
            shows_crisis_contacts=True,
        )

    def report(self, group: GroupInfo) -> None:
        from facilitator.documents.attendance_report import report_content, report_pdf

        dialog = QtReportDialog(group.name, self._parent)
        accepted, (start, end) = dialog.exec() == QDialog.DialogCode.Accepted, dialog.dates()
        dialog.deleteLater()
        if not accepted:
            return
        self._make(
            lambda session, pdf: report_pdf(pdf, report_content(session, group.id, date_from=start, date_to=end)),
            title="Attendance Report",
            file_name=f"attendance-{start.isoformat()}-to-{end.isoformat()}.pdf",
        )

    def letter(self, group: GroupInfo, chosen: int | None = None) -> None:
        """A letter for one person of the group, offered first for `chosen` (the person selected)."""
        from facilitator.documents.letter import letter_pdf
        from facilitator.rules.letters import letter_facts, record_letter

        def read(session: Session) -> tuple[list[ParticipantInfo], set[int], DocumentSettings]:
            left = list_participants(session, group.id, former=True)
            people = list_participants(session, group.id) + left
            return people, {person.id for person in left}, document_settings(session)

        found = self._operations.run(read)
        if found is REFUSED:
            return
        people, former, settings = found
        dialog = QtLetterDialog(group.name, people, former, settings.facilitator_name, self._parent, chosen=chosen)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted and dialog.person.currentData() is not None
        person, (start, end) = dialog.person.currentData(), dialog.dates()
        anonymous, signer = dialog.anonymous.isChecked(), dialog.signer.text()
        legal_name, reference = dialog.legal_name.text(), dialog.reference.text()
        dialog.deleteLater()
        if not accepted:
            return
        made: list[LetterFacts] = []
        custom = date_custom(QLocale.system().name())  # on Windows and macOS the environment says nothing

        def make(session: Session, pdf: Pdf) -> bytes:
            facts = letter_facts(
                session,
                person,
                group.id,
                start,
                end,
                anonymous=anonymous,
                signed_by=signer,
                legal_name=legal_name,
                reference=reference,
            )
            made.append(facts)
            return letter_pdf(pdf, facts, custom=custom)

        def record() -> bool:
            """The letter is recorded (its code checks out) before it is first printed, saved or
            opened: the same order as the command line's, which commits it before its file appears."""
            return self._operations.run(lambda session: record_letter(session, made[0])) is not REFUSED

        self._make(
            make,
            title="Attendance Letter",
            # The dates only: a file name shows in folders, recent-file lists and print queues, where
            # the person's name would tell more than whoever holds the letter chose to tell.
            file_name=f"attendance letter, {start.isoformat()} to {end.isoformat()}.pdf",
            before_output=record,
        )

    def check_code(self) -> None:
        from facilitator.rules.letters import check_letter, genuine_message

        code = ask_text(self._parent, "Check a Letter's Code", "The code on the letter:")
        if code is None or not code.strip():
            return
        letter = self._operations.run(lambda session: check_letter(session, code))
        if letter is not REFUSED:
            message_box(self._parent, QMessageBox.Icon.Information, "Letter Found", genuine_message(letter)).exec()

    def settings(self) -> bool:
        dialog = QtDocumentSettingsDialog(self._operations, self._parent)
        saved = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return saved

    # ---- inside -----------------------------------------------------------------------------

    def _make(
        self,
        make: Callable[[Session, Pdf], bytes],
        *,
        title: str,
        file_name: str,
        before_output: Callable[[], bool] | None = None,
        shows_crisis_contacts: bool = False,
    ) -> None:
        from facilitator.documents.layout import pdf_for
        from ui.operations.document_preview import QtDocumentPreview

        if shows_crisis_contacts:
            self._ask_before_print()

        def work(session: Session) -> tuple[bytes, str]:
            pdf = pdf_for(document_settings(session))
            return make(session, pdf), " ".join(pdf.warnings)

        made = self._operations.run_in_background(work, making(title))
        if made is REFUSED:
            return
        data, warning = made
        preview = QtDocumentPreview(
            self._operations,
            data,
            title=title,
            file_name=file_name,
            documents_dir=self._documents_dir,
            warning=warning,
            before_output=before_output,
            parent=self._parent,
        )
        self.last_preview = preview
        preview.exec()
        preview.deleteLater()
        self.last_preview = None


def making(title: str) -> str:
    """What the progress window says while a document is made: "Making the handout…", and
    "Making tonight's packet…" (a title that already says which one takes no "the")."""
    named = title.lower()
    return f"Making {named}…" if named.startswith("tonight's") else f"Making the {named}…"
