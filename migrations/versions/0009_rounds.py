"""Rounds and pickup run for real: recurring plans, cut-off status, stop outcomes, hub staff.

Revision ID: 0009_rounds
Revises: 0004
Create Date: 2026-12-05 12:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0009_rounds'
down_revision = '0004'
branch_labels = None
depends_on = None

RUN_STATUS = "status IN ('open', 'closed', 'cancelled')"


def upgrade():
    op.create_table('pickup_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('fee_cents', sa.Integer(), nullable=False),
    sa.Column('cutoff_hours_before', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_pickup_plans_capacity_non_negative')),
    sa.CheckConstraint('fee_cents >= 0', name=op.f('ck_pickup_plans_fee_non_negative')),
    sa.CheckConstraint('end_time > start_time', name=op.f('ck_pickup_plans_ends_after_start')),
    sa.CheckConstraint('cutoff_hours_before >= 0', name=op.f('ck_pickup_plans_cutoff_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pickup_plans'))
    )
    op.create_table('round_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('departure_time', sa.Time(), nullable=False),
    sa.Column('cutoff_days_before', sa.Integer(), nullable=False),
    sa.Column('cutoff_time', sa.Time(), nullable=False),
    sa.Column('capacity_stops', sa.Integer(), nullable=False),
    sa.Column('capacity_grams', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('cutoff_days_before >= 0', name=op.f('ck_round_plans_cutoff_non_negative')),
    sa.CheckConstraint('capacity_stops >= 0 AND capacity_grams >= 0', name=op.f('ck_round_plans_capacity_non_negative')),
    sa.ForeignKeyConstraint(['zone_id'], ['delivery_zones.id'], name=op.f('fk_round_plans_zone_id_delivery_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_plans'))
    )
    op.create_index(op.f('ix_round_plans_zone_id'), 'round_plans', ['zone_id'], unique=False)

    with op.batch_alter_table('pickup_slots') as batch:
        batch.add_column(sa.Column('cutoff_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('plan_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('status', sa.String(length=20), nullable=False, server_default='open'))
        batch.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE pickup_slots SET cutoff_at = starts_at")
    with op.batch_alter_table('pickup_slots') as batch:
        batch.alter_column('cutoff_at', nullable=False)
        batch.alter_column('status', server_default=None)
        batch.create_foreign_key(op.f('fk_pickup_slots_plan_id_pickup_plans'), 'pickup_plans', ['plan_id'], ['id'])
        batch.create_unique_constraint(op.f('uq_pickup_slots_plan_id'), ['plan_id', 'starts_at'])
        batch.create_check_constraint(op.f('ck_pickup_slots_cutoff_before_start'), 'cutoff_at <= starts_at')
        batch.create_check_constraint(op.f('ck_pickup_slots_status'), RUN_STATUS)

    with op.batch_alter_table('delivery_zones') as batch:
        batch.add_column(sa.Column('free_threshold_cents', sa.Integer(), nullable=True))
        batch.create_check_constraint(op.f('ck_delivery_zones_free_threshold_non_negative'), 'free_threshold_cents >= 0')

    with op.batch_alter_table('delivery_rounds') as batch:
        batch.add_column(sa.Column('departure_time', sa.Time(), nullable=True))
        batch.add_column(sa.Column('plan_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('status', sa.String(length=20), nullable=False, server_default='open'))
        batch.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('delivery_rounds') as batch:
        batch.alter_column('status', server_default=None)
        batch.create_foreign_key(op.f('fk_delivery_rounds_plan_id_round_plans'), 'round_plans', ['plan_id'], ['id'])
        batch.create_unique_constraint(op.f('uq_delivery_rounds_plan_id'), ['plan_id', 'delivery_date'])
        batch.create_check_constraint(op.f('ck_delivery_rounds_status'), RUN_STATUS)

    with op.batch_alter_table('round_stops') as batch:
        batch.add_column(sa.Column('status', sa.String(length=20), nullable=False, server_default='pending'))
        batch.add_column(sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('failure_reason', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('round_stops') as batch:
        batch.alter_column('status', server_default=None)
        batch.alter_column('failure_reason', server_default=None)
        batch.create_check_constraint(op.f('ck_round_stops_status'), "status IN ('pending', 'delivered', 'failed')")

    with op.batch_alter_table('users') as batch:
        batch.drop_constraint(op.f('ck_users_role'), type_='check')
        batch.create_check_constraint(op.f('ck_users_role'), "role IN ('customer', 'vendor', 'admin', 'hub_staff')")


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint(op.f('ck_users_role'), type_='check')
        batch.create_check_constraint(op.f('ck_users_role'), "role IN ('customer', 'vendor', 'admin')")
    with op.batch_alter_table('round_stops') as batch:
        batch.drop_constraint(op.f('ck_round_stops_status'), type_='check')
        batch.drop_column('failure_reason')
        batch.drop_column('failed_at')
        batch.drop_column('status')
    with op.batch_alter_table('delivery_rounds') as batch:
        batch.drop_constraint(op.f('ck_delivery_rounds_status'), type_='check')
        batch.drop_constraint(op.f('uq_delivery_rounds_plan_id'), type_='unique')
        batch.drop_constraint(op.f('fk_delivery_rounds_plan_id_round_plans'), type_='foreignkey')
        batch.drop_column('closed_at')
        batch.drop_column('status')
        batch.drop_column('plan_id')
        batch.drop_column('departure_time')
    with op.batch_alter_table('delivery_zones') as batch:
        batch.drop_constraint(op.f('ck_delivery_zones_free_threshold_non_negative'), type_='check')
        batch.drop_column('free_threshold_cents')
    with op.batch_alter_table('pickup_slots') as batch:
        batch.drop_constraint(op.f('ck_pickup_slots_status'), type_='check')
        batch.drop_constraint(op.f('ck_pickup_slots_cutoff_before_start'), type_='check')
        batch.drop_constraint(op.f('uq_pickup_slots_plan_id'), type_='unique')
        batch.drop_constraint(op.f('fk_pickup_slots_plan_id_pickup_plans'), type_='foreignkey')
        batch.drop_column('closed_at')
        batch.drop_column('status')
        batch.drop_column('plan_id')
        batch.drop_column('cutoff_at')
    op.drop_index(op.f('ix_round_plans_zone_id'), table_name='round_plans')
    op.drop_table('round_plans')
    op.drop_table('pickup_plans')
