"""Provider events about one object applied at the same moment, by several threads, many times:
the final state must be the one an ordered delivery gives.

For each kind of object (payment intent, charge and its refunds, dispute, transfer and its
reversals, connected account) the same story is played twice at the Stripe fake. One copy's
events are applied one after the other, in the order Stripe sent them; the other copy's events
are applied by several threads released together, each event twice (a redelivery racing the
first delivery), in a shuffled order, through the real task (`payments.apply_webhook_event`)
retried as the worker would retry it. Where the customer or the Vendor comes back from Stripe
(the return pages), that request races the webhooks too.
"""
import os
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import select

from marketplace.core.tasks import run_task_here
from marketplace.extensions import db
from marketplace.notifications.models import SentEmail
from marketplace.orders.models import Order, OrderEvent
from marketplace.payments.connect import refresh_vendor_account
from marketplace.payments.models import Transfer, WebhookEvent
from marketplace.payments.services import start_payment
from marketplace.payments.states import TransferStatus
from marketplace.vendors.models import Vendor
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.payments import place_test_order
from tests.factories.vendors import VendorFactory
from workers.celery_app import TRANSIENT_ERRORS

pytestmark = pytest.mark.slow

#: How many times each story is raced (RACE_ROUNDS=50 for a longer hunt).
ROUNDS = int(os.environ.get("RACE_ROUNDS", "5"))


@pytest.fixture
def races(app, committed_db, stripe_gateway, localstripe):
    """Committed rows (the threads see only those), the Stripe gateway, a seeded shuffle."""
    return Races(app, localstripe, random.Random(20261205))


class Races:
    def __init__(self, app, localstripe, rng: random.Random):
        self.app, self.localstripe, self.rng = app, localstripe, rng
        self.transient: list[BaseException] = []
        self.unexpected: list[BaseException] = []

    # --- storing and applying events --------------------------------------------------------

    def store(self, event_type: str, obj: dict) -> int:
        """An event as the webhook view stores it (its task is run by the test)."""
        event = WebhookEvent(gateway="stripe", event_id=f"evt_{uuid.uuid4().hex}",
                             type=event_type, object_id=obj["id"], payload=obj)
        db.session.add(event)
        db.session.commit()
        return event.id

    def apply(self, event_id: int) -> None:
        """One delivery, as a worker runs it: the task, retried on what it retries."""
        for _attempt in range(40):
            try:
                run_task_here(self.app, "payments.apply_webhook_event",
                              {"webhook_event_id": event_id}, task_id=str(uuid.uuid4()))
                return
            except TRANSIENT_ERRORS as error:
                self.transient.append(error)
                time.sleep(random.uniform(0, 0.02))
            except Exception as error:
                self.unexpected.append(error)
                return
        self.unexpected.append(RuntimeError(f"event {event_id} never applied"))

    def play(self, steps: list[Callable[[], tuple[str, dict]]], *, raced: bool,
             then: tuple[Callable[[], None], ...] = ()) -> None:
        """Play a story at the provider: each step changes something there and returns the
        event Stripe sends about it. Ordered: each event applied before the next step.
        Raced: each event applied by two threads at once (a redelivery racing the first
        delivery) as soon as it is sent, while the provider moves on and the next events
        come; `then` (the return pages) joins the race after the last step."""
        threads: list[threading.Thread] = []

        def start(job: Callable[[], None]) -> None:
            def run() -> None:
                try:
                    job()
                except Exception as error:  # a return page that failed
                    self.unexpected.append(error)

            thread = threading.Thread(target=run)
            thread.start()
            threads.append(thread)

        for step in steps:
            event_id = self.store(*step())
            if not raced:
                self.apply(event_id)
                continue
            for _delivery in range(2):
                start(lambda event_id=event_id: self.apply(event_id))
        for job in then:
            if raced:
                start(job)
            else:
                job()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads), "a delivery hung"

    def check(self) -> None:
        assert self.unexpected == [], self.unexpected
        db.session.expire_all()

    # --- the objects of the stories ------------------------------------------------------------

    def order(self) -> Order:
        scarf = VariantFactory(price_cents=2500, stock=50,
                               product=ProductFactory(vendor=VendorFactory()))
        blanket = VariantFactory(price_cents=7000, stock=50,
                                 product=ProductFactory(vendor=VendorFactory()))
        order = place_test_order((scarf, 2), (blanket, 1))
        db.session.commit()
        start_payment(payment=order.payment)
        db.session.commit()
        return order

    def intent(self, order: Order) -> dict:
        return self.localstripe.get("payment_intents", order.payment.provider_ref)

    def confirm(self, order: Order, card: str = "pm_card_visa") -> None:
        self.localstripe.post(f"/v1/payment_intents/{order.payment.provider_ref}/confirm",
                              payment_method=card, check=False)

    def return_page(self, order: Order) -> Callable[[], None]:
        """The customer's browser coming back from Stripe to `/pay/<number>/return`."""
        url = f"/pay/{order.number}/return?token={order.access_token}"

        def visit() -> None:
            response = self.app.test_client().get(url)
            assert response.status_code == 302, response.status_code

        return visit


def order_state(order_id: int) -> dict:
    """What the customer, the Vendors and the Admins see of an Order, without ids or dates."""
    db.session.expire_all()
    order = db.session.get(Order, order_id)
    payment = order.payment
    history = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id))
    return {
        "order": order.status,
        "payment": (payment.status, payment.refunded_cents, payment.failure_message),
        "vendor_orders": sorted((vo.status, vo.refunded_cents) for vo in order.vendor_orders),
        "refunds": sorted((r.amount_cents, r.status, r.provider_ref is not None)
                          for r in payment.refunds),
        "disputes": [(d.amount_cents, d.reason, d.provider_status) for d in payment.disputes],
        # Notes of money moved and disputes, each once. Status changes on the way are not
        # compared: an event applied after the provider moved on reads the newer state, so
        # a decline already followed by a success is skipped, as a late webhook skips it.
        "history": Counter((e.vendor_order_id is None, e.from_status, e.to_status, e.note)
                           for e in history if e.from_status == e.to_status and e.note),
        # What the events send (the email for placing the Order goes with the test's own
        # commits, at a moment that differs between the two copies).
        "emails": Counter(email.template for email in db.session.scalars(
            select(SentEmail).where(SentEmail.dedupe_key.contains(order.number),
                                    SentEmail.template != "order_received"))),
    }


def test_payment_intent_events_and_the_return_page_raced(races):
    for _round in range(ROUNDS):
        orders = {}
        for raced in (False, True):
            order = orders[raced] = races.order()

            def declined(order=order):
                races.confirm(order, "pm_card_visa_chargeDeclined")
                return "payment_intent.payment_failed", races.intent(order)

            def paid(order=order):
                races.confirm(order)
                return "payment_intent.succeeded", races.intent(order)

            races.play([declined, paid], raced=raced,
                       then=(races.return_page(order), races.return_page(order)))

        races.check()
        expected = order_state(orders[False].id)
        assert order_state(orders[True].id) == expected
        assert expected["order"] == "paid" and expected["emails"]["order_confirmation"] == 1


def test_refund_events_raced(races):
    for _round in range(ROUNDS):
        orders = {}
        for raced in (False, True):
            order = orders[raced] = races.order()

            def paid(order=order):
                races.confirm(order)
                return "payment_intent.succeeded", races.intent(order)

            def refunded(amount, order=order):
                refund = races.localstripe.post(
                    "/v1/refunds", payment_intent=order.payment.provider_ref, amount=amount)
                return "charge.refunded", races.localstripe.get("charges", refund["charge"])

            races.play([paid, lambda: refunded(3000), lambda: refunded(2000)], raced=raced)

        races.check()
        expected = order_state(orders[False].id)
        assert order_state(orders[True].id) == expected
        assert expected["payment"] == ("partially_refunded", 5000, "")
        assert expected["refunds"] == [(2000, "succeeded", True), (3000, "succeeded", True)]


def test_dispute_events_raced(races):
    """The issue's case: created and closed delivered together must end lost, not open."""
    for _round in range(ROUNDS):
        orders = {}
        for raced in (False, True):
            order = orders[raced] = races.order()
            races.confirm(order)
            races.play([lambda order=order: ("payment_intent.succeeded", races.intent(order))],
                       raced=False)
            charge = races.intent(order)["latest_charge"]["id"]
            dispute: dict = {}

            def opened(charge=charge, dispute=dispute):
                dispute.update(races.localstripe.open_dispute(charge))
                return "charge.dispute.created", dict(dispute)

            def moved(status, dispute=dispute):
                event = "charge.dispute.closed" if status == "lost" else "charge.dispute.updated"
                return event, races.localstripe.move_dispute(dispute["id"], status)

            races.play([opened, lambda: moved("under_review"), lambda: moved("lost")],
                       raced=raced)

        races.check()
        expected = order_state(orders[False].id)
        assert order_state(orders[True].id) == expected
        assert expected["disputes"] == [(orders[False].total_cents, "fraudulent", "lost")]
        notes = expected["history"]
        assert sum(n for key, n in notes.items() if "Litige ouvert" in key[3]) == 1
        assert sum(n for key, n in notes.items() if "Litige clos" in key[3]) == 1


def test_transfer_reversal_events_raced(races, stripe_gateway):
    vendor = VendorFactory()
    account = stripe_gateway.create_connected_account(email="", idempotency_key="race-vendor")
    races.localstripe.complete_onboarding(account.provider_ref)
    vendor.stripe_account_id, vendor.payouts_enabled = account.provider_ref, True
    db.session.commit()
    for round_number in range(ROUNDS):
        transfers = {}
        for raced in (False, True):
            key = f"race-{round_number}-{raced}"
            sent = stripe_gateway.create_transfer(
                amount_cents=6000, currency="EUR", destination=account.provider_ref,
                transfer_group=key, idempotency_key=key, metadata={})
            transfer = Transfer(vendor=vendor, amount_cents=6000, transfer_group=key,
                                idempotency_key=key, status=TransferStatus.SUCCEEDED,
                                provider_ref=sent.provider_ref)
            db.session.add(transfer)
            db.session.commit()
            transfers[raced] = transfer.id

            def reversed_(amount, ref=sent.provider_ref):
                races.localstripe.post(f"/v1/transfers/{ref}/reversals", amount=amount)
                return "transfer.reversed", races.localstripe.get("transfers", ref)

            races.play([lambda ref=sent.provider_ref: ("transfer.created",
                                                       races.localstripe.get("transfers", ref)),
                        lambda: reversed_(1000), lambda: reversed_(1500),
                        lambda: reversed_(500)], raced=raced)

        races.check()

        def state(transfer_id: int) -> tuple:
            transfer = db.session.get(Transfer, transfer_id)
            return transfer.status, transfer.amount_reversed_cents

        assert state(transfers[True]) == state(transfers[False]) == ("succeeded", 3000)


def test_account_events_and_the_onboarding_return_raced(races, stripe_gateway):
    for round_number in range(ROUNDS):
        vendors = {}
        for raced in (False, True):
            vendor = VendorFactory()
            account = stripe_gateway.create_connected_account(
                email="", idempotency_key=f"race-account-{round_number}-{raced}")
            vendor.stripe_account_id = account.provider_ref
            db.session.commit()
            vendors[raced] = vendor.id

            def updated(ref=account.provider_ref):
                return "account.updated", races.localstripe.get("accounts", ref)

            def onboarded(ref=account.provider_ref):
                races.localstripe.complete_onboarding(ref)
                return updated(ref)

            def back_from_onboarding(vendor_id=vendor.id) -> None:
                with races.app.app_context():
                    refresh_vendor_account(vendor=db.session.get(Vendor, vendor_id))
                    db.session.commit()

            races.play([updated, onboarded], raced=raced,
                       then=(back_from_onboarding, back_from_onboarding))

        races.check()
        assert db.session.get(Vendor, vendors[True]).payouts_enabled
        assert db.session.get(Vendor, vendors[False]).payouts_enabled
