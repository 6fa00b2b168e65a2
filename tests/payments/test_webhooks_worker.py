"""End to end with a real Celery worker over Redis: the customer pays at Stripe (localstripe),
Stripe posts a signed webhook to our running app, the worker applies it and sends the email."""
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from sqlalchemy import func, select
from werkzeug.serving import make_server

from marketplace.extensions import db
from marketplace.notifications.models import SentEmail
from marketplace.orders.models import Order
from marketplace.payments.models import WebhookEvent
from marketplace.payments.services import start_payment
from tests.factories.catalog import VariantFactory
from tests.factories.payments import place_test_order
from tests.stripe_fake.plugin import stripe_settings
from tests.workers.worker_process import wait_until

pytestmark = pytest.mark.slow


@pytest.fixture
def serve():
    """Run a Flask app on a free loopback port, as Stripe's webhooks need a real address."""
    servers = []

    def start(flask_app) -> str:
        server = make_server("127.0.0.1", 0, flask_app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_stripe_payment_webhook_applied_by_a_worker_pays_the_order_and_sends_the_email(
    committed_db, broker_url, make_worker_app, localstripe, serve, tmp_path
):
    worker_app = make_worker_app(broker_url, **stripe_settings(localstripe))
    localstripe.send_webhooks_to(serve(worker_app) + "/webhooks/stripe")

    with start_worker(worker_app.extensions["celery"], pool="solo", perform_ping_check=False):
        with worker_app.app_context():
            order = place_test_order((VariantFactory(price_cents=3900, stock=4), 1),
                                     email="ines@example.fr")
            db.session.commit()
            start_payment(payment=order.payment)
            db.session.commit()
            number, intent_ref = order.number, order.payment.provider_ref

        # The customer confirms in Stripe.js; about 1 s later Stripe posts the signed event.
        localstripe.post(f"/v1/payment_intents/{intent_ref}/confirm", payment_method="pm_card_visa")
        paid_at_stripe = time.monotonic()

        def confirmation_sent():
            committed_db.expire_all()
            return committed_db.scalar(select(SentEmail).where(
                SentEmail.dedupe_key == f"order-confirmation:{number}"))

        email = wait_until(confirmation_sent, timeout=30, what="the confirmation email")
        elapsed = time.monotonic() - paid_at_stripe
        print(f"\npaid at Stripe -> email sent by the worker: {elapsed:.2f} s"
              " (localstripe waits 1 s before posting its webhook)")

    paid = committed_db.scalar(select(Order).where(Order.number == number))
    assert (paid.status, paid.payment.status) == ("paid", "succeeded")
    assert email.to == "ines@example.fr"
    [event] = committed_db.scalars(select(WebhookEvent).where(
        WebhookEvent.type == "payment_intent.succeeded", WebhookEvent.object_id == intent_ref
    )).all()
    assert (event.object_id, event.attempts) == (intent_ref, 1)
    assert event.processed_at is not None
    mails = [path.read_text() for path in (tmp_path / "mail").glob("*.eml")]
    assert any(number in text and "ines@example.fr" in text for text in mails)
    assert committed_db.scalar(select(func.count(SentEmail.id)).where(
        SentEmail.dedupe_key == f"order-confirmation:{number}")) == 1
