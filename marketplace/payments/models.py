"""Payments taken from customers through a payment gateway (Stripe or the dev gateway)."""
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from marketplace.core.models import TimestampMixin, utcnow
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderLine, VendorOrder
from marketplace.vendors.models import Vendor

from .states import PaymentStatus, RefundStatus, TransferStatus


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


# Money going back and forth after the payment: refunds to the customer, transfers to Vendors,
# and what the provider tells us through webhooks.


class Refund(TimestampMixin, db.Model):
    """Money given back to the customer, for one VendorOrder (or, when the provider made it
    without us, for the Payment as a whole).

    The row is written (pending) before the provider is called, and its id is the provider's
    idempotency key: a crash after the call is recovered by sending the same key again.
    """

    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    vendor_order_id: Mapped[int | None] = mapped_column(ForeignKey("vendor_orders.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=RefundStatus.PENDING)
    #: The provider's refund id, once it answered.
    provider_ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    #: Whether the refunded quantities went back to stock when the refund was requested.
    restocked: Mapped[bool] = mapped_column(Boolean, default=False)
    failure_message: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: "admin", "vendor", "payment provider"…
    actor_label: Mapped[str] = mapped_column(String(60), default="admin")
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    payment: Mapped[Payment] = relationship(backref=backref("refunds", order_by="Refund.id"))
    vendor_order: Mapped[VendorOrder | None] = relationship()
    lines: Mapped[list["RefundLine"]] = relationship(
        back_populates="refund", cascade="all, delete-orphan", order_by="RefundLine.id"
    )

    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint(
            "status IN ('pending', 'succeeded', 'failed', 'cancelled')", name="status"
        ),
    )

    @property
    def idempotency_key(self) -> str:
        return f"refund-{self.id}"


class RefundLine(db.Model):
    """How many of one OrderLine a Refund gives back (a refund by line)."""

    __tablename__ = "refund_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    refund_id: Mapped[int] = mapped_column(ForeignKey("refunds.id", ondelete="CASCADE"))
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)

    refund: Mapped[Refund] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine] = relationship()

    __table_args__ = (
        UniqueConstraint("refund_id", "order_line_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("amount_cents >= 0", name="amount_non_negative"),
    )


class Transfer(TimestampMixin, db.Model):
    """Money sent from the platform's balance to a Vendor's connected account."""

    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    #: Groups the transfers of one Order (its number) or one payout run.
    transfer_group: Mapped[str] = mapped_column(String(40))
    #: The charge the money comes from, when one Order pays for the whole transfer.
    source_transaction: Mapped[str | None] = mapped_column(String(100))
    #: Derived by the caller from its own row (`payout-<id>`): a retried call never pays twice.
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=TransferStatus.PENDING)
    provider_ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    #: As the provider last reported it (reversals included, whoever made them).
    amount_reversed_cents: Mapped[int] = mapped_column(Integer, default=0)
    failure_message: Mapped[str] = mapped_column(Text, default="")

    vendor: Mapped[Vendor] = relationship()
    reversals: Mapped[list["TransferReversal"]] = relationship(
        back_populates="transfer", order_by="TransferReversal.id"
    )

    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint(
            "amount_reversed_cents >= 0 AND amount_reversed_cents <= amount_cents",
            name="reversal_within_amount",
        ),
        CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name="status"),
    )


class TransferReversal(TimestampMixin, db.Model):
    """Money taken back from a Vendor's account (after a refund of what it was paid for)."""

    __tablename__ = "transfer_reversals"

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), index=True)
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=TransferStatus.PENDING)
    provider_ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    failure_message: Mapped[str] = mapped_column(Text, default="")

    transfer: Mapped[Transfer] = relationship(back_populates="reversals")
    refund: Mapped[Refund | None] = relationship()

    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name="status"),
    )

    @property
    def idempotency_key(self) -> str:
        return f"reversal-{self.id}"


class WebhookEvent(db.Model):
    """An event the provider sent us, stored once under its id before anything is done."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    gateway: Mapped[str] = mapped_column(String(20))
    #: The provider's event id (evt_…): a redelivery finds the row already there.
    event_id: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(100), index=True)
    object_id: Mapped[str] = mapped_column(String(255), default="", index=True)
    #: The event's object as the provider sent it.
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("gateway", "event_id"),)


class Dispute(TimestampMixin, db.Model):
    """A chargeback the customer's bank opened: the admins must answer it at the provider."""

    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    provider_ref: Mapped[str] = mapped_column(String(100), unique=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    #: The provider's words, kept as they come ("fraudulent", "needs_response"…).
    reason: Mapped[str] = mapped_column(String(60), default="")
    provider_status: Mapped[str] = mapped_column(String(40), default="")

    payment: Mapped[Payment] = relationship(backref=backref("disputes", order_by="Dispute.id"))
