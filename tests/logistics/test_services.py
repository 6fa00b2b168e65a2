"""Running a round and a slot: cut-off once, pick lists per Vendor, route, drop-offs, driver,
counter, cancelling a date and moving a booking."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.core.outbox import OutboxMessage
from marketplace.delivery.errors import DeliveryError, DeliveryErrorCode
from marketplace.delivery.models import DeliveryRound, RoundStop
from marketplace.delivery.services import nearest_neighbour_route
from marketplace.delivery.states import RunStatus, StopStatus
from marketplace.extensions import db
from marketplace.logistics import services as logistics
from marketplace.logistics.errors import LogisticsError
from marketplace.orders.models import OrderEvent
from marketplace.orders.states import OrderStatus, VendorOrderStatus
from tests.factories.accounts import AdminFactory

from .conftest import LATER, NOW


def _messages(prefix: str) -> list[OutboxMessage]:
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"{prefix}%"))
        .order_by(OutboxMessage.dedupe_key)
    ))


def _close(hub) -> None:  # noqa: ANN001
    assert logistics.close_due(now=LATER) == (1, 1)


def test_nothing_closes_before_the_cutoff(hub):
    assert logistics.close_due(now=NOW) == (0, 0)
    assert hub["round"].status == RunStatus.OPEN


def test_cutoff_closes_once_and_sends_each_vendor_its_pick_list_once(hub):
    _close(hub)
    assert hub["round"].status == RunStatus.CLOSED and hub["slot"].status == RunStatus.CLOSED
    assert logistics.close_due(now=LATER) == (0, 0)
    assert logistics.close_round(round_id=hub["round"].id, now=LATER) is False

    round_lists = _messages(f"pick-list:round:{hub['round'].id}:")
    assert sorted(m.kwargs["to"] for m in round_lists) == ["rucher@example.fr",
                                                          "tissage@example.fr"]
    slot_lists = _messages(f"pick-list:slot:{hub['slot'].id}:")
    assert len(slot_lists) == 2


def test_each_pick_list_holds_exactly_that_vendors_goods(hub):
    _close(hub)
    loads = logistics.round_loads(delivery_round=hub["round"])
    weaver = logistics.pick_list(loads=loads, vendor_id=hub["weaver"].id)
    honey = logistics.pick_list(loads=loads, vendor_id=hub["honey"].id)
    assert {p.vendor_order.vendor_id for p in weaver.parcels} == {hub["weaver"].id}
    assert {p.vendor_order.vendor_id for p in honey.parcels} == {hub["honey"].id}
    names = {line.product_name for p in weaver.parcels for line in p.lines}
    assert names == {"Écharpe"}
    # Mazamet 1 scarf, Saïx 2, Labruguière 1 (300 g each); the unpaid Order is left out.
    assert sorted(p.order.email for p in weaver.parcels) == [
        "ines@example.fr", "jules@example.fr", "lea@example.fr"]
    assert weaver.weight_grams == 4 * 300
    assert honey.weight_grams == 3 * 500
    emailed = {m.kwargs["vendor_name"]: m.kwargs for m in
               _messages(f"pick-list:round:{hub['round'].id}:")}
    honey_mail = emailed["Rucher d'Anglès"]
    assert {line["name"] for p in honey_mail["parcels"] for line in p["lines"]} == {"Miel"}
    assert len(honey_mail["parcels"]) == 2


def test_stops_are_ordered_nearest_neighbour_from_the_hub(hub):
    _close(hub)
    sheets = logistics.stop_sheets(delivery_round=hub["round"])
    # Castres (the hub's own postcode) first, then Saïx, Labruguière, Mazamet.
    assert [s.address["postcode"] for s in sheets] == ["81100", "81710", "81290", "81200"]
    positions = [s.stop.position for s in sheets]
    assert positions == sorted(positions) and len(set(positions)) == 4


def test_route_puts_unknown_postcodes_last():
    assert nearest_neighbour_route([(1, "81200"), (2, "99999"), (3, "81100"), (4, None)]) == [
        3, 1, 2, 4]


def test_admin_reorders_stops(hub):
    from marketplace.delivery.services import move_stop

    _close(hub)
    sheets = logistics.stop_sheets(delivery_round=hub["round"])
    move_stop(stop=sheets[3].stop, offset=-1)
    reordered = logistics.stop_sheets(delivery_round=hub["round"])
    assert [s.address["postcode"] for s in reordered] == ["81100", "81710", "81200", "81290"]


def test_drop_off_check_in_and_missing_at_a_glance(hub):
    _close(hub)
    admin = AdminFactory()
    loads = logistics.round_loads(delivery_round=hub["round"])
    weaver = logistics.pick_list(loads=loads, vendor_id=hub["weaver"].id)
    assert len(weaver.missing) == 3
    logistics.check_in(vendor_order=weaver.parcels[0].vendor_order, actor=admin)
    assert weaver.parcels[0].vendor_order.status == VendorOrderStatus.AT_HUB
    loads = logistics.round_loads(delivery_round=hub["round"])
    assert len(logistics.pick_list(loads=loads, vendor_id=hub["weaver"].id).missing) == 2

    assert logistics.remind_vendor(
        loads=loads, vendor_id=hub["weaver"].id, run_key="round:x", deadline=LATER,
        what="la tournée", now=LATER,
    )
    reminder = _messages("pick-list:round:x:")[0]
    assert reminder.kwargs["reminder"] is True and len(reminder.kwargs["parcels"]) == 2


def _check_in_all(hub, admin) -> None:  # noqa: ANN001
    for load in logistics.round_loads(delivery_round=hub["round"]):
        for parcel in load.parcels:
            logistics.check_in(vendor_order=parcel.vendor_order, actor=admin)


def test_delivered_stop_completes_its_vendor_orders_and_tells_the_customer(hub):
    _close(hub)
    admin = AdminFactory()
    _check_in_all(hub, admin)
    order = hub["orders"]["mazamet"]
    stop = db.session.scalar(select(RoundStop).where(RoundStop.order_id == order.id))
    assert logistics.mark_stop_delivered(stop=stop, actor=admin, now=LATER) == 2
    assert stop.status == StopStatus.DELIVERED and stop.delivered_at == LATER
    assert {vo.status for vo in order.vendor_orders} == {VendorOrderStatus.COMPLETED}
    assert order.status == OrderStatus.COMPLETED
    assert _messages(f"delivered:{order.number}")[0].kwargs["to"] == "jules@example.fr"
    with pytest.raises(DeliveryError) as twice:
        logistics.mark_stop_delivered(stop=stop, actor=admin, now=LATER)
    assert twice.value.code == DeliveryErrorCode.STOP_ALREADY_DONE


def test_failed_delivery_never_completes_the_order_and_offers_another_date(hub):
    _close(hub)
    admin = AdminFactory()
    _check_in_all(hub, admin)
    order = hub["orders"]["saix"]
    stop = db.session.scalar(select(RoundStop).where(RoundStop.order_id == order.id))
    logistics.mark_stop_failed(stop=stop, actor=admin, reason="Personne", now=LATER)
    assert stop.status == StopStatus.FAILED and stop.failure_reason == "Personne"
    assert {vo.status for vo in order.vendor_orders} == {VendorOrderStatus.AT_HUB}
    assert order.status == OrderStatus.PAID
    notes = db.session.scalars(
        select(OrderEvent.note).where(OrderEvent.order_id == order.id,
                                      OrderEvent.note.like("%Personne%"))
    ).all()
    assert notes == ["Livraison manquée : Personne"]
    mail = _messages(f"delivery-failed:{order.number}")[0]
    assert mail.kwargs["reason"] == "Personne"
    with pytest.raises(DeliveryError):
        logistics.mark_stop_delivered(stop=stop, actor=admin, now=LATER)
    assert order.status == OrderStatus.PAID
    # The Customer may now move to another round, although this one closed.
    assert logistics.move_options(order=order, now=LATER).may_move


def test_stops_cannot_be_marked_before_the_round_closes(hub):
    order = hub["orders"]["castres"]
    stop = db.session.scalar(select(RoundStop).where(RoundStop.order_id == order.id))
    with pytest.raises(LogisticsError):
        logistics.mark_stop_delivered(stop=stop, actor=AdminFactory(), now=NOW)


def test_a_parcel_never_dropped_off_is_not_delivered(hub):
    _close(hub)
    order = hub["orders"]["mazamet"]
    stop = db.session.scalar(select(RoundStop).where(RoundStop.order_id == order.id))
    assert logistics.mark_stop_delivered(stop=stop, actor=AdminFactory(), now=LATER) == 0
    assert order.status == OrderStatus.PAID


def test_counter_finds_by_number_name_or_email_and_hands_over_what_is_ready(hub):
    _close(hub)
    admin = AdminFactory()
    order = hub["orders"]["pickup"]
    assert logistics.find_counter_orders(query=order.number) == [order]
    assert logistics.find_counter_orders(query="PAUL@example") == [order]
    assert logistics.find_counter_orders(query="camille dur") == [order]  # the address name
    assert logistics.find_counter_orders(query="jules") == []  # a round Order, not pickup
    with pytest.raises(LogisticsError):
        logistics.hand_over_order(order=order, actor=admin)
    first, second = order.vendor_orders
    logistics.check_in(vendor_order=first, actor=admin)
    assert first.status == VendorOrderStatus.READY_FOR_PICKUP
    assert logistics.hand_over_order(order=order, actor=admin) == 1
    assert first.status == VendorOrderStatus.COMPLETED
    assert second.status == VendorOrderStatus.PAID
    assert order.status == OrderStatus.PARTIALLY_FULFILLED


def test_check_in_refuses_a_vendor_shipped_or_finished_parcel(hub):
    _close(hub)
    admin = AdminFactory()
    vendor_order = hub["orders"]["castres"].vendor_orders[0]
    logistics.check_in(vendor_order=vendor_order, actor=admin)
    with pytest.raises(LogisticsError):
        logistics.check_in(vendor_order=vendor_order, actor=admin)


def test_cancelling_a_date_tells_each_booked_customer(hub):
    told = logistics.cancel_round_date(delivery_round=hub["round"])
    assert told == 5  # four paid and the unpaid one still holding a stop
    assert len(_messages(f"round-cancelled:{hub['round'].id}:")) == 5
    assert logistics.close_due(now=LATER) == (0, 1)  # a cancelled round never closes


def _other_round(hub, **changes):  # noqa: ANN001, ANN202
    from tests.factories.delivery import DeliveryRoundFactory

    values = {"zone": hub["zone"], "cutoff_at": NOW + timedelta(days=4),
              "delivery_date": (NOW + timedelta(days=5)).date()} | changes
    return DeliveryRoundFactory(**values)


def test_customer_moves_booking_to_another_round_before_the_cutoff(hub):
    other = _other_round(hub)
    order = hub["orders"]["castres"]
    options = logistics.move_options(order=order, now=NOW)
    assert options.may_move and options.rounds == [other]
    logistics.move_booking(order=order, target_id=other.id, now=NOW)
    assert order.delivery_round_id == other.id
    db.session.refresh(hub["round"])
    db.session.refresh(other)
    assert (hub["round"].booked_stops, other.booked_stops) == (4, 1)


def test_moving_after_the_cutoff_is_refused(hub):
    other = _other_round(hub)
    order = hub["orders"]["castres"]
    later = NOW + timedelta(days=1, minutes=1)
    assert not logistics.move_options(order=order, now=later).may_move
    with pytest.raises(DeliveryError) as refused:
        logistics.move_booking(order=order, target_id=other.id, now=later)
    assert refused.value.code == DeliveryErrorCode.CANNOT_MOVE
    assert order.delivery_round_id == hub["round"].id


def test_moving_into_a_full_round_changes_nothing(hub):
    other = _other_round(hub, capacity_stops=0)
    order = hub["orders"]["castres"]
    with pytest.raises(DeliveryError) as full:
        logistics.move_booking(order=order, target_id=other.id, now=NOW)
    assert full.value.code == DeliveryErrorCode.ROUND_FULL


def test_customer_moves_a_pickup_booking(hub):
    from tests.factories.delivery import PickupSlotFactory

    other = PickupSlotFactory(
        starts_at=NOW + timedelta(days=3), ends_at=NOW + timedelta(days=3, hours=2)
    )
    order = hub["orders"]["pickup"]
    assert logistics.move_options(order=order, now=NOW).slots == [other]
    logistics.move_booking(order=order, target_id=other.id, now=NOW)
    assert order.pickup_slot_id == other.id
    db.session.refresh(hub["slot"])
    assert hub["slot"].booked == 0 and other.booked == 1


def test_cutoff_on_two_workers_at_once_closes_each_round_once(app, committed_db):
    """Two cut-off runs racing: one closes and sends pick lists, the other finds it closed."""
    from tests.factories.delivery import DeliveryRoundFactory

    with app.app_context():
        round_id = DeliveryRoundFactory(cutoff_at=NOW - timedelta(minutes=1)).id
        db.session.commit()
    barrier = threading.Barrier(2)
    results = []

    def run() -> None:
        with app.app_context():
            barrier.wait()
            results.append(logistics.close_round(round_id=round_id, now=NOW))
            db.session.commit()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    with app.app_context():
        closed = db.session.get(DeliveryRound, round_id)
        assert closed.status == RunStatus.CLOSED
        assert db.session.scalar(select(func.count()).select_from(DeliveryRound)) == 1


def test_month_report_counts_fees_stops_kilograms_vendors_and_failures(hub):
    _close(hub)
    admin = AdminFactory()
    _check_in_all(hub, admin)
    saix = db.session.scalar(select(RoundStop).where(
        RoundStop.order_id == hub["orders"]["saix"].id))
    logistics.mark_stop_failed(stop=saix, actor=admin, reason="", now=LATER)
    day = hub["round"].delivery_date
    [report] = logistics.month_report(year=day.year, month=day.month)
    paid = [hub["orders"][key] for key in ("mazamet", "castres", "saix", "labruguiere")]
    assert report.fees_cents == sum(order.delivery_cents for order in paid) > 0
    assert report.stops == 4 and report.failed == 1 and report.delivered == 0
    # Mazamet 300 g + 1 kg, Castres 500 g, Saïx 600 g, Labruguière 300 g; the unpaid left out.
    assert report.grams == 2700
    assert report.vendors == 2
