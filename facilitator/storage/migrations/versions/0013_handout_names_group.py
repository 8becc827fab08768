"""handout names group

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 02:20:00

A group chooses whether its take-home handouts print its name. Every group, those already kept
too, starts not choosing it: a sheet that goes home with people should not tell whoever finds it
what the group is for, and a facilitator who wants the name back ticks one box.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handout_names_group", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("handout_names_group")
