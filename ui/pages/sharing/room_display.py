"""The room display: the share timer the whole room can see, on any screen or in a window.

It only paints what the round says at that moment; the round and its clock live in the core,
so this window and the facilitator's panel can never disagree.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QScreen,
)
from PySide6.QtWidgets import QWidget

from facilitator.rules.share_round.machine import RoundState, ShareRound, TurnPhase, TurnTiming
from facilitator.text import NameDisplay, shown_name
from ui.actions import RoomDisplayKey, first_key

# Okabe–Ito colours, told apart with any common colour blindness; words always say it too.
BACKGROUND = {
    TurnPhase.CALM: QColor("#0b5d73"),
    TurnPhase.WARNING: QColor("#8a5a00"),
    TurnPhase.TIME: QColor("#7a3b69"),
    TurnPhase.OVERTIME: QColor("#4d3a5c"),
}
NEUTRAL = QColor("#2b2f33")
TEXT = QColor("#ffffff")
FRAME_ALLOWANCE = 12  # pixels: the side borders a window manager may draw round a window
BEFORE_ROUND = "Sharing will begin soon"
AFTER_MEETING = "Thank you for coming"


def clock_text(seconds: float) -> str:
    """Minutes and seconds, rounded up while counting down so 0:00 means the time is up."""
    whole = int(-(-seconds // 1)) if seconds > 0 else int(-seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def phase_words(timing: TurnTiming) -> str:
    """The same news as the colour, in words, calm even when the turn runs over."""
    if timing.phase is TurnPhase.CALM:
        return ""
    if timing.phase is TurnPhase.WARNING:
        minutes = int(-(-timing.remaining // 60))
        return "1 minute left" if minutes <= 1 else f"{minutes} minutes left"
    if timing.phase is TurnPhase.TIME:
        return "Time"
    return f"Time · over by {clock_text(-timing.remaining)}"


class QtRoomDisplay(QWidget):
    """Big, calm and readable from the back of the room. F11 fills the screen; Esc leaves it."""

    closed = Signal()

    def __init__(self, round_: ShareRound, name_display: NameDisplay, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("roomDisplay")
        self.setWindowTitle("Room Display")
        # The facilitator's window keeps the keyboard when the display opens: the round's keys
        # must go on working while the room watches. Clicked, the display answers them too.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.round = round_
        self.name_display = name_display
        self.gentle = False
        self.blank = False
        self.hide_names = False  # just "Sharing now", for groups that want no names on the wall
        self.between_turns = BEFORE_ROUND  # the words while nobody is sharing: the meeting's moment
        self.resize(960, 600)
        self.setMinimumSize(320, 200)

    # ---- what is shown, as words (also for tests and screen readers) -------------------------

    def headline(self) -> str:
        if self.blank:
            return ""
        current = self.round.current
        if self.round.state is RoundState.FINISHED:
            return "Thank you, everyone"
        if current is None:
            return self.between_turns
        return "Sharing now" if self.hide_names else shown_name(current.display_name, self.name_display)

    def figure(self) -> str:
        timing = self.round.timing()
        if self.blank or timing is None or self.gentle:
            return ""
        return clock_text(timing.remaining) if timing.remaining > 0 else f"+{clock_text(-timing.remaining)}"

    def status(self) -> str:
        timing = self.round.timing()
        if self.blank or timing is None:
            return ""
        words = phase_words(timing)
        if self.round.state is RoundState.PAUSED:
            words = "Paused" + (f" · {words}" if words else "")
        return words

    def footer(self) -> str:
        nxt = self.round.up_next
        if self.blank or self.hide_names or nxt is None or self.round.state is RoundState.FINISHED:
            return ""
        return f"Next: {shown_name(nxt.display_name, self.name_display)}"

    def phase(self) -> TurnPhase | None:
        timing = self.round.timing()
        return None if self.blank or timing is None else timing.phase

    # ---- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        phase = self.phase()
        painter.fillRect(self.rect(), BACKGROUND[phase] if phase else NEUTRAL)
        if self.blank:
            painter.end()
            return
        width, height = self.width(), self.height()
        painter.setPen(TEXT)
        timing = self.round.timing()
        if timing is None:  # words alone ("Thank you for coming"), in the middle of the screen
            self._text(painter, QRectF(0, 0, width, height), self.headline(), height * 0.09, bold=True)
            painter.end()
            return
        self._text(painter, QRectF(0, height * 0.05, width, height * 0.16), self.headline(), height * 0.09, bold=True)
        middle = QRectF(0, height * 0.22, width, height * 0.5)
        if self.gentle:
            self._ring(painter, middle, timing)
        else:
            self._text(painter, middle, self.figure(), height * 0.36, bold=True)
        self._text(painter, QRectF(0, height * 0.72, width, height * 0.1), self.status(), height * 0.06)
        self._text(painter, QRectF(0, height * 0.84, width, height * 0.1), self.footer(), height * 0.045)
        if phase in (TurnPhase.TIME, TurnPhase.OVERTIME):
            # A frame, so that "time" reads without the colour too.
            pen = QPen(TEXT)
            pen.setWidthF(max(4.0, height * 0.012))
            painter.setPen(pen)
            painter.drawRect(QRectF(pen.widthF(), pen.widthF(), width - 2 * pen.widthF(), height - 2 * pen.widthF()))
        painter.end()

    def _text(self, painter: QPainter, box: QRectF, text: str, pixels: float, *, bold: bool = False) -> None:
        if not text:
            return
        font = QFont(self.font())
        font.setPixelSize(max(8, int(pixels)))
        font.setBold(bold)
        # Shrink a long name until it fits the width.
        while font.pixelSize() > 8 and QFontMetrics(font).horizontalAdvance(text) > box.width() * 0.94:
            font.setPixelSize(int(font.pixelSize() * 0.9))
        painter.setFont(font)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextSingleLine, text)

    def _ring(self, painter: QPainter, box: QRectF, timing: TurnTiming) -> None:
        side = min(box.width(), box.height()) * 0.9
        ring = QRectF(box.center().x() - side / 2, box.center().y() - side / 2, side, side)
        pen = QPen(QColor(255, 255, 255, 70))
        pen.setWidthF(side * 0.1)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.drawEllipse(ring)
        pen.setColor(TEXT)
        painter.setPen(pen)
        painter.drawArc(ring, 90 * 16, int(-360 * 16 * timing.fraction))

    # ---- keys ------------------------------------------------------------------------------

    def show_on(self, screen: QScreen, beside: QRect | None = None) -> None:
        """Fill `screen` if it is not the facilitator's own; otherwise a window on it, clear of
        the facilitator's window (`beside`) where the screen has room."""
        parent = self.parentWidget()
        own = QGuiApplication.primaryScreen() if parent is None else parent.screen()
        self.setScreen(screen)
        self._keep_above_the_facilitators(screen is own)
        if screen is not own:
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self._in_a_corner(screen, beside)
            self.showNormal()
        self.raise_()

    def screen_removed(self, screen: QScreen) -> None:
        """A projector was unplugged: come back as a window on the main screen, never crash."""
        if self.screen() is screen or self.screen() is None:
            self.showNormal()
            primary = QGuiApplication.primaryScreen()
            self.setScreen(primary)
            self._keep_above_the_facilitators(True)
            self._in_a_corner(primary, None)
            self.show()

    def _keep_above_the_facilitators(self, on: bool) -> None:
        """On the facilitator's own screen the display is a small window over theirs: kept above
        it, or the first dialog they open (or a click on their window) buries it for the evening."""
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on)  # this hides a showing window: shown again

    def _in_a_corner(self, screen: QScreen, beside: QRect | None) -> None:
        """On the facilitator's own screen, a window a quarter of it in size, to the right of their
        window if there is room, else in the screen's top right corner: the round's name, time,
        buttons and queue stay in sight (F11 fills the screen when the room must see it; Esc
        comes back)."""
        room = screen.availableGeometry()
        # Before its first showing, the window manager's border is not known yet: room for one.
        border = max(FRAME_ALLOWANCE, self.frameGeometry().width() - self.width())
        width, height = max(self.minimumWidth(), room.width() // 4), max(self.minimumHeight(), room.height() // 4)
        space = room.right() - beside.right() - border if beside is not None else 0
        if space >= self.minimumWidth():
            width = min(width, space)
        self.resize(width, height)
        self.move(room.right() + 1 - width - border, room.top())

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.keyCombination() == first_key(RoomDisplayKey.LEAVE_FULL_SCREEN)
            and self.isFullScreen()
        ):
            event.accept()  # Esc leaves full screen first; the round's Esc (pause) waits for the next one
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.keyCombination() == first_key(RoomDisplayKey.FULL_SCREEN):
            self.showNormal() if self.isFullScreen() else self.showFullScreen()
        elif event.keyCombination() == first_key(RoomDisplayKey.LEAVE_FULL_SCREEN) and self.isFullScreen():
            self.showNormal()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
