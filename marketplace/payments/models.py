"""Payments taken from customers through a payment gateway (Stripe or the dev gateway)."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from marketplace.core.models import TimestampMixin, utcnow
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


class PaymentStatusChange(db.Model):
    """Every status change of a Payment: from, to, when, who said so (customer, provider…)."""

    __tablename__ = "payment_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    actor_label: Mapped[str] = mapped_column(String(60), default="system")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# The dev gateway's side of the world: what a payment provider would hold, kept in local
# tables so the embedded hub behaves like Stripe without any network.


class DevPaymentIntent(TimestampMixin, db.Model):
    __tablename__ = "dev_payment_intents"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # devpi_…
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    #: One of the PaymentStatus values, as the provider reports it.
    status: Mapped[str] = mapped_column(String(30))
    client_secret: Mapped[str] = mapped_column(String(120))
    order_number: Mapped[str] = mapped_column(String(40))
    #: The order number, as Stripe's transfer_group ties transfers to the charge.
    transfer_group: Mapped[str] = mapped_column(String(40))
    metadata_: Mapped[dict] = mapped_column("metadata", JSON, default=dict)
    failure_message: Mapped[str] = mapped_column(Text, default="")
    charge_ref: Mapped[str | None] = mapped_column(String(40), unique=True)  # devch_…
    amount_refunded_cents: Mapped[int] = mapped_column(Integer, default=0)
    #: Last four digits of the last test card tried, as a receipt would show them.
    card_last4: Mapped[str] = mapped_column(String(4), default="")

    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint(
            "amount_refunded_cents >= 0 AND amount_refunded_cents <= amount_cents",
            name="refund_within_amount",
        ),
    )


class DevRefund(TimestampMixin, db.Model):
    __tablename__ = "dev_refunds"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # devre_…
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    intent_id: Mapped[str] = mapped_column(ForeignKey("dev_payment_intents.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    metadata_: Mapped[dict] = mapped_column("metadata", JSON, default=dict)

    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)


class DevConnectedAccount(TimestampMixin, db.Model):
    __tablename__ = "dev_connected_accounts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # devacct_…
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    details_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    payouts_enabled: Mapped[bool] = mapped_column(Boolean, default=False)


class DevTransfer(TimestampMixin, db.Model):
    __tablename__ = "dev_transfers"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # devtr_…
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    destination_id: Mapped[str] = mapped_column(
        ForeignKey("dev_connected_accounts.id"), index=True
    )
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    transfer_group: Mapped[str] = mapped_column(String(40))
    #: The charge (devch_…) the money comes from, when the caller tied the transfer to one.
    source_transaction: Mapped[str | None] = mapped_column(String(40), index=True)
    metadata_: Mapped[dict] = mapped_column("metadata", JSON, default=dict)
    amount_reversed_cents: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint(
            "amount_reversed_cents >= 0 AND amount_reversed_cents <= amount_cents",
            name="reversal_within_amount",
        ),
    )


class DevTransferReversal(TimestampMixin, db.Model):
    __tablename__ = "dev_transfer_reversals"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # devtrr_…
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    transfer_id: Mapped[str] = mapped_column(ForeignKey("dev_transfers.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)
