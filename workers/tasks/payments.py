"""Payment tasks: apply provider events, send refunds, transfers and reversals, catch up.

Each one reloads its row by id and calls one service; the task's run commits once. All are safe
to run twice: the provider calls carry idempotency keys from our rows, and applying an event
moves state rather than adding amounts. When the provider cannot be reached they retry with backoff.
"""
from celery import shared_task

from marketplace.core.models import utcnow
from marketplace.extensions import db
from marketplace.payments.connect import send_transfer, send_transfer_reversal
from marketplace.payments.gateway import GatewayUnavailable
from marketplace.payments.models import Payment, Refund, Transfer, TransferReversal, WebhookEvent
from marketplace.payments.refunds import send_refund, sync_pending_refunds
from marketplace.payments.services import cancel_open_payment
from marketplace.payments.webhooks import (
    apply_webhook_event,
    record_webhook_failure,
    sync_open_payments,
)
from workers.celery_app import conflicts_retried, retry_transient


@shared_task(name="payments.apply_webhook_event", **retry_transient(Exception))
def apply_webhook_event_task(webhook_event_id: int) -> None:
    """Apply one stored provider event. Any failure is retried with backoff, not only the
    provider's or the database's: applying is idempotent, and what fails now (a unique key
    taken by a twin an instant earlier, a serialization failure, a bug fixed by the next
    deploy) may pass next time. Each failed attempt is written on the event at once, where
    the Admins see it (admin payments page, `flask tasks outbox`)."""
    webhook_event = db.session.get(WebhookEvent, webhook_event_id)
    if webhook_event is None:
        return
    try:
        with conflicts_retried():
            apply_webhook_event(webhook_event=webhook_event, now=utcnow())
    except Exception as error:
        # Let go of this attempt's locks (the event row among them) before writing its trace.
        db.session.rollback()
        record_webhook_failure(webhook_event_id=webhook_event_id, error=error)
        raise


@shared_task(name="payments.send_refund", **retry_transient(GatewayUnavailable))
def send_refund_task(refund_id: int) -> str | None:
    refund = db.session.get(Refund, refund_id)
    if refund is None:
        return None
    send_refund(refund=refund, now=utcnow())
    return refund.status


@shared_task(name="payments.send_transfer", **retry_transient(GatewayUnavailable))
def send_transfer_task(transfer_id: int) -> str | None:
    transfer = db.session.get(Transfer, transfer_id)
    if transfer is None:
        return None
    send_transfer(transfer=transfer)
    return transfer.status


@shared_task(name="payments.send_transfer_reversal", **retry_transient(GatewayUnavailable))
def send_transfer_reversal_task(reversal_id: int) -> str | None:
    reversal = db.session.get(TransferReversal, reversal_id)
    if reversal is None:
        return None
    send_transfer_reversal(reversal=reversal)
    return reversal.status


@shared_task(name="payments.sync_open")
def sync_open_payments_task() -> int:
    """Periodic: payments and refunds whose provider answer never reached us."""
    now = utcnow()
    changed = sync_open_payments(now=now)
    changed += sync_pending_refunds(now=now)
    return changed


@shared_task(name="payments.cancel_payment", **retry_transient(GatewayUnavailable))
def cancel_payment_task(payment_id: int) -> str | None:
    """After an Order expired: close its payment at the provider (checkout's expiry)."""
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        return None
    cancel_open_payment(payment=payment)
    return payment.status
