"""Editing a guide of one's own: its file text on the left, the page it makes on the right.

The preview follows the typing (after a short pause, so a long guide never slows the keys), and
a mistake is named with its line, which is highlighted; Save waits until the guide reads.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFontDatabase, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.rules.guide_format import InvalidGuide, parse_guide
from facilitator.rules.guides import GuideSummary, save_guide
from ui.common.fit import fit_to_screen
from ui.common.guide_html import guide_html
from ui.common.plain import confirm, plain_label
from ui.common.widgets import named
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations

PREVIEW_DELAY_MS = 250
ERROR_LINE = QColor("#f6d8d2")


class QtGuideEditor(QDialog):
    def __init__(
        self, operations: Operations, text: str, *, replacing: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("guideEditor")
        self.setWindowTitle("Edit Guide")
        self._operations = operations
        self._replacing = replacing
        self.saved: GuideSummary | None = None

        self.editor = named(QPlainTextEdit(), "guideText")
        self.editor.setAccessibleName("The guide's text")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setPlainText(text)
        self.preview = named(QTextBrowser(), "guidePreview")
        self.preview.setAccessibleName("How the guide reads")
        self.preview.setOpenLinks(False)
        self.problem = plain_label("", object_name="dialogError")
        self.problem.setWordWrap(True)
        self.help = plain_label(
            "Header lines are “field: value” between two lines of ---. Sections start with “## Name”; "
            "a line starting “- ” is a list item. A meeting format's parts give their kind and minutes: "
            "“## Welcome (welcome, 5 min)”."
        )
        self.help.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.editor)
        splitter.addWidget(self.preview)
        splitter.setSizes([1, 1])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        fit_to_screen(self, QSize(1100, 720))

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PREVIEW_DELAY_MS)
        self._pause.timeout.connect(self.update_preview)
        self.editor.textChanged.connect(self._pause.start)
        self.update_preview()

    def update_preview(self) -> bool:
        """Show the page the text makes, or what is wrong with it; True if it reads."""
        self._pause.stop()
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        try:
            guide = parse_guide(self.text(), "This guide")
        except InvalidGuide as error:
            self.problem.setText(str(error))
            self.problem.show()
            self._mark_line(error.line)
            save.setEnabled(False)
            return False
        scroll = self.preview.verticalScrollBar().value()
        self.preview.setHtml(guide_html(guide))
        self.preview.verticalScrollBar().setValue(scroll)
        self.problem.hide()
        self._mark_line(None)
        save.setEnabled(True)
        return True

    def save(self) -> None:
        if not self.update_preview():
            return
        text, replacing = self.text(), self._replacing
        saved = self._operations.run(
            lambda session: save_guide(session, text, replacing=replacing), Change.LIBRARY, self.parent()
        )
        if saved is not REFUSED:
            self.saved = saved
            self.accept()

    def text(self) -> str:
        """The text exactly as typed (Qt's plain text would turn no-break spaces into spaces)."""
        return self.editor.document().toRawText().replace("\u2029", "\n")

    def reject(self) -> None:
        """Cancel, Escape or closing the window: typing is never thrown away without asking."""
        if self.editor.document().isModified() and not confirm(
            self, "Discard Changes", "Close the editor and lose the changes you typed?", "Discard"
        ):
            return
        super().reject()

    def _mark_line(self, line: int | None) -> None:
        if line is None:
            self.editor.setExtraSelections([])
            return
        block = self.editor.document().findBlockByNumber(line - 1)
        mark = QTextEdit.ExtraSelection()
        mark.format.setBackground(ERROR_LINE)
        mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        mark.cursor = QTextCursor(block)
        self.editor.setExtraSelections([mark])
