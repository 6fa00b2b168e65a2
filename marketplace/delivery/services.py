"""Delivery choices and their prices; bookings of Pickup slots and Delivery rounds.

Places are taken and given back only by conditional UPDATEs (`... WHERE booked < capacity`),
so two checkouts racing for the last place can never both get it, whatever the isolation
level: the second UPDATE finds no row and the booking is refused with a clear message.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import contains_eager

from marketplace.accounts.models import Address
from marketplace.core.pagination import Page, paginate
from marketplace.extensions import db
from marketplace.vendors.models import Vendor

from .errors import DeliveryError, DeliveryErrorCode
from .models import DeliveryRound, DeliveryZone, PickupBooking, PickupSlot, RoundStop

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

    @property
    def pickup_fee_cents(self) -> int | None:
        return min((slot.fee_cents for slot in self.pickup_slots), default=None)

    @property
    def round_fee_cents(self) -> int | None:
        return min((r.zone.fee_cents for r in self.rounds), default=None)


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
            .where(PickupSlot.starts_at > now, PickupSlot.booked < PickupSlot.capacity)
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
            PickupSlot.starts_at > now,
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
        if _as_utc(slot.starts_at) <= now:
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
    if _as_utc(delivery_round.cutoff_at) <= now:
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


def create_pickup_slot(
    *, starts_at: datetime, ends_at: datetime, capacity: int, fee_cents: int
) -> PickupSlot:
    _check_schedule(starts_at, ends_at)
    slot = PickupSlot(
        starts_at=starts_at, ends_at=ends_at, capacity=capacity, booked=0, fee_cents=fee_cents
    )
    db.session.add(slot)
    db.session.flush()
    return slot


def update_pickup_slot(
    *, slot: PickupSlot, starts_at: datetime, ends_at: datetime, capacity: int, fee_cents: int
) -> PickupSlot:
    """Change a slot; its capacity can never drop below the places already booked."""
    _check_schedule(starts_at, ends_at)
    changed = db.session.execute(
        update(PickupSlot)
        .where(PickupSlot.id == slot.id, PickupSlot.booked <= capacity)
        .values(starts_at=starts_at, ends_at=ends_at, capacity=capacity, fee_cents=fee_cents)
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


def create_delivery_zone(*, name: str, postcodes: Iterable[str], fee_cents: int) -> DeliveryZone:
    name = name.strip()
    _check_zone_name(name, None)
    zone = DeliveryZone(name=name, postcodes=parse_postcodes(postcodes), fee_cents=fee_cents)
    db.session.add(zone)
    db.session.flush()
    return zone


def update_delivery_zone(
    *, zone: DeliveryZone, name: str, postcodes: Iterable[str], fee_cents: int
) -> DeliveryZone:
    name = name.strip()
    _check_zone_name(name, zone.id)
    zone.name = name
    zone.postcodes = parse_postcodes(postcodes)
    zone.fee_cents = fee_cents
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
) -> DeliveryRound:
    _check_cutoff(delivery_date, cutoff_at)
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
