"""End to end with a real Celery worker over Redis: the customer pays at Stripe (localstripe),
Stripe posts a signed webhook to our running app, the worker applies it and sends the email."""
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from sqlalchemy import func, select
from werkzeug.serving import make_server

from marketplace.core.outbox import OutboxMessage
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


def test_event_that_keeps_failing_is_retried_with_backoff_and_shown_at_once(
    committed_db, broker_url, make_worker_app, monkeypatch
):
    """A handler fails (a bug, until the next deploy): the Admins see the error within seconds,
    on the event and in `flask tasks outbox`, while the worker retries it with backoff; once
    the handler works again, the next retry applies it."""
    from marketplace.payments import webhooks
    from marketplace.payments.gateway import GatewayEvent
    from marketplace.payments.webhooks import list_payment_issues, record_event

    calls = []

    def broken(gateway, event, now):  # noqa: ANN001
        calls.append(time.monotonic())
        raise RuntimeError("handler bug")

    monkeypatch.setitem(webhooks._HANDLERS, "payment_intent.succeeded", broken)
    worker_app = make_worker_app(broker_url)
    with start_worker(worker_app.extensions["celery"], pool="solo", perform_ping_check=False):
        with worker_app.app_context():
            stored = record_event(gateway_name="dev", event=GatewayEvent(
                event_id="evt_buggy", type="payment_intent.succeeded", object_id="devpi_x"))
            db.session.commit()
            event_id = stored.id
        received = time.monotonic()

        def event_row() -> WebhookEvent:
            committed_db.expire_all()
            return committed_db.get(WebhookEvent, event_id)

        wait_until(lambda: "handler bug" in event_row().last_error, what="the error")
        shown_after = time.monotonic() - received
        with worker_app.app_context():
            assert [e.event_id for e in list_payment_issues().stuck_events] == ["evt_buggy"]
        output = worker_app.test_cli_runner().invoke(
            args=["tasks", "outbox", "--older-than", "0"]).output
        assert "payments.apply_webhook_event" in output and "RuntimeError: handler bug" in output
        wait_until(lambda: len(calls) >= 3, timeout=30, what="two retries")
        monkeypatch.setitem(webhooks._HANDLERS, "payment_intent.succeeded",
                            lambda gateway, event, now: None)  # the fix is deployed
        wait_until(lambda: event_row().processed_at, timeout=60, what="the event applied")
    event = event_row()
    assert event.last_error == "" and event.attempts >= 4
    gaps = [later - earlier for earlier, later in zip(calls, calls[1:], strict=False)]
    print(f"\nerror shown after {shown_after:.2f} s; retries {len(calls)} apart by "
          + ", ".join(f"{gap:.1f} s" for gap in gaps))
    assert shown_after < 10
    assert committed_db.scalar(select(OutboxMessage.done_at).where(
        OutboxMessage.dedupe_key == "webhook-dev-evt_buggy")) is not None
