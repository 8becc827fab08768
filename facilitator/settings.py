"""Preferences kept with the data (so they travel with a backup), with their defaults and limits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from facilitator.errors import InvalidInput
from facilitator.models import Setting

REACH_OUT_WEEKS = "reach_out.weeks"
REACH_OUT_DEFAULT = 4
REACH_OUT_RANGE = range(1, 53)


def reach_out_weeks(session: Session) -> int:
    """After how many weeks without being seen a member appears on the gentle "reach out" list."""
    stored = session.get(Setting, REACH_OUT_WEEKS)
    return int(stored.value) if stored is not None and stored.value.isdigit() else REACH_OUT_DEFAULT


def set_reach_out_weeks(session: Session, weeks: int) -> int:
    if weeks not in REACH_OUT_RANGE:
        raise InvalidInput(f"{weeks} weeks is outside {REACH_OUT_RANGE.start}–{REACH_OUT_RANGE.stop - 1}.")
    session.merge(Setting(key=REACH_OUT_WEEKS, value=str(weeks)))
    session.flush()
    return weeks
