"""Admin screens: who may enter, and the Pickup slot, Delivery zone and round forms."""

import html
import secrets
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from marketplace.accounts.models import Role
from marketplace.core.models import utcnow
from marketplace.core.outbox import OutboxMessage
from marketplace.delivery.models import DeliveryRound, DeliveryZone, PickupSlot
from marketplace.delivery.services import book_round_stop
from marketplace.extensions import db
from marketplace.orders.models import DeliveryMethod, Order
from tests.factories.accounts import AdminFactory, UserFactory
from tests.factories.delivery import DeliveryRoundFactory, DeliveryZoneFactory, PickupSlotFactory

NEXT_SUMMER = date(datetime.now(UTC).year + 1, 7, 14)


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def save():
    """End the test's setup as a request would find it: a view's rollback after a refusal
    undoes only the request's own work."""
    db.session.commit()


@pytest.fixture
def admin(client, login_as):
    user = login_as(AdminFactory())
    save()
    return user


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pickup-slots",
        "/admin/pickup-slots/new",
        "/admin/delivery-zones",
        "/admin/delivery-rounds/new",
    ],
)
def test_customers_and_vendors_get_403(client, login_as, path):
    login_as(UserFactory())
    assert client.get(path).status_code == 403
    login_as(UserFactory(role=Role.VENDOR))
    assert client.get(path).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/admin/pickup-slots")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_customer_cannot_post_to_admin_forms(client, login_as):
    login_as(UserFactory())
    response = client.post(
        "/admin/delivery-zones/new", data={"name": "Pirate", "postcodes": "81100", "fee": "0"}
    )
    assert response.status_code == 403
    assert db.session.scalar(select(DeliveryZone)) is None


def test_dashboard_links_every_screen_and_shows_what_comes(client, admin):
    PickupSlotFactory(capacity=12, booked=5)
    DeliveryRoundFactory(zone__name="Castres nord", booked_stops=3, capacity_stops=20)
    page = page_text(client.get("/admin/"))
    for path in ("/admin/pickup-slots", "/admin/delivery-zones", "/admin/delivery-rounds"):
        assert f'href="{path}"' in page
    assert "5 / 12" in page
    assert "Castres nord" in page and "3 / 20" in page


def test_dashboard_shows_background_work_that_did_not_go_through(client, admin, db_session):
    assert "Tâches en arrière-plan" not in page_text(client.get("/admin/"))
    db_session.add_all([
        OutboxMessage(task_name="payments.apply_webhook_event", kwargs={},
                      sent_at=utcnow() - timedelta(minutes=5), attempts=1,
                      last_error="RuntimeError: handler bug"),
        OutboxMessage(task_name="notifications.send_email", kwargs={},
                      sent_at=utcnow() - timedelta(seconds=5), attempts=1),  # running
        OutboxMessage(task_name="payments.send_refund", kwargs={}, attempts=2,
                      last_error="OperationalError: Error 111 connecting to Redis"),
    ])
    db_session.flush()
    page = page_text(client.get("/admin/"))
    assert "Tâches en arrière-plan en retard" in page
    assert "payments.apply_webhook_event" in page and "RuntimeError: handler bug" in page
    assert "payments.send_refund" in page and "Error 111" in page
    assert "notifications.send_email" not in page
    assert "1 en attente d'envoi, 1 envoyées" in page


# --- Pickup slots ----------------------------------------------------------------------------


def test_admin_creates_a_pickup_slot_in_castres_time(client, admin):
    response = client.post(
        "/admin/pickup-slots/new",
        data={
            "day": NEXT_SUMMER.isoformat(),
            "starts_at": "10:00",
            "ends_at": "12:30",
            "capacity": "15",
            "fee": "2,50",
        },
    )
    assert response.status_code == 302
    slot = db.session.scalar(select(PickupSlot))
    assert slot.starts_at == datetime(NEXT_SUMMER.year, 7, 14, 8, 0, tzinfo=UTC)
    assert slot.ends_at == datetime(NEXT_SUMMER.year, 7, 14, 10, 30, tzinfo=UTC)
    assert (slot.capacity, slot.booked, slot.fee_cents) == (15, 0, 250)
    listing = page_text(client.get("/admin/pickup-slots"))
    assert "10:00–12:30" in listing
    assert "2,50\u00a0€" in listing


def test_slot_ending_before_it_starts_is_refused(client, admin):
    response = client.post(
        "/admin/pickup-slots/new",
        data={
            "day": NEXT_SUMMER.isoformat(),
            "starts_at": "14:00",
            "ends_at": "13:00",
            "capacity": "5",
            "fee": "0",
        },
    )
    assert response.status_code == 422  # refused: the request is rolled back
    assert "L'heure de fin doit suivre l'heure de début." in page_text(response)
    assert db.session.scalar(select(PickupSlot)) is None


def test_slot_capacity_cannot_go_below_booked_on_the_edit_screen(client, admin):
    slot = PickupSlotFactory(capacity=10, booked=6)
    save()
    form = page_text(client.get(f"/admin/pickup-slots/{slot.id}/edit"))
    assert "6 places déjà réservées" in form
    day = slot.starts_at.astimezone(UTC).date().isoformat()
    data = {"day": day, "starts_at": "09:00", "ends_at": "11:00", "capacity": "5", "fee": "1"}

    refused = client.post(f"/admin/pickup-slots/{slot.id}/edit", data=data)
    assert "La capacité ne peut pas être inférieure aux 6 places déjà réservées." in page_text(
        refused
    )
    db.session.refresh(slot)
    assert slot.capacity == 10

    accepted = client.post(f"/admin/pickup-slots/{slot.id}/edit", data={**data, "capacity": "6"})
    assert accepted.status_code == 302
    db.session.refresh(slot)
    assert (slot.capacity, slot.fee_cents) == (6, 100)


def test_past_slots_have_their_own_tab(client, admin):
    now = datetime.now(UTC)
    PickupSlotFactory(starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3, hours=-2))
    PickupSlotFactory(starts_at=now + timedelta(days=3), capacity=7)
    upcoming = page_text(client.get("/admin/pickup-slots"))
    past = page_text(client.get("/admin/pickup-slots?past=1"))
    assert "0 / 7" in upcoming and "0 / 10" not in upcoming
    assert "0 / 10" in past and "0 / 7" not in past


def test_unknown_slot_is_404(client, admin):
    assert client.get("/admin/pickup-slots/999999/edit").status_code == 404


# --- Delivery zones --------------------------------------------------------------------------


def test_admin_creates_a_zone_from_a_list_of_postcodes(client, admin):
    response = client.post(
        "/admin/delivery-zones/new",
        data={
            "name": "Castres et alentours",
            "postcodes": "81100, 81290 81100\n81200",
            "fee": "4,5",
        },
    )
    assert response.status_code == 302
    zone = db.session.scalar(select(DeliveryZone))
    assert (zone.name, zone.postcodes, zone.fee_cents) == (
        "Castres et alentours",
        ["81100", "81200", "81290"],
        450,
    )
    assert "81100, 81200, 81290" in page_text(client.get("/admin/delivery-zones"))


def test_invalid_postcodes_are_named_next_to_the_field(client, admin):
    response = client.post(
        "/admin/delivery-zones/new",
        data={"name": "Montagne Noire", "postcodes": "81100, 8120, Mazamet", "fee": "5"},
    )
    assert response.status_code == 422  # refused: the request is rolled back
    assert "Codes postaux invalides : 8120, Mazamet" in page_text(response)
    assert db.session.scalar(select(DeliveryZone)) is None


def test_a_fee_with_a_fraction_of_a_cent_is_refused_not_rounded(client, admin):
    response = client.post(
        "/admin/delivery-zones/new", data={"name": "Castres", "postcodes": "81100", "fee": "4,505"}
    )
    assert response.status_code == 422  # refused: the request is rolled back
    assert "« 4,505 » n'est pas un montant" in page_text(response)
    assert db.session.scalar(select(DeliveryZone)) is None


def test_zone_names_are_unique(client, admin):
    DeliveryZoneFactory(name="Castres")
    save()
    response = client.post(
        "/admin/delivery-zones/new", data={"name": "castres", "postcodes": "81100", "fee": "5"}
    )
    assert "Une zone de livraison porte déjà le nom « castres »." in page_text(response)


def test_admin_edits_a_zone(client, admin):
    zone = DeliveryZoneFactory(name="Sidobre", postcodes=["81260"], fee_cents=500)
    form = page_text(client.get(f"/admin/delivery-zones/{zone.id}/edit"))
    assert "81260" in form and 'value="5,00"' in form
    client.post(
        f"/admin/delivery-zones/{zone.id}/edit",
        data={"name": "Sidobre", "postcodes": "81260 81470", "fee": "6"},
    )
    db.session.refresh(zone)
    assert (zone.postcodes, zone.fee_cents) == (["81260", "81470"], 600)


# --- Delivery rounds -------------------------------------------------------------------------


def round_data(zone, **overrides):
    data = {
        "zone_id": str(zone.id),
        "delivery_date": NEXT_SUMMER.isoformat(),
        "cutoff_day": (NEXT_SUMMER - timedelta(days=1)).isoformat(),
        "cutoff_time": "18:00",
        "capacity_stops": "25",
        "capacity_kg": "350,5",
    }
    return {**data, **overrides}


def test_admin_creates_a_round(client, admin):
    zone = DeliveryZoneFactory(name="Castres")
    response = client.post("/admin/delivery-rounds/new", data=round_data(zone))
    assert response.status_code == 302
    delivery_round = db.session.scalar(select(DeliveryRound))
    assert delivery_round.zone_id == zone.id
    assert delivery_round.delivery_date == NEXT_SUMMER
    # 18:00 in Castres in July is 16:00 UTC.
    assert delivery_round.cutoff_at == datetime(NEXT_SUMMER.year, 7, 13, 16, 0, tzinfo=UTC)
    assert (delivery_round.capacity_stops, delivery_round.capacity_grams) == (25, 350_500)
    listing = page_text(client.get("/admin/delivery-rounds"))
    assert "Castres" in listing and "0 / 25" in listing and "0 / 350,5" in listing


def test_round_cutoff_after_the_delivery_day_is_refused(client, admin):
    zone = DeliveryZoneFactory()
    response = client.post(
        "/admin/delivery-rounds/new",
        data=round_data(zone, cutoff_day=(NEXT_SUMMER + timedelta(days=1)).isoformat()),
    )
    assert "La clôture des commandes doit précéder la fin du jour de livraison." in page_text(
        response
    )
    assert db.session.scalar(select(DeliveryRound)) is None


def test_new_round_without_any_zone_asks_for_a_zone_first(client, admin):
    response = client.get("/admin/delivery-rounds/new")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/delivery-zones/new")


def test_round_edit_shows_bookings_and_protects_them(client, admin):
    zone = DeliveryZoneFactory()
    delivery_round = DeliveryRoundFactory(zone=zone, capacity_stops=10, capacity_grams=50_000)
    order = Order(
        number="LA-2026-000042",
        email="client@example.fr",
        checkout_key=secrets.token_hex(8),
        access_token=secrets.token_hex(8),
        delivery_method=DeliveryMethod.ROUND,
        goods_cents=0,
        delivery_cents=0,
        total_cents=0,
    )
    db.session.add(order)
    db.session.flush()
    book_round_stop(
        round_id=delivery_round.id, order_id=order.id, weight_grams=12_500, now=datetime.now(UTC)
    )
    other_zone = DeliveryZoneFactory()
    save()

    form = page_text(client.get(f"/admin/delivery-rounds/{delivery_round.id}/edit"))
    assert "Déjà réservé : 1 arrêts, 12,5 kg." in form
    assert "LA-2026-000042" in form
    assert 'name="capacity_kg" required step="0.1" type="number" value="50"' in form

    cutoff = delivery_round.cutoff_at.astimezone(UTC)
    data = round_data(
        zone,
        delivery_date=delivery_round.delivery_date.isoformat(),
        cutoff_day=cutoff.date().isoformat(),
        cutoff_time="10:00",
        capacity_stops="10",
        capacity_kg="12",
    )
    refused = page_text(client.post(f"/admin/delivery-rounds/{delivery_round.id}/edit", data=data))
    assert "(1 arrêts, 12,5 kg)" in refused
    moved = page_text(
        client.post(
            f"/admin/delivery-rounds/{delivery_round.id}/edit",
            data={**data, "capacity_kg": "50", "zone_id": str(other_zone.id)},
        )
    )
    assert "sa zone ne peut plus changer" in moved
    db.session.refresh(delivery_round)
    assert (delivery_round.zone_id, delivery_round.capacity_grams) == (zone.id, 50_000)

    accepted = client.post(
        f"/admin/delivery-rounds/{delivery_round.id}/edit", data={**data, "capacity_kg": "12,5"}
    )
    assert accepted.status_code == 302
    db.session.refresh(delivery_round)
    assert delivery_round.capacity_grams == 12_500
