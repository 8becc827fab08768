"""The questions asked before a document is made: the settings every document follows, the dates
of an attendance report, and who an attendance letter is for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.documents.settings import change_document_settings, default_setting_values, document_setting_values
from facilitator.rules.guides import GuideChoice
from facilitator.rules.participants import ParticipantInfo
from facilitator.storage.preferences import PAGE_SIZE_NAMES
from ui.common.plain import plain_label
from ui.common.widgets import button, date_range, named, picked
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations


def _text_box(name: str, text: str, accessible: str) -> QPlainTextEdit:
    box = named(QPlainTextEdit(text), name)
    box.setAccessibleName(accessible)
    box.setTabChangesFocus(True)
    box.setFixedHeight(96)
    return box


class QtDocumentSettingsDialog(QDialog):
    """Page size, font, the organisation's name and logo, where letters are checked and who signs
    them, the group agreements and the crisis contacts. A refused value keeps the dialog open with everything typed."""

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentSettings")
        self.setWindowTitle("Settings for Printed Documents")
        self._operations = operations
        values = operations.run(document_setting_values) or default_setting_values()
        self.page_size = named(QComboBox(), "pageSize")
        self.page_size.addItems(list(PAGE_SIZE_NAMES))
        self.page_size.setCurrentText(values["paper"])
        self.font_file = named(QLineEdit(values["font"]), "fontFile")
        self.font_file.setPlaceholderText("Found on this computer")
        self.logo_file = named(QLineEdit(values["logo"]), "logoFile")
        self.logo_file.setPlaceholderText("No logo")
        self.organisation = named(QLineEdit(values["organisation"]), "organisation")
        self.organisation.setPlaceholderText("Printed at the top of handouts and letters (optional)")
        self.contact = named(QLineEdit(values["contact"]), "verificationContact")
        self.contact.setPlaceholderText("Phone, e-mail or address where a letter's code can be checked")
        self.facilitator = named(QLineEdit(values["signed-by"]), "facilitatorName")
        self.facilitator.setPlaceholderText("Signs attendance letters")
        self.agreements = _text_box("agreements", values["agreements"], "Group agreements, one a line")
        self.limits = _text_box(
            "confidentialityLimits", values["confidentiality-limits"], "Local limits to confidentiality"
        )
        self.crisis = _text_box("crisisContacts", values["crisis-contacts"], "Crisis contacts")
        form = QFormLayout()
        form.addRow("&Paper:", self.page_size)
        form.addRow("&Font file:", self._with_browse(self.font_file, "Choose Font", "TrueType fonts (*.ttf)"))
        form.addRow("&Organisation:", self.organisation)
        form.addRow("&Logo:", self._with_browse(self.logo_file, "Choose Logo", "Images (*.png *.jpg *.jpeg)"))
        form.addRow("&Verification contact:", self.contact)
        form.addRow("&Signed by:", self.facilitator)
        form.addRow("Group &agreements:", self.agreements)
        form.addRow("Confidentiality li&mits:", self.limits)
        form.addRow("&Crisis contacts:", self.crisis)
        note = plain_label(
            "The crisis contacts are shown with the opening statement and printed on every handout: "
            "your local crisis line and emergency number. Left empty, they say “your local emergency number”. "
            "Any limits to confidentiality that your group or the place you meet adds are shown with the "
            "opening statement too, to read aloud."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(640, 0)

    def save(self) -> None:
        values = {
            "paper": self.page_size.currentText(),
            "font": self.font_file.text(),
            "organisation": self.organisation.text(),
            "logo": self.logo_file.text(),
            "contact": self.contact.text(),
            "signed-by": self.facilitator.text(),
            "agreements": self.agreements.toPlainText(),
            "confidentiality-limits": self.limits.toPlainText(),
            "crisis-contacts": self.crisis.toPlainText(),
        }
        saved = self._operations.run(lambda session: change_document_settings(session, values), Change.SETTINGS)
        if saved is not REFUSED:
            self.accept()

    def _with_browse(self, field: QLineEdit, title: str, kinds: str) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(field, 1)
        browse = button("Browse…", title)

        def choose() -> None:
            name, _filter = QFileDialog.getOpenFileName(self, title, str(Path(field.text()).parent), kinds)
            if name:
                field.setText(name)

        browse.clicked.connect(choose)
        layout.addWidget(browse)
        return row


class QtCrisisContactsDialog(QDialog):
    """The crisis contacts alone: the crisis line and emergency number for the group's area, kept
    by the same rule as in the settings for printed documents. Asked for on first start and
    before the first print while they still name no line."""

    def __init__(self, operations: Operations, parent: QWidget | None = None, *, why: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("crisisContacts")
        self.setWindowTitle("Crisis Contacts")
        self._operations = operations
        values = operations.run(document_setting_values) or default_setting_values()
        self.crisis = _text_box("crisisContacts", values["crisis-contacts"], "Crisis contacts")
        self.crisis.setFixedHeight(110)
        if values["crisis-contacts"] == default_setting_values()["crisis-contacts"]:
            self.crisis.selectAll()  # what is typed replaces the default
        about = plain_label(
            (why + "\n\n" if why else "")
            + "Write the crisis line and the emergency number for your area, and any local service "
            "people can turn to. They are shown with the opening statement and the crisis page, and "
            "printed on handouts and cards."
        )
        about.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        label = plain_label("&Crisis contacts:")
        label.setBuddy(self.crisis)
        layout.addWidget(label)
        layout.addWidget(self.crisis)
        layout.addStretch(1)
        layout.addWidget(buttons)
        # Wrapped text asks for its height only once it knows its width: give both room at once.
        self.resize(560, 320)

    def save(self) -> None:
        text = self.crisis.toPlainText()
        changes = {"crisis-contacts": text}
        saved = self._operations.run(lambda session: change_document_settings(session, changes), Change.SETTINGS)
        if saved is not REFUSED:
            self.accept()


class QtReportDialog(QDialog):
    """The dates of an attendance report."""

    def __init__(self, group_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle("Attendance Report")
        today = date.today()
        self.date_from, self.date_to = date_range("report", date(today.year, 1, 1), today)
        form = QFormLayout()
        form.addRow("&From:", self.date_from)
        form.addRow("&To:", self.date_to)
        _lay_out(self, f"Attendance of {group_name} between two days (both included):", form, "Make Report")

    def dates(self) -> tuple[date, date]:
        return picked(self.date_from), picked(self.date_to)


class QtRunSheetDialog(QDialog):
    """The format and topic guide of a run sheet printed without a meeting's format (`why` says
    so): first offered, `suggested` (the format used last; tonight's topic, or the one not used for
    longest)."""

    def __init__(
        self,
        why: str,
        formats: list[GuideChoice],
        topics: list[GuideChoice],
        suggested: tuple[str | None, str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("runSheetDialog")
        self.setWindowTitle("Run Sheet")
        self.format = named(QComboBox(), "runSheetFormat")
        for choice in formats:
            self.format.addItem(choice.title, choice.slug)
        self.format.setCurrentIndex(max(0, self.format.findData(suggested[0])))
        self.topic = named(QComboBox(), "runSheetTopic")
        self.topic.addItem("No topic guide", None)
        for choice in topics:
            self.topic.addItem(choice.title, choice.slug)
        self.topic.setCurrentIndex(max(0, self.topic.findData(suggested[1])))
        form = QFormLayout()
        form.addRow("&Format:", self.format)
        form.addRow("&Topic:", self.topic)
        _lay_out(self, f"{why} Print the run sheet of:", form, "Make Run Sheet")


class QtLetterDialog(QDialog):
    """Who a letter is for (first offered: `chosen`, the person selected where it was asked for),
    the dates it covers, whether it names the group, their legal name and reference if the letter
    needs them, and the signer's printed name, without which it is not made (offered: `signer`,
    the "Signed by" setting)."""

    def __init__(
        self,
        group_name: str,
        people: list[ParticipantInfo],
        former: set[int],
        signer: str,
        parent: QWidget | None = None,
        *,
        chosen: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("letterDialog")
        self.setWindowTitle("Attendance Letter")
        today = date.today()
        self.person = named(QComboBox(), "letterPerson")
        self.person.setAccessibleName("Who the letter is for")
        for person in people:  # those who have left too: proof is often asked for afterwards
            self.person.addItem(
                f"{person.display_name} (has left)" if person.id in former else person.display_name, person.id
            )
        self.person.setCurrentIndex(max(self.person.findData(chosen), 0))
        self.date_from, self.date_to = date_range("letter", date(today.year, 1, 1), today)
        self.anonymous = named(QCheckBox("Leave the group's name out of the letter"), "letterAnonymous")
        self.anonymous.setToolTip("For when the person would rather the group was not named: anonymity first")
        self.legal_name = named(QLineEdit(), "letterLegalName")
        self.legal_name.setPlaceholderText("Optional: their name as a court or programme knows it")
        self.reference = named(QLineEdit(), "letterReference")
        self.reference.setPlaceholderText("Optional: a reference or case number")
        self.signer = named(QLineEdit(signer), "letterSigner")
        self.signer.setPlaceholderText("Required: your name, printed under the signature")
        form = QFormLayout()
        form.addRow("&For:", self.person)
        form.addRow("F&rom:", self.date_from)
        form.addRow("&To:", self.date_to)
        form.addRow("", self.anonymous)
        form.addRow("&Legal name:", self.legal_name)
        form.addRow("R&eference:", self.reference)
        form.addRow("&Signed by:", self.signer)
        note = plain_label(
            f"The letter lists the meetings of {group_name} the person came to, names nobody else, and "
            "carries a code, recorded once the letter is printed or saved, so you can confirm it later "
            "(File → Check a Letter's Code…). A legal name and reference are printed on this letter "
            "and kept with its record only."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.make = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.make.setText("Make Letter")
        self.signer.textChanged.connect(lambda text: self.make.setEnabled(bool(people) and bool(text.strip())))
        self.make.setEnabled(bool(people) and bool(signer.strip()))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(520, 0)

    def accept(self) -> None:
        """Not without the signer's printed name, however the dialog is asked to close with Make."""
        if not self.signer.text().strip():
            self.signer.setFocus()
            return
        super().accept()

    def dates(self) -> tuple[date, date]:
        return picked(self.date_from), picked(self.date_to)


def _lay_out(dialog: QDialog, intro: str, form: QFormLayout, ok_text: str) -> None:
    """A short dialog's layout: a line saying what it asks, the form, then OK (named `ok_text`) and Cancel."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(plain_label(intro))
    layout.addLayout(form)
    layout.addWidget(buttons)
