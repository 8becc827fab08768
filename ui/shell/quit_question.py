"""The question before quitting mid-meeting or mid-round.

Quitting anyway loses nothing: every check-in is committed, and the meeting and its round are
offered to resume at the next start. The question is there for the facilitator who pressed Quit
meaning something else, with the room still talking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from facilitator.plurals import plural
from ui.common.plain import confirm

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.operations.runner import Operations
    from ui.pages.sharing.share_round_panel import QtShareRoundPanel


def may_quit(parent: QWidget, operations: Operations, sharing: QtShareRoundPanel | None) -> bool:
    """True to quit: at once with no meeting open, else once the facilitator says so. `sharing`
    is the Sharing page, if it was ever built (a round runs only there)."""
    from facilitator.rules.meetings import open_meetings
    from facilitator.rules.share_round.machine import RoundState

    left_open = operations.run(open_meetings)
    if not left_open:  # none, or the records could not be read (the user was told)
        return True
    round_ = sharing.round if sharing is not None else None
    if sharing and sharing.meeting and round_ and round_.state in (RoundState.RUNNING, RoundState.PAUSED):
        what = f"The sharing round of {sharing.meeting.group_name} is under way."
        kept = "the round resumes where it stopped"
    else:
        names = " and ".join(meeting.group_name for meeting in left_open)
        what = f"The {plural(len(left_open), 'meeting')} of {names} {plural(len(left_open), 'is', 'are')} still open."
        kept = "the meeting is offered to resume"
    return confirm(
        parent,
        "Quit Facilitator",
        f"{what} Quit anyway?\n\nEverything recorded is kept; {kept} when Facilitator starts again.",
        "Quit",
        "Keep Working",
    )
