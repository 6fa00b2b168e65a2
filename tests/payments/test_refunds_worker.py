"""A worker killed with SIGKILL while it sends a refund: the redelivered task sends the same
idempotency key, Stripe (localstripe) answers with the same refund, and we count it once."""
import time

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.payments.models import Refund
from marketplace.payments.refunds import request_refund
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.payments import pay_test_order, place_test_order
from tests.factories.vendors import VendorFactory
from tests.stripe_fake.plugin import stripe_settings
from tests.workers.worker_process import redelivery_overrides, wait_until

pytestmark = pytest.mark.slow


def test_worker_killed_mid_refund_does_not_refund_twice(
    committed_db, broker_url, make_worker_app, start_worker_process, localstripe
):
    # The worker waits up to 30 s for Stripe's answer; Redis hands an unacknowledged task to
    # another worker after 4 s.
    settings = stripe_settings(localstripe, STRIPE_TIMEOUT_SECONDS=30, **redelivery_overrides(4))
    web_app = make_worker_app(broker_url, **settings)
    with web_app.app_context():
        blanket = VariantFactory(price_cents=7000, stock=5,
                                 product=ProductFactory(vendor=VendorFactory()))
        order = place_test_order((blanket, 1))
        pay_test_order(order)
        db.session.commit()
        vendor_order_id, intent_ref = order.vendor_orders[0].id, order.payment.provider_ref

    # Stripe refunds at once but its answer would take a minute: the worker is caught after
    # the provider call and before its commit.
    localstripe.inject_fault("/v1/refunds", mode="late", delay=60)
    first = start_worker_process(broker_url, overrides=settings)
    with web_app.app_context():
        vendor_order = db.session.get(type(order.vendor_orders[0]), vendor_order_id)
        refund = request_refund(vendor_order=vendor_order, actor=None, actor_label="admin",
                                reason="Colis abîmé")
        db.session.commit()
        refund_id = refund.id
    # Published to Redis when that context ended.

    wait_until(lambda: localstripe.list("refunds", payment_intent=intent_ref), timeout=60,
               what="the refund at Stripe")
    first.wait_for("Task payments.send_refund[")
    first.kill()
    killed = time.monotonic()

    def stored():
        committed_db.expire_all()
        return committed_db.get(Refund, refund_id)

    assert (stored().status, stored().provider_ref) == ("pending", None)

    second = start_worker_process(broker_url, overrides=settings)
    wait_until(lambda: stored().status == "succeeded", timeout=60, what="the refund, redelivered")
    print(f"\nkill -9 -> refund recorded by the next worker: {time.monotonic() - killed:.1f} s")
    second.stop()

    [at_stripe] = localstripe.list("refunds", payment_intent=intent_ref)
    refund = stored()
    assert refund.provider_ref == at_stripe["id"]
    assert at_stripe["amount"] == refund.amount_cents == 7000
    assert localstripe.hits("/v1/refunds") == 2  # the killed call and its replay by key
    assert refund.vendor_order.refunded_cents == 7000
    assert refund.vendor_order.status == "refunded"
    assert refund.payment.refunded_cents == 7000
    assert committed_db.scalars(select(Refund)).all() == [refund]
