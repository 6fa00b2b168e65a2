"""Orders as the customer placed them, each split into one VendorOrder per Vendor."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.models import TimestampMixin, utcnow
from marketplace.extensions import db
from marketplace.vendors.models import Vendor

from .states import OrderStatus, VendorOrderStatus


class DeliveryMethod(StrEnum):
    VENDOR_SHIPPING = "vendor_shipping"
    PICKUP = "pickup"
    ROUND = "round"


class Order(TimestampMixin, db.Model):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # LA-2026-000123
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    #: One key per checkout attempt: a second submission of the same checkout finds this Order.
    checkout_key: Mapped[str] = mapped_column(String(64), unique=True)
    #: Secret for the guest's follow-up link.
    access_token: Mapped[str] = mapped_column(String(64), unique=True)
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    address: Mapped[dict] = mapped_column(JSON, default=dict)  # snapshot, never the live Address
    delivery_method: Mapped[str] = mapped_column(String(20))
    pickup_slot_id: Mapped[int | None] = mapped_column(ForeignKey("pickup_slots.id"))
    delivery_round_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_rounds.id"))
    goods_cents: Mapped[int] = mapped_column(Integer)
    delivery_cents: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    #: VAT by rate, {"550": 123, "2000": 456} (keys are rates in basis points).
    vat_breakdown: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(30), default=OrderStatus.AWAITING_PAYMENT)
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    vendor_orders: Mapped[list["VendorOrder"]] = relationship(
        back_populates="order", order_by="VendorOrder.sequence", cascade="all, delete-orphan"
    )
    events: Mapped[list["OrderEvent"]] = relationship(
        back_populates="order", order_by="OrderEvent.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("goods_cents >= 0 AND delivery_cents >= 0", name="amounts_non_negative"),
        CheckConstraint("total_cents = goods_cents + delivery_cents", name="total_adds_up"),
        CheckConstraint(
            "delivery_method IN ('vendor_shipping', 'pickup', 'round')", name="delivery_method"
        ),
    )


class VendorOrder(TimestampMixin, db.Model):
    """One Vendor's share of an Order: what it fulfils and what it is paid for."""

    __tablename__ = "vendor_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(24), unique=True)  # LA-2026-000123-2
    status: Mapped[str] = mapped_column(String(30), default=VendorOrderStatus.AWAITING_PAYMENT)
    goods_cents: Mapped[int] = mapped_column(Integer)
    #: The Vendor's own shipping fee (vendor shipping) — paid to the Vendor.
    shipping_cents: Mapped[int] = mapped_column(Integer, default=0)
    #: This VendorOrder's share of an Order-level fee (pickup, round): the cooperative's
    #: revenue, apportioned only for VAT and refunds.
    delivery_share_cents: Mapped[int] = mapped_column(Integer, default=0)
    vat_breakdown: Mapped[dict] = mapped_column(JSON, default=dict)
    commission_rate_bps: Mapped[int] = mapped_column(Integer)  # frozen at sale
    commission_cents: Mapped[int] = mapped_column(Integer)  # excluding VAT
    commission_vat_cents: Mapped[int] = mapped_column(Integer)
    #: What the Vendor is owed: goods + own shipping - commission - VAT on commission.
    vendor_net_cents: Mapped[int] = mapped_column(Integer)
    refunded_cents: Mapped[int] = mapped_column(Integer, default=0)
    tracking_number: Mapped[str] = mapped_column(String(80), default="")
    ready_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    order: Mapped[Order] = relationship(back_populates="vendor_orders")
    vendor: Mapped[Vendor] = relationship()
    lines: Mapped[list["OrderLine"]] = relationship(
        back_populates="vendor_order", order_by="OrderLine.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("order_id", "vendor_id"),
        CheckConstraint("refunded_cents >= 0", name="refunded_non_negative"),
    )

    @property
    def total_cents(self) -> int:
        return self.goods_cents + self.shipping_cents + self.delivery_share_cents


class OrderLine(db.Model):
    """A snapshot of what was bought; never recomputed from the live catalogue."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_order_id: Mapped[int] = mapped_column(
        ForeignKey("vendor_orders.id", ondelete="CASCADE"), index=True
    )
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id", ondelete="SET NULL"))
    product_name: Mapped[str] = mapped_column(String(160))
    variant_label: Mapped[str] = mapped_column(String(160), default="")
    sku: Mapped[str] = mapped_column(String(64), default="")
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    vat_rate_bps: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    vat_cents: Mapped[int] = mapped_column(Integer)
    weight_grams: Mapped[int] = mapped_column(Integer, default=0)
    refunded_quantity: Mapped[int] = mapped_column(Integer, default=0)

    vendor_order: Mapped[VendorOrder] = relationship(back_populates="lines")

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("total_cents = unit_price_cents * quantity", name="total_adds_up"),
        CheckConstraint(
            "refunded_quantity >= 0 AND refunded_quantity <= quantity",
            name="refund_within_quantity",
        ),
    )


class OrderEvent(db.Model):
    """Every status change of an Order or VendorOrder: who, from, to, when, why."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    vendor_order_id: Mapped[int | None] = mapped_column(
        ForeignKey("vendor_orders.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: "customer", "vendor", "admin", "system", "payment provider"…
    actor_label: Mapped[str] = mapped_column(String(60), default="system")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    order: Mapped[Order] = relationship(back_populates="events")


class OrderNumberSequence(db.Model):
    """Per-year counter for Order numbers (one row per year, incremented under a row lock)."""

    __tablename__ = "order_number_sequences"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
