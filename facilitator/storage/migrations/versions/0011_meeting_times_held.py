"""meeting times as held

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 17:00:00

A meeting keeps the offset from UTC of the clock it was held by, so that it prints at the hour it
was held wherever and whenever the records are read. Meetings already recorded were shown in this
computer's zone, so they keep the offset this computer's zone had at each one's start: they print
as they always did, and stop moving if the computer's zone changes later.

A meeting's end is never before its start. A close made under a clock set earlier than the
meeting's start stored an end before it; such an end is moved to the start.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

meetings = sa.table(
    "meetings",
    sa.column("id", sa.Integer()),
    sa.column("started_at", sa.DateTime()),
    sa.column("ended_at", sa.DateTime()),
    sa.column("utc_offset_minutes", sa.Integer()),
)


def upgrade() -> None:
    connection = op.get_bind()
    connection.execute(
        meetings.update().where(meetings.c.ended_at < meetings.c.started_at).values(ended_at=meetings.c.started_at)
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("utc_offset_minutes", sa.Integer(), nullable=True))
    _offsets_of_this_computers_zone(connection)
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.alter_column("utc_offset_minutes", existing_type=sa.Integer(), nullable=False)
        batch_op.create_check_constraint(
            op.f("ck_meetings_ends_after_start"), "ended_at IS NULL OR ended_at >= started_at"
        )


def downgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_meetings_ends_after_start"), type_="check")
        batch_op.drop_column("utc_offset_minutes")


def _offsets_of_this_computers_zone(connection: sa.Connection) -> None:
    rows = connection.execute(sa.select(meetings.c.id, meetings.c.started_at)).all()
    if rows:
        connection.execute(
            meetings.update().where(meetings.c.id == sa.bindparam("meeting")),
            [{"meeting": meeting_id, "utc_offset_minutes": _local_offset(started)} for meeting_id, started in rows],
        )


def _local_offset(moment: datetime) -> int:
    # SQLite hands back the naive UTC it stores; PostgreSQL an aware moment.
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    offset = aware.astimezone().utcoffset()
    assert offset is not None  # a local time always has one
    return int(offset.total_seconds() // 60)
