"""participant ids never reused

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 08:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite's AUTOINCREMENT can only be given when a table is made, so the table is rebuilt.
    # Other databases use sequences, which never hand out an id twice anyway.
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "participants", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ) as batch_op:
            batch_op.alter_column("display_name", existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "participants", recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ) as batch_op:
            batch_op.alter_column("display_name", existing_nullable=False)
