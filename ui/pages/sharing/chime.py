"""The soft chime at the warning and at time. Without sound (no audio device, or Qt
Multimedia missing), the round runs silently and says so once; it never fails because of it.
Qt Multimedia's chatter while it loads (each sound library it looked for and did not find) is
kept off the facilitator's terminal: what matters of it reaches them as that one message."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QMessageLogContext, QObject, QtMsgType, QUrl, qInstallMessageHandler

import resources

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

SOUNDS = {"warning": "warning.wav", "time": "time.wav"}


class Chime(QObject):
    def __init__(self, report: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._report = report
        self._reported = False
        self._effects: dict[str, QSoundEffect] = {}
        self.volume = 0.6
        self.muted = False
        with qt_messages_held():
            self._load()

    def _load(self) -> None:
        try:
            # Imported only when a round needs it: Qt Multimedia is large and slow to load.
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except (ImportError, OSError) as exc:
            self._unavailable(f"Chimes are off: sound is not available here ({exc}).")
            return
        if not QMediaDevices.audioOutputs():
            self._unavailable("Chimes are off: this computer has no sound output.")
            return
        for kind, name in SOUNDS.items():
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(resources.path("sounds", name))))
            self._effects[kind] = effect

    @property
    def available(self) -> bool:
        return bool(self._effects)

    def play(self, kind: str) -> None:
        if self.muted or not self._effects:
            return
        effect = self._effects[kind]
        effect.setVolume(self.volume)
        effect.play()

    def _unavailable(self, message: str) -> None:
        if not self._reported:
            self._reported = True
            self._report(message)


@contextmanager
def qt_messages_held() -> Iterator[list[str]]:
    """Qt's log messages kept (and returned) instead of printed, for the span of the block; the
    handler before it is put back after."""
    held: list[str] = []

    def hold(_kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        held.append(message)

    previous = qInstallMessageHandler(hold)
    try:
        yield held
    finally:
        qInstallMessageHandler(previous)
