"""Meetings' moments read on the clock each was held by, for summaries that keep only a moment
(a group's last meeting, when someone was last seen)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, ScalarSelect, select

from facilitator.storage.models import Meeting


def offset_of_latest(*conditions: ColumnElement[bool]) -> ScalarSelect[int]:
    """The UTC offset the latest meeting meeting `conditions` was held by: selected beside the
    latest start (`max(started_at)` under the same conditions), it reads that start where it was held."""
    return (
        select(Meeting.utc_offset_minutes)
        .where(*conditions)
        .order_by(Meeting.started_at.desc(), Meeting.id.desc())
        .limit(1)
        .scalar_subquery()
    )
