"""The hub's emails, rendered from what the services put in the outbox, as the task does."""
import json

from sqlalchemy import select

from marketplace.core.outbox import OutboxMessage
from marketplace.delivery.models import RoundStop
from marketplace.extensions import db
from marketplace.logistics import services as logistics
from marketplace.notifications.services import send_templated_email
from tests.factories.accounts import AdminFactory

from .conftest import LATER


def _render(key_prefix: str, monkeypatch) -> dict[str, str]:  # noqa: ANN001
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"{key_prefix}%"))
        .order_by(OutboxMessage.dedupe_key)
    )
    sent = {}

    def capture(email):  # noqa: ANN001
        sent["subject"] = email["Subject"]
        sent["to"] = email["To"]
        sent["text"] = email.get_body(preferencelist=("plain",)).get_content()
        sent["html"] = email.get_body(preferencelist=("html",)).get_content()

    monkeypatch.setattr("marketplace.notifications.services.deliver", capture)
    assert send_templated_email(**json.loads(json.dumps(message.kwargs)))
    return sent


def test_pick_list_email_lists_what_to_bring_and_by_when(hub, monkeypatch):
    logistics.close_due(now=LATER)
    email = _render(f"pick-list:round:{hub['round'].id}:vendor:{hub['honey'].id}", monkeypatch)
    assert email["to"] == "rucher@example.fr"
    assert email["subject"].startswith("Liste de préparation : la tournée")
    assert "2 × Miel" in email["text"] and "1 × Miel" in email["text"]
    assert "Écharpe" not in email["text"]
    assert "Poids total : 1,5 kg" in email["text"]
    assert "Jules Martin" in email["html"]
    assert "/vendor/pick-lists" in email["text"]


def test_failed_delivery_email_gives_the_reason_and_the_link(hub, monkeypatch):
    logistics.close_due(now=LATER)
    admin = AdminFactory()
    order = hub["orders"]["saix"]
    stop = db.session.scalar(select(RoundStop).where(RoundStop.order_id == order.id))
    logistics.mark_stop_failed(stop=stop, actor=admin, reason="Portail fermé", now=LATER)
    email = _render(f"delivery-failed:{order.number}", monkeypatch)
    assert email["to"] == "ines@example.fr"
    assert "Portail fermé" in email["text"]
    assert f"/orders/{order.number}?token={order.access_token}" in email["text"]


def test_cancelled_date_email(hub, monkeypatch):
    logistics.cancel_round_date(delivery_round=hub["round"])
    order = hub["orders"]["castres"]
    email = _render(f"round-cancelled:{hub['round'].id}:{order.number}", monkeypatch)
    assert email["subject"] == f"Date annulée : commande {order.number}"
    assert "Choisissez une autre date" in email["text"]
