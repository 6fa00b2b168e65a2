"""Payments taken from customers through a payment gateway (Stripe or the dev gateway)."""
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from marketplace.core.models import TimestampMixin
from marketplace.extensions import db
from marketplace.orders.models import Order

from .states import PaymentStatus


class Payment(TimestampMixin, db.Model):
    """The customer's one payment for an Order (a PaymentIntent at the provider)."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    gateway: Mapped[str] = mapped_column(String(20))  # "dev" or "stripe"
    #: The provider's id (PaymentIntent id), unique so events find their Payment.
    provider_ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    client_secret: Mapped[str | None] = mapped_column(String(200))
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    status: Mapped[str] = mapped_column(String(30), default=PaymentStatus.CREATED)
    refunded_cents: Mapped[int] = mapped_column(Integer, default=0)
    failure_message: Mapped[str] = mapped_column(Text, default="")
    succeeded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    order: Mapped[Order] = relationship(backref=backref("payment", uselist=False))

    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint(
            "refunded_cents >= 0 AND refunded_cents <= amount_cents", name="refund_within_amount"
        ),
    )
