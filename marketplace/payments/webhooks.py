"""Provider events: stored once under their id, then applied by reconciling state.

Receiving is cheap and safe to repeat: the signature is checked on the raw body, the event is
inserted unless its id is already there, and the task that applies it is queued in the same
transaction. Applying never adds amounts: it re-reads the object at the provider (or takes the
state the event carries) and moves our rows there, so a replayed, duplicated or out-of-order
event finds nothing left to do. `sync_open_payments` does the same for payments whose webhook
never came.
"""
import logging
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from marketplace.core.models import utcnow
from marketplace.core.money import format_cents
from marketplace.core.outbox import enqueue
from marketplace.extensions import db
from marketplace.orders.models import OrderEvent

from .connect import (
    apply_account_status,
    apply_transfer_state,
    find_transfer,
    find_vendor_by_account,
)
from .gateway import (
    DisputeResult,
    GatewayError,
    GatewayEvent,
    GatewayUnavailable,
    PaymentGateway,
)
from .models import Dispute, Payment, Refund, WebhookEvent
from .refunds import reconcile_refunds
from .registry import get_gateway
from .services import lock_payment, sync_payment
from .states import PaymentStatus, RefundStatus

log = logging.getLogger(__name__)

#: Payments still waiting for the provider's last word.
_OPEN_PAYMENTS = (PaymentStatus.CREATED, PaymentStatus.REQUIRES_ACTION, PaymentStatus.PROCESSING)


# --- Receiving ---------------------------------------------------------------------------------


def receive_webhook(*, gateway_name: str, payload: bytes, signature: str | None) -> WebhookEvent:
    """Verify a delivery and store its event once. Raises `GatewayError` for a bad signature
    (nothing is stored then). A redelivery returns the row stored the first time."""
    event = get_gateway(gateway_name).parse_event(payload, signature)
    return record_event(gateway_name=gateway_name, event=event)


def record_event(*, gateway_name: str, event: GatewayEvent) -> WebhookEvent:
    """Insert the event unless its id is known, and queue its application with it."""
    existing = _stored(gateway_name, event.event_id)
    if existing is not None:
        return existing
    stored = WebhookEvent(gateway=gateway_name, event_id=event.event_id, type=event.type,
                          object_id=event.object_id, payload=event.data)
    try:
        # Two deliveries of one event at the same moment: the unique key lets one in.
        with db.session.begin_nested():
            db.session.add(stored)
    except IntegrityError:
        existing = _stored(gateway_name, event.event_id)
        if existing is None:
            raise
        return existing
    enqueue("payments.apply_webhook_event", dedupe_key=f"webhook-{gateway_name}-{event.event_id}",
            webhook_event_id=stored.id)
    return stored


def _stored(gateway_name: str, event_id: str) -> WebhookEvent | None:
    return db.session.scalar(
        select(WebhookEvent).where(WebhookEvent.gateway == gateway_name,
                                   WebhookEvent.event_id == event_id)
    )


# --- Applying ----------------------------------------------------------------------------------


def apply_webhook_event(*, webhook_event: WebhookEvent, now: datetime) -> None:
    """Bring our rows to the state of the event's object (the `payments.apply_webhook_event`
    task). Raises `GatewayUnavailable` when the provider cannot be asked (retried later).

    Safe against its twins, the other events about the same object applied at the same
    moment by other workers: every handler first locks the parent row (the Payment's Order,
    the Vendor, the Transfer), then reads the provider's state, then moves our rows to it. The
    second of two twins waits for the first to commit and reads a state at least as new. The
    event's own row is locked first, so one event delivered twice is applied once.
    """
    db.session.refresh(webhook_event, with_for_update=True)
    if webhook_event.processed_at is not None:
        return
    handler = _HANDLERS.get(webhook_event.type)
    if handler is not None:
        handler(get_gateway(webhook_event.gateway), webhook_event, now)
    webhook_event.attempts += 1
    webhook_event.processed_at = now
    webhook_event.last_error = ""
    db.session.flush()


def record_webhook_failure(*, webhook_event_id: int, error: Exception) -> None:
    """Keep the last error on the event for the admins, in a transaction of its own: the
    failed attempt's work is rolled back, its trace must not be."""
    with closing(db.session.session_factory()) as session:
        webhook_event = session.get(WebhookEvent, webhook_event_id)
        if webhook_event is None or webhook_event.processed_at is not None:
            return
        webhook_event.attempts += 1
        webhook_event.last_error = f"{type(error).__name__}: {error}"[:1000]
        session.commit()


def _payment_intent(gateway: PaymentGateway, event: WebhookEvent, now: datetime) -> None:
    payment = _payment_for_intent(event.object_id, event.payload.get("metadata") or {})
    if payment is None:
        log.info("webhook %s: no payment for %s", event.event_id, event.object_id)
        return
    lock_payment(payment=payment)  # before asking the provider: see apply_webhook_event
    sync_payment(payment=payment, result=gateway.retrieve_payment(event.object_id),
                 actor_label="payment provider", now=now)


def _charge_refunded(gateway: PaymentGateway, event: WebhookEvent, now: datetime) -> None:
    payment = _payment_for_intent(_ref(event.payload.get("payment_intent")), {})
    if payment is None:
        return
    # Locks the Order and the Payment, then lists the refunds at the provider.
    reconcile_refunds(payment=payment, now=now)


def _dispute_created(gateway: PaymentGateway, event: WebhookEvent, now: datetime) -> None:
    _sync_dispute(gateway, event, now)


def _dispute_closed(gateway: PaymentGateway, event: WebhookEvent, now: datetime) -> None:
    """Won or lost: the last word on a dispute, whatever came before it."""
    _sync_dispute(gateway, event, now)


def _sync_dispute(gateway: PaymentGateway, event: WebhookEvent, now: datetime) -> None:
    """Created, updated or closed: the dispute as the provider has it now, whatever the
    order in which its events come. Created once (INSERT … ON CONFLICT DO NOTHING under the
    Payment's lock); a note on the Order when it opens and when it closes."""
    data = event.payload
    payment = _payment_for_intent(_ref(data.get("payment_intent")), {})
    if payment is None:
        log.warning("webhook %s: dispute %s on a charge we do not know", event.event_id,
                    event.object_id)
        return
    lock_payment(payment=payment)
    state = _dispute_state(gateway, event)
    order = payment.order
    created = _insert_dispute_once(
        payment_id=payment.id, order_id=order.id, provider_ref=state.provider_ref,
        amount_cents=state.amount_cents, reason=state.reason[:60],
    )
    dispute = db.session.scalar(
        select(Dispute).where(Dispute.provider_ref == state.provider_ref)
        .with_for_update().execution_options(populate_existing=True)
    )
    if created:
        db.session.add(OrderEvent(
            order_id=order.id, from_status=order.status, to_status=order.status,
            actor_label="payment provider",
            note=_("Litige ouvert par la banque du client (%(reason)s) sur %(amount)s : à "
                   "traiter chez le prestataire de paiement.", reason=state.reason or "—",
                   amount=format_cents(state.amount_cents)),
        ))
    status = state.status[:40]
    if dispute.provider_status == status or dispute.provider_status in _DISPUTE_CLOSED:
        db.session.flush()
        return
    dispute.provider_status = status
    dispute.amount_cents = state.amount_cents
    if status in _DISPUTE_CLOSED:
        db.session.add(OrderEvent(
            order_id=order.id, from_status=order.status, to_status=order.status,
            actor_label="payment provider",
            note=_("Litige clos par la banque : %(status)s", status=status),
        ))
    db.session.flush()


def _dispute_state(gateway: PaymentGateway, event: WebhookEvent) -> DisputeResult:
    """The provider's dispute now; the event's copy only where the provider cannot say
    (the dev gateway has no disputes). `GatewayUnavailable` propagates: retried later."""
    try:
        return gateway.retrieve_dispute(event.object_id)
    except GatewayUnavailable:
        raise
    except GatewayError:
        data = event.payload
        return DisputeResult(
            provider_ref=event.object_id, status=str(data.get("status") or ""),
            amount_cents=int(data.get("amount") or 0), reason=str(data.get("reason") or ""),
            payment_ref=_ref(data.get("payment_intent")),
        )


def _insert_dispute_once(*, payment_id: int, order_id: int, provider_ref: str,
                         amount_cents: int, reason: str) -> bool:
    """Insert the dispute unless its provider id is there already; True if this call did."""
    values = {"payment_id": payment_id, "order_id": order_id, "provider_ref": provider_ref,
              "amount_cents": amount_cents, "reason": reason, "provider_status": "",
              "created_at": utcnow(), "updated_at": utcnow()}
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (insert(Dispute).values(**values)
                 .on_conflict_do_nothing(index_elements=[Dispute.provider_ref])
                 .returning(Dispute.id))
    return db.session.execute(statement).scalar() is not None


def _account_updated(gateway: PaymentGateway, event: WebhookEvent, now: datetime) -> None:
    vendor = find_vendor_by_account(event.object_id, lock=True)
    if vendor is not None:
        # The account as it is now, not as this (possibly old) event described it.
        apply_account_status(vendor=vendor, result=gateway.retrieve_account(event.object_id))


def _transfer_reversed(gateway: PaymentGateway, event: WebhookEvent, now: datetime) -> None:
    transfer = find_transfer(event.object_id, metadata=event.payload.get("metadata") or {},
                             lock=True)
    if transfer is not None:
        apply_transfer_state(transfer=transfer, result=gateway.retrieve_transfer(event.object_id))


_HANDLERS: dict[str, Callable[[PaymentGateway, WebhookEvent, datetime], None]] = {
    "payment_intent.succeeded": _payment_intent,
    "payment_intent.payment_failed": _payment_intent,
    "payment_intent.canceled": _payment_intent,
    "payment_intent.processing": _payment_intent,
    "payment_intent.requires_action": _payment_intent,
    "charge.refunded": _charge_refunded,
    "charge.refund.updated": _charge_refunded,
    "refund.created": _charge_refunded,
    "refund.updated": _charge_refunded,
    "refund.failed": _charge_refunded,
    "charge.dispute.created": _dispute_created,
    "charge.dispute.updated": _dispute_created,
    "charge.dispute.closed": _dispute_closed,
    "account.updated": _account_updated,
    "transfer.created": _transfer_reversed,
    "transfer.reversed": _transfer_reversed,
    "transfer.updated": _transfer_reversed,
}


def _ref(value: object) -> str | None:
    if isinstance(value, dict):
        return value.get("id")
    return value if isinstance(value, str) else None


def _payment_for_intent(intent_ref: str | None, metadata: dict) -> Payment | None:
    """Our Payment for a provider's intent; before we saved its id (the creation's answer was
    lost), by the payment id we put in its metadata."""
    if not intent_ref:
        return None
    payment = db.session.scalar(select(Payment).where(Payment.provider_ref == intent_ref))
    if payment is None and str(metadata.get("payment_id", "")).isdigit():
        payment = db.session.scalar(
            select(Payment).where(Payment.id == int(metadata["payment_id"]),
                                  Payment.provider_ref.is_(None))
        )
    return payment


# --- Catching what was lost --------------------------------------------------------------------


def sync_open_payments(*, now: datetime, older_than_seconds: int = 60, limit: int = 100) -> int:
    """Re-read at the provider the payments left open for a while, in case their webhook was
    lost; each in its own savepoint, so one failure spoils nothing else. Returns how many
    changed. Stops at the first `GatewayUnavailable` (the next run tries again)."""
    payment_ids = db.session.scalars(
        select(Payment.id)
        .where(Payment.status.in_(_OPEN_PAYMENTS), Payment.provider_ref.is_not(None),
               Payment.updated_at <= now - timedelta(seconds=older_than_seconds))
        .order_by(Payment.updated_at, Payment.id)
        .limit(limit)
    ).all()
    changed = 0
    for payment_id in payment_ids:
        try:
            with db.session.begin_nested():
                payment = db.session.get(Payment, payment_id)
                result = get_gateway(payment.gateway).retrieve_payment(payment.provider_ref)
                changed += sync_payment(payment=payment, result=result,
                                        actor_label="payment provider", now=now)
                # Looked at now: the next run starts with the others.
                payment.updated_at = now
        except GatewayUnavailable:
            log.warning("sync_open_payments: provider unavailable, %s left for next run",
                        payment_id)
            break
    return changed


# --- What the admins must look at --------------------------------------------------------------

#: Dispute states in which the provider still waits for the platform's answer.
_DISPUTE_CLOSED = ("won", "lost", "warning_closed")


@dataclass(frozen=True)
class PaymentIssues:
    disputes: list[Dispute]
    failed_refunds: list[Refund]
    stuck_events: list[WebhookEvent]

    def __bool__(self) -> bool:
        return bool(self.disputes or self.failed_refunds or self.stuck_events)


def list_payment_issues(*, limit: int = 50) -> PaymentIssues:
    """Open disputes, refunds the provider refused, events that keep failing: newest first."""
    return PaymentIssues(
        disputes=list(db.session.scalars(
            select(Dispute).where(Dispute.provider_status.not_in(_DISPUTE_CLOSED))
            .order_by(Dispute.id.desc()).limit(limit)
        )),
        failed_refunds=list(db.session.scalars(
            select(Refund).where(Refund.status == RefundStatus.FAILED)
            .order_by(Refund.id.desc()).limit(limit)
        )),
        stuck_events=list(db.session.scalars(
            select(WebhookEvent).where(WebhookEvent.processed_at.is_(None),
                                       WebhookEvent.last_error != "")
            .order_by(WebhookEvent.id.desc()).limit(limit)
        )),
    )
