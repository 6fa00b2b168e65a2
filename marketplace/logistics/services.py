"""Running rounds and slots: closing at the cut-off, the lists, drop-offs, the driver, the counter.

Every step that changes a VendorOrder goes through `orders.services.transition_vendor_order`
(so each leaves an event row), and every email goes through the outbox with a business key,
so a task that runs twice sends nothing twice.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from flask import url_for
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.core.outbox import enqueue
from marketplace.delivery import services as delivery
from marketplace.delivery.models import DeliveryRound, PickupBooking, PickupSlot, RoundStop
from marketplace.delivery.states import RunStatus, StopStatus
from marketplace.extensions import db
from marketplace.orders.models import DeliveryMethod, Order, OrderLine, VendorOrder
from marketplace.orders.services import describe_delivery, order_links, transition_vendor_order
from marketplace.orders.states import (
    VENDOR_ORDER_MACHINE,
    OrderStatus,
    VendorOrderEvent,
    VendorOrderStatus,
)
from marketplace.vendors.models import Vendor

from .errors import LogisticsError, LogisticsErrorCode

#: Orders that hold goods to move: paid, whether or not some parts were handed over already.
LIVE_ORDER_STATUSES = (OrderStatus.PAID, OrderStatus.PARTIALLY_FULFILLED)

#: VendorOrders a Vendor still has to bring, or that the hub holds.
TO_BRING = frozenset({VendorOrderStatus.PAID, VendorOrderStatus.ACCEPTED})
AT_HUB = frozenset({VendorOrderStatus.AT_HUB, VendorOrderStatus.READY_FOR_PICKUP})
HANDED_OVER = frozenset({VendorOrderStatus.DELIVERED, VendorOrderStatus.COMPLETED})
IN_LISTS = TO_BRING | AT_HUB | HANDED_OVER | {VendorOrderStatus.PARTIALLY_REFUNDED}

#: Vendors drop their goods at the hub this long before the van leaves or the shop opens.
DROP_OFF_LEAD = timedelta(hours=1)
#: When a round's plan gives no departure time.
DEFAULT_DEPARTURE = time(9, 0)


# --- Reading a round or slot -----------------------------------------------------------------


@dataclass
class Parcel:
    """One VendorOrder in a round or slot, with its Order and the lines to hand over."""

    vendor_order: VendorOrder
    order: Order
    lines: list[OrderLine]

    @property
    def weight_grams(self) -> int:
        return sum(line.weight_grams for line in self.lines)

    @property
    def status(self) -> VendorOrderStatus:
        return VendorOrderStatus(self.vendor_order.status)

    @property
    def at_hub(self) -> bool:
        return self.status in AT_HUB or self.status in HANDED_OVER


@dataclass
class VendorLoad:
    """A Vendor's part of a round or slot: its pick list, and its line of the loading list."""

    vendor: Vendor
    parcels: list[Parcel] = field(default_factory=list)

    @property
    def weight_grams(self) -> int:
        return sum(parcel.weight_grams for parcel in self.parcels)

    @property
    def missing(self) -> list[Parcel]:
        return [parcel for parcel in self.parcels if not parcel.at_hub]


@dataclass
class StopSheet:
    """One line of the stop list: where, who, what to hand over."""

    stop: RoundStop
    order: Order
    parcels: list[Parcel]

    @property
    def address(self) -> dict:
        return self.order.address or {}

    @property
    def map_query(self) -> str:
        address = self.address
        parts = [address.get("line1", ""), address.get("postcode", ""), address.get("city", "")]
        return ", ".join(part for part in parts if part)


def _remaining_lines(vendor_order: VendorOrder) -> list[OrderLine]:
    return [line for line in vendor_order.lines if line.quantity > line.refunded_quantity]


def _parcels(order_ids_query, vendor_id: int | None = None) -> list[Parcel]:  # noqa: ANN001
    """Every live VendorOrder of the Orders selected (of one Vendor only, with `vendor_id`),
    with Order, Vendor and lines, in a fixed number of queries."""
    query = select(VendorOrder).join(VendorOrder.order)
    if vendor_id is not None:
        query = query.where(VendorOrder.vendor_id == vendor_id)
    vendor_orders = db.session.scalars(
        query
        .where(
            VendorOrder.order_id.in_(order_ids_query),
            Order.status.in_(LIVE_ORDER_STATUSES + (OrderStatus.COMPLETED,)),
            VendorOrder.status.in_(IN_LISTS),
        )
        .options(
            selectinload(VendorOrder.lines),
            selectinload(VendorOrder.vendor),
            selectinload(VendorOrder.order),
        )
        .order_by(VendorOrder.order_id, VendorOrder.sequence)
    )
    return [
        Parcel(vendor_order=vo, order=vo.order, lines=_remaining_lines(vo))
        for vo in vendor_orders
    ]


def _round_order_ids(delivery_round: DeliveryRound):  # noqa: ANN202
    return select(RoundStop.order_id).where(RoundStop.round_id == delivery_round.id)


def _slot_order_ids(slot: PickupSlot):  # noqa: ANN202
    return select(PickupBooking.order_id).where(PickupBooking.slot_id == slot.id)


def _by_vendor(parcels: list[Parcel]) -> list[VendorLoad]:
    loads: dict[int, VendorLoad] = {}
    for parcel in parcels:
        vendor = parcel.vendor_order.vendor
        loads.setdefault(vendor.id, VendorLoad(vendor=vendor)).parcels.append(parcel)
    return sorted(loads.values(), key=lambda load: (load.vendor.name.lower(), load.vendor.id))


def round_loads(*, delivery_round: DeliveryRound) -> list[VendorLoad]:
    """The loading list: each Vendor's parcels in the round, weights, what is still missing."""
    return _by_vendor(_parcels(_round_order_ids(delivery_round)))


def slot_loads(*, slot: PickupSlot) -> list[VendorLoad]:
    return _by_vendor(_parcels(_slot_order_ids(slot)))


@dataclass
class VendorRun:
    """A closed round or slot as one Vendor sees it: what to bring, by when."""

    what: str
    deadline: datetime
    load: VendorLoad


def vendor_pick_lists(*, vendor: Vendor, now: datetime) -> list[VendorRun]:
    """The Vendor's pick lists of the rounds and slots closed and still ahead: its own parcels
    only (the Vendor is in the query), soonest first."""
    today = delivery.utc_to_hub_time(now).date()
    runs: list[VendorRun] = []
    rounds = db.session.scalars(
        select(DeliveryRound)
        .where(DeliveryRound.status == RunStatus.CLOSED, DeliveryRound.delivery_date >= today)
        .order_by(DeliveryRound.delivery_date, DeliveryRound.id)
        .limit(30)
    )
    for delivery_round in rounds:
        parcels = _parcels(_round_order_ids(delivery_round), vendor_id=vendor.id)
        if parcels:
            runs.append(VendorRun(
                what=_round_words(delivery_round),
                deadline=drop_off_deadline(delivery_round=delivery_round),
                load=VendorLoad(vendor=vendor, parcels=parcels),
            ))
    slots = db.session.scalars(
        select(PickupSlot)
        .where(PickupSlot.status == RunStatus.CLOSED, PickupSlot.ends_at > now)
        .order_by(PickupSlot.starts_at, PickupSlot.id)
        .limit(30)
    )
    for slot in slots:
        parcels = _parcels(_slot_order_ids(slot), vendor_id=vendor.id)
        if parcels:
            runs.append(VendorRun(
                what=_slot_words(slot), deadline=drop_off_deadline(slot=slot),
                load=VendorLoad(vendor=vendor, parcels=parcels),
            ))
    return sorted(runs, key=lambda run: run.deadline)


def pick_list(*, loads: list[VendorLoad], vendor_id: int) -> VendorLoad | None:
    """One Vendor's pick list: exactly its own parcels, none of another Vendor's."""
    return next((load for load in loads if load.vendor.id == vendor_id), None)


def stop_sheets(*, delivery_round: DeliveryRound) -> list[StopSheet]:
    """The stop list in route order: Orders without live goods (unpaid, refunded) left out."""
    parcels = _parcels(_round_order_ids(delivery_round))
    by_order: dict[int, list[Parcel]] = defaultdict(list)
    for parcel in parcels:
        by_order[parcel.order.id].append(parcel)
    stops = db.session.scalars(
        select(RoundStop)
        .where(RoundStop.round_id == delivery_round.id)
        .order_by(RoundStop.position, RoundStop.id)
    )
    return [
        StopSheet(
            stop=stop, order=by_order[stop.order_id][0].order, parcels=by_order[stop.order_id]
        )
        for stop in stops
        if by_order.get(stop.order_id)
    ]


def drop_off_deadline(*, delivery_round: DeliveryRound | None = None,
                      slot: PickupSlot | None = None) -> datetime:
    """When Vendors must have brought their goods to the hub (UTC)."""
    if delivery_round is not None:
        departure = delivery_round.departure_time or DEFAULT_DEPARTURE
        return delivery.hub_time_to_utc(delivery_round.delivery_date, departure) - DROP_OFF_LEAD
    return delivery._as_utc(slot.starts_at) - DROP_OFF_LEAD


# --- Cut-off -----------------------------------------------------------------------------------


def close_round(*, round_id: int, now: datetime) -> bool:
    """At the cut-off: close the round once, order its stops, send each Vendor its pick list.

    Returns False (and does nothing) when another run or worker closed it already.
    """
    if not delivery.claim_round_closing(round_id=round_id, now=now):
        return False
    delivery_round = db.session.get(DeliveryRound, round_id)
    route_stops(delivery_round=delivery_round)
    deadline = drop_off_deadline(delivery_round=delivery_round)
    for load in round_loads(delivery_round=delivery_round):
        _send_pick_list(load, run_key=f"round:{round_id}", deadline=deadline,
                        what=_round_words(delivery_round))
    return True


def close_slot(*, slot_id: int, now: datetime) -> bool:
    """The Pickup slot counterpart of `close_round`."""
    if not delivery.claim_slot_closing(slot_id=slot_id, now=now):
        return False
    slot = db.session.get(PickupSlot, slot_id)
    deadline = drop_off_deadline(slot=slot)
    for load in slot_loads(slot=slot):
        _send_pick_list(load, run_key=f"slot:{slot_id}", deadline=deadline, what=_slot_words(slot))
    return True


def close_due(*, now: datetime) -> tuple[int, int]:
    """Close every round and slot whose cut-off has passed; (rounds, slots) closed by this run."""
    rounds = sum(close_round(round_id=i, now=now) for i in delivery.due_round_ids(now=now))
    slots = sum(close_slot(slot_id=i, now=now) for i in delivery.due_slot_ids(now=now))
    return rounds, slots


def route_stops(*, delivery_round: DeliveryRound) -> None:
    """Order the stops nearest-neighbour from the hub over their postcodes' coordinates."""
    rows = db.session.execute(
        select(RoundStop.id, Order.address)
        .join(Order, Order.id == RoundStop.order_id)
        .where(RoundStop.round_id == delivery_round.id)
    )
    stops = [(stop_id, delivery.normalize_postcode((address or {}).get("postcode")))
             for stop_id, address in rows]
    delivery.set_stop_order(
        delivery_round=delivery_round, stop_ids=delivery.nearest_neighbour_route(stops)
    )


def _round_words(delivery_round: DeliveryRound) -> str:
    return _(
        "la tournée « %(zone)s » du %(date)s",
        zone=delivery_round.zone.name,
        date=format_datetime(
            delivery.hub_time_to_utc(delivery_round.delivery_date, time(12, 0)), "EEEE d MMMM y"
        ),
    )


def _slot_words(slot: PickupSlot) -> str:
    return _(
        "le retrait à la boutique du %(date)s",
        date=format_datetime(slot.starts_at, "EEEE d MMMM y, HH:mm"),
    )


def _parcel_context(parcel: Parcel) -> dict:
    return {
        "vendor_order_number": parcel.vendor_order.number,
        "customer_name": (parcel.order.address or {}).get("full_name") or parcel.order.email,
        "lines": [
            {
                "name": line.product_name,
                "label": line.variant_label,
                "sku": line.sku,
                "quantity": line.quantity - line.refunded_quantity,
            }
            for line in parcel.lines
        ],
        "weight": delivery.format_kilograms(parcel.weight_grams, "fr"),
    }


def _send_pick_list(load: VendorLoad, *, run_key: str, deadline: datetime, what: str,
                    reminder_at: datetime | None = None) -> None:
    vendor = load.vendor
    parcels = load.missing if reminder_at else load.parcels
    if not vendor.contact_email or not parcels:
        return
    with force_locale("fr"):
        deadline_text = format_datetime(deadline, "EEEE d MMMM, HH:mm")
        if reminder_at:
            subject = _("Rappel : à déposer aux Ateliers avant le %(deadline)s",
                        deadline=deadline_text)
        else:
            subject = _("Liste de préparation : %(what)s", what=what)
    stamp = f":{reminder_at:%Y%m%d%H%M}" if reminder_at else ""
    enqueue(
        "notifications.send_email",
        dedupe_key=f"pick-list:{run_key}:vendor:{vendor.id}{stamp}",
        to=vendor.contact_email,
        subject=subject,
        template="pick_list",
        locale="fr",
        vendor_name=vendor.name,
        what=what,
        deadline=deadline_text,
        reminder=bool(reminder_at),
        parcels=[_parcel_context(parcel) for parcel in parcels],
        weight=delivery.format_kilograms(sum(p.weight_grams for p in parcels), "fr"),
        pick_lists_url=_external_url("logistics.vendor_pick_lists"),
    )


def _external_url(endpoint: str) -> str:
    """An absolute link for an email; without a request or SERVER_NAME, none."""
    try:
        return url_for(endpoint, _external=True)
    except RuntimeError:
        return ""


# --- At the hub: drop-offs ----------------------------------------------------------------------


def check_in(*, vendor_order: VendorOrder, actor: User) -> VendorOrderStatus:
    """A Vendor's parcel arrived at the hub: at the hub for a round, ready for a pickup."""
    method = vendor_order.order.delivery_method
    event = (
        VendorOrderEvent.DROP_AT_HUB if method == DeliveryMethod.ROUND
        else VendorOrderEvent.MAKE_READY_FOR_PICKUP
    )
    if method == DeliveryMethod.VENDOR_SHIPPING or not VENDOR_ORDER_MACHINE.allows(
        VendorOrderStatus(vendor_order.status), event
    ):
        raise LogisticsError(
            LogisticsErrorCode.NOT_EXPECTED,
            _("La commande %(number)s n'est pas attendue aux Ateliers.",
              number=vendor_order.number),
        )
    return transition_vendor_order(
        vendor_order=vendor_order, event=event, actor=actor, actor_label="hub",
        note=_("Déposée aux Ateliers"),
    )


def remind_vendor(*, loads: list[VendorLoad], vendor_id: int, run_key: str, deadline: datetime,
                  what: str, now: datetime) -> bool:
    """Remind a Vendor, in one click, of the parcels it has not brought yet."""
    load = pick_list(loads=loads, vendor_id=vendor_id)
    if load is None or not load.missing or not load.vendor.contact_email:
        return False
    _send_pick_list(load, run_key=run_key, deadline=deadline, what=what, reminder_at=now)
    return True


def round_run_key(delivery_round: DeliveryRound) -> str:
    return f"round:{delivery_round.id}"


def slot_run_key(slot: PickupSlot) -> str:
    return f"slot:{slot.id}"


def round_words(delivery_round: DeliveryRound) -> str:
    return _round_words(delivery_round)


def slot_words(slot: PickupSlot) -> str:
    return _slot_words(slot)


# --- On the road --------------------------------------------------------------------------------


def _hand_over(parcels: list[Parcel], *, ready: frozenset, actor: User, label: str) -> int:
    handed = 0
    for parcel in parcels:
        if parcel.status in ready:
            for event in (VendorOrderEvent.DELIVER, VendorOrderEvent.COMPLETE):
                transition_vendor_order(
                    vendor_order=parcel.vendor_order, event=event, actor=actor, actor_label=label
                )
            handed += 1
    return handed


def mark_stop_delivered(*, stop: RoundStop, actor: User, now: datetime) -> int:
    """The driver handed the stop over: its parcels at the hub are delivered and completed,
    and the Customer is told. Parcels that never reached the hub stay as they are."""
    if stop.delivery_round.status != RunStatus.CLOSED:
        raise LogisticsError(
            LogisticsErrorCode.NOT_CLOSED, _("Cette tournée n'est pas encore partie.")
        )
    delivery.record_stop_outcome(stop=stop, delivered=True, now=now)
    parcels = _parcels(select(Order.id).where(Order.id == stop.order_id))
    handed = _hand_over(
        parcels, ready=frozenset({VendorOrderStatus.AT_HUB}), actor=actor, label="driver"
    )
    order = db.session.get(Order, stop.order_id)
    _tell_customer(order, template="delivery_done", key=f"delivered:{order.number}")
    return handed


def mark_stop_failed(*, stop: RoundStop, actor: User, reason: str, now: datetime) -> None:
    """The driver could not deliver: the parcels go back to the hub with the reason (an event
    row each, the Order never completes), and the Customer is asked to pick another date."""
    if stop.delivery_round.status != RunStatus.CLOSED:
        raise LogisticsError(
            LogisticsErrorCode.NOT_CLOSED, _("Cette tournée n'est pas encore partie.")
        )
    reason = reason.strip() or _("Personne à l'adresse")
    delivery.record_stop_outcome(stop=stop, delivered=False, now=now, reason=reason)
    for parcel in _parcels(select(Order.id).where(Order.id == stop.order_id)):
        if parcel.status == VendorOrderStatus.AT_HUB:
            transition_vendor_order(
                vendor_order=parcel.vendor_order, event=VendorOrderEvent.RETURN_TO_HUB,
                actor=actor, actor_label="driver",
                note=_("Livraison manquée : %(reason)s", reason=reason),
            )
    order = db.session.get(Order, stop.order_id)
    _tell_customer(
        order, template="delivery_failed", key=f"delivery-failed:{order.number}:{stop.id}",
        reason=reason,
    )


# --- At the shop counter ------------------------------------------------------------------------


def find_counter_orders(*, query: str, limit: int = 20) -> list[Order]:
    """Pickup Orders matching a number, a name or an email, most recent first."""
    query = query.strip()
    if len(query) < 2:
        return []
    pattern = f"%{query.lower()}%"
    name = func.lower(Order.address["full_name"].as_string())
    return list(
        db.session.scalars(
            select(Order)
            .where(
                Order.delivery_method == DeliveryMethod.PICKUP,
                Order.status.in_(LIVE_ORDER_STATUSES + (OrderStatus.COMPLETED,)),
                or_(
                    func.lower(Order.number).like(pattern),
                    func.lower(Order.email).like(pattern),
                    name.like(pattern),
                ),
            )
            .options(selectinload(Order.vendor_orders).selectinload(VendorOrder.vendor))
            .order_by(Order.placed_at.desc(), Order.id.desc())
            .limit(limit)
        )
    )


def counter_parcels(*, order: Order) -> list[Parcel]:
    return _parcels(select(Order.id).where(Order.id == order.id))


def hand_over_order(*, order: Order, actor: User) -> int:
    """Hand the Customer every parcel ready at the counter, in one action; the others stay."""
    handed = _hand_over(
        counter_parcels(order=order),
        ready=frozenset({VendorOrderStatus.READY_FOR_PICKUP}),
        actor=actor,
        label="counter",
    )
    if not handed:
        raise LogisticsError(
            LogisticsErrorCode.NOTHING_TO_HAND_OVER,
            _("Rien n'est prêt à remettre pour la commande %(number)s.", number=order.number),
        )
    return handed


# --- Cancelling a date, moving a booking ----------------------------------------------------------


def _booked_orders(order_ids_query) -> list[Order]:  # noqa: ANN001
    return list(
        db.session.scalars(
            select(Order)
            .where(
                Order.id.in_(order_ids_query),
                Order.status.in_(LIVE_ORDER_STATUSES + (OrderStatus.AWAITING_PAYMENT,)),
            )
            .order_by(Order.id)
        )
    )


def cancel_round_date(*, delivery_round: DeliveryRound) -> int:
    """Cancel one date of a round and tell each booked Customer to choose another."""
    delivery.cancel_delivery_round(delivery_round=delivery_round)
    orders = _booked_orders(_round_order_ids(delivery_round))
    for order in orders:
        _tell_customer(order, template="delivery_cancelled",
                       key=f"round-cancelled:{delivery_round.id}:{order.number}")
    return len(orders)


def cancel_slot_date(*, slot: PickupSlot) -> int:
    delivery.cancel_pickup_slot(slot=slot)
    orders = _booked_orders(_slot_order_ids(slot))
    for order in orders:
        _tell_customer(order, template="delivery_cancelled",
                       key=f"slot-cancelled:{slot.id}:{order.number}")
    return len(orders)


@dataclass
class MoveOptions:
    """Where a Customer may move their booking now, if anywhere."""

    may_move: bool
    rounds: list[DeliveryRound]
    slots: list[PickupSlot]


def move_options(*, order: Order, now: datetime) -> MoveOptions:
    if order.status not in LIVE_ORDER_STATUSES + (OrderStatus.AWAITING_PAYMENT,):
        return MoveOptions(False, [], [])
    if order.delivery_method == DeliveryMethod.ROUND:
        stop = db.session.scalar(select(RoundStop).where(RoundStop.order_id == order.id))
        if stop is None or not delivery.may_leave_round(stop=stop, now=now):
            return MoveOptions(False, [], [])
        return MoveOptions(True, delivery.other_rounds(stop=stop, now=now), [])
    if order.delivery_method == DeliveryMethod.PICKUP and order.pickup_slot_id:
        slot = db.session.get(PickupSlot, order.pickup_slot_id)
        if not delivery.may_leave_slot(slot=slot, now=now):
            return MoveOptions(False, [], [])
        return MoveOptions(True, [], delivery.other_slots(slot=slot, now=now))
    return MoveOptions(False, [], [])


def move_booking(*, order: Order, target_id: int, now: datetime) -> None:
    """Move the Order to another round or slot with room, until the cut-off (or after a
    cancelled date or a missed delivery). Refused moves change nothing."""
    if order.status not in LIVE_ORDER_STATUSES + (OrderStatus.AWAITING_PAYMENT,):
        raise LogisticsError(LogisticsErrorCode.NOT_BOOKED,
                             _("Cette commande ne peut plus changer de date."))
    if order.delivery_method == DeliveryMethod.ROUND:
        stop = delivery.move_round_stop(order_id=order.id, to_round_id=target_id, now=now)
        order.delivery_round_id = stop.round_id
    elif order.delivery_method == DeliveryMethod.PICKUP and order.pickup_slot_id:
        slot = delivery.move_pickup_booking(
            order_id=order.id, from_slot_id=order.pickup_slot_id, to_slot_id=target_id, now=now
        )
        order.pickup_slot_id = slot.id
    else:
        raise LogisticsError(LogisticsErrorCode.NOT_BOOKED,
                             _("Cette commande n'a ni créneau ni tournée à changer."))
    db.session.flush()


# --- Emails to Customers --------------------------------------------------------------------------


def _tell_customer(order: Order, *, template: str, key: str, **extra: object) -> None:
    with force_locale(order.locale):
        subjects = {
            "delivery_done": _("Commande %(number)s livrée", number=order.number),
            "delivery_failed": _("Livraison manquée : commande %(number)s", number=order.number),
            "delivery_cancelled": _("Date annulée : commande %(number)s", number=order.number),
        }
        context = {
            "customer_name": (order.address or {}).get("full_name") or order.email,
            "order_number": order.number,
            "delivery_text": describe_delivery(order=order),
            **order_links(order=order),
            **extra,
        }
    enqueue(
        "notifications.send_email",
        dedupe_key=key,
        to=order.email,
        subject=subjects[template],
        template=template,
        locale=order.locale,
        **context,
    )


# --- Reporting ------------------------------------------------------------------------------------


@dataclass
class RoundReport:
    """One round's figures: fees are the cooperative's revenue (paid Orders only)."""

    delivery_round: DeliveryRound
    fees_cents: int = 0
    stops: int = 0
    delivered: int = 0
    failed: int = 0
    grams: int = 0
    vendors: int = 0


def month_report(*, year: int, month: int) -> list[RoundReport]:
    """Every round of a month (by delivery date) with its fees, stops, kilograms, Vendors
    served and failed deliveries: three queries whatever the number of rounds."""
    first = datetime(year, month, 1).date()
    after = datetime(year + (month == 12), month % 12 + 1, 1).date()
    rounds = db.session.scalars(
        select(DeliveryRound)
        .where(DeliveryRound.delivery_date >= first, DeliveryRound.delivery_date < after)
        .options(selectinload(DeliveryRound.zone))
        .order_by(DeliveryRound.delivery_date, DeliveryRound.id)
    ).all()
    reports = {r.id: RoundReport(delivery_round=r) for r in rounds}
    if not reports:
        return []
    paid = Order.status.in_(LIVE_ORDER_STATUSES + (OrderStatus.COMPLETED,))
    rows = db.session.execute(
        select(
            RoundStop.round_id,
            func.count(),
            func.coalesce(func.sum(RoundStop.weight_grams), 0),
            func.count().filter(RoundStop.status == StopStatus.DELIVERED),
            func.count().filter(RoundStop.status == StopStatus.FAILED),
            func.coalesce(func.sum(Order.delivery_cents), 0),
        )
        .join(Order, Order.id == RoundStop.order_id)
        .where(RoundStop.round_id.in_(reports), paid)
        .group_by(RoundStop.round_id)
    )
    for round_id, stops, grams, delivered, failed, fees in rows:
        report = reports[round_id]
        report.stops, report.grams, report.delivered = stops, grams, delivered
        report.failed, report.fees_cents = failed, fees
    vendor_rows = db.session.execute(
        select(RoundStop.round_id, func.count(VendorOrder.vendor_id.distinct()))
        .join(Order, Order.id == RoundStop.order_id)
        .join(VendorOrder, VendorOrder.order_id == Order.id)
        .where(RoundStop.round_id.in_(reports), paid, VendorOrder.status.in_(IN_LISTS))
        .group_by(RoundStop.round_id)
    )
    for round_id, vendors in vendor_rows:
        reports[round_id].vendors = vendors
    return list(reports.values())
