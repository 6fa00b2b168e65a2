"""Stripe webhooks through the real route: signature on the raw body, stored once, applied by
re-reading the provider (localstripe), replays and shuffled deliveries changing nothing."""
import random
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.core.models import utcnow
from marketplace.core.outbox import OutboxMessage
from marketplace.extensions import db
from marketplace.orders.models import OrderEvent
from marketplace.payments.models import WebhookEvent
from marketplace.payments.services import start_payment
from marketplace.payments.webhooks import sync_open_payments
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.payments import place_test_order
from tests.factories.vendors import VendorFactory
from tests.stripe_fake.plugin import event_body, signature_header

URL = "/webhooks/stripe"


def deliver(client, body: bytes, **signing):
    return client.post(URL, data=body, content_type="application/json",
                       headers={"Stripe-Signature": signature_header(body, **signing)})


def stored_events() -> int:
    return db.session.scalar(select(func.count(WebhookEvent.id)))


@pytest.fixture
def order(db_session, stripe_gateway):
    scarf = VariantFactory(price_cents=2500, stock=10,
                           product=ProductFactory(vendor=VendorFactory(name="Atelier Laine")))
    blanket = VariantFactory(price_cents=7000, stock=5,
                             product=ProductFactory(vendor=VendorFactory(name="Tissage Sud")))
    return place_test_order((scarf, 2), (blanket, 1))


def intent_event(localstripe, order, event_type, event_id):
    intent = localstripe.get("payment_intents", order.payment.provider_ref)
    return event_body(event_type, intent, event_id=event_id)


def test_bad_or_missing_signature_is_refused_and_changes_nothing(client, stripe_gateway):
    body = event_body("payment_intent.succeeded", {"id": "pi_x", "object": "payment_intent"},
                      event_id="evt_bad")

    assert deliver(client, body, secret="whsec_not_ours").status_code == 400
    assert deliver(client, body, timestamp=int(time.time()) - 400).status_code == 400
    assert client.post(URL, data=body, content_type="application/json").status_code == 400
    tampered = body.replace(b"pi_x", b"pi_y")
    response = client.post(URL, data=tampered, content_type="application/json",
                           headers={"Stripe-Signature": signature_header(body)})
    assert response.status_code == 400
    assert stored_events() == 0


def test_signed_event_is_stored_once_and_applied_by_reading_the_provider(
    client, order, localstripe
):
    start_payment(payment=order.payment)
    localstripe.post(f"/v1/payment_intents/{order.payment.provider_ref}/confirm",
                     payment_method="pm_card_visa")
    body = intent_event(localstripe, order, "payment_intent.succeeded", "evt_paid")

    first = deliver(client, body)
    again = deliver(client, body)

    assert (first.status_code, again.status_code) == (200, 200)
    assert stored_events() == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.task_name == "payments.apply_webhook_event")) == 1
    db.session.refresh(order)
    assert order.status == "paid"
    assert order.payment.status == "succeeded"
    event = db.session.scalar(select(WebhookEvent))
    assert event.processed_at is not None
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.dedupe_key == f"order-confirmation:{order.number}")) == 1


def test_event_for_an_unknown_intent_is_stored_and_ignored(client, stripe_gateway, localstripe):
    body = event_body("payment_intent.succeeded", {"id": "pi_elsewhere", "metadata": {}},
                      event_id="evt_elsewhere")

    assert deliver(client, body).status_code == 200
    assert db.session.scalar(select(WebhookEvent.processed_at)) is not None


def test_event_finds_its_payment_by_metadata_when_the_intent_id_was_never_saved(
    client, order, stripe_gateway, localstripe
):
    """The creation's answer was lost (timeout): Stripe has the intent, we have no id yet."""
    intent = stripe_gateway.create_payment(
        amount_cents=order.payment.amount_cents, currency="EUR", order_number=order.number,
        metadata={"order_id": str(order.id), "order_number": order.number,
                  "payment_id": str(order.payment.id)},
        idempotency_key=f"order-{order.id}-payment",
    )
    stripe_gateway.confirm_payment(intent.provider_ref, payment_method="pm_card_visa")
    assert order.payment.provider_ref is None

    body = event_body("payment_intent.succeeded",
                      localstripe.get("payment_intents", intent.provider_ref), event_id="evt_m")
    assert deliver(client, body).status_code == 200

    db.session.refresh(order)
    assert order.payment.provider_ref == intent.provider_ref
    assert order.status == "paid"


def test_account_updated_enables_payouts_from_the_account_as_it_is_now(
    client, stripe_gateway, localstripe, db_session
):
    vendor = VendorFactory()
    account = stripe_gateway.create_connected_account(email="", idempotency_key="v-account")
    vendor.stripe_account_id = account.provider_ref
    db.session.flush()
    stale = event_body("account.updated", localstripe.get("accounts", account.provider_ref),
                       event_id="evt_acct_1")
    localstripe.complete_onboarding(account.provider_ref)
    fresh = event_body("account.updated", localstripe.get("accounts", account.provider_ref),
                       event_id="evt_acct_2")

    deliver(client, fresh)
    deliver(client, stale)  # late, and describing the account before onboarding

    db.session.refresh(vendor)
    assert vendor.payouts_enabled


def _snapshot(order) -> dict:
    """What a customer, a Vendor or an admin can see of an Order, without ids and dates."""
    db.session.expire_all()
    payment = order.payment
    messages = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.task_name == "notifications.send_email")).all()
    return {
        "order": order.status,
        "payment": (payment.status, payment.refunded_cents, payment.failure_message),
        "vendor_orders": [(vo.status, vo.refunded_cents) for vo in order.vendor_orders],
        "refunds": sorted((r.amount_cents, r.status) for r in payment.refunds),
        "disputes": [(d.amount_cents, d.reason) for d in payment.disputes],
        "history": [(e.vendor_order_id is None, e.from_status, e.to_status, e.note)
                    for e in db.session.scalars(select(OrderEvent).where(
                        OrderEvent.order_id == order.id).order_by(OrderEvent.id))],
        "emails": sorted(m.kwargs["template"] for m in messages
                         if order.number in (m.dedupe_key or "")),
    }


def _story(order, localstripe) -> list[bytes]:
    """At Stripe: a first card is declined, a second one pays, someone refunds 70 € from the
    dashboard, the bank opens a dispute. Returns the events Stripe sends about it, in order."""
    start_payment(payment=order.payment)
    ref = order.payment.provider_ref
    localstripe.post(f"/v1/payment_intents/{ref}/confirm",
                     payment_method="pm_card_visa_chargeDeclined", check=False)
    events = [intent_event(localstripe, order, "payment_intent.payment_failed",
                           f"evt_failed_{order.id}")]
    localstripe.post(f"/v1/payment_intents/{ref}/confirm", payment_method="pm_card_visa")
    events.append(intent_event(localstripe, order, "payment_intent.succeeded",
                               f"evt_paid_{order.id}"))
    refund = localstripe.post("/v1/refunds", payment_intent=ref, amount=7000)
    events.append(event_body("charge.refunded", localstripe.get("charges", refund["charge"]),
                             event_id=f"evt_refunded_{order.id}"))
    dispute = localstripe.open_dispute(refund["charge"])
    events.append(event_body("charge.dispute.created", dispute,
                             event_id=f"evt_dispute_{order.id}"))
    return events


def test_same_webhook_three_times_shuffled_equals_once(client, localstripe, stripe_gateway,
                                                       db_session):
    orders = []
    for _ in range(2):
        scarf = VariantFactory(price_cents=2500, stock=10,
                               product=ProductFactory(vendor=VendorFactory()))
        blanket = VariantFactory(price_cents=7000, stock=5,
                                 product=ProductFactory(vendor=VendorFactory()))
        orders.append(place_test_order((scarf, 2), (blanket, 1)))
    once_order, shuffled_order = orders
    once_events, shuffled_events = _story(once_order, localstripe), _story(shuffled_order,
                                                                          localstripe)

    for body in once_events:
        assert deliver(client, body).status_code == 200
    deliveries = shuffled_events * 3
    random.Random(20261129).shuffle(deliveries)
    for body in deliveries:
        assert deliver(client, body).status_code == 200

    once, shuffled = _snapshot(once_order), _snapshot(shuffled_order)
    assert shuffled == once
    assert once["order"] == "paid"
    assert once["payment"] == ("partially_refunded", 7000, "")
    assert once["refunds"] == [(7000, "succeeded")]
    assert once["disputes"] == [(once_order.total_cents, "fraudulent")]
    assert once["emails"].count("order_confirmation") == 1
    assert stored_events() == 8


def test_lost_webhook_is_caught_by_the_periodic_sync(order, localstripe, db_session):
    start_payment(payment=order.payment)
    localstripe.post(f"/v1/payment_intents/{order.payment.provider_ref}/confirm",
                     payment_method="pm_card_visa")

    assert sync_open_payments(now=utcnow()) == 0  # too recent: its webhook may still come
    assert sync_open_payments(now=utcnow() + timedelta(minutes=2)) == 1
    assert order.status == "paid"
    assert sync_open_payments(now=utcnow() + timedelta(minutes=4)) == 0


def test_dispute_closed_before_its_creation_event_keeps_the_final_word(
    client, order, localstripe
):
    start_payment(payment=order.payment)
    ref = order.payment.provider_ref
    localstripe.post(f"/v1/payment_intents/{ref}/confirm", payment_method="pm_card_visa")
    charge = localstripe.get("payment_intents", ref)["latest_charge"]["id"]
    dispute = localstripe.open_dispute(charge)
    closed = localstripe.move_dispute(dispute["id"], "lost")

    deliver(client, event_body("charge.dispute.closed", closed, event_id="evt_dp_closed"))
    # Created, then lost: what the late creation event carries is the past.
    deliver(client, event_body("charge.dispute.created", dispute, event_id="evt_dp_created"))

    db.session.refresh(order)
    [stored] = order.payment.disputes
    assert (stored.provider_ref, stored.provider_status) == (dispute["id"], "lost")
    notes = [event.note for event in order.events if event.note]
    assert sum("Litige ouvert" in note for note in notes) == 1
    assert sum("Litige clos par la banque : lost" in note for note in notes) == 1


@pytest.mark.parametrize("body", [
    b'[{"id": "evt_1", "type": "payment_intent.succeeded"}]',
    b'{"type": "payment_intent.succeeded", "data": {"object": {"id": "pi_x"}}}',
    b'{"id": "evt_no_type", "data": {"object": {"id": "pi_x"}}}',
    b'{"id": 12, "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_x"}}}',
    b'{"id": "evt_no_object", "type": "payment_intent.succeeded", "data": []}',
    b'{"id": "evt_bad_object", "type": "payment_intent.succeeded", "data": {"object": 3}}',
    b'"just a string"',
    b'not json at all',
    b'\xff\xfe{}',
], ids=["array", "no-id", "no-type", "id-not-a-string", "data-not-an-object",
        "object-not-an-object", "string", "not-json", "not-utf8"])
def test_malformed_but_signed_event_is_refused_and_stores_nothing(client, stripe_gateway, body):
    response = deliver(client, body)

    assert response.status_code == 400
    assert response.json["error"] in ("bad_payload", "bad_signature")
    assert stored_events() == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_signature_stamped_in_the_future_is_refused(client, stripe_gateway):
    body = event_body("payment_intent.succeeded", {"id": "pi_x", "object": "payment_intent"},
                      event_id="evt_future")

    assert deliver(client, body, timestamp=int(time.time()) + 400).status_code == 400
    assert stored_events() == 0
    # Within the tolerance either way (clocks differ by a little) it is accepted.
    assert deliver(client, body, timestamp=int(time.time()) + 30).status_code == 200
    assert stored_events() == 1


def test_webhook_body_larger_than_an_event_is_refused(client, stripe_gateway, app):
    padding = "x" * app.config["WEBHOOK_MAX_BYTES"]
    body = event_body("payment_intent.succeeded", {"id": "pi_x", "padding": padding},
                      event_id="evt_huge")

    assert deliver(client, body).status_code == 413
    assert stored_events() == 0
