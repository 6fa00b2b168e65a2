"""The cooperative's logistics: Pickup slots at the hub, Delivery zones and rounds."""
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.models import TimestampMixin
from marketplace.extensions import db


class PickupSlot(TimestampMixin, db.Model):
    """A window when customers collect their Orders at the hub's shop."""

    __tablename__ = "pickup_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    capacity: Mapped[int] = mapped_column(Integer)
    #: Orders holding a booking; changed only by conditional UPDATEs so it never exceeds capacity.
    booked: Mapped[int] = mapped_column(Integer, default=0)
    fee_cents: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_non_negative"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="booked_within_capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("fee_cents >= 0", name="fee_non_negative"),
    )


class PickupBooking(TimestampMixin, db.Model):
    """One Order's place in a Pickup slot, so that releasing it twice frees one place only."""

    __tablename__ = "pickup_bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("pickup_slots.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)

    slot: Mapped[PickupSlot] = relationship()


class DeliveryZone(TimestampMixin, db.Model):
    """Postcodes served by the cooperative's van."""

    __tablename__ = "delivery_zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    postcodes: Mapped[list[str]] = mapped_column(JSON, default=list)
    fee_cents: Mapped[int] = mapped_column(Integer, default=500)

    rounds: Mapped[list["DeliveryRound"]] = relationship(back_populates="zone")

    __table_args__ = (CheckConstraint("fee_cents >= 0", name="fee_non_negative"),)


class DeliveryRound(TimestampMixin, db.Model):
    """One trip of the van through a zone on a date, carrying many Vendors' goods."""

    __tablename__ = "delivery_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("delivery_zones.id"), index=True)
    delivery_date: Mapped[date] = mapped_column(Date)
    #: Last moment an Order can join the round; pick lists go to Vendors then.
    cutoff_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    capacity_stops: Mapped[int] = mapped_column(Integer)
    capacity_grams: Mapped[int] = mapped_column(Integer)
    booked_stops: Mapped[int] = mapped_column(Integer, default=0)
    booked_grams: Mapped[int] = mapped_column(Integer, default=0)

    zone: Mapped[DeliveryZone] = relationship(back_populates="rounds")
    stops: Mapped[list["RoundStop"]] = relationship(
        back_populates="delivery_round", order_by="RoundStop.position"
    )

    __table_args__ = (
        CheckConstraint(
            "booked_stops >= 0 AND booked_stops <= capacity_stops", name="stops_within_capacity"
        ),
        CheckConstraint(
            "booked_grams >= 0 AND booked_grams <= capacity_grams", name="grams_within_capacity"
        ),
    )


class RoundStop(TimestampMixin, db.Model):
    """One Order's place in a Delivery round."""

    __tablename__ = "round_stops"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("delivery_rounds.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    weight_grams: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    delivery_round: Mapped[DeliveryRound] = relationship(back_populates="stops")
