"""The look of the window: one style sheet, and font sizes for text that wraps.

Word-wrapping labels get their font in code, not in the style sheet: Qt measures their height
before the style sheet's font applies, which clips the last line.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

STYLE_SHEET = """
#pageTitle { font-size: 22pt; font-weight: 600; }
#sectionTitle { font-size: 12pt; font-weight: 600; }
#figureTile { background: palette(base); border: 1px solid palette(mid); border-radius: 8px; }
#figureValue { font-size: 18pt; font-weight: 600; }
#figureCaption { font-size: 9pt; }
#archivedBanner { background: #fff4d6; border: 1px solid #e0c27a; border-radius: 6px; color: #4a3b10; }
#lastTimeNotes { background: #eaf2fb; border: 1px solid #9dbbdc; border-radius: 6px; color: #1d3550; }
#dialogError { color: #a23b2a; }
#primaryButton { padding: 8px 18px; font-size: 11pt; }
#groupList { font-size: 11pt; }
#groupList::item { padding: 7px 8px; }
#roundTime { font-size: 44pt; font-weight: 600; }
#roundQueue, #roundSummary { font-size: 11pt; }
#roundQueue::item, #roundSummary::item { padding: 4px 6px; }
#scriptParts::item { padding: 3px 4px; }
#scriptPrompts::item { padding: 5px 4px; }
"""

SUBTITLE_POINTS = 12
NOTE_POINTS = 9


def set_points(widget: QWidget, points: float, *, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setPointSizeF(points)
    font.setBold(bold)
    widget.setFont(font)
