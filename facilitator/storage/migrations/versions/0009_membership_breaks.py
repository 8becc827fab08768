"""membership breaks

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "membership_breaks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=False),
        sa.Column("rejoined_on", sa.Date(), nullable=False),
        sa.CheckConstraint("rejoined_on > left_on", name=op.f("ck_membership_breaks_not_empty")),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_membership_breaks_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_breaks")),
    )
    with op.batch_alter_table("membership_breaks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_breaks_membership_id"), ["membership_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("membership_breaks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_breaks_membership_id"))

    op.drop_table("membership_breaks")
