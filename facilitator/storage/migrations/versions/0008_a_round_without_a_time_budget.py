"""a round without a time budget

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 09:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A round with no time given for it is stored as NULL, not as a 1-second budget.
    with op.batch_alter_table("share_rounds", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_share_rounds_budget_positive"), type_="check")
        batch_op.alter_column("budget_seconds", existing_type=sa.Integer(), nullable=True)
    op.execute("UPDATE share_rounds SET budget_seconds = NULL WHERE budget_seconds <= 1")


def downgrade() -> None:
    op.execute("UPDATE share_rounds SET budget_seconds = 1 WHERE budget_seconds IS NULL")
    with op.batch_alter_table("share_rounds", schema=None) as batch_op:
        batch_op.alter_column("budget_seconds", existing_type=sa.Integer(), nullable=False)
        batch_op.create_check_constraint("budget_positive", "budget_seconds > 0")
