"""Index of the Vendors that are not approved, for storefront listings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 19:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NOT_APPROVED = sa.text("status <> 'approved'")


def upgrade():
    op.create_index(
        "ix_vendors_not_approved",
        "vendors",
        ["id"],
        postgresql_where=NOT_APPROVED,
        sqlite_where=NOT_APPROVED,
    )


def downgrade():
    op.drop_index("ix_vendors_not_approved", table_name="vendors")
