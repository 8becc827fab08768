"""letter legal name and reference

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 02:00:00

An attendance letter may name the person as a court or programme knows them and carry its
reference or case number; both are kept with the letter's record only. Letters already issued
had neither: they keep an empty one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendance_letters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("legal_name", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("reference", sa.String(length=100), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("attendance_letters", schema=None) as batch_op:
        batch_op.drop_column("reference")
        batch_op.drop_column("legal_name")
