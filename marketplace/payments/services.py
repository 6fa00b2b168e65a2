"""Payment services: start a payment at the gateway, confirm it, reconcile with the provider.

Every outcome, whether it comes from the dev test-card page or from a Stripe webhook, goes
through `sync_payment`, which applies the provider's *state* rather than an increment: a
replayed or late message finds nothing left to do.
"""
from collections import deque
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.core.models import utcnow
from marketplace.core.outbox import enqueue
from marketplace.extensions import db
from marketplace.orders.errors import OrderError, OrderErrorCode
from marketplace.orders.models import Order, VendorOrder
from marketplace.orders.services import (
    expire_order,
    is_order_payable,
    mark_order_paid,
    mark_order_payment_failed,
    mark_order_payment_retried,
    order_awaits_payment,
    record_late_payment,
    unpaid_orders_past_deadline,
)

from .gateway import IntentResult
from .models import Payment, PaymentStatusChange
from .registry import get_gateway
from .states import PAYMENT_MACHINE, PaymentEvent, PaymentStatus

#: Events that may be passed through on the way to the provider's state (a missed webhook):
#: a payment can be seen succeeding on the way to refunded, never failing on the way anywhere.
_STEPPING_STONES = frozenset({PaymentEvent.SUCCEED, PaymentEvent.REFUND_PART})

#: Payments the customer may still complete.
_OPEN = frozenset({PaymentStatus.CREATED, PaymentStatus.REQUIRES_ACTION, PaymentStatus.FAILED})


def transition_payment(
    *, payment: Payment, event: PaymentEvent | str, actor_label: str, note: str = ""
) -> PaymentStatus:
    """Move a Payment through its state machine and record the change.

    Raises `InvalidTransition` (and changes nothing) when the event makes no sense now.
    """
    return PAYMENT_MACHINE.apply(
        payment,
        event,
        record=lambda current, target: PaymentStatusChange(
            payment_id=payment.id,
            from_status=current,
            to_status=target,
            actor_label=actor_label,
            note=note,
        ),
    )


def reported_status(*, payment: Payment, result: IntentResult) -> PaymentStatus:
    """The provider's state in our words: a succeeded intent with refunds is (partly) refunded."""
    status = PaymentStatus(result.status)
    if status == PaymentStatus.SUCCEEDED and result.amount_refunded_cents > 0:
        if result.amount_refunded_cents >= payment.amount_cents:
            return PaymentStatus.REFUNDED
        return PaymentStatus.PARTIALLY_REFUNDED
    return status


def _events_towards(current: PaymentStatus, target: PaymentStatus) -> list[PaymentEvent]:
    """Shortest way through the machine from our state to the provider's, or [] when none.

    A failed payment may be retried first (the customer tried another card); other steps
    on the way can only be successes. A state behind ours (an old message) has no way and
    so changes nothing.
    """
    if current == target:
        return []
    queue: deque[tuple[PaymentStatus, list[PaymentEvent]]] = deque([(current, [])])
    seen = {current}
    while queue:
        state, events = queue.popleft()
        for event in PAYMENT_MACHINE.events_from(state):
            following = PAYMENT_MACHINE.next_state(state, event)
            path = [*events, event]
            if following == target:
                return path
            retry_first = event == PaymentEvent.RETRY and not events
            if following not in seen and (retry_first or event in _STEPPING_STONES):
                seen.add(following)
                queue.append((following, path))
    return []


def lock_payment(*, payment: Payment) -> Payment:
    """Lock the Payment's Order, then the Payment, and re-read both.

    The same order as checkout expiry, so that a late webhook and the expiry job never both
    win. Whoever reads the provider's state does it after this lock: two readers of one
    payment (twin webhooks, the return page and its webhook) then take turns, and the second
    reads a state at least as new as what the first wrote. The Order comes with what the
    confirmation emails show, in three queries rather than one per VendorOrder.
    """
    db.session.scalars(
        select(Order)
        .where(Order.id == payment.order_id)
        .options(
            selectinload(Order.vendor_orders).selectinload(VendorOrder.lines),
            selectinload(Order.vendor_orders).joinedload(VendorOrder.vendor),
        )
        .with_for_update(of=Order)
        .execution_options(populate_existing=True)
    ).one()
    db.session.refresh(payment, with_for_update=True)
    return payment


def sync_payment(
    *, payment: Payment, result: IntentResult, actor_label: str, now: datetime | None = None
) -> bool:
    """Bring our Payment (and its Order) to the state the provider reports.

    Idempotent: the same result twice, or a result older than what we know, changes nothing.
    On success the Order and its VendorOrders become paid and the confirmation email is
    queued; on a decline the Payment keeps the provider's message and the customer may retry.
    Returns True when something changed.
    """
    now = now or utcnow()
    lock_payment(payment=payment)
    if payment.provider_ref is None:
        payment.provider_ref = result.provider_ref
    elif payment.provider_ref != result.provider_ref:
        raise ValueError(f"{result.provider_ref} is not the intent of payment {payment.id}")
    if result.client_secret and not payment.client_secret:
        payment.client_secret = result.client_secret
    if result.amount_refunded_cents > payment.refunded_cents:
        payment.refunded_cents = min(result.amount_refunded_cents, payment.amount_cents)

    order = payment.order
    target = reported_status(payment=payment, result=result)
    if target == PaymentStatus.FAILED and payment.status == PaymentStatus.FAILED:
        # Another card declined: the same state, but the customer must read the new reason.
        payment.failure_message = result.failure_message or payment.failure_message
    events = _events_towards(PaymentStatus(payment.status), target)
    for event in events:
        status = transition_payment(payment=payment, event=event, actor_label=actor_label)
        if event == PaymentEvent.RETRY:
            payment.failure_message = ""
            mark_order_payment_retried(order=order, actor_label=actor_label)
        elif status == PaymentStatus.FAILED:
            payment.failure_message = result.failure_message
            mark_order_payment_failed(
                order=order, message=result.failure_message, actor_label=actor_label
            )
        elif status == PaymentStatus.SUCCEEDED:
            payment.succeeded_at = now
            if order_awaits_payment(order=order):
                mark_order_paid(order=order, actor_label=actor_label, now=now)
            else:
                record_late_payment(order=order, actor_label=actor_label)
    db.session.flush()
    return bool(events)


def add_payment(order: Order) -> Payment:
    """The Order's Payment row, in the transaction that places the Order (checkout passes this
    to `orders.services.place_order`); the provider hears of it after commit (`start_payment`)."""
    payment = Payment(
        order_id=order.id,
        gateway=current_app.config["PAYMENT_GATEWAY"],
        amount_cents=order.total_cents,
        currency=current_app.config["CURRENCY"],
    )
    db.session.add(payment)
    return payment


def start_payment(*, payment: Payment) -> IntentResult:
    """Create the provider's payment for an Order that was just placed (after its commit).

    The idempotency key comes from the Order, so a retried request never charges twice.
    """
    order = payment.order
    result = get_gateway(payment.gateway).create_payment(
        amount_cents=payment.amount_cents,
        currency=payment.currency,
        order_number=order.number,
        metadata={
            "order_id": str(order.id),
            "order_number": order.number,
            "payment_id": str(payment.id),
        },
        idempotency_key=f"order-{order.id}-payment",
    )
    sync_payment(payment=payment, result=result, actor_label="payment provider")
    return result


def confirm_payment(
    *, payment: Payment, payment_method: str, now: datetime | None = None
) -> IntentResult:
    """Pay with the customer's payment method (the dev gateway: a test card number)."""
    now = now or utcnow()
    gateway = get_gateway(payment.gateway)
    if payment.provider_ref is None:
        start_payment(payment=payment)
    if payment.status == PaymentStatus.SUCCEEDED:
        return gateway.retrieve_payment(payment.provider_ref)
    if not is_order_payable(order=payment.order, now=now):
        raise OrderError(
            OrderErrorCode.NOT_PAYABLE,
            _("Cette commande ne peut plus être payée : le délai de paiement est dépassé."),
        )
    result = gateway.confirm_payment(payment.provider_ref, payment_method=payment_method)
    sync_payment(payment=payment, result=result, actor_label="customer", now=now)
    return result


def answer_authentication(
    *, payment: Payment, approve: bool, now: datetime | None = None
) -> IntentResult:
    """The customer's answer on the dev gateway's 3-D Secure page (Stripe shows its own)."""
    now = now or utcnow()
    if not is_order_payable(order=payment.order, now=now):
        raise OrderError(
            OrderErrorCode.NOT_PAYABLE,
            _("Cette commande ne peut plus être payée : le délai de paiement est dépassé."),
        )
    gateway = get_gateway(payment.gateway)
    result = gateway.complete_authentication(payment.provider_ref, approve=approve)
    sync_payment(payment=payment, result=result, actor_label="customer", now=now)
    return result


def cancel_open_payment(*, payment: Payment) -> None:
    """Cancel at the provider a payment whose Order expired, then take the provider's word:
    cancelled, or paid after all (recorded on the Order for a refund)."""
    if PaymentStatus(payment.status) not in _OPEN:
        return
    if payment.provider_ref is None:
        transition_payment(payment=payment, event=PaymentEvent.CANCEL, actor_label="system")
        return
    result = get_gateway(payment.gateway).cancel_payment(
        payment.provider_ref, idempotency_key=f"order-{payment.order_id}-payment-cancel"
    )
    sync_payment(payment=payment, result=result, actor_label="payment provider")


def expire_unpaid_orders(*, now: datetime, limit: int = 200) -> int:
    """Expire Orders left unpaid past their deadline; their stock and bookings go back.

    Safe to run twice or from two workers at once (rows are locked, locked ones skipped, and
    only Orders still awaiting payment are touched). An Order whose payment is already
    being processed is left for the provider's answer. The payment is cancelled at the
    provider after commit (a task), so a forgotten browser tab cannot pay for goods given
    back; if money arrives anyway, `sync_payment` records it for a refund.
    Returns how many Orders expired.
    """
    expired = 0
    for order in unpaid_orders_past_deadline(now=now, limit=limit):
        payment = order.payment
        if payment is not None and payment.status in (
            PaymentStatus.PROCESSING, PaymentStatus.SUCCEEDED
        ):
            continue
        if payment is not None:
            enqueue("payments.cancel_payment", dedupe_key=f"payment-cancel:{payment.id}",
                    payment_id=payment.id)
        expire_order(order=order)
        expired += 1
    db.session.flush()
    return expired
