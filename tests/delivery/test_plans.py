"""Recurring plans: the planner creates each date once, never in the past, never undoing an
Admin's cancellation; one-off dates in the past are refused; free-delivery thresholds."""

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.delivery.errors import DeliveryError, DeliveryErrorCode
from marketplace.delivery.models import DeliveryRound, PickupSlot
from marketplace.delivery.services import (
    cancel_delivery_round,
    create_delivery_round,
    create_pickup_plan,
    create_pickup_slot,
    create_round_plan,
    hub_time_to_utc,
    plan_ahead,
    utc_to_hub_time,
)
from marketplace.delivery.states import RunStatus
from marketplace.extensions import db
from tests.factories.delivery import DeliveryZoneFactory

#: A Monday morning in Castres (08:30 UTC = 09:30 Paris).
MONDAY = datetime(2031, 3, 3, 8, 30, tzinfo=UTC)


def _round_plan(zone, **changes):
    values = {
        "zone": zone,
        "weekdays": [1, 4],  # Tuesday and Friday
        "departure_time": time(9, 0),
        "cutoff_days_before": 1,
        "cutoff_time": time(18, 0),
        "capacity_stops": 25,
        "capacity_grams": 300_000,
    } | changes
    return create_round_plan(**values)


def _pickup_plan(**changes):
    values = {
        "name": "Boutique",
        "weekdays": [2, 5],
        "start_time": time(16, 0),
        "end_time": time(19, 0),
        "capacity": 40,
        "fee_cents": 0,
        "cutoff_hours_before": 18,
    } | changes
    return create_pickup_plan(**values)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_planner_creates_each_date_once(db_session):
    plan = _round_plan(DeliveryZoneFactory())
    _pickup_plan()

    assert plan_ahead(now=MONDAY, weeks=2) == (4, 4)
    assert plan_ahead(now=MONDAY, weeks=2) == (0, 0)
    assert plan_ahead(now=MONDAY + timedelta(hours=1), weeks=2) == (0, 0)

    rounds = db.session.scalars(
        select(DeliveryRound).order_by(DeliveryRound.delivery_date)
    ).all()
    assert [r.delivery_date for r in rounds] == [
        date(2031, 3, 4), date(2031, 3, 7), date(2031, 3, 11), date(2031, 3, 14)
    ]
    first = rounds[0]
    assert first.plan_id == plan.id and first.status == RunStatus.OPEN
    assert first.cutoff_at == hub_time_to_utc(date(2031, 3, 3), time(18, 0))
    assert utc_to_hub_time(first.cutoff_at).hour == 18
    assert (first.capacity_stops, first.capacity_grams) == (25, 300_000)
    assert first.departure_time == time(9)

    slot = db.session.scalars(select(PickupSlot).order_by(PickupSlot.starts_at)).first()
    assert slot.starts_at == hub_time_to_utc(date(2031, 3, 5), time(16))
    assert slot.cutoff_at == slot.starts_at - timedelta(hours=18)
    assert slot.capacity == 40


def test_planner_skips_dates_whose_cutoff_has_passed(db_session):
    _round_plan(DeliveryZoneFactory(), weekdays=[1])  # Tuesdays, cut-off Monday 18:00
    monday_evening = hub_time_to_utc(date(2031, 3, 3), time(18, 0))
    rounds, _slots = plan_ahead(now=monday_evening, weeks=1)
    assert rounds == 0  # Tuesday 4th is closed already, Tuesday 11th is beyond one week
    assert plan_ahead(now=monday_evening, weeks=2) == (1, 0)


def test_planner_leaves_a_cancelled_date_cancelled_and_a_changed_capacity_alone(db_session):
    _round_plan(DeliveryZoneFactory(), weekdays=[1])
    plan_ahead(now=MONDAY, weeks=1)
    delivery_round = db.session.scalars(select(DeliveryRound)).one()
    cancel_delivery_round(delivery_round=delivery_round)
    plan_ahead(now=MONDAY, weeks=1)
    assert _count(DeliveryRound) == 1
    assert delivery_round.status == RunStatus.CANCELLED
    with pytest.raises(DeliveryError) as again:
        cancel_delivery_round(delivery_round=delivery_round)
    assert again.value.code == DeliveryErrorCode.ALREADY_CANCELLED


def test_inactive_plans_create_nothing(db_session):
    plan = _round_plan(DeliveryZoneFactory())
    plan.active = False
    assert plan_ahead(now=MONDAY, weeks=2) == (0, 0)


def test_plans_need_a_weekday_and_a_cutoff_before_departure(db_session):
    zone = DeliveryZoneFactory()
    with pytest.raises(DeliveryError) as no_day:
        _round_plan(zone, weekdays=[])
    assert no_day.value.code == DeliveryErrorCode.INVALID_PLAN
    with pytest.raises(DeliveryError) as late:
        _round_plan(zone, cutoff_days_before=0, cutoff_time=time(10, 0))
    assert late.value.code == DeliveryErrorCode.INVALID_PLAN
    with pytest.raises(DeliveryError):
        _pickup_plan(weekdays=[7])


def test_rounds_and_slots_in_the_past_cannot_be_created(db_session):
    now = datetime.now(UTC)
    with pytest.raises(DeliveryError) as past_round:
        create_delivery_round(
            zone=DeliveryZoneFactory(),
            delivery_date=(now - timedelta(days=1)).date(),
            cutoff_at=now - timedelta(days=2),
            capacity_stops=10,
            capacity_grams=1000,
        )
    assert past_round.value.code == DeliveryErrorCode.IN_THE_PAST
    with pytest.raises(DeliveryError) as past_slot:
        create_pickup_slot(
            starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1),
            capacity=5, fee_cents=0,
        )
    assert past_slot.value.code == DeliveryErrorCode.IN_THE_PAST
    with pytest.raises(DeliveryError) as closed_already:
        create_pickup_slot(
            starts_at=now + timedelta(hours=2), ends_at=now + timedelta(hours=3),
            cutoff_at=now - timedelta(minutes=1), capacity=5, fee_cents=0,
        )
    assert closed_already.value.code == DeliveryErrorCode.IN_THE_PAST
    slot = create_pickup_slot(
        starts_at=now + timedelta(hours=2), ends_at=now + timedelta(hours=3),
        cutoff_at=now + timedelta(hours=1), capacity=5, fee_cents=0,
    )
    assert slot.cutoff_at == now + timedelta(hours=1)


def test_free_delivery_threshold(db_session):
    zone = DeliveryZoneFactory(fee_cents=500, free_threshold_cents=8000)
    assert (zone.fee_for(7999), zone.fee_for(8000)) == (500, 0)
    zone.free_threshold_cents = None
    assert zone.fee_for(1_000_000) == 500


def test_planner_on_two_workers_at_once_creates_each_date_once(app, committed_db):
    """Two planners racing: ON CONFLICT DO NOTHING on (plan, date) lets one of them win."""
    with app.app_context():
        zone = DeliveryZoneFactory()
        _round_plan(zone)
        _pickup_plan()
        db.session.commit()
    barrier = threading.Barrier(2)
    results = []

    def run() -> None:
        with app.app_context():
            barrier.wait()
            results.append(plan_ahead(now=MONDAY, weeks=3))
            db.session.commit()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        assert _count(DeliveryRound) == 6 and _count(PickupSlot) == 6
    assert sum(r for r, _ in results) == 6 and sum(s for _, s in results) == 6


def test_every_demo_zone_postcode_has_coordinates_for_the_route():
    from marketplace.delivery.services import postcode_coordinates
    from marketplace.demo import data

    coordinates = postcode_coordinates()
    served = {code for zone in data.DELIVERY_ZONES for code in zone.postcodes}
    assert served <= set(coordinates)
    assert all(code.startswith("81") for code in coordinates)  # the Tarn
    # Castres to Mazamet is about 17 km as the crow flies.
    from marketplace.delivery.services import _distance_km

    assert 14 < _distance_km(coordinates["81100"], coordinates["81200"]) < 20
