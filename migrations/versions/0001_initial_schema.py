"""Initial schema of Les Ateliers marketplace, with the PostgreSQL search configuration.

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 17:28:10.586444

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from marketplace.schema import install_database_extras

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('default_vat_rate_bps', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], name=op.f('fk_categories_parent_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('slug', name=op.f('uq_categories_slug'))
    )
    op.create_table('delivery_zones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('postcodes', sa.JSON(), nullable=False),
    sa.Column('fee_cents', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('fee_cents >= 0', name=op.f('ck_delivery_zones_fee_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_zones')),
    sa.UniqueConstraint('name', name=op.f('uq_delivery_zones_name'))
    )
    op.create_table('dev_connected_accounts',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('details_submitted', sa.Boolean(), nullable=False),
    sa.Column('payouts_enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dev_connected_accounts')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_dev_connected_accounts_idempotency_key'))
    )
    op.create_table('dev_payment_intents',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('client_secret', sa.String(length=120), nullable=False),
    sa.Column('order_number', sa.String(length=40), nullable=False),
    sa.Column('transfer_group', sa.String(length=40), nullable=False),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('failure_message', sa.Text(), nullable=False),
    sa.Column('charge_ref', sa.String(length=40), nullable=True),
    sa.Column('amount_refunded_cents', sa.Integer(), nullable=False),
    sa.Column('card_last4', sa.String(length=4), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_dev_payment_intents_amount_positive')),
    sa.CheckConstraint('amount_refunded_cents >= 0 AND amount_refunded_cents <= amount_cents', name=op.f('ck_dev_payment_intents_refund_within_amount')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dev_payment_intents')),
    sa.UniqueConstraint('charge_ref', name=op.f('uq_dev_payment_intents_charge_ref')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_dev_payment_intents_idempotency_key'))
    )
    op.create_table('order_number_sequences',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_order_number_sequences'))
    )
    op.create_table('outbox_messages',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('task_name', sa.String(length=200), nullable=False),
    sa.Column('kwargs', sa.JSON(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('available_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('resends', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_messages_dedupe_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index('ix_outbox_messages_unfinished', ['sent_at'], unique=False, postgresql_where=sa.text('done_at IS NULL'), sqlite_where=sa.text('done_at IS NULL'))
        batch_op.create_index('ix_outbox_messages_unsent', ['available_at'], unique=False, postgresql_where=sa.text('sent_at IS NULL'), sqlite_where=sa.text('sent_at IS NULL'))

    op.create_table('pickup_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.Column('fee_cents', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('booked >= 0 AND booked <= capacity', name=op.f('ck_pickup_slots_booked_within_capacity')),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_pickup_slots_capacity_non_negative')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_pickup_slots_ends_after_start')),
    sa.CheckConstraint('fee_cents >= 0', name=op.f('ck_pickup_slots_fee_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pickup_slots'))
    )
    with op.batch_alter_table('pickup_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pickup_slots_starts_at'), ['starts_at'], unique=False)

    op.create_table('sent_emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('to', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('template', sa.String(length=120), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_emails')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_sent_emails_dedupe_key'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('customer', 'vendor', 'admin')", name=op.f('ck_users_role')),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_users_email_lower_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('vendors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('tagline', sa.String(length=200), nullable=False),
    sa.Column('story', sa.Text(), nullable=False),
    sa.Column('town', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('featured', sa.Boolean(), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('commission_rate_bps', sa.Integer(), nullable=False),
    sa.Column('siret', sa.String(length=14), nullable=False),
    sa.Column('vat_number', sa.String(length=20), nullable=False),
    sa.Column('vat_registered', sa.Boolean(), nullable=False),
    sa.Column('stripe_account_id', sa.String(length=64), nullable=True),
    sa.Column('payouts_enabled', sa.Boolean(), nullable=False),
    sa.Column('invoice_sequence', sa.Integer(), nullable=False),
    sa.Column('shipping_flat_cents', sa.Integer(), nullable=False),
    sa.Column('free_shipping_threshold_cents', sa.Integer(), nullable=True),
    sa.Column('logo_path', sa.String(length=255), nullable=True),
    sa.Column('search_vector', postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('textile_workshop', 'producer', 'food_maker', 'other')", name=op.f('ck_vendors_kind')),
    sa.CheckConstraint("status IN ('applied', 'approved', 'suspended')", name=op.f('ck_vendors_status')),
    sa.CheckConstraint('commission_rate_bps >= 0 AND commission_rate_bps <= 10000', name=op.f('ck_vendors_commission_rate')),
    sa.CheckConstraint('shipping_flat_cents >= 0', name=op.f('ck_vendors_shipping_flat_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendors')),
    sa.UniqueConstraint('slug', name=op.f('uq_vendors_slug')),
    sa.UniqueConstraint('stripe_account_id', name=op.f('uq_vendors_stripe_account_id'))
    )
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.create_index('ix_vendors_search_vector', ['search_vector'], unique=False, postgresql_using='gin')

    op.create_table('webhook_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gateway', sa.String(length=20), nullable=False),
    sa.Column('event_id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('object_id', sa.String(length=255), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_events')),
    sa.UniqueConstraint('gateway', 'event_id', name=op.f('uq_webhook_events_gateway'))
    )
    with op.batch_alter_table('webhook_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_events_object_id'), ['object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_events_type'), ['type'], unique=False)

    op.create_table('addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('line1', sa.String(length=200), nullable=False),
    sa.Column('line2', sa.String(length=200), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_addresses_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_addresses'))
    )
    with op.batch_alter_table('addresses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_addresses_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_addresses_one_default_per_user', ['user_id'], unique=True, postgresql_where=sa.text('is_default'), sqlite_where=sa.text('is_default'))

    op.create_table('carts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_carts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carts')),
    sa.UniqueConstraint('token', name=op.f('uq_carts_token')),
    sa.UniqueConstraint('user_id', name=op.f('uq_carts_user_id'))
    )
    op.create_table('delivery_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('delivery_date', sa.Date(), nullable=False),
    sa.Column('cutoff_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity_stops', sa.Integer(), nullable=False),
    sa.Column('capacity_grams', sa.Integer(), nullable=False),
    sa.Column('booked_stops', sa.Integer(), nullable=False),
    sa.Column('booked_grams', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('booked_grams >= 0 AND booked_grams <= capacity_grams', name=op.f('ck_delivery_rounds_grams_within_capacity')),
    sa.CheckConstraint('booked_stops >= 0 AND booked_stops <= capacity_stops', name=op.f('ck_delivery_rounds_stops_within_capacity')),
    sa.ForeignKeyConstraint(['zone_id'], ['delivery_zones.id'], name=op.f('fk_delivery_rounds_zone_id_delivery_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_rounds'))
    )
    with op.batch_alter_table('delivery_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_rounds_zone_id'), ['zone_id'], unique=False)

    op.create_table('dev_refunds',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('intent_id', sa.String(length=40), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_dev_refunds_amount_positive')),
    sa.ForeignKeyConstraint(['intent_id'], ['dev_payment_intents.id'], name=op.f('fk_dev_refunds_intent_id_dev_payment_intents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dev_refunds')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_dev_refunds_idempotency_key'))
    )
    with op.batch_alter_table('dev_refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dev_refunds_intent_id'), ['intent_id'], unique=False)

    op.create_table('dev_transfers',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('destination_id', sa.String(length=40), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('transfer_group', sa.String(length=40), nullable=False),
    sa.Column('source_transaction', sa.String(length=40), nullable=True),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('amount_reversed_cents', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_dev_transfers_amount_positive')),
    sa.CheckConstraint('amount_reversed_cents >= 0 AND amount_reversed_cents <= amount_cents', name=op.f('ck_dev_transfers_reversal_within_amount')),
    sa.ForeignKeyConstraint(['destination_id'], ['dev_connected_accounts.id'], name=op.f('fk_dev_transfers_destination_id_dev_connected_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dev_transfers')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_dev_transfers_idempotency_key'))
    )
    with op.batch_alter_table('dev_transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dev_transfers_destination_id'), ['destination_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dev_transfers_source_transaction'), ['source_transaction'], unique=False)

    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('vat_rate_bps', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=160), nullable=False),
    sa.Column('making_details', sa.Text(), nullable=False),
    sa.Column('made_at_hub', sa.Boolean(), nullable=False),
    sa.Column('from_price_cents', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('search_vector', postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'active', 'archived')", name=op.f('ck_products_status')),
    sa.CheckConstraint('from_price_cents >= 0', name=op.f('ck_products_from_price_non_negative')),
    sa.CheckConstraint('vat_rate_bps >= 0 AND vat_rate_bps <= 10000', name=op.f('ck_products_vat_rate')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_products_category_id_categories')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_products_vendor_id_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('slug', name=op.f('uq_products_slug'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_category_id'), ['category_id'], unique=False)
        batch_op.create_index('ix_products_category_listing', ['category_id', 'status', 'published_at', 'vendor_id'], unique=False)
        batch_op.create_index('ix_products_search_vector', ['search_vector'], unique=False, postgresql_using='gin')
        batch_op.create_index('ix_products_status_price', ['status', 'from_price_cents', 'id', 'vendor_id'], unique=False)
        batch_op.create_index('ix_products_status_published', ['status', 'published_at', 'vendor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_vendor_id'), ['vendor_id'], unique=False)
        batch_op.create_index('ix_products_vendor_listing', ['vendor_id', 'status', 'published_at'], unique=False)

    op.create_table('transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('transfer_group', sa.String(length=40), nullable=False),
    sa.Column('source_transaction', sa.String(length=100), nullable=True),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('provider_ref', sa.String(length=100), nullable=True),
    sa.Column('amount_reversed_cents', sa.Integer(), nullable=False),
    sa.Column('failure_message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name=op.f('ck_transfers_status')),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_transfers_amount_positive')),
    sa.CheckConstraint('amount_reversed_cents >= 0 AND amount_reversed_cents <= amount_cents', name=op.f('ck_transfers_reversal_within_amount')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_transfers_vendor_id_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_transfers_idempotency_key')),
    sa.UniqueConstraint('provider_ref', name=op.f('uq_transfers_provider_ref'))
    )
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfers_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('vendor_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('is_owner', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_vendor_members_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_vendor_members_vendor_id_vendors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_members')),
    sa.UniqueConstraint('vendor_id', 'user_id', name=op.f('uq_vendor_members_vendor_id'))
    )
    with op.batch_alter_table('vendor_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendor_members_user_id'), ['user_id'], unique=False)

    op.create_table('dev_transfer_reversals',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('transfer_id', sa.String(length=40), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_dev_transfer_reversals_amount_positive')),
    sa.ForeignKeyConstraint(['transfer_id'], ['dev_transfers.id'], name=op.f('fk_dev_transfer_reversals_transfer_id_dev_transfers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dev_transfer_reversals')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_dev_transfer_reversals_idempotency_key'))
    )
    with op.batch_alter_table('dev_transfer_reversals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dev_transfer_reversals_transfer_id'), ['transfer_id'], unique=False)

    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('checkout_key', sa.String(length=64), nullable=False),
    sa.Column('access_token', sa.String(length=64), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('address', sa.JSON(), nullable=False),
    sa.Column('delivery_method', sa.String(length=20), nullable=False),
    sa.Column('pickup_slot_id', sa.Integer(), nullable=True),
    sa.Column('delivery_round_id', sa.Integer(), nullable=True),
    sa.Column('goods_cents', sa.Integer(), nullable=False),
    sa.Column('delivery_cents', sa.Integer(), nullable=False),
    sa.Column('total_cents', sa.Integer(), nullable=False),
    sa.Column('vat_breakdown', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('placed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("delivery_method IN ('vendor_shipping', 'pickup', 'round')", name=op.f('ck_orders_delivery_method')),
    sa.CheckConstraint('goods_cents >= 0 AND delivery_cents >= 0', name=op.f('ck_orders_amounts_non_negative')),
    sa.CheckConstraint('total_cents = goods_cents + delivery_cents', name=op.f('ck_orders_total_adds_up')),
    sa.ForeignKeyConstraint(['customer_id'], ['users.id'], name=op.f('fk_orders_customer_id_users')),
    sa.ForeignKeyConstraint(['delivery_round_id'], ['delivery_rounds.id'], name=op.f('fk_orders_delivery_round_id_delivery_rounds')),
    sa.ForeignKeyConstraint(['pickup_slot_id'], ['pickup_slots.id'], name=op.f('fk_orders_pickup_slot_id_pickup_slots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('access_token', name=op.f('uq_orders_access_token')),
    sa.UniqueConstraint('checkout_key', name=op.f('uq_orders_checkout_key')),
    sa.UniqueConstraint('number', name=op.f('uq_orders_number'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orders_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_expires_at'), ['expires_at'], unique=False)

    op.create_table('product_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('alt', sa.String(length=200), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_images_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_images'))
    )
    with op.batch_alter_table('product_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_images_product_id'), ['product_id'], unique=False)

    op.create_table('variants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('size', sa.String(length=40), nullable=False),
    sa.Column('colour', sa.String(length=40), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('weight_grams', sa.Integer(), nullable=False),
    sa.Column('low_stock_threshold', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('price_cents >= 0', name=op.f('ck_variants_price_non_negative')),
    sa.CheckConstraint('stock >= 0', name=op.f('ck_variants_stock_non_negative')),
    sa.CheckConstraint('weight_grams >= 0', name=op.f('ck_variants_weight_non_negative')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_variants_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_variants_vendor_id_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_variants')),
    sa.UniqueConstraint('vendor_id', 'sku', name=op.f('uq_variants_vendor_id'))
    )
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_variants_product_id'), ['product_id'], unique=False)

    op.create_table('cart_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cart_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('seen_price_cents', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_cart_lines_quantity_positive')),
    sa.ForeignKeyConstraint(['cart_id'], ['carts.id'], name=op.f('fk_cart_lines_cart_id_carts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_cart_lines_variant_id_variants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cart_lines')),
    sa.UniqueConstraint('cart_id', 'variant_id', name=op.f('uq_cart_lines_cart_id'))
    )
    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('gateway', sa.String(length=20), nullable=False),
    sa.Column('provider_ref', sa.String(length=100), nullable=True),
    sa.Column('client_secret', sa.String(length=200), nullable=True),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('refunded_cents', sa.Integer(), nullable=False),
    sa.Column('failure_message', sa.Text(), nullable=False),
    sa.Column('succeeded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_payments_amount_positive')),
    sa.CheckConstraint('refunded_cents >= 0 AND refunded_cents <= amount_cents', name=op.f('ck_payments_refund_within_amount')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_payments_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('order_id', name=op.f('uq_payments_order_id')),
    sa.UniqueConstraint('provider_ref', name=op.f('uq_payments_provider_ref'))
    )
    op.create_table('pickup_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_pickup_bookings_order_id_orders')),
    sa.ForeignKeyConstraint(['slot_id'], ['pickup_slots.id'], name=op.f('fk_pickup_bookings_slot_id_pickup_slots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pickup_bookings')),
    sa.UniqueConstraint('order_id', name=op.f('uq_pickup_bookings_order_id'))
    )
    with op.batch_alter_table('pickup_bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pickup_bookings_slot_id'), ['slot_id'], unique=False)

    op.create_table('round_stops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('weight_grams', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_round_stops_order_id_orders')),
    sa.ForeignKeyConstraint(['round_id'], ['delivery_rounds.id'], name=op.f('fk_round_stops_round_id_delivery_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_stops')),
    sa.UniqueConstraint('order_id', name=op.f('uq_round_stops_order_id'))
    )
    with op.batch_alter_table('round_stops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_stops_round_id'), ['round_id'], unique=False)

    op.create_table('vendor_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('goods_cents', sa.Integer(), nullable=False),
    sa.Column('shipping_cents', sa.Integer(), nullable=False),
    sa.Column('delivery_share_cents', sa.Integer(), nullable=False),
    sa.Column('vat_breakdown', sa.JSON(), nullable=False),
    sa.Column('commission_rate_bps', sa.Integer(), nullable=False),
    sa.Column('commission_cents', sa.Integer(), nullable=False),
    sa.Column('commission_vat_cents', sa.Integer(), nullable=False),
    sa.Column('vendor_net_cents', sa.Integer(), nullable=False),
    sa.Column('refunded_cents', sa.Integer(), nullable=False),
    sa.Column('tracking_number', sa.String(length=80), nullable=False),
    sa.Column('ready_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('refunded_cents >= 0', name=op.f('ck_vendor_orders_refunded_non_negative')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_vendor_orders_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_vendor_orders_vendor_id_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_vendor_orders_number')),
    sa.UniqueConstraint('order_id', 'vendor_id', name=op.f('uq_vendor_orders_order_id'))
    )
    with op.batch_alter_table('vendor_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendor_orders_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('provider_ref', sa.String(length=100), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=60), nullable=False),
    sa.Column('provider_status', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_disputes_order_id_orders')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_disputes_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes')),
    sa.UniqueConstraint('provider_ref', name=op.f('uq_disputes_provider_ref'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disputes_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_payment_id'), ['payment_id'], unique=False)

    op.create_table('order_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('vendor_order_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=60), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_order_events_actor_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_events_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_order_id'], ['vendor_orders.id'], name=op.f('fk_order_events_vendor_order_id_vendor_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_events'))
    )
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_events_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_events_vendor_order_id'), ['vendor_order_id'], unique=False)

    op.create_table('order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_order_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=True),
    sa.Column('product_name', sa.String(length=160), nullable=False),
    sa.Column('variant_label', sa.String(length=160), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('unit_price_cents', sa.Integer(), nullable=False),
    sa.Column('vat_rate_bps', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('total_cents', sa.Integer(), nullable=False),
    sa.Column('vat_cents', sa.Integer(), nullable=False),
    sa.Column('weight_grams', sa.Integer(), nullable=False),
    sa.Column('refunded_quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_order_lines_quantity_positive')),
    sa.CheckConstraint('refunded_quantity >= 0 AND refunded_quantity <= quantity', name=op.f('ck_order_lines_refund_within_quantity')),
    sa.CheckConstraint('total_cents = unit_price_cents * quantity', name=op.f('ck_order_lines_total_adds_up')),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_order_lines_variant_id_variants'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vendor_order_id'], ['vendor_orders.id'], name=op.f('fk_order_lines_vendor_order_id_vendor_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines'))
    )
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_lines_vendor_order_id'), ['vendor_order_id'], unique=False)

    op.create_table('payment_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=False),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('actor_label', sa.String(length=60), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_payment_status_changes_payment_id_payments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_status_changes'))
    )
    with op.batch_alter_table('payment_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_status_changes_payment_id'), ['payment_id'], unique=False)

    op.create_table('refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('vendor_order_id', sa.Integer(), nullable=True),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('provider_ref', sa.String(length=100), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('restocked', sa.Boolean(), nullable=False),
    sa.Column('failure_message', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=60), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'succeeded', 'failed', 'cancelled')", name=op.f('ck_refunds_status')),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_refunds_amount_positive')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_refunds_payment_id_payments')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_refunds_requested_by_id_users')),
    sa.ForeignKeyConstraint(['vendor_order_id'], ['vendor_orders.id'], name=op.f('fk_refunds_vendor_order_id_vendor_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
    sa.UniqueConstraint('provider_ref', name=op.f('uq_refunds_provider_ref'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refunds_vendor_order_id'), ['vendor_order_id'], unique=False)

    op.create_table('refund_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('refund_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_refund_lines_amount_non_negative')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_refund_lines_quantity_positive')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_refund_lines_order_line_id_order_lines')),
    sa.ForeignKeyConstraint(['refund_id'], ['refunds.id'], name=op.f('fk_refund_lines_refund_id_refunds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund_lines')),
    sa.UniqueConstraint('refund_id', 'order_line_id', name=op.f('uq_refund_lines_refund_id'))
    )
    with op.batch_alter_table('refund_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refund_lines_order_line_id'), ['order_line_id'], unique=False)

    op.create_table('transfer_reversals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transfer_id', sa.Integer(), nullable=False),
    sa.Column('refund_id', sa.Integer(), nullable=True),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('provider_ref', sa.String(length=100), nullable=True),
    sa.Column('failure_message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name=op.f('ck_transfer_reversals_status')),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_transfer_reversals_amount_positive')),
    sa.ForeignKeyConstraint(['refund_id'], ['refunds.id'], name=op.f('fk_transfer_reversals_refund_id_refunds')),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfers.id'], name=op.f('fk_transfer_reversals_transfer_id_transfers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_reversals')),
    sa.UniqueConstraint('provider_ref', name=op.f('uq_transfer_reversals_provider_ref'))
    )
    with op.batch_alter_table('transfer_reversals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_reversals_refund_id'), ['refund_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfer_reversals_transfer_id'), ['transfer_id'], unique=False)

    # Search configuration, functions and triggers: SQL the models cannot express.
    install_database_extras(op.get_bind())


def downgrade():
    with op.batch_alter_table('transfer_reversals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfer_reversals_transfer_id'))
        batch_op.drop_index(batch_op.f('ix_transfer_reversals_refund_id'))

    op.drop_table('transfer_reversals')
    with op.batch_alter_table('refund_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_lines_order_line_id'))

    op.drop_table('refund_lines')
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refunds_vendor_order_id'))
        batch_op.drop_index(batch_op.f('ix_refunds_payment_id'))

    op.drop_table('refunds')
    with op.batch_alter_table('payment_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_status_changes_payment_id'))

    op.drop_table('payment_status_changes')
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_lines_vendor_order_id'))

    op.drop_table('order_lines')
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_events_vendor_order_id'))
        batch_op.drop_index(batch_op.f('ix_order_events_order_id'))

    op.drop_table('order_events')
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disputes_payment_id'))
        batch_op.drop_index(batch_op.f('ix_disputes_order_id'))

    op.drop_table('disputes')
    with op.batch_alter_table('vendor_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendor_orders_vendor_id'))

    op.drop_table('vendor_orders')
    with op.batch_alter_table('round_stops', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_stops_round_id'))

    op.drop_table('round_stops')
    with op.batch_alter_table('pickup_bookings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pickup_bookings_slot_id'))

    op.drop_table('pickup_bookings')
    op.drop_table('payments')
    op.drop_table('cart_lines')
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_variants_product_id'))

    op.drop_table('variants')
    with op.batch_alter_table('product_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_images_product_id'))

    op.drop_table('product_images')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_expires_at'))
        batch_op.drop_index(batch_op.f('ix_orders_customer_id'))

    op.drop_table('orders')
    with op.batch_alter_table('dev_transfer_reversals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dev_transfer_reversals_transfer_id'))

    op.drop_table('dev_transfer_reversals')
    with op.batch_alter_table('vendor_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendor_members_user_id'))

    op.drop_table('vendor_members')
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfers_vendor_id'))

    op.drop_table('transfers')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index('ix_products_vendor_listing')
        batch_op.drop_index(batch_op.f('ix_products_vendor_id'))
        batch_op.drop_index('ix_products_status_published')
        batch_op.drop_index('ix_products_status_price')
        batch_op.drop_index('ix_products_search_vector', postgresql_using='gin')
        batch_op.drop_index('ix_products_category_listing')
        batch_op.drop_index(batch_op.f('ix_products_category_id'))

    op.drop_table('products')
    with op.batch_alter_table('dev_transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dev_transfers_source_transaction'))
        batch_op.drop_index(batch_op.f('ix_dev_transfers_destination_id'))

    op.drop_table('dev_transfers')
    with op.batch_alter_table('dev_refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dev_refunds_intent_id'))

    op.drop_table('dev_refunds')
    with op.batch_alter_table('delivery_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_rounds_zone_id'))

    op.drop_table('delivery_rounds')
    op.drop_table('carts')
    with op.batch_alter_table('addresses', schema=None) as batch_op:
        batch_op.drop_index('uq_addresses_one_default_per_user', postgresql_where=sa.text('is_default'), sqlite_where=sa.text('is_default'))
        batch_op.drop_index(batch_op.f('ix_addresses_user_id'))

    op.drop_table('addresses')
    with op.batch_alter_table('webhook_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_events_type'))
        batch_op.drop_index(batch_op.f('ix_webhook_events_object_id'))

    op.drop_table('webhook_events')
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.drop_index('ix_vendors_search_vector', postgresql_using='gin')

    op.drop_table('vendors')
    op.drop_table('users')
    op.drop_table('sent_emails')
    with op.batch_alter_table('pickup_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pickup_slots_starts_at'))

    op.drop_table('pickup_slots')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_unsent', postgresql_where=sa.text('sent_at IS NULL'), sqlite_where=sa.text('sent_at IS NULL'))
        batch_op.drop_index('ix_outbox_messages_unfinished', postgresql_where=sa.text('done_at IS NULL'), sqlite_where=sa.text('done_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_sent_at'))

    op.drop_table('outbox_messages')
    op.drop_table('order_number_sequences')
    op.drop_table('dev_payment_intents')
    op.drop_table('dev_connected_accounts')
    op.drop_table('delivery_zones')
    op.drop_table('categories')
