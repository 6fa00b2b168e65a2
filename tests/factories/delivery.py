"""Factories for Pickup slots, Delivery zones and Delivery rounds."""

from datetime import UTC, datetime, timedelta

import factory

from marketplace.delivery.models import DeliveryRound, DeliveryZone, PickupSlot

from .base import ModelFactory


def _tomorrow_at(hour: int) -> datetime:
    day = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return day + timedelta(days=1)


class PickupSlotFactory(ModelFactory):
    """A two-hour slot at the hub tomorrow."""

    class Meta:
        model = PickupSlot

    starts_at = factory.LazyFunction(lambda: _tomorrow_at(15))
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + timedelta(hours=2))
    capacity = 10
    booked = 0
    fee_cents = 0


class DeliveryZoneFactory(ModelFactory):
    class Meta:
        model = DeliveryZone

    name = factory.Sequence(lambda n: f"Zone n°{n}")
    postcodes = factory.LazyFunction(lambda: ["81100", "81290"])
    fee_cents = 500


class DeliveryRoundFactory(ModelFactory):
    """A round the day after tomorrow, open for orders until tomorrow noon."""

    class Meta:
        model = DeliveryRound

    zone = factory.SubFactory(DeliveryZoneFactory)
    cutoff_at = factory.LazyFunction(lambda: _tomorrow_at(11))
    delivery_date = factory.LazyAttribute(lambda r: (r.cutoff_at + timedelta(days=1)).date())
    capacity_stops = 20
    capacity_grams = 300_000
    booked_stops = 0
    booked_grams = 0
