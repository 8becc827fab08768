"""The facilitator's script beside check-in and the share round: the meeting format's parts with
the current one highlighted and planned against actual minutes, the text to read now, and the
topic guide with its prompts ticked off as they are used. Every move is written at once."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from facilitator.rules.guide_format import (
    CHECK_IN_QUESTION,
    CLOSING_REFLECTION,
    DISCUSSION_PROMPTS,
    EXERCISE,
    FACILITATOR_NOTES,
    OPENING_READING,
    SUMMARY,
    TAKE_HOME,
    PartKind,
)
from facilitator.rules.meeting_script import (
    MeetingScript,
    go_to_part,
    mark_prompt,
    meeting_script,
    opening_additions,
)
from facilitator.rules.meetings import MeetingInfo
from ui.actions import MainAction, keys_text, tip
from ui.common.guide_html import PAGE_STYLE, blocks_html, section_html
from ui.common.plain import plain_label
from ui.common.widgets import button, named
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations, Session

REFRESH_MS = 15_000  # the minutes shown move on by themselves; a part's time is read afresh
# The topic guide's sections in the order a meeting uses them (the prompts have their own tab).
TOPIC_ORDER = (SUMMARY, OPENING_READING, CHECK_IN_QUESTION, EXERCISE, CLOSING_REFLECTION, TAKE_HOME, FACILITATOR_NOTES)


def minutes_text(seconds: float) -> str:
    return f"{round(seconds / 60)} min"


class QtScriptPanel(QWidget):
    part_changed = Signal(PartKind)  # the kind of the part the meeting moved to

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scriptPanel")
        self._operations = operations
        self.meeting: MeetingInfo | None = None
        self.script: MeetingScript | None = None
        self._opening_additions: list[str] = []

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._build_parts())
        splitter.addWidget(self._build_reading())
        splitter.setStretchFactor(1, 2)
        self.empty = plain_label("Open a meeting to follow its format and topic guide here.")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        self._body = splitter

        self._shown_part: int | None = None
        self._keys = _KeepTypingKeys(self)
        for widget in (self.parts, self.prompts, self.now_text, self.topic_text):
            widget.installEventFilter(self._keys)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.refresh()  # empty until a meeting is shown, so its size is settled before the window's

    def _build_parts(self) -> QWidget:
        """The meeting's heading and totals, its parts with the current one marked, Back and Next."""
        self.heading = plain_label("", object_name="sectionTitle")
        self.heading.setWordWrap(True)
        self.totals = plain_label("")
        self.totals.setWordWrap(True)
        self.parts = named(QListWidget(), "scriptParts")
        self.parts.setAccessibleName("The meeting's parts; the current one is marked")
        self.parts.setWordWrap(True)
        self.parts.itemActivated.connect(lambda item: self.go_to(self.parts.row(item)))
        self.back_button = button("◀ Back", tip(MainAction.PREVIOUS_PART.value), "Back a part")
        self.next_button = button("Next Part ▶", tip(MainAction.NEXT_PART.value), "Next part")
        self.back_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        moves = QHBoxLayout()
        moves.addWidget(self.back_button)
        moves.addWidget(self.next_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.heading)
        top_layout.addWidget(self.totals)
        top_layout.addWidget(self.parts, 1)
        top_layout.addLayout(moves)
        return top

    def _build_reading(self) -> QTabWidget:
        """What to read now, the topic guide and its prompts, a tab each."""
        self.now_text = named(QTextBrowser(), "scriptNow")
        self.now_text.setAccessibleName("What to read or do now")
        self.topic_text = named(QTextBrowser(), "scriptTopic")
        self.topic_text.setAccessibleName("Tonight's topic guide")
        self.prompts = named(QListWidget(), "scriptPrompts")
        self.prompts.setAccessibleName("Discussion prompts; tick each one as it is used")
        self.prompts.setWordWrap(True)
        self.prompts.itemChanged.connect(self._prompt_ticked)
        for browser in (self.now_text, self.topic_text):
            browser.setOpenLinks(False)
        self.pages = named(QTabWidget(), "scriptTabs")
        self.pages.addTab(self.now_text, "Read Now")
        self.pages.addTab(self.topic_text, "Topic")
        self.pages.addTab(self.prompts, "Prompts")
        # Every tab whole and in sight: the panel is at least that wide.
        self.pages.setUsesScrollButtons(False)
        self.pages.setElideMode(Qt.TextElideMode.ElideNone)
        return self.pages

    # ---- what is shown --------------------------------------------------------------------

    def show_group(self, group: object) -> None:
        """The script follows the meeting, which the window hands it (show_meeting)."""

    def on_changes(self, changes: Change, initiator: object | None) -> None:
        if initiator is not self and changes & (Change.LIBRARY | Change.SETTINGS):
            self.refresh()

    def shut_down(self) -> None:
        self.timer.stop()

    def show_meeting(self, meeting: MeetingInfo | None) -> None:
        self.meeting = meeting
        self.refresh()

    def refresh(self) -> None:
        meeting = self.meeting
        if meeting is None:
            self.script = None
            self.timer.stop()
            self.empty.show()
            self._body.hide()
            return

        def read(session: Session) -> tuple[MeetingScript, list[str]]:
            return meeting_script(session, meeting.id), opening_additions(session)

        found = self._operations.run(read)
        if found is REFUSED:
            return
        self.script, self._opening_additions = found
        self.empty.hide()
        self._body.show()
        self.timer.start()
        self._show_parts()
        self._show_now()
        self._show_topic()

    def _show_parts(self) -> None:
        """The parts list, changed in place so that a repaint never moves what is highlighted."""
        script = self.script
        assert script is not None
        fmt = script.format
        self.heading.setText(fmt.title if fmt else "No meeting format chosen")
        if script.parts:
            self.totals.setText(f"Planned {script.planned_minutes} min · {minutes_text(script.actual_seconds)} so far")
        else:
            self.totals.setText("Choose a format when opening the meeting to follow its parts here.")
        if self.parts.count() != len(script.parts):
            self.parts.clear()
            self.parts.addItems(["" for _ in script.parts])
        for number, part in enumerate(script.parts):
            current = number == script.current_part
            taken = f" · took {minutes_text(part.actual_seconds)}" if part.started else ""
            item = self.parts.item(number)
            item.setText(f"{'▶ ' if current else ''}{part.name} · {part.planned_minutes} min{taken}")
            font = QFont(self.parts.font())
            font.setBold(current)
            item.setFont(font)
            over = current and part.actual_seconds > part.planned_minutes * 60
            item.setToolTip("Running over its planned time" if over else "")
        if script.current_part is not None and script.current_part != self._shown_part:
            self.parts.setCurrentRow(script.current_part)
        self._shown_part = script.current_part
        last = len(script.parts) - 1
        here = -1 if script.current_part is None else script.current_part
        self.next_button.setEnabled(here < last)
        self.back_button.setEnabled(script.current_part not in (None, 0))

    def _show_now(self) -> None:
        script = self.script
        assert script is not None
        if script.current_part is None:
            intro = script.format.section(SUMMARY) if script.format else None
            first = f"Press Next Part ({keys_text(MainAction.NEXT_PART)}) when the meeting begins."
            body = blocks_html(intro.blocks) if intro else ""
            _show_html(self.now_text, PAGE_STYLE + body + f"<p>{first}</p>")
            return
        assert script.format is not None
        part = script.part_text(script.current_part)
        crisis = script.parts[script.current_part].shows_crisis_contacts
        extra = self._opening_additions if crisis else []
        html = PAGE_STYLE + section_html(part, extra=extra)
        html += "".join(section_html(section) for section in script.format_sections(script.current_part))
        found = script.guide_sections(script.current_part)
        if script.guide is not None and found:
            html += f"<hr><p class='meta'>From tonight's topic guide: {escape(script.guide.title)}</p>"
            html += "".join(section_html(section) for section in found)
        _show_html(self.now_text, html)

    def _show_topic(self) -> None:
        script = self.script
        assert script is not None
        guide = script.guide
        if guide is None:
            _show_html(self.topic_text, PAGE_STYLE + "<p>No topic guide was chosen for this meeting.</p>")
            self.prompts.clear()
            self.pages.setTabText(2, "Prompts")
            return
        sections = [guide.section(name) for name in TOPIC_ORDER]
        body = "".join(section_html(section) for section in sections if section is not None)
        _show_html(self.topic_text, PAGE_STYLE + f"<h1>{escape(guide.title)}</h1>" + body)
        self.prompts.blockSignals(True)
        if [self.prompts.item(row).text() for row in range(self.prompts.count())] != guide.prompts:
            self.prompts.clear()
            for prompt in guide.prompts:
                item = QListWidgetItem(prompt)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                self.prompts.addItem(item)
        for number in range(self.prompts.count()):
            used = number in script.prompts_used
            self.prompts.item(number).setCheckState(Qt.CheckState.Checked if used else Qt.CheckState.Unchecked)
        self.prompts.blockSignals(False)
        self._count_prompts()
        self.prompts.setToolTip(f"{DISCUSSION_PROMPTS}: tick each one as the group uses it (Space)")

    def _count_prompts(self) -> None:
        total = self.prompts.count()
        used = sum(self.prompts.item(row).checkState() == Qt.CheckState.Checked for row in range(total))
        self.pages.setTabText(2, f"Prompts ({used}/{total})")

    # ---- actions --------------------------------------------------------------------------

    def step(self, direction: int) -> None:
        script = self.script
        if script is None or not script.parts:
            return
        here = script.current_part
        target = 0 if here is None else here + direction
        if 0 <= target < len(script.parts) and target != here:
            self.go_to(target)

    def go_to(self, number: int) -> None:
        meeting, script = self.meeting, self.script
        if meeting is None or script is None or number == script.current_part:
            return
        if self._operations.run(lambda session: go_to_part(session, meeting.id, number)) is not REFUSED:
            self.refresh()
            self.part_changed.emit(script.parts[number].kind)

    def _prompt_ticked(self, item: QListWidgetItem) -> None:
        meeting = self.meeting
        if meeting is None:
            return
        number, used = self.prompts.row(item), item.checkState() == Qt.CheckState.Checked
        if self._operations.run(lambda session: mark_prompt(session, meeting.id, number, used)) is REFUSED:
            QTimer.singleShot(0, self.refresh)  # refused: show what is stored, once this signal is over
        self._count_prompts()


def _show_html(browser: QTextBrowser, html: str) -> None:
    """New text only when it changed, so a repaint never scrolls the reader back to the top."""
    if browser.property("html") != html:
        browser.setProperty("html", html)
        browser.setHtml(html)


class _KeepTypingKeys(QObject):
    """Keys typed into the script's lists and pages are theirs (Space ticks a prompt), not the
    share round's single-key shortcuts."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            plain = not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier & ~Qt.KeyboardModifier.KeypadModifier
            if plain and (event.text().strip() or event.key() == Qt.Key.Key_Space):
                event.accept()
                return True
        return False
