"""attendance letters

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:35:52
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attendance_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("meetings_attended", sa.Integer(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("signed_by", sa.String(length=200), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_attendance_letters_group_id_groups"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_attendance_letters_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_letters")),
        sa.UniqueConstraint("code", name=op.f("uq_attendance_letters_code")),
    )
    with op.batch_alter_table("attendance_letters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_letters_participant_id"), ["participant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attendance_letters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_letters_participant_id"))

    op.drop_table("attendance_letters")
