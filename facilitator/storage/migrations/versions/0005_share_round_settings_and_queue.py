"""share round settings and queue

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 09:11:15
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "share_rounds",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("share_seconds", sa.Integer(), nullable=False),
        sa.Column("warning_seconds", sa.Integer(), nullable=False),
        sa.Column("budget_seconds", sa.Integer(), nullable=False),
        sa.Column("waiting", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("budget_seconds > 0", name=op.f("ck_share_rounds_budget_positive")),
        sa.CheckConstraint("share_seconds > 0", name=op.f("ck_share_rounds_share_positive")),
        sa.CheckConstraint("warning_seconds >= 0", name=op.f("ck_share_rounds_warning_not_negative")),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_share_rounds_meeting_id_meetings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_share_rounds")),
    )


def downgrade() -> None:
    op.drop_table("share_rounds")
