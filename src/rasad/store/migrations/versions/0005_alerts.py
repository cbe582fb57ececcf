"""alerts: "only newer" flag and unique names on saved_search; leases and indexes on delivery

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("saved_search") as batch:
        batch.add_column(sa.Column("new_only", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                                   server_default=sa.func.current_timestamp()))
        batch.create_unique_constraint("uq_saved_search_user_name", ["user_id", "name"])
    with op.batch_alter_table("delivery") as batch:
        batch.add_column(sa.Column("lease_owner", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_delivery_due", ["status", "next_attempt_at"], unique=False)
        batch.create_index("ix_delivery_document_id", ["document_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("delivery") as batch:
        batch.drop_index("ix_delivery_document_id")
        batch.drop_index("ix_delivery_due")
        batch.drop_column("lease_until")
        batch.drop_column("lease_owner")
    with op.batch_alter_table("saved_search") as batch:
        batch.drop_constraint("uq_saved_search_user_name", type_="unique")
        batch.drop_column("updated_at")
        batch.drop_column("new_only")
