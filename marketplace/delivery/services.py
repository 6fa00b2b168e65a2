"""Delivery choices and their prices; bookings of Pickup slots and Delivery rounds.

Places are taken and given back only by conditional UPDATEs (`... WHERE booked < capacity`),
so two checkouts racing for the last place can never both get it, whatever the isolation
level: the second UPDATE finds no row and the booking is refused with a clear message.
"""

import csv
import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import contains_eager

from marketplace.accounts.models import Address
from marketplace.core.pagination import Page, paginate
from marketplace.extensions import db
from marketplace.vendors.models import Vendor

from .errors import DeliveryError, DeliveryErrorCode
from .models import (
    DeliveryRound,
    DeliveryZone,
    PickupBooking,
    PickupPlan,
    PickupSlot,
    RoundPlan,
    RoundStop,
)
from .states import RunStatus, StopStatus

#: Times are entered and shown in the hub's time zone and stored in UTC.
HUB_TIMEZONE = ZoneInfo("Europe/Paris")

#: How many upcoming Pickup slots and Delivery rounds a Customer is offered at most.
MAX_CHOICES = 30

#: A French postcode: five digits, never starting with 00.
POSTCODE_PATTERN = re.compile(r"^(?!00)\d{5}$")


@dataclass(frozen=True)
class DeliveryQuote:
    """What each delivery choice would cost for one cart, and what can be booked now."""

    #: Each Vendor's own shipping fee, {vendor_id: cents}, for "vendor shipping".
    vendor_shipping: dict[int, int]
    vendor_shipping_total_cents: int
    #: Bookable Pickup slots, soonest first; each carries its `fee_cents` for the whole Order.
    pickup_slots: list[PickupSlot]
    #: Delivery rounds open to this postcode with room for the cart; fee: `round.zone.fee_cents`.
    rounds: list[DeliveryRound]
    postcode: str | None
    #: A Delivery zone lists the postcode (even if no round is open right now).
    postcode_served: bool
    #: The cart's goods, which may reach a zone's free-delivery threshold.
    goods_cents: int = 0

    @property
    def pickup_fee_cents(self) -> int | None:
        return min((slot.fee_cents for slot in self.pickup_slots), default=None)

    @property
    def round_fee_cents(self) -> int | None:
        return min((r.zone.fee_for(self.goods_cents) for r in self.rounds), default=None)


def hub_time_to_utc(day: date, at: time) -> datetime:
    """A date and time entered in Castres, as the UTC moment stored in the database."""
    return datetime.combine(day, at, tzinfo=HUB_TIMEZONE).astimezone(UTC)


def utc_to_hub_time(moment: datetime) -> datetime:
    return _as_utc(moment).astimezone(HUB_TIMEZONE)


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def normalize_postcode(raw: str | None) -> str | None:
    """The postcode without spaces when it looks like a French one, else None."""
    if not raw:
        return None
    postcode = re.sub(r"\s+", "", raw)
    return postcode if POSTCODE_PATTERN.match(postcode) else None


def parse_postcodes(raw: str | Iterable[str]) -> list[str]:
    """Postcodes from a comma or space separated list, sorted, without duplicates.

    Raises `DeliveryError(INVALID_POSTCODE)` naming every entry that is not a French postcode.
    """
    items = re.split(r"[\s,;]+", raw) if isinstance(raw, str) else list(raw)
    items = [item.strip() for item in items if item and item.strip()]
    invalid = [item for item in items if not POSTCODE_PATTERN.match(item)]
    if invalid:
        raise DeliveryError(
            DeliveryErrorCode.INVALID_POSTCODE,
            _(
                "Codes postaux invalides : %(codes)s (cinq chiffres attendus).",
                codes=", ".join(invalid),
            ),
            invalid=invalid,
        )
    return sorted(set(items))


def customer_postcode(*, user) -> str | None:
    """The postcode of the Customer's default address, else of their first one."""
    return db.session.scalar(
        select(Address.postcode)
        .where(Address.user_id == user.id)
        .order_by(Address.is_default.desc(), Address.id)
        .limit(1)
    )


def vendor_shipping_fee_cents(*, vendor: Vendor, goods_cents: int) -> int:
    """The Vendor's flat shipping fee, waived from its free-shipping threshold."""
    if goods_cents <= 0:
        return 0
    threshold = vendor.free_shipping_threshold_cents
    if threshold is not None and goods_cents >= threshold:
        return 0
    return vendor.shipping_flat_cents


def bookable_pickup_slots(*, now: datetime, limit: int = MAX_CHOICES) -> list[PickupSlot]:
    return list(
        db.session.scalars(
            select(PickupSlot)
            .where(
                PickupSlot.cutoff_at > now,
                PickupSlot.status == RunStatus.OPEN,
                PickupSlot.booked < PickupSlot.capacity,
            )
            .order_by(PickupSlot.starts_at, PickupSlot.id)
            .limit(limit)
        )
    )


def zones_serving(postcode: str) -> list[DeliveryZone]:
    # Zones are few; matching in Python keeps the JSON list portable across databases.
    zones = db.session.scalars(select(DeliveryZone).order_by(DeliveryZone.name))
    return [zone for zone in zones if postcode in (zone.postcodes or [])]


def open_rounds(
    *, postcode: str, weight_grams: int, now: datetime, limit: int = MAX_CHOICES
) -> list[DeliveryRound]:
    """Rounds through the postcode's zones, before cut-off, with a stop and the kilograms free."""
    zone_ids = [zone.id for zone in zones_serving(postcode)]
    if not zone_ids:
        return []
    return list(
        db.session.scalars(
            select(DeliveryRound)
            .join(DeliveryRound.zone)
            .where(
                DeliveryRound.zone_id.in_(zone_ids),
                DeliveryRound.status == RunStatus.OPEN,
                DeliveryRound.cutoff_at > now,
                DeliveryRound.booked_stops < DeliveryRound.capacity_stops,
                DeliveryRound.booked_grams + weight_grams <= DeliveryRound.capacity_grams,
            )
            .options(contains_eager(DeliveryRound.zone))
            .order_by(DeliveryRound.delivery_date, DeliveryRound.cutoff_at, DeliveryRound.id)
            .limit(limit)
        )
    )


def delivery_quote(*, summary, postcode: str | None, now: datetime) -> DeliveryQuote:
    """Prices of the three delivery choices for a cart summary (`cart.services.CartSummary`).

    Vendor shipping is paid per Vendor; a Pickup slot or a Delivery round costs one fee for
    the whole Order however many Vendors it holds.
    """
    fees = {
        group.vendor.id: vendor_shipping_fee_cents(
            vendor=group.vendor, goods_cents=group.subtotal_cents
        )
        for group in summary.groups
        if group.subtotal_cents > 0
    }
    postcode = normalize_postcode(postcode)
    served = bool(postcode) and bool(zones_serving(postcode))
    rounds = (
        open_rounds(postcode=postcode, weight_grams=summary.weight_grams, now=now) if served else []
    )
    return DeliveryQuote(
        vendor_shipping=fees,
        vendor_shipping_total_cents=sum(fees.values()),
        pickup_slots=bookable_pickup_slots(now=now),
        rounds=rounds,
        postcode=postcode,
        postcode_served=served,
        goods_cents=summary.goods_cents,
    )


def book_pickup_slot(*, slot_id: int, now: datetime, order_id: int | None = None) -> PickupSlot:
    """Take one place in a Pickup slot, or refuse if it is full or already started.

    With `order_id`, the booking is recorded for that Order: booking again for the same Order
    takes no second place, and `release_pickup_slot(order_id=...)` gives the place back once.
    """
    if order_id is not None:
        existing = db.session.scalar(
            select(PickupBooking).where(PickupBooking.order_id == order_id)
        )
        if existing is not None:
            if existing.slot_id != slot_id:
                raise DeliveryError(
                    DeliveryErrorCode.ALREADY_BOOKED,
                    _("Cette commande a déjà un créneau de retrait."),
                )
            return db.session.get(PickupSlot, slot_id, populate_existing=True)
    taken = db.session.execute(
        update(PickupSlot)
        .where(
            PickupSlot.id == slot_id,
            PickupSlot.booked < PickupSlot.capacity,
            PickupSlot.cutoff_at > now,
            PickupSlot.status == RunStatus.OPEN,
        )
        .values(booked=PickupSlot.booked + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    slot = db.session.get(PickupSlot, slot_id, populate_existing=True)
    if not taken:
        if slot is None:
            raise DeliveryError(
                DeliveryErrorCode.SLOT_NOT_FOUND, _("Ce créneau de retrait n'existe pas.")
            )
        if _as_utc(slot.cutoff_at) <= now or slot.status != RunStatus.OPEN:
            raise DeliveryError(
                DeliveryErrorCode.SLOT_PAST,
                _("Ce créneau de retrait est passé : choisissez-en un autre."),
            )
        raise DeliveryError(
            DeliveryErrorCode.SLOT_FULL,
            _("Ce créneau de retrait est complet : choisissez-en un autre."),
        )
    if order_id is not None:
        db.session.add(PickupBooking(slot_id=slot_id, order_id=order_id))
        db.session.flush()
    return slot


def release_pickup_slot(*, slot_id: int, order_id: int | None = None) -> None:
    """Give back a place in a Pickup slot (Order expired or cancelled).

    With `order_id`, only the place that Order holds is given back, once: calling again
    changes nothing. Without it, one place is given back; the count never goes below zero.
    """
    if order_id is not None:
        released = db.session.execute(
            delete(PickupBooking)
            .where(PickupBooking.order_id == order_id, PickupBooking.slot_id == slot_id)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not released:
            return
    db.session.execute(
        update(PickupSlot)
        .where(PickupSlot.id == slot_id, PickupSlot.booked > 0)
        .values(booked=PickupSlot.booked - 1)
        .execution_options(synchronize_session=False)
    )
    _expire_cached(PickupSlot, slot_id)


def book_round_stop(
    *,
    round_id: int,
    order_id: int,
    weight_grams: int,
    now: datetime,
    postcode: str | None = None,
) -> RoundStop:
    """Give an Order a stop in a Delivery round, within its stops and kilograms, before cut-off.

    With `postcode`, also refuse a round whose zone does not serve it. Booking again for the
    same Order and round returns the existing stop.
    """
    existing = db.session.scalar(select(RoundStop).where(RoundStop.order_id == order_id))
    if existing is not None:
        if existing.round_id != round_id:
            raise DeliveryError(
                DeliveryErrorCode.ALREADY_BOOKED,
                _("Cette commande a déjà une place dans une tournée."),
            )
        return existing
    if postcode is not None:
        delivery_round = db.session.get(DeliveryRound, round_id)
        served = normalize_postcode(postcode)
        if delivery_round is not None and served not in (delivery_round.zone.postcodes or []):
            raise DeliveryError(
                DeliveryErrorCode.POSTCODE_NOT_SERVED,
                _("Cette tournée ne dessert pas le code postal %(postcode)s.", postcode=postcode),
            )
    position = db.session.execute(
        update(DeliveryRound)
        .where(
            DeliveryRound.id == round_id,
            DeliveryRound.cutoff_at > now,
            DeliveryRound.status == RunStatus.OPEN,
            DeliveryRound.booked_stops < DeliveryRound.capacity_stops,
            DeliveryRound.booked_grams + weight_grams <= DeliveryRound.capacity_grams,
        )
        .values(
            booked_stops=DeliveryRound.booked_stops + 1,
            booked_grams=DeliveryRound.booked_grams + weight_grams,
        )
        .returning(DeliveryRound.booked_stops)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if position is None:
        _refuse_round(round_id, weight_grams, now)
    _expire_cached(DeliveryRound, round_id)
    stop = RoundStop(
        round_id=round_id, order_id=order_id, weight_grams=weight_grams, position=position
    )
    db.session.add(stop)
    db.session.flush()
    return stop


def _refuse_round(round_id: int, weight_grams: int, now: datetime) -> None:
    delivery_round = db.session.get(DeliveryRound, round_id, populate_existing=True)
    if delivery_round is None:
        raise DeliveryError(
            DeliveryErrorCode.ROUND_NOT_FOUND, _("Cette tournée de livraison n'existe pas.")
        )
    if _as_utc(delivery_round.cutoff_at) <= now or delivery_round.status != RunStatus.OPEN:
        raise DeliveryError(
            DeliveryErrorCode.ROUND_CLOSED,
            _("Les commandes pour cette tournée sont closes : choisissez-en une autre."),
        )
    if delivery_round.booked_stops >= delivery_round.capacity_stops:
        raise DeliveryError(
            DeliveryErrorCode.ROUND_FULL,
            _("Cette tournée de livraison est complète : choisissez-en une autre."),
        )
    raise DeliveryError(
        DeliveryErrorCode.ROUND_TOO_HEAVY,
        _(
            "Il ne reste pas assez de place dans la camionnette pour votre commande "
            "dans cette tournée : choisissez-en une autre."
        ),
        weight_grams=weight_grams,
    )


def release_round_stop(*, order_id: int) -> None:
    """Give back an Order's stop and kilograms; calling again changes nothing."""
    freed = db.session.execute(
        delete(RoundStop)
        .where(RoundStop.order_id == order_id)
        .returning(RoundStop.round_id, RoundStop.weight_grams)
    ).first()
    if freed is None:
        return
    round_id, weight_grams = freed
    db.session.execute(
        update(DeliveryRound)
        .where(
            DeliveryRound.id == round_id,
            DeliveryRound.booked_stops >= 1,
            DeliveryRound.booked_grams >= weight_grams,
        )
        .values(
            booked_stops=DeliveryRound.booked_stops - 1,
            booked_grams=DeliveryRound.booked_grams - weight_grams,
        )
        .execution_options(synchronize_session=False)
    )
    _expire_cached(DeliveryRound, round_id)


def _expire_cached(model: type, object_id: int) -> None:
    """Make an instance already in the session re-read the counters changed behind its back."""
    cached = db.session.identity_map.get(db.session.identity_key(model, object_id))
    if cached is not None:
        db.session.expire(cached)


# --- Admin: the cooperative's schedule -------------------------------------------------------


def list_pickup_slots(
    *, now: datetime, past: bool = False, page: int = 1, per_page: int = 50
) -> Page[PickupSlot]:
    """Slots not yet over, soonest first; or the finished ones, latest first."""
    query = select(PickupSlot)
    if past:
        query = query.where(PickupSlot.ends_at <= now).order_by(PickupSlot.starts_at.desc())
    else:
        query = query.where(PickupSlot.ends_at > now).order_by(PickupSlot.starts_at)
    return paginate(db.session, query.order_by(PickupSlot.id), page=page, per_page=per_page)


def list_delivery_zones() -> list[DeliveryZone]:
    return list(db.session.scalars(select(DeliveryZone).order_by(DeliveryZone.name)))


def list_delivery_rounds(
    *, now: datetime, past: bool = False, page: int = 1, per_page: int = 50
) -> Page[DeliveryRound]:
    """Rounds from today on (Castres time), soonest first; or the past ones, latest first."""
    today = utc_to_hub_time(now).date()
    query = (
        select(DeliveryRound).join(DeliveryRound.zone).options(contains_eager(DeliveryRound.zone))
    )
    if past:
        query = query.where(DeliveryRound.delivery_date < today).order_by(
            DeliveryRound.delivery_date.desc()
        )
    else:
        query = query.where(DeliveryRound.delivery_date >= today).order_by(
            DeliveryRound.delivery_date, DeliveryRound.cutoff_at
        )
    return paginate(db.session, query.order_by(DeliveryRound.id), page=page, per_page=per_page)


def _check_schedule(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise DeliveryError(
            DeliveryErrorCode.INVALID_SCHEDULE, _("L'heure de fin doit suivre l'heure de début.")
        )


def _refuse_past(moment: datetime, now: datetime | None) -> None:
    if moment <= (now or datetime.now(UTC)):
        raise DeliveryError(
            DeliveryErrorCode.IN_THE_PAST,
            _("Ce moment est déjà passé : on ne peut plus y prendre de commandes."),
        )


def create_pickup_slot(
    *,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    fee_cents: int,
    cutoff_at: datetime | None = None,
    now: datetime | None = None,
) -> PickupSlot:
    """A one-off slot; bookings close at `cutoff_at` (default: when it starts)."""
    _check_schedule(starts_at, ends_at)
    cutoff_at = cutoff_at or starts_at
    if cutoff_at > starts_at:
        raise DeliveryError(
            DeliveryErrorCode.INVALID_SCHEDULE,
            _("La clôture des réservations doit précéder le début du créneau."),
        )
    _refuse_past(cutoff_at, now)
    slot = PickupSlot(
        starts_at=starts_at,
        ends_at=ends_at,
        cutoff_at=cutoff_at,
        capacity=capacity,
        booked=0,
        fee_cents=fee_cents,
    )
    db.session.add(slot)
    db.session.flush()
    return slot


def update_pickup_slot(
    *,
    slot: PickupSlot,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    fee_cents: int,
    cutoff_at: datetime | None = None,
) -> PickupSlot:
    """Change a slot; its capacity can never drop below the places already booked.

    Without `cutoff_at`, the cut-off moves with the start, keeping its lead (a plan's "18 hours
    before").
    """
    _check_schedule(starts_at, ends_at)
    if cutoff_at is None:
        cutoff_at = starts_at - (_as_utc(slot.starts_at) - _as_utc(slot.cutoff_at))
    if cutoff_at > starts_at:
        raise DeliveryError(
            DeliveryErrorCode.INVALID_SCHEDULE,
            _("La clôture des réservations doit précéder le début du créneau."),
        )
    changed = db.session.execute(
        update(PickupSlot)
        .where(PickupSlot.id == slot.id, PickupSlot.booked <= capacity)
        .values(
            starts_at=starts_at,
            ends_at=ends_at,
            cutoff_at=cutoff_at,
            capacity=capacity,
            fee_cents=fee_cents,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(slot)
    if not changed:
        raise DeliveryError(
            DeliveryErrorCode.CAPACITY_BELOW_BOOKED,
            _(
                "La capacité ne peut pas être inférieure aux %(booked)d places déjà réservées.",
                booked=slot.booked,
            ),
        )
    return slot


def _check_zone_name(name: str, zone_id: int | None) -> None:
    query = select(DeliveryZone.id).where(func.lower(DeliveryZone.name) == name.lower())
    if zone_id is not None:
        query = query.where(DeliveryZone.id != zone_id)
    if db.session.scalar(query) is not None:
        raise DeliveryError(
            DeliveryErrorCode.ZONE_NAME_TAKEN,
            _("Une zone de livraison porte déjà le nom « %(name)s ».", name=name),
        )


def create_delivery_zone(
    *,
    name: str,
    postcodes: Iterable[str],
    fee_cents: int,
    free_threshold_cents: int | None = None,
) -> DeliveryZone:
    name = name.strip()
    _check_zone_name(name, None)
    zone = DeliveryZone(
        name=name,
        postcodes=parse_postcodes(postcodes),
        fee_cents=fee_cents,
        free_threshold_cents=free_threshold_cents,
    )
    db.session.add(zone)
    db.session.flush()
    return zone


def update_delivery_zone(
    *,
    zone: DeliveryZone,
    name: str,
    postcodes: Iterable[str],
    fee_cents: int,
    free_threshold_cents: int | None = None,
) -> DeliveryZone:
    name = name.strip()
    _check_zone_name(name, zone.id)
    zone.name = name
    zone.postcodes = parse_postcodes(postcodes)
    zone.fee_cents = fee_cents
    zone.free_threshold_cents = free_threshold_cents
    db.session.flush()
    return zone


def _check_cutoff(delivery_date: date, cutoff_at: datetime) -> None:
    end_of_delivery_day = hub_time_to_utc(delivery_date + timedelta(days=1), time(0, 0))
    if cutoff_at >= end_of_delivery_day:
        raise DeliveryError(
            DeliveryErrorCode.INVALID_SCHEDULE,
            _("La clôture des commandes doit précéder la fin du jour de livraison."),
        )


def create_delivery_round(
    *,
    zone: DeliveryZone,
    delivery_date: date,
    cutoff_at: datetime,
    capacity_stops: int,
    capacity_grams: int,
    now: datetime | None = None,
) -> DeliveryRound:
    _check_cutoff(delivery_date, cutoff_at)
    _refuse_past(cutoff_at, now)
    delivery_round = DeliveryRound(
        zone=zone,
        delivery_date=delivery_date,
        cutoff_at=cutoff_at,
        capacity_stops=capacity_stops,
        capacity_grams=capacity_grams,
        booked_stops=0,
        booked_grams=0,
    )
    db.session.add(delivery_round)
    db.session.flush()
    return delivery_round


def update_delivery_round(
    *,
    delivery_round: DeliveryRound,
    zone: DeliveryZone,
    delivery_date: date,
    cutoff_at: datetime,
    capacity_stops: int,
    capacity_grams: int,
) -> DeliveryRound:
    """Change a round; capacities never drop below what is booked, and a round with stops
    keeps its zone (its Customers' addresses were checked against it)."""
    _check_cutoff(delivery_date, cutoff_at)
    changed = db.session.execute(
        update(DeliveryRound)
        .where(
            DeliveryRound.id == delivery_round.id,
            DeliveryRound.booked_stops <= capacity_stops,
            DeliveryRound.booked_grams <= capacity_grams,
            (DeliveryRound.zone_id == zone.id) | (DeliveryRound.booked_stops == 0),
        )
        .values(
            zone_id=zone.id,
            delivery_date=delivery_date,
            cutoff_at=cutoff_at,
            capacity_stops=capacity_stops,
            capacity_grams=capacity_grams,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(delivery_round)
    if changed:
        return delivery_round
    if delivery_round.zone_id != zone.id and delivery_round.booked_stops:
        raise DeliveryError(
            DeliveryErrorCode.ROUND_HAS_BOOKINGS,
            _("Cette tournée a déjà des arrêts réservés : sa zone ne peut plus changer."),
        )
    raise DeliveryError(
        DeliveryErrorCode.CAPACITY_BELOW_BOOKED,
        _(
            "La capacité ne peut pas être inférieure à ce qui est déjà réservé "
            "(%(stops)d arrêts, %(kg)s kg).",
            stops=delivery_round.booked_stops,
            kg=format_kilograms(delivery_round.booked_grams),
        ),
    )


def format_kilograms(grams: int, locale: str | None = None) -> str:
    """Grams as kilograms in the reader's language, without floats: 12500 -> "12,5"."""
    return format_decimal(
        Decimal(grams) / 1000, format="#,##0.###", locale=locale or str(get_locale() or "fr")
    )


# --- Recurring plans and the planner ---------------------------------------------------------

#: How far ahead the planner creates concrete rounds and slots.
PLAN_WEEKS_AHEAD = 3


def _check_weekdays(weekdays: Iterable[int]) -> list[int]:
    days = sorted({int(day) for day in weekdays})
    if not days or any(day < 0 or day > 6 for day in days):
        raise DeliveryError(
            DeliveryErrorCode.INVALID_PLAN, _("Choisissez au moins un jour de la semaine.")
        )
    return days


def create_round_plan(
    *,
    zone: DeliveryZone,
    weekdays: Iterable[int],
    departure_time: time,
    cutoff_days_before: int,
    cutoff_time: time,
    capacity_stops: int,
    capacity_grams: int,
) -> RoundPlan:
    """A recurring round; the planner creates its dates (`plan_ahead`)."""
    plan = RoundPlan(zone=zone, active=True)
    return update_round_plan(
        plan=plan,
        zone=zone,
        weekdays=weekdays,
        departure_time=departure_time,
        cutoff_days_before=cutoff_days_before,
        cutoff_time=cutoff_time,
        capacity_stops=capacity_stops,
        capacity_grams=capacity_grams,
        active=True,
    )


def update_round_plan(
    *,
    plan: RoundPlan,
    zone: DeliveryZone,
    weekdays: Iterable[int],
    departure_time: time,
    cutoff_days_before: int,
    cutoff_time: time,
    capacity_stops: int,
    capacity_grams: int,
    active: bool,
) -> RoundPlan:
    """Change a plan; rounds already created keep their own settings (change them one by one)."""
    if cutoff_days_before == 0 and cutoff_time > departure_time:
        raise DeliveryError(
            DeliveryErrorCode.INVALID_PLAN,
            _("La clôture des commandes doit précéder le départ de la tournée."),
        )
    plan.zone = zone
    plan.weekdays = _check_weekdays(weekdays)
    plan.departure_time = departure_time
    plan.cutoff_days_before = cutoff_days_before
    plan.cutoff_time = cutoff_time
    plan.capacity_stops = capacity_stops
    plan.capacity_grams = capacity_grams
    plan.active = active
    db.session.add(plan)
    db.session.flush()
    return plan


def create_pickup_plan(
    *,
    name: str,
    weekdays: Iterable[int],
    start_time: time,
    end_time: time,
    capacity: int,
    fee_cents: int,
    cutoff_hours_before: int,
) -> PickupPlan:
    plan = PickupPlan(active=True)
    return update_pickup_plan(
        plan=plan,
        name=name,
        weekdays=weekdays,
        start_time=start_time,
        end_time=end_time,
        capacity=capacity,
        fee_cents=fee_cents,
        cutoff_hours_before=cutoff_hours_before,
        active=True,
    )


def update_pickup_plan(
    *,
    plan: PickupPlan,
    name: str,
    weekdays: Iterable[int],
    start_time: time,
    end_time: time,
    capacity: int,
    fee_cents: int,
    cutoff_hours_before: int,
    active: bool,
) -> PickupPlan:
    if end_time <= start_time:
        raise DeliveryError(
            DeliveryErrorCode.INVALID_SCHEDULE, _("L'heure de fin doit suivre l'heure de début.")
        )
    plan.name = name.strip()
    plan.weekdays = _check_weekdays(weekdays)
    plan.start_time = start_time
    plan.end_time = end_time
    plan.capacity = capacity
    plan.fee_cents = fee_cents
    plan.cutoff_hours_before = cutoff_hours_before
    plan.active = active
    db.session.add(plan)
    db.session.flush()
    return plan


def list_round_plans() -> list[RoundPlan]:
    return list(
        db.session.scalars(
            select(RoundPlan)
            .join(RoundPlan.zone)
            .options(contains_eager(RoundPlan.zone))
            .order_by(RoundPlan.active.desc(), DeliveryZone.name, RoundPlan.id)
        )
    )


def list_pickup_plans() -> list[PickupPlan]:
    return list(
        db.session.scalars(
            select(PickupPlan).order_by(PickupPlan.active.desc(), PickupPlan.name, PickupPlan.id)
        )
    )


def round_plan_dates(plan: RoundPlan, *, now: datetime, weeks: int) -> list[dict]:
    """The rounds a plan calls for in the coming weeks, still open for orders at `now`."""
    today = utc_to_hub_time(now).date()
    rows = []
    for offset in range(weeks * 7):
        day = today + timedelta(days=offset)
        if day.weekday() not in plan.weekdays:
            continue
        cutoff_at = hub_time_to_utc(day - timedelta(days=plan.cutoff_days_before), plan.cutoff_time)
        if cutoff_at <= now:
            continue  # past: never created
        rows.append(
            {
                "plan_id": plan.id,
                "zone_id": plan.zone_id,
                "delivery_date": day,
                "departure_time": plan.departure_time,
                "cutoff_at": cutoff_at,
                "capacity_stops": plan.capacity_stops,
                "capacity_grams": plan.capacity_grams,
            }
        )
    return rows


def pickup_plan_dates(plan: PickupPlan, *, now: datetime, weeks: int) -> list[dict]:
    """The slots a plan calls for in the coming weeks, still open for bookings at `now`."""
    today = utc_to_hub_time(now).date()
    rows = []
    for offset in range(weeks * 7):
        day = today + timedelta(days=offset)
        if day.weekday() not in plan.weekdays:
            continue
        starts_at = hub_time_to_utc(day, plan.start_time)
        cutoff_at = starts_at - timedelta(hours=plan.cutoff_hours_before)
        if cutoff_at <= now:
            continue
        rows.append(
            {
                "plan_id": plan.id,
                "starts_at": starts_at,
                "ends_at": hub_time_to_utc(day, plan.end_time),
                "cutoff_at": cutoff_at,
                "capacity": plan.capacity,
                "fee_cents": plan.fee_cents,
            }
        )
    return rows


def _insert_ignoring_duplicates(model: type, rows: list[dict], keys: list[str]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING: rows already there (same plan and date) are kept
    as they are, so running the planner twice, or on two workers at once, adds nothing."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stamp = datetime.now(UTC)
    counters = (
        {"booked": 0} if model is PickupSlot else {"booked_stops": 0, "booked_grams": 0}
    )
    values = [
        {**row, **counters, "status": RunStatus.OPEN, "created_at": stamp, "updated_at": stamp}
        for row in rows
    ]
    statement = (
        insert(model).values(values).on_conflict_do_nothing(index_elements=keys)
        .returning(model.id)
    )
    return len(db.session.execute(statement).all())


def plan_ahead(*, now: datetime, weeks: int = PLAN_WEEKS_AHEAD) -> tuple[int, int]:
    """Create the concrete rounds and slots of every active plan for the coming weeks.

    Returns (rounds created, slots created). A date that exists already, even cancelled,
    is left alone: an Admin's cancellation or capacity change is never undone.
    """
    round_rows = [
        row
        for plan in db.session.scalars(select(RoundPlan).where(RoundPlan.active.is_(True)))
        for row in round_plan_dates(plan, now=now, weeks=weeks)
    ]
    slot_rows = [
        row
        for plan in db.session.scalars(select(PickupPlan).where(PickupPlan.active.is_(True)))
        for row in pickup_plan_dates(plan, now=now, weeks=weeks)
    ]
    rounds = _insert_ignoring_duplicates(DeliveryRound, round_rows, ["plan_id", "delivery_date"])
    slots = _insert_ignoring_duplicates(PickupSlot, slot_rows, ["plan_id", "starts_at"])
    return rounds, slots


# --- Cancelling a date, closing at the cut-off ------------------------------------------------


def cancel_delivery_round(*, delivery_round: DeliveryRound) -> None:
    """Call off one date of a round: nothing more can be booked in it; its Customers keep
    their stop until they move it to another round (`move_round_stop`)."""
    changed = db.session.execute(
        update(DeliveryRound)
        .where(DeliveryRound.id == delivery_round.id, DeliveryRound.status != RunStatus.CANCELLED)
        .values(status=RunStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(delivery_round)
    if not changed:
        raise DeliveryError(
            DeliveryErrorCode.ALREADY_CANCELLED, _("Cette tournée est déjà annulée.")
        )


def cancel_pickup_slot(*, slot: PickupSlot) -> None:
    """Call off one Pickup slot; its Customers keep their booking until they move it."""
    changed = db.session.execute(
        update(PickupSlot)
        .where(PickupSlot.id == slot.id, PickupSlot.status != RunStatus.CANCELLED)
        .values(status=RunStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(slot)
    if not changed:
        raise DeliveryError(
            DeliveryErrorCode.ALREADY_CANCELLED, _("Ce créneau de retrait est déjà annulé.")
        )


def due_round_ids(*, now: datetime) -> list[int]:
    return list(
        db.session.scalars(
            select(DeliveryRound.id)
            .where(DeliveryRound.status == RunStatus.OPEN, DeliveryRound.cutoff_at <= now)
            .order_by(DeliveryRound.cutoff_at, DeliveryRound.id)
        )
    )


def due_slot_ids(*, now: datetime) -> list[int]:
    return list(
        db.session.scalars(
            select(PickupSlot.id)
            .where(PickupSlot.status == RunStatus.OPEN, PickupSlot.cutoff_at <= now)
            .order_by(PickupSlot.cutoff_at, PickupSlot.id)
        )
    )


def claim_round_closing(*, round_id: int, now: datetime) -> bool:
    """Close a round whose cut-off has passed; True for the one caller that closed it.

    One conditional UPDATE: a second run, or a second worker at the same moment, finds the
    round closed already (PostgreSQL re-checks the WHERE after the first one's row lock) and
    gets False, so pick lists go out exactly once.
    """
    closed = db.session.execute(
        update(DeliveryRound)
        .where(
            DeliveryRound.id == round_id,
            DeliveryRound.status == RunStatus.OPEN,
            DeliveryRound.cutoff_at <= now,
        )
        .values(status=RunStatus.CLOSED, closed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    _expire_cached(DeliveryRound, round_id)
    return bool(closed)


def claim_slot_closing(*, slot_id: int, now: datetime) -> bool:
    """The Pickup slot counterpart of `claim_round_closing`."""
    closed = db.session.execute(
        update(PickupSlot)
        .where(
            PickupSlot.id == slot_id,
            PickupSlot.status == RunStatus.OPEN,
            PickupSlot.cutoff_at <= now,
        )
        .values(status=RunStatus.CLOSED, closed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    _expire_cached(PickupSlot, slot_id)
    return bool(closed)


# --- Route: nearest neighbour over postcode coordinates ---------------------------------------

_POSTCODE_FILE = Path(__file__).parent / "data" / "tarn_postcodes.csv"
#: The hub, in Castres: where every round starts.
HUB_POSTCODE = "81100"


@functools.cache
def postcode_coordinates() -> dict[str, tuple[float, float]]:
    """{postcode: (latitude, longitude)} from the small data file (no network)."""
    with _POSTCODE_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["postcode"]: (float(row["latitude"]), float(row["longitude"])) for row in rows}


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine): plenty for ordering stops, never for money."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def nearest_neighbour_route(
    stops: Iterable[tuple[int, str | None]], *, start: str = HUB_POSTCODE
) -> list[int]:
    """Stop keys in visiting order: from the hub, always on to the nearest stop not visited.

    `stops` are (key, postcode); ties go to the smaller key, and stops whose postcode has no
    known coordinates come last, in key order, for the Admin to place by hand.
    """
    coordinates = postcode_coordinates()
    known = sorted((key, coordinates[code]) for key, code in stops if code in coordinates)
    unknown = sorted(key for key, code in stops if code not in coordinates)
    here = coordinates[start]
    route = []
    while known:
        nearest = min(known, key=lambda item: (_distance_km(here, item[1]), item[0]))
        known.remove(nearest)
        route.append(nearest[0])
        here = nearest[1]
    return route + unknown


def set_stop_order(*, delivery_round: DeliveryRound, stop_ids: list[int]) -> None:
    """Number the round's stops 1, 2, 3… in the order given (ids of other rounds ignored)."""
    stops = {
        stop.id: stop
        for stop in db.session.scalars(
            select(RoundStop).where(RoundStop.round_id == delivery_round.id)
        )
    }
    ordered = [stop_id for stop_id in stop_ids if stop_id in stops]
    ordered += sorted(set(stops) - set(ordered), key=lambda i: (stops[i].position, i))
    for position, stop_id in enumerate(ordered, start=1):
        stops[stop_id].position = position
    db.session.flush()


def move_stop(*, stop: RoundStop, offset: int) -> None:
    """Move a stop earlier (-1) or later (+1) in its round, as the Admin reorders by hand."""
    ids = list(
        db.session.scalars(
            select(RoundStop.id)
            .where(RoundStop.round_id == stop.round_id)
            .order_by(RoundStop.position, RoundStop.id)
        )
    )
    index = ids.index(stop.id)
    target = min(max(index + offset, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    set_stop_order(delivery_round=stop.delivery_round, stop_ids=ids)


# --- Stop outcomes and moving a booking ------------------------------------------------------


def record_stop_outcome(
    *, stop: RoundStop, delivered: bool, now: datetime, reason: str = ""
) -> None:
    """Mark a pending stop delivered or failed, once: a second tap is refused."""
    changed = db.session.execute(
        update(RoundStop)
        .where(RoundStop.id == stop.id, RoundStop.status == StopStatus.PENDING)
        .values(
            status=StopStatus.DELIVERED if delivered else StopStatus.FAILED,
            delivered_at=now if delivered else None,
            failed_at=None if delivered else now,
            failure_reason="" if delivered else reason.strip(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(stop)
    if not changed:
        raise DeliveryError(
            DeliveryErrorCode.STOP_ALREADY_DONE, _("Cet arrêt a déjà été marqué.")
        )


def may_leave_round(*, stop: RoundStop, now: datetime) -> bool:
    """A Customer may move their stop before the cut-off, or when the round was cancelled
    or the driver could not deliver."""
    delivery_round = stop.delivery_round
    if stop.status == StopStatus.FAILED or delivery_round.status == RunStatus.CANCELLED:
        return True
    return stop.status == StopStatus.PENDING and (
        delivery_round.status == RunStatus.OPEN and _as_utc(delivery_round.cutoff_at) > now
    )


def may_leave_slot(*, slot: PickupSlot, now: datetime) -> bool:
    if slot.status == RunStatus.CANCELLED:
        return True
    return slot.status == RunStatus.OPEN and _as_utc(slot.cutoff_at) > now


def _refuse_move() -> None:
    raise DeliveryError(
        DeliveryErrorCode.CANNOT_MOVE,
        _("Les commandes sont closes pour cette date : la réservation ne peut plus changer."),
    )


def move_round_stop(*, order_id: int, to_round_id: int, now: datetime) -> RoundStop:
    """Move an Order's stop to another round of the same zone with room, before the cut-off.

    The new place is taken by the same conditional UPDATE as at checkout; if it fails, the
    DeliveryError rolls the whole transaction back, the old stop included.
    """
    stop = db.session.scalar(select(RoundStop).where(RoundStop.order_id == order_id))
    if stop is None or not may_leave_round(stop=stop, now=now):
        _refuse_move()
    target = db.session.get(DeliveryRound, to_round_id)
    same_zone = target is not None and target.zone_id == stop.delivery_round.zone_id
    if not same_zone or target.id == stop.round_id:
        raise DeliveryError(
            DeliveryErrorCode.ROUND_NOT_FOUND, _("Cette tournée de livraison n'est pas proposée.")
        )
    weight_grams = stop.weight_grams
    release_round_stop(order_id=order_id)
    db.session.expunge(stop)
    return book_round_stop(
        round_id=to_round_id, order_id=order_id, weight_grams=weight_grams, now=now
    )


def move_pickup_booking(*, order_id: int, from_slot_id: int, to_slot_id: int, now: datetime
                        ) -> PickupSlot:
    """Move an Order to another Pickup slot with the same fee, before the cut-off."""
    current = db.session.get(PickupSlot, from_slot_id)
    if current is None or not may_leave_slot(slot=current, now=now):
        _refuse_move()
    target = db.session.get(PickupSlot, to_slot_id)
    if target is None or target.fee_cents != current.fee_cents or target.id == current.id:
        raise DeliveryError(
            DeliveryErrorCode.SLOT_NOT_FOUND, _("Ce créneau de retrait n'est pas proposé.")
        )
    release_pickup_slot(slot_id=from_slot_id, order_id=order_id)
    return book_pickup_slot(slot_id=to_slot_id, now=now, order_id=order_id)


def other_rounds(*, stop: RoundStop, now: datetime) -> list[DeliveryRound]:
    """Rounds of the stop's zone it could move to: open, before cut-off, room for its weight."""
    return list(
        db.session.scalars(
            select(DeliveryRound)
            .where(
                DeliveryRound.zone_id == stop.delivery_round.zone_id,
                DeliveryRound.id != stop.round_id,
                DeliveryRound.status == RunStatus.OPEN,
                DeliveryRound.cutoff_at > now,
                DeliveryRound.booked_stops < DeliveryRound.capacity_stops,
                DeliveryRound.booked_grams + stop.weight_grams <= DeliveryRound.capacity_grams,
            )
            .order_by(DeliveryRound.delivery_date, DeliveryRound.id)
            .limit(MAX_CHOICES)
        )
    )


def other_slots(*, slot: PickupSlot, now: datetime) -> list[PickupSlot]:
    return [
        candidate
        for candidate in bookable_pickup_slots(now=now)
        if candidate.id != slot.id and candidate.fee_cents == slot.fee_cents
    ]
