"""meeting format and script marks

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 09:17:42
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "script_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("part", "prompt", name="script_mark_kind", native_enum=False, create_constraint=True, length=16),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("number >= 0", name=op.f("ck_script_marks_number_not_negative")),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_script_marks_meeting_id_meetings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_script_marks")),
    )
    with op.batch_alter_table("script_marks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_script_marks_meeting_id"), ["meeting_id"], unique=False)

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("format_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_meetings_format_id_topic_guides"), "topic_guides", ["format_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_meetings_format_id_topic_guides"), type_="foreignkey")
        batch_op.drop_column("format_id")

    with op.batch_alter_table("script_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_script_marks_meeting_id"))

    op.drop_table("script_marks")
