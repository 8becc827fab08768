"""The crisis page: the crisis card's words on screen, opened with one key during a meeting, the
crisis contacts from the settings at the top where they are seen first. It stays open beside the
window (not in its way), and prints as the crisis card."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from facilitator.documents.cards import CardContent, Kind
from ui.common.widgets import named

STYLE = """
<style>
h1 { font-size: 14pt; margin: 0 0 4px 0; }
h2 { font-size: 11.5pt; margin: 8px 0 2px 0; }
p { margin: 0 0 6px 0; }
ul { margin-top: 0; margin-bottom: 4px; }
.contacts { background: #fff4d6; border: 2px solid #1f1f1f; font-size: 13pt; font-weight: bold; }
</style>
"""


def card_html(content: CardContent) -> str:
    """A card's words as a page to read, every piece escaped; the crisis contacts first of all."""
    html, in_list = [STYLE], False
    contacts = "<br>".join(escape(line) for line in content.crisis.splitlines())
    for line in content.lines:
        if line.kind is Kind.ITEM and not in_list:
            html.append("<ul>")
        elif line.kind is not Kind.ITEM and in_list:
            html.append("</ul>")
        in_list = line.kind is Kind.ITEM
        if line.kind is Kind.TITLE:
            html.append(f"<h1>{escape(line.text)}</h1>")
        elif line.kind is Kind.HEADING:
            html.append(f"<h2>{escape(line.text)}</h2>")
        elif line.kind is Kind.ITEM:
            html.append(f"<li>{escape(line.text)}</li>")
        elif line.kind is Kind.TEXT:
            html.append(f"<p>{escape(line.text)}</p>")
        elif line.kind is Kind.CRISIS:
            html.append(f"<table class='contacts' width='100%' cellpadding='8'><tr><td>{contacts}</td></tr></table>")
        else:
            html.append("<ul>" + "".join(f"<li>{escape(text)}</li>" for text in content.agreements) + "</ul>")
    return "".join([*html, "</ul>" if in_list else ""])


class QtCrisisPage(QDialog):
    def __init__(self, content: CardContent, print_card: QPushButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crisisPage")
        self.setWindowTitle("In a Crisis")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.text = named(QTextBrowser(), "crisisText")
        self.text.setOpenLinks(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        self.buttons.addButton(print_card, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(self.buttons)
        self.show_content(content)

    def show_content(self, content: CardContent) -> None:
        self.text.setHtml(card_html(content))
