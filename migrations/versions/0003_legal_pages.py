"""Legal pages and the hub's details, as Admins edit them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 09:10:12

"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hub_details',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_hub_details_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_details'))
    )
    op.create_table('legal_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('terms_of_sale', 'legal_notice', 'privacy', 'withdrawal', 'contact', name='pagekind', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('title_fr', sa.String(length=160), nullable=False),
    sa.Column('body_fr', sa.Text(), nullable=False),
    sa.Column('title_en', sa.String(length=160), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_legal_pages_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_pages')),
    sa.UniqueConstraint('kind', name=op.f('uq_legal_pages_kind'))
    )


def downgrade():
    op.drop_table('legal_pages')
    op.drop_table('hub_details')
