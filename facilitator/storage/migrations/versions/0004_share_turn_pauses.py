"""share turn pauses and added time

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 08:15:17
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("share_turns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("paused_seconds", sa.Double(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("extra_seconds", sa.Double(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("share_turns", schema=None) as batch_op:
        batch_op.drop_column("extra_seconds")
        batch_op.drop_column("paused_seconds")
        batch_op.drop_column("paused_at")
