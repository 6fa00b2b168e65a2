"""Payments through the dev gateway, reconciled by `sync_payment` as Stripe's are."""
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from marketplace.core.errors import InvalidTransition
from marketplace.core.outbox import OutboxMessage
from marketplace.extensions import db
from marketplace.orders.errors import OrderError, OrderErrorCode
from marketplace.orders.models import OrderEvent
from marketplace.orders.states import OrderStatus, VendorOrderStatus
from marketplace.payments.models import PaymentStatusChange
from marketplace.payments.registry import get_gateway
from marketplace.payments.services import (
    answer_authentication,
    cancel_open_payment,
    confirm_payment,
    expire_unpaid_orders,
    start_payment,
    sync_payment,
    transition_payment,
)
from marketplace.payments.states import PaymentEvent, PaymentStatus
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.orders import check_out, fill_cart
from tests.factories.vendors import VendorFactory

NOW = datetime(2026, 4, 14, 9, 30, tzinfo=UTC)


@pytest.fixture
def order(db_session):
    vendors = [VendorFactory(contact_email=f"atelier{n}@example.fr") for n in range(2)]
    cart = fill_cart(*(
        (VariantFactory(product=ProductFactory(vendor=vendor), price_cents=2500), 1)
        for vendor in vendors
    ))
    return check_out(cart, now=NOW)


def _order_statuses(order):
    return [e.to_status for e in db.session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order.id,
                                 OrderEvent.vendor_order_id.is_(None)).order_by(OrderEvent.id)
    )]


def _payment_changes(payment):
    return [(c.from_status, c.to_status) for c in db.session.scalars(
        select(PaymentStatusChange).where(PaymentStatusChange.payment_id == payment.id)
        .order_by(PaymentStatusChange.id)
    )]


def _outbox_keys():
    return {m.dedupe_key for m in db.session.scalars(select(OutboxMessage))}


def test_start_payment_creates_one_intent_per_order(order):
    first = start_payment(payment=order.payment)
    again = start_payment(payment=order.payment)

    assert first.provider_ref == again.provider_ref == order.payment.provider_ref
    assert order.payment.status == PaymentStatus.CREATED
    assert order.payment.client_secret


def test_paying_marks_the_order_and_each_vendor_order_paid(order):
    start_payment(payment=order.payment)
    result = confirm_payment(payment=order.payment, payment_method="4242 4242 4242 4242", now=NOW)

    assert result.status == "succeeded"
    assert order.payment.status == PaymentStatus.SUCCEEDED
    assert order.payment.succeeded_at == NOW
    assert order.status == OrderStatus.PAID
    assert order.paid_at == NOW
    assert [vo.status for vo in order.vendor_orders] == [VendorOrderStatus.PAID] * 2
    assert _payment_changes(order.payment) == [("created", "succeeded")]
    keys = _outbox_keys()
    assert f"order-confirmation:{order.number}" in keys
    assert {f"vendor-order-paid:{vo.number}" for vo in order.vendor_orders} <= keys


def test_a_decline_keeps_the_message_and_the_customer_may_retry(order):
    declined = confirm_payment(payment=order.payment, payment_method="4000000000000002", now=NOW)

    assert declined.status == "failed"
    assert order.payment.status == PaymentStatus.FAILED
    assert "refusée" in order.payment.failure_message
    assert order.status == OrderStatus.PAYMENT_FAILED
    assert f"order-confirmation:{order.number}" not in _outbox_keys()

    confirm_payment(payment=order.payment, payment_method="4242424242424242", now=NOW)

    assert order.payment.status == PaymentStatus.SUCCEEDED
    assert order.payment.failure_message == ""
    assert order.status == OrderStatus.PAID
    assert _order_statuses(order) == [
        "awaiting_payment", "payment_failed", "awaiting_payment", "paid"
    ]
    assert _payment_changes(order.payment) == [
        ("created", "failed"), ("failed", "created"), ("created", "succeeded")
    ]


def test_three_d_secure_then_confirmed(order):
    asked = confirm_payment(payment=order.payment, payment_method="4000002760003184", now=NOW)
    assert asked.status == "requires_action"
    assert order.payment.status == PaymentStatus.REQUIRES_ACTION
    assert order.status == OrderStatus.AWAITING_PAYMENT

    answer_authentication(payment=order.payment, approve=True, now=NOW)

    assert order.payment.status == PaymentStatus.SUCCEEDED
    assert order.status == OrderStatus.PAID


def test_three_d_secure_refused(order):
    confirm_payment(payment=order.payment, payment_method="4000002760003184", now=NOW)
    answer_authentication(payment=order.payment, approve=False, now=NOW)

    assert order.payment.status == PaymentStatus.FAILED
    assert order.status == OrderStatus.PAYMENT_FAILED


def test_sync_is_idempotent_and_ignores_older_states(order):
    start_payment(payment=order.payment)
    gateway = get_gateway()
    paid = gateway.confirm_payment(order.payment.provider_ref, payment_method="4242424242424242")

    assert sync_payment(payment=order.payment, result=paid, actor_label="payment provider")
    events_after_first = len(_order_statuses(order))
    outbox_after_first = _outbox_keys()

    assert not sync_payment(payment=order.payment, result=paid, actor_label="payment provider")
    older = replace(paid, status="requires_action")
    assert not sync_payment(payment=order.payment, result=older, actor_label="payment provider")
    stale_failure = replace(paid, status="failed", failure_message="Carte refusée")
    assert not sync_payment(payment=order.payment, result=stale_failure,
                            actor_label="payment provider")

    assert order.payment.status == PaymentStatus.SUCCEEDED
    assert order.status == OrderStatus.PAID
    assert len(_order_statuses(order)) == events_after_first
    assert _outbox_keys() == outbox_after_first


def test_refunds_reported_by_the_provider_are_applied_as_a_state(order):
    start_payment(payment=order.payment)
    gateway = get_gateway()
    ref = order.payment.provider_ref
    sync_payment(payment=order.payment, actor_label="payment provider",
                 result=gateway.confirm_payment(ref, payment_method="4242424242424242"))
    gateway.refund(payment_ref=ref, amount_cents=1000, idempotency_key="r1", metadata={})
    partly = gateway.retrieve_payment(ref)

    sync_payment(payment=order.payment, result=partly, actor_label="payment provider")
    sync_payment(payment=order.payment, result=partly, actor_label="payment provider")
    assert order.payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert order.payment.refunded_cents == 1000

    gateway.refund(payment_ref=ref, amount_cents=order.payment.amount_cents - 1000,
                   idempotency_key="r2", metadata={})
    sync_payment(payment=order.payment, result=gateway.retrieve_payment(ref),
                 actor_label="payment provider")
    assert order.payment.status == PaymentStatus.REFUNDED
    assert order.payment.refunded_cents == order.payment.amount_cents
    # The older "partly refunded" news, delivered late, changes nothing.
    assert not sync_payment(payment=order.payment, result=partly, actor_label="payment provider")
    assert order.payment.refunded_cents == order.payment.amount_cents


def test_a_missed_success_is_caught_up_on_the_way_to_refunded(order):
    start_payment(payment=order.payment)
    gateway = get_gateway()
    ref = order.payment.provider_ref
    gateway.confirm_payment(ref, payment_method="4242424242424242")
    gateway.refund(payment_ref=ref, amount_cents=order.payment.amount_cents,
                   idempotency_key="r1", metadata={})

    sync_payment(payment=order.payment, result=gateway.retrieve_payment(ref),
                 actor_label="payment provider")

    assert order.payment.status == PaymentStatus.REFUNDED
    assert _payment_changes(order.payment) == [("created", "succeeded"), ("succeeded", "refunded")]
    assert order.status == OrderStatus.PAID


def test_an_expired_order_can_no_longer_be_paid(order):
    expire_unpaid_orders(now=NOW + timedelta(hours=1))

    with pytest.raises(OrderError) as error:
        confirm_payment(payment=order.payment, payment_method="4242424242424242",
                        now=NOW + timedelta(hours=1))
    assert error.value.code == OrderErrorCode.NOT_PAYABLE


def test_an_order_past_its_deadline_cannot_be_paid_before_the_expiry_job_runs(order):
    with pytest.raises(OrderError):
        confirm_payment(payment=order.payment, payment_method="4242424242424242",
                        now=NOW + timedelta(minutes=31))
    assert order.payment.status == PaymentStatus.CREATED


def test_expiry_cancels_the_payment_at_the_provider(order):
    start_payment(payment=order.payment)
    expire_unpaid_orders(now=NOW + timedelta(hours=1))

    cancel_open_payment(payment=order.payment)

    assert order.payment.status == PaymentStatus.CANCELLED
    assert get_gateway().retrieve_payment(order.payment.provider_ref).status == "cancelled"


def test_money_arriving_after_expiry_is_recorded_for_the_admins(order):
    start_payment(payment=order.payment)
    gateway = get_gateway()
    expire_unpaid_orders(now=NOW + timedelta(hours=1))
    # A tab left open paid at the provider before the cancellation got there.
    gateway.confirm_payment(order.payment.provider_ref, payment_method="4242424242424242")

    cancel_open_payment(payment=order.payment)

    assert order.payment.status == PaymentStatus.SUCCEEDED

    assert order.status == OrderStatus.EXPIRED
    last = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)
                              .order_by(OrderEvent.id.desc())).first()
    assert "à rembourser" in last.note


def test_illegal_payment_transition_is_refused_and_changes_nothing(order):
    with pytest.raises(InvalidTransition):
        transition_payment(payment=order.payment, event=PaymentEvent.REFUND_ALL,
                           actor_label="admin")
    assert order.payment.status == PaymentStatus.CREATED
    assert _payment_changes(order.payment) == []


def test_a_result_for_another_intent_is_refused(order):
    start_payment(payment=order.payment)
    other = get_gateway().create_payment(amount_cents=100, currency="EUR", order_number="X",
                                         metadata={}, idempotency_key="other")
    with pytest.raises(ValueError):
        sync_payment(payment=order.payment, result=other, actor_label="payment provider")
