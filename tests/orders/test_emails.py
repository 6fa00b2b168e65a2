"""The Order emails, rendered from what checkout put in the outbox, as the email task does."""
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from marketplace.core.outbox import OutboxMessage
from marketplace.extensions import db
from marketplace.notifications.services import send_templated_email
from marketplace.payments.services import confirm_payment, expire_unpaid_orders
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.delivery import PickupSlotFactory
from tests.factories.orders import check_out, fill_cart, pickup
from tests.factories.vendors import VendorFactory

NOW = datetime(2026, 4, 14, 9, 30, tzinfo=UTC)


def _render(message: OutboxMessage, monkeypatch) -> dict[str, str]:
    """Send the email through the notifications service, keeping what would be delivered."""
    sent = {}

    def capture(email):  # noqa: ANN001
        sent["subject"] = email["Subject"]
        sent["to"] = email["To"]
        sent["text"] = email.get_body(preferencelist=("plain",)).get_content()
        sent["html"] = email.get_body(preferencelist=("html",)).get_content()

    monkeypatch.setattr("marketplace.notifications.services.deliver", capture)
    # The outbox stores JSON: what the task receives is what survives the round trip.
    assert send_templated_email(**json.loads(json.dumps(message.kwargs)))
    return sent


def _message(key: str) -> OutboxMessage:
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == key))


@pytest.fixture
def paid_order(db_session):
    honey = VariantFactory(
        product=ProductFactory(vendor=VendorFactory(name="Rucher d'Anglès",
                                                    contact_email="rucher@example.fr"),
                               name="Miel de châtaignier", vat_rate_bps=550),
        size="", price_cents=900,
    )
    slot = PickupSlotFactory(starts_at=NOW + timedelta(days=1),
                             ends_at=NOW + timedelta(days=1, hours=3))
    order = check_out(fill_cart((honey, 2)), delivery=pickup(slot), now=NOW,
                      email="lea@example.fr")
    confirm_payment(payment=order.payment, payment_method="4242424242424242", now=NOW)
    return order


def test_order_received_email_has_the_pay_link_and_the_summary(paid_order, monkeypatch):
    email = _render(_message(f"order-received:{paid_order.number}"), monkeypatch)

    assert email["to"] == "lea@example.fr"
    assert paid_order.number in email["subject"]
    assert f"/pay/{paid_order.number}?token={paid_order.access_token}" in email["text"]
    assert "2 × Miel de châtaignier : 18,00\u00a0€" in email["text"]
    assert "dont TVA 5,5 %" in email["text"]
    assert "Retrait à la boutique des Ateliers le mercredi 15 avril 2026, 11:30" in email["text"]


def test_confirmation_email_gives_a_guest_the_link_to_follow(paid_order, monkeypatch):
    email = _render(_message(f"order-confirmation:{paid_order.number}"), monkeypatch)

    follow = f"/orders/{paid_order.number}?token={paid_order.access_token}"
    assert follow in email["text"]
    assert follow in email["html"]
    assert "il ne faut pas de compte" in email["text"]
    assert email["subject"] == f"Commande {paid_order.number} confirmée"


def test_vendor_is_told_what_to_prepare_without_the_address_for_a_pickup(paid_order, monkeypatch):
    vendor_order = paid_order.vendor_orders[0]
    email = _render(_message(f"vendor-order-paid:{vendor_order.number}"), monkeypatch)

    assert email["to"] == "rucher@example.fr"
    assert vendor_order.number in email["subject"]
    assert "2 × Miel de châtaignier" in email["text"]
    assert "Déposez ces articles à la boutique des Ateliers" in email["text"]
    assert paid_order.address["line1"] not in email["text"]


def test_expired_order_email(db_session, monkeypatch):
    order = check_out(fill_cart((VariantFactory(), 1)), now=NOW)
    expire_unpaid_orders(now=NOW + timedelta(hours=1))

    email = _render(_message(f"order-expired:{order.number}"), monkeypatch)

    assert "aucun montant ne vous sera prélevé" in email["text"]
