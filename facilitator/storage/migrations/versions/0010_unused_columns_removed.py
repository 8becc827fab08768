"""unused columns removed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 14:04:05

No version of the program set `participants.archived_at`, and nothing read `meetings.place` or
`meetings.facilitator_name` (the group keeps its usual place; letters keep their signer).
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    _archived_people_leave_their_groups(connection)
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("facilitator_name")
        batch_op.drop_column("place")

    sqlite = connection.dialect.name == "sqlite"
    # The rebuilt table must keep AUTOINCREMENT and its high-water mark, so no id is ever reused.
    last_id = _sqlite_sequence(connection) if sqlite else None
    with op.batch_alter_table(
        "participants", schema=None, table_kwargs={"sqlite_autoincrement": True} if sqlite else {}
    ) as batch_op:
        batch_op.drop_column("archived_at")
    if last_id is not None:
        connection.execute(
            sa.text("UPDATE sqlite_sequence SET seq = max(seq, :last) WHERE name = 'participants'"), {"last": last_id}
        )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table(
        "participants", schema=None, table_kwargs={"sqlite_autoincrement": True} if sqlite else {}
    ) as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("facilitator_name", sa.String(length=80), nullable=False, server_default=""))


def _archived_people_leave_their_groups(connection: sa.Connection) -> None:
    """Someone archived by hand in the file was kept off every roster; they now leave their groups
    on that day instead, so they stay off the rosters (and are listed with those who left)."""
    participants = sa.table("participants", sa.column("id", sa.Integer()), sa.column("archived_at", sa.DateTime()))
    memberships = sa.table(
        "memberships",
        sa.column("id", sa.Integer()),
        sa.column("participant_id", sa.Integer()),
        sa.column("joined_on", sa.Date()),
        sa.column("left_on", sa.Date()),
    )
    archived = connection.execute(
        sa.select(participants.c.id, participants.c.archived_at).where(participants.c.archived_at.is_not(None))
    ).all()
    for participant_id, archived_at in archived:
        day = _utc(archived_at).date()
        still_member = connection.execute(
            sa.select(memberships.c.id, memberships.c.joined_on).where(
                memberships.c.participant_id == participant_id, memberships.c.left_on.is_(None)
            )
        ).all()
        for membership_id, joined_on in still_member:
            connection.execute(
                memberships.update().where(memberships.c.id == membership_id).values(left_on=max(day, joined_on))
            )


def _utc(moment: datetime) -> datetime:
    # SQLite hands back the naive UTC it stores; PostgreSQL an aware moment.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _sqlite_sequence(connection: sa.Connection) -> int | None:
    return connection.execute(sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'participants'")).scalar()
