"""group name display and meeting corrections

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 07:00:31
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "name_display",
                sa.Enum(
                    "full",
                    "first_initial",
                    "initials",
                    name="name_display",
                    native_enum=False,
                    create_constraint=True,
                    length=16,
                ),
                server_default="full",
                nullable=False,
            )
        )

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("edited_at")

    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("name_display")
