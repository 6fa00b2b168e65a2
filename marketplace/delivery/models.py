"""The cooperative's logistics: Pickup slots at the hub, Delivery zones and rounds."""
from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.models import TimestampMixin
from marketplace.extensions import db

from .states import RUN_STATUS_CHECK, STOP_STATUS_CHECK, RunStatus, StopStatus


def _same_as_start(context) -> datetime:  # noqa: ANN001  (SQLAlchemy's execution context)
    """A slot's cut-off defaults to its start: bookings close when the shop opens."""
    return context.get_current_parameters()["starts_at"]


class PickupPlan(TimestampMixin, db.Model):
    """A recurring Pickup slot: "Wednesday 16-19 h and Saturday 9-12 h, 40 Orders".

    The periodic planner turns it into concrete `PickupSlot`s a few weeks ahead, once per day.
    """

    __tablename__ = "pickup_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    #: Days of the week, Monday = 0.
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: Hub (Europe/Paris) wall-clock times.
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    capacity: Mapped[int] = mapped_column(Integer)
    fee_cents: Mapped[int] = mapped_column(Integer, default=0)
    #: Bookings close this many hours before the slot starts (pick lists go to Vendors then).
    cutoff_hours_before: Mapped[int] = mapped_column(Integer, default=24)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_non_negative"),
        CheckConstraint("fee_cents >= 0", name="fee_non_negative"),
        CheckConstraint("end_time > start_time", name="ends_after_start"),
        CheckConstraint("cutoff_hours_before >= 0", name="cutoff_non_negative"),
    )


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
    #: Last moment to book or move into the slot; Vendors get their pick lists then.
    cutoff_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_same_as_start)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("pickup_plans.id"))
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.OPEN)
    #: Set once, by whichever worker closed the slot at its cut-off.
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_non_negative"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="booked_within_capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("fee_cents >= 0", name="fee_non_negative"),
        CheckConstraint("cutoff_at <= starts_at", name="cutoff_before_start"),
        CheckConstraint(RUN_STATUS_CHECK, name="status"),
        # One slot per plan and start: the planner can run twice and create nothing more.
        UniqueConstraint("plan_id", "starts_at"),
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
    #: Goods total from which the round is free; None: never free.
    free_threshold_cents: Mapped[int | None] = mapped_column(Integer)

    rounds: Mapped[list["DeliveryRound"]] = relationship(back_populates="zone")

    __table_args__ = (
        CheckConstraint("fee_cents >= 0", name="fee_non_negative"),
        CheckConstraint("free_threshold_cents >= 0", name="free_threshold_non_negative"),
    )

    def fee_for(self, goods_cents: int) -> int:
        """The round fee for an Order of `goods_cents`, waived from the free threshold."""
        if self.free_threshold_cents is not None and goods_cents >= self.free_threshold_cents:
            return 0
        return self.fee_cents


class RoundPlan(TimestampMixin, db.Model):
    """A recurring Delivery round: "zone Castres-Nord every Tuesday and Friday at 9:00,
    cut-off the day before at 18:00, 25 stops and 300 kg"."""

    __tablename__ = "round_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("delivery_zones.id"), index=True)
    #: Days of the week, Monday = 0.
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: Hub (Europe/Paris) wall-clock time the van leaves.
    departure_time: Mapped[time] = mapped_column(Time)
    #: Cut-off: this many days before the round, at `cutoff_time` (hub time).
    cutoff_days_before: Mapped[int] = mapped_column(Integer, default=1)
    cutoff_time: Mapped[time] = mapped_column(Time)
    capacity_stops: Mapped[int] = mapped_column(Integer)
    capacity_grams: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    zone: Mapped[DeliveryZone] = relationship()

    __table_args__ = (
        CheckConstraint("cutoff_days_before >= 0", name="cutoff_non_negative"),
        CheckConstraint(
            "capacity_stops >= 0 AND capacity_grams >= 0", name="capacity_non_negative"
        ),
    )


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
    #: Hub time the van leaves, when known (rounds from a plan).
    departure_time: Mapped[time | None] = mapped_column(Time)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("round_plans.id"))
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.OPEN)
    #: Set once, by whichever worker closed the round at its cut-off.
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

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
        CheckConstraint(RUN_STATUS_CHECK, name="status"),
        # One round per plan and day: the planner can run twice and create nothing more.
        UniqueConstraint("plan_id", "delivery_date"),
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
    status: Mapped[str] = mapped_column(String(20), default=StopStatus.PENDING)
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Why the driver could not deliver (absent, wrong address…), shown to the hub.
    failure_reason: Mapped[str] = mapped_column(Text, default="")

    delivery_round: Mapped[DeliveryRound] = relationship(back_populates="stops")

    __table_args__ = (CheckConstraint(STOP_STATUS_CHECK, name="status"),)
