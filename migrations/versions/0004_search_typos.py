"""Trigram similarity and edit distance on PostgreSQL, for the search's "Did you mean".

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 12:50:00

"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP EXTENSION IF EXISTS fuzzystrmatch")
        op.execute("DROP EXTENSION IF EXISTS pg_trgm")
