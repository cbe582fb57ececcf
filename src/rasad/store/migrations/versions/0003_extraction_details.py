"""extraction details: alias matching flags, mention canonical/role, threat mode and parties,
relation offsets, statement speaker as written

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alias") as batch:
        batch.add_column(sa.Column("in_text", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("ambiguous", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("mention") as batch:
        batch.add_column(sa.Column("canonical", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("role", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("statement") as batch:
        batch.add_column(sa.Column("speaker_name", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("threat") as batch:
        batch.add_column(sa.Column("mode", sa.String(length=20), nullable=False, server_default="report"))
        batch.add_column(sa.Column("negated", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("actor", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("target", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("relation") as batch:
        batch.add_column(sa.Column("start", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("end", sa.Integer(), nullable=True))
    op.create_index("ix_statement_date_said", "statement", ["date_said"])
    op.create_index("ix_relation_type", "relation", ["type"])


def downgrade() -> None:
    op.drop_index("ix_relation_type", "relation")
    op.drop_index("ix_statement_date_said", "statement")
    with op.batch_alter_table("relation") as batch:
        batch.drop_column("end")
        batch.drop_column("start")
    with op.batch_alter_table("threat") as batch:
        for name in ("target", "actor", "negated", "mode"):
            batch.drop_column(name)
    with op.batch_alter_table("statement") as batch:
        batch.drop_column("speaker_name")
    with op.batch_alter_table("mention") as batch:
        batch.drop_column("role")
        batch.drop_column("canonical")
    with op.batch_alter_table("alias") as batch:
        batch.drop_column("ambiguous")
        batch.drop_column("in_text")
