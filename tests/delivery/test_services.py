"""Delivery rules: vendor shipping, quotes, bookings that never overbook, admin changes."""

import secrets
import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from marketplace.cart.services import add_to_cart, get_or_create_cart, summarize_cart
from marketplace.delivery.errors import DeliveryError, DeliveryErrorCode
from marketplace.delivery.models import PickupSlot, RoundStop
from marketplace.delivery.services import (
    book_pickup_slot,
    book_round_stop,
    create_delivery_round,
    create_delivery_zone,
    delivery_quote,
    format_kilograms,
    hub_time_to_utc,
    parse_postcodes,
    release_pickup_slot,
    release_round_stop,
    update_delivery_round,
    update_delivery_zone,
    update_pickup_slot,
    utc_to_hub_time,
    vendor_shipping_fee_cents,
)
from marketplace.extensions import db
from marketplace.orders.models import DeliveryMethod, Order
from tests.factories.catalog import VariantFactory
from tests.factories.delivery import DeliveryRoundFactory, DeliveryZoneFactory, PickupSlotFactory
from tests.factories.vendors import VendorFactory


def make_order(method: DeliveryMethod = DeliveryMethod.ROUND) -> Order:
    """A bare Order row, enough to hold a booking."""
    order = Order(
        number=f"LA-T-{secrets.token_hex(4)}",
        email="client@example.fr",
        checkout_key=secrets.token_hex(16),
        access_token=secrets.token_hex(16),
        delivery_method=method,
        goods_cents=1000,
        delivery_cents=0,
        total_cents=1000,
    )
    db.session.add(order)
    db.session.flush()
    return order


@pytest.fixture
def now():
    return datetime.now(UTC)


# --- Vendor shipping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("goods_cents", "fee"), [(0, 0), (1, 690), (5999, 690), (6000, 0), (12000, 0)]
)
def test_vendor_shipping_is_flat_and_free_from_the_threshold(db_session, goods_cents, fee):
    vendor = VendorFactory(shipping_flat_cents=690, free_shipping_threshold_cents=6000)
    assert vendor_shipping_fee_cents(vendor=vendor, goods_cents=goods_cents) == fee


def test_vendor_without_threshold_always_charges_its_flat_rate(db_session):
    vendor = VendorFactory(shipping_flat_cents=490, free_shipping_threshold_cents=None)
    assert vendor_shipping_fee_cents(vendor=vendor, goods_cents=100_000) == 490


# --- Quotes ----------------------------------------------------------------------------------


@pytest.fixture
def two_vendor_cart(db_session):
    """18,00 € from a farm (shipping 5,90 €) and 65,00 € from a workshop (free from 60 €)."""
    farm = VendorFactory(name="Ferme", shipping_flat_cents=590, free_shipping_threshold_cents=None)
    workshop = VendorFactory(
        name="Atelier", shipping_flat_cents=690, free_shipping_threshold_cents=6000
    )
    cart = get_or_create_cart(user=None, token=None)
    add_to_cart(
        cart=cart,
        variant_id=VariantFactory(product__vendor=farm, price_cents=900, weight_grams=1000).id,
        quantity=2,
    )
    add_to_cart(
        cart=cart,
        variant_id=VariantFactory(product__vendor=workshop, price_cents=6500, weight_grams=500).id,
        quantity=1,
    )
    return cart, farm, workshop


def test_quote_prices_vendor_shipping_per_vendor(two_vendor_cart, now):
    cart, farm, workshop = two_vendor_cart
    quote = delivery_quote(summary=summarize_cart(cart), postcode=None, now=now)
    assert quote.vendor_shipping == {farm.id: 590, workshop.id: 0}
    assert quote.vendor_shipping_total_cents == 590


def test_quote_offers_future_pickup_slots_with_room_soonest_first(two_vendor_cart, now):
    cart, *_ = two_vendor_cart
    later = PickupSlotFactory(starts_at=now + timedelta(days=3), fee_cents=200)
    sooner = PickupSlotFactory(starts_at=now + timedelta(days=1), fee_cents=0)
    PickupSlotFactory(starts_at=now + timedelta(days=2), capacity=2, booked=2)  # full
    PickupSlotFactory(starts_at=now - timedelta(hours=1))  # started
    quote = delivery_quote(summary=summarize_cart(cart), postcode=None, now=now)
    assert quote.pickup_slots == [sooner, later]
    assert quote.pickup_fee_cents == 0


def test_quote_offers_rounds_for_the_postcode_before_cutoff_with_room(two_vendor_cart, now):
    cart, *_ = two_vendor_cart  # 2,5 kg
    castres = DeliveryZoneFactory(name="Castres", postcodes=["81100"], fee_cents=450)
    mazamet = DeliveryZoneFactory(name="Mazamet", postcodes=["81200"], fee_cents=650)
    good = DeliveryRoundFactory(zone=castres, cutoff_at=now + timedelta(hours=5))
    DeliveryRoundFactory(zone=mazamet)  # another zone
    DeliveryRoundFactory(zone=castres, cutoff_at=now - timedelta(minutes=1))  # closed
    DeliveryRoundFactory(zone=castres, capacity_stops=3, booked_stops=3)  # no stop left
    DeliveryRoundFactory(zone=castres, capacity_grams=10_000, booked_grams=8_000)  # too heavy
    just_fits = DeliveryRoundFactory(
        zone=castres, capacity_grams=10_000, booked_grams=7_500, cutoff_at=now + timedelta(days=2)
    )

    quote = delivery_quote(summary=summarize_cart(cart), postcode=" 81 100 ", now=now)

    assert quote.postcode == "81100" and quote.postcode_served
    assert quote.rounds == [good, just_fits]
    assert quote.round_fee_cents == 450


def test_quote_for_a_postcode_outside_every_zone(two_vendor_cart, now):
    cart, *_ = two_vendor_cart
    DeliveryRoundFactory(zone=DeliveryZoneFactory(postcodes=["81100"]))
    quote = delivery_quote(summary=summarize_cart(cart), postcode="75011", now=now)
    assert (quote.rounds, quote.postcode_served, quote.round_fee_cents) == ([], False, None)
    assert delivery_quote(summary=summarize_cart(cart), postcode="abc", now=now).postcode is None


# --- Pickup slot bookings --------------------------------------------------------------------


def test_booking_a_pickup_slot_takes_one_place(db_session, now):
    slot = PickupSlotFactory(capacity=2)
    assert book_pickup_slot(slot_id=slot.id, now=now).booked == 1
    assert book_pickup_slot(slot_id=slot.id, now=now).booked == 2
    with pytest.raises(DeliveryError) as refused:
        book_pickup_slot(slot_id=slot.id, now=now)
    assert refused.value.code == DeliveryErrorCode.SLOT_FULL
    assert "complet" in refused.value.message
    assert db.session.get(PickupSlot, slot.id).booked == 2


def test_a_started_slot_cannot_be_booked(db_session, now):
    slot = PickupSlotFactory(starts_at=now - timedelta(minutes=5))
    with pytest.raises(DeliveryError) as refused:
        book_pickup_slot(slot_id=slot.id, now=now)
    assert refused.value.code == DeliveryErrorCode.SLOT_PAST
    with pytest.raises(DeliveryError) as missing:
        book_pickup_slot(slot_id=slot.id + 1000, now=now)
    assert missing.value.code == DeliveryErrorCode.SLOT_NOT_FOUND


def test_releasing_a_pickup_place_for_an_order_happens_once(db_session, now):
    slot = PickupSlotFactory(capacity=3)
    order = make_order(DeliveryMethod.PICKUP)
    other = make_order(DeliveryMethod.PICKUP)
    book_pickup_slot(slot_id=slot.id, now=now, order_id=order.id)
    book_pickup_slot(slot_id=slot.id, now=now, order_id=order.id)  # a retry takes no second place
    book_pickup_slot(slot_id=slot.id, now=now, order_id=other.id)
    assert db.session.get(PickupSlot, slot.id).booked == 2

    release_pickup_slot(slot_id=slot.id, order_id=order.id)
    release_pickup_slot(slot_id=slot.id, order_id=order.id)
    assert db.session.get(PickupSlot, slot.id).booked == 1


def test_releasing_without_an_order_never_goes_below_zero(db_session, now):
    slot = PickupSlotFactory()
    book_pickup_slot(slot_id=slot.id, now=now)
    release_pickup_slot(slot_id=slot.id)
    release_pickup_slot(slot_id=slot.id)
    assert db.session.get(PickupSlot, slot.id).booked == 0


# --- Delivery round bookings -----------------------------------------------------------------


def test_round_capacity_in_stops(db_session, now):
    delivery_round = DeliveryRoundFactory(capacity_stops=2)
    first = book_round_stop(
        round_id=delivery_round.id, order_id=make_order().id, weight_grams=1000, now=now
    )
    book_round_stop(
        round_id=delivery_round.id, order_id=make_order().id, weight_grams=1000, now=now
    )
    with pytest.raises(DeliveryError) as refused:
        book_round_stop(
            round_id=delivery_round.id, order_id=make_order().id, weight_grams=1, now=now
        )
    assert refused.value.code == DeliveryErrorCode.ROUND_FULL
    db.session.refresh(delivery_round)
    assert (delivery_round.booked_stops, delivery_round.booked_grams) == (2, 2000)
    assert first.position == 1


def test_round_capacity_in_kilograms(db_session, now):
    delivery_round = DeliveryRoundFactory(capacity_grams=10_000)
    book_round_stop(
        round_id=delivery_round.id, order_id=make_order().id, weight_grams=7_000, now=now
    )
    with pytest.raises(DeliveryError) as refused:
        book_round_stop(
            round_id=delivery_round.id, order_id=make_order().id, weight_grams=3_001, now=now
        )
    assert refused.value.code == DeliveryErrorCode.ROUND_TOO_HEAVY
    book_round_stop(
        round_id=delivery_round.id, order_id=make_order().id, weight_grams=3_000, now=now
    )
    db.session.refresh(delivery_round)
    assert (delivery_round.booked_stops, delivery_round.booked_grams) == (2, 10_000)


def test_round_closed_after_cutoff(db_session, now):
    delivery_round = DeliveryRoundFactory(cutoff_at=now - timedelta(seconds=1))
    with pytest.raises(DeliveryError) as refused:
        book_round_stop(
            round_id=delivery_round.id, order_id=make_order().id, weight_grams=0, now=now
        )
    assert refused.value.code == DeliveryErrorCode.ROUND_CLOSED


def test_round_refuses_a_postcode_outside_its_zone(db_session, now):
    delivery_round = DeliveryRoundFactory(zone__postcodes=["81100"])
    with pytest.raises(DeliveryError) as refused:
        book_round_stop(
            round_id=delivery_round.id,
            order_id=make_order().id,
            weight_grams=0,
            now=now,
            postcode="31000",
        )
    assert refused.value.code == DeliveryErrorCode.POSTCODE_NOT_SERVED
    stop = book_round_stop(
        round_id=delivery_round.id,
        order_id=make_order().id,
        weight_grams=0,
        now=now,
        postcode="81100",
    )
    assert stop.round_id == delivery_round.id


def test_releasing_a_round_stop_is_idempotent(db_session, now):
    delivery_round = DeliveryRoundFactory()
    order = make_order()
    kept = make_order()
    book_round_stop(round_id=delivery_round.id, order_id=order.id, weight_grams=2_500, now=now)
    again = book_round_stop(
        round_id=delivery_round.id, order_id=order.id, weight_grams=2_500, now=now
    )
    book_round_stop(round_id=delivery_round.id, order_id=kept.id, weight_grams=1_000, now=now)
    db.session.refresh(delivery_round)
    assert (delivery_round.booked_stops, delivery_round.booked_grams) == (2, 3_500)
    assert again.order_id == order.id

    release_round_stop(order_id=order.id)
    release_round_stop(order_id=order.id)

    db.session.refresh(delivery_round)
    assert (delivery_round.booked_stops, delivery_round.booked_grams) == (1, 1_000)
    assert db.session.scalars(select(RoundStop.order_id)).all() == [kept.id]


def test_an_order_cannot_hold_stops_in_two_rounds(db_session, now):
    order = make_order()
    book_round_stop(round_id=DeliveryRoundFactory().id, order_id=order.id, weight_grams=0, now=now)
    with pytest.raises(DeliveryError) as refused:
        book_round_stop(
            round_id=DeliveryRoundFactory().id, order_id=order.id, weight_grams=0, now=now
        )
    assert refused.value.code == DeliveryErrorCode.ALREADY_BOOKED


# --- Two checkouts racing for the last place (real connections, real commits) ----------------


def _race(app, attempt):
    """Run `attempt` in two threads, each with its own connection; the first holds its
    transaction open until the second has tried, so the second must wait on the row lock."""
    outcomes: dict[str, object] = {}
    first_booked = threading.Event()

    def first():
        with app.app_context():
            try:
                attempt()
                outcomes["first"] = "booked"
                first_booked.set()
                # Let the second checkout reach the row and block on it before we commit.
                threading.Event().wait(0.5)
                db.session.commit()
            except DeliveryError as error:
                outcomes["first"] = error.code
                db.session.rollback()
            finally:
                first_booked.set()
                db.session.remove()

    def second():
        with app.app_context():
            first_booked.wait(5)
            try:
                attempt()
                db.session.commit()
                outcomes["second"] = "booked"
            except DeliveryError as error:
                outcomes["second"] = error.code
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return outcomes


@pytest.mark.slow
def test_two_checkouts_for_the_last_pickup_place_only_one_wins(app, committed_db):
    slot = PickupSlotFactory(capacity=1)
    committed_db.commit()
    slot_id = slot.id

    outcomes = _race(app, lambda: book_pickup_slot(slot_id=slot_id, now=datetime.now(UTC)))

    assert sorted(map(str, outcomes.values())) == ["booked", DeliveryErrorCode.SLOT_FULL]
    committed_db.expire_all()
    assert committed_db.get(PickupSlot, slot_id).booked == 1


@pytest.mark.slow
def test_two_checkouts_for_the_last_round_stop_only_one_wins(app, committed_db):
    delivery_round = DeliveryRoundFactory(capacity_stops=1)
    orders = [make_order(), make_order()]
    committed_db.commit()
    round_id = delivery_round.id
    order_ids = iter([order.id for order in orders])
    lock = threading.Lock()

    def attempt():
        with lock:
            order_id = next(order_ids)
        book_round_stop(
            round_id=round_id, order_id=order_id, weight_grams=500, now=datetime.now(UTC)
        )

    outcomes = _race(app, attempt)

    assert sorted(map(str, outcomes.values())) == ["booked", DeliveryErrorCode.ROUND_FULL]
    committed_db.expire_all()
    assert len(committed_db.scalars(select(RoundStop)).all()) == 1


# --- Admin changes ---------------------------------------------------------------------------


def test_times_are_entered_in_castres_and_stored_in_utc():
    summer = hub_time_to_utc(date(2026, 7, 14), time(10, 0))
    winter = hub_time_to_utc(date(2026, 1, 14), time(10, 0))
    assert (summer.hour, winter.hour) == (8, 9)
    assert summer.tzinfo == UTC
    assert utc_to_hub_time(summer).strftime("%H:%M") == "10:00"


def test_slot_capacity_cannot_drop_below_booked_places(db_session, now):
    slot = PickupSlotFactory(capacity=5, booked=3)
    starts_at, ends_at = slot.starts_at, slot.ends_at
    with pytest.raises(DeliveryError) as refused:
        update_pickup_slot(slot=slot, starts_at=starts_at, ends_at=ends_at, capacity=2, fee_cents=0)
    assert refused.value.code == DeliveryErrorCode.CAPACITY_BELOW_BOOKED
    assert "3 places" in refused.value.message
    assert slot.capacity == 5
    update_pickup_slot(slot=slot, starts_at=starts_at, ends_at=ends_at, capacity=3, fee_cents=150)
    assert (slot.capacity, slot.fee_cents) == (3, 150)


def test_slot_must_end_after_it_starts(db_session, now):
    slot = PickupSlotFactory()
    with pytest.raises(DeliveryError) as refused:
        update_pickup_slot(
            slot=slot, starts_at=slot.starts_at, ends_at=slot.starts_at, capacity=5, fee_cents=0
        )
    assert refused.value.code == DeliveryErrorCode.INVALID_SCHEDULE


def test_postcodes_are_parsed_from_commas_and_spaces_and_validated(db_session):
    assert parse_postcodes("81100, 81290 81100\n81200;") == ["81100", "81200", "81290"]
    with pytest.raises(DeliveryError) as refused:
        parse_postcodes("81100, 8110, 00123, Castres")
    assert refused.value.code == DeliveryErrorCode.INVALID_POSTCODE
    assert "8110, 00123, Castres" in refused.value.message


def test_zone_names_are_unique_whatever_the_case(db_session):
    zone = create_delivery_zone(name="Castres centre", postcodes="81100", fee_cents=400)
    with pytest.raises(DeliveryError) as refused:
        create_delivery_zone(name="castres CENTRE", postcodes="81100", fee_cents=400)
    assert refused.value.code == DeliveryErrorCode.ZONE_NAME_TAKEN
    update_delivery_zone(
        zone=zone, name="Castres centre", postcodes=["81100", "81290"], fee_cents=300
    )
    assert (zone.postcodes, zone.fee_cents) == (["81100", "81290"], 300)


def test_round_capacities_cannot_drop_below_bookings_nor_move_zone(db_session, now):
    zone = DeliveryZoneFactory()
    other_zone = DeliveryZoneFactory()
    delivery_round = create_delivery_round(
        zone=zone,
        delivery_date=(now + timedelta(days=2)).date(),
        cutoff_at=now + timedelta(days=1),
        capacity_stops=10,
        capacity_grams=100_000,
    )
    book_round_stop(
        round_id=delivery_round.id, order_id=make_order().id, weight_grams=12_500, now=now
    )
    fields = {
        "delivery_date": delivery_round.delivery_date,
        "cutoff_at": delivery_round.cutoff_at,
    }
    with pytest.raises(DeliveryError) as too_light:
        update_delivery_round(
            delivery_round=delivery_round,
            zone=zone,
            capacity_stops=10,
            capacity_grams=12_000,
            **fields,
        )
    assert too_light.value.code == DeliveryErrorCode.CAPACITY_BELOW_BOOKED
    assert "12,5 kg" in too_light.value.message
    with pytest.raises(DeliveryError) as moved:
        update_delivery_round(
            delivery_round=delivery_round,
            zone=other_zone,
            capacity_stops=10,
            capacity_grams=100_000,
            **fields,
        )
    assert moved.value.code == DeliveryErrorCode.ROUND_HAS_BOOKINGS
    update_delivery_round(
        delivery_round=delivery_round, zone=zone, capacity_stops=1, capacity_grams=12_500, **fields
    )
    assert (delivery_round.capacity_stops, delivery_round.capacity_grams) == (1, 12_500)


def test_round_cutoff_must_come_before_the_end_of_the_delivery_day(db_session):
    with pytest.raises(DeliveryError) as refused:
        create_delivery_round(
            zone=DeliveryZoneFactory(),
            delivery_date=date(2026, 6, 10),
            cutoff_at=hub_time_to_utc(date(2026, 6, 11), time(0, 0)),
            capacity_stops=10,
            capacity_grams=100_000,
        )
    assert refused.value.code == DeliveryErrorCode.INVALID_SCHEDULE


@pytest.mark.parametrize(
    ("grams", "text"), [(0, "0"), (12_500, "12,5"), (300_000, "300"), (1_234, "1,234")]
)
def test_kilograms_are_written_the_french_way(grams, text):
    assert format_kilograms(grams) == text
