"""knowledge base: stable entity keys, entity origin, alias status; app_state table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entity") as batch:
        batch.add_column(sa.Column("key", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("origin", sa.String(length=40), nullable=False,
                                   server_default="starter"))
        batch.create_unique_constraint("uq_entity_key", ["key"])
    with op.batch_alter_table("alias") as batch:
        batch.add_column(sa.Column("status", sa.String(length=20), nullable=False,
                                   server_default="accepted"))
    op.create_table(
        "app_state",
        sa.Column("key", sa.String(length=100), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("app_state")
    with op.batch_alter_table("alias") as batch:
        batch.drop_column("status")
    with op.batch_alter_table("entity") as batch:
        batch.drop_constraint("uq_entity_key", type_="unique")
        batch.drop_column("origin")
        batch.drop_column("key")
