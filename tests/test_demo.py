"""The demo data: lived-in, reproducible, and never over real records."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from facilitator.errors import InvalidState
from facilitator.rules.demo import build_demo
from facilitator.rules.groups import create_group, list_groups
from facilitator.rules.meetings import list_meetings
from facilitator.storage.database import Database
from facilitator.storage.models import Attendance, AttendanceStatus, Membership, ShareTurn

TODAY = date(2026, 11, 24)


def _snapshot(db: Database) -> list[tuple[object, ...]]:
    with db.begin() as session:
        return [
            (m.local_date, m.present, m.late, m.excused, m.guests)
            for g in list_groups(session)
            for m in list_meetings(session, g.id)
        ]


def test_same_seed_same_demo(db: Database) -> None:
    with db.begin() as session:
        build_demo(session, years=2, seed=5, today=TODAY)
    first = _snapshot(db)
    with db.begin() as session:
        build_demo(session, years=2, seed=5, today=TODAY)
    assert _snapshot(db) == first
    with db.begin() as session:
        build_demo(session, years=2, seed=6, today=TODAY)
    assert _snapshot(db) != first


def test_the_demo_looks_like_real_groups(db: Database) -> None:
    with db.begin() as session:
        summary = build_demo(session, years=1, seed=1, today=TODAY)
        groups = list_groups(session)
        statuses = dict(session.execute(select(Attendance.status, func.count()).group_by(Attendance.status)).all())
        people_in_two_groups = session.scalar(
            select(func.count()).select_from(
                select(Membership.participant_id)
                .group_by(Membership.participant_id)
                .having(func.count() > 1)
                .subquery()
            )
        )
        turns = session.execute(select(func.count()).select_from(ShareTurn)).scalar_one()
        passes = session.execute(select(func.count()).select_from(ShareTurn).where(ShareTurn.passed)).scalar_one()
    assert (summary.groups, summary.participants) == (3, 40)
    assert len(groups) == 3 and all(g.meeting_count in (52, 53) for g in groups)
    assert "Meets Tuesdays at 19:00 · St Anne's Hall, back room" in {g.usual_meeting for g in groups}
    assert summary.meetings == sum(g.meeting_count for g in groups)
    assert statuses[AttendanceStatus.PRESENT] > statuses[AttendanceStatus.LATE] > 0
    assert statuses[AttendanceStatus.EXCUSED] > 0
    assert people_in_two_groups == 4
    assert turns == summary.share_turns and 0 < passes < turns / 5
    assert any("é" in name or "ë" in name for name in _names(db))


def _names(db: Database) -> list[str]:
    from facilitator.storage.models import Participant

    with db.begin() as session:
        return list(session.scalars(select(Participant.display_name)))


def test_the_demo_never_replaces_real_groups_unasked(db: Database) -> None:
    with db.begin() as session:
        create_group(session, "Our Real Group")
    with pytest.raises(InvalidState, match="real records"), db.begin() as session:
        build_demo(session, today=TODAY)
    with db.begin() as session:
        assert [g.name for g in list_groups(session)] == ["Our Real Group"]
