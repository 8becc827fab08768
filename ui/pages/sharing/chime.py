"""The soft chime at the warning and at time. Without sound (no audio device, or Qt
Multimedia missing), the round runs silently and says so once; it never fails because of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl

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
