"""Refunds: full or partial, per VendorOrder or per line, never more than was paid.

A refund is first a row in our database (pending), written with the stock it gives back and
the task that will send it; the task then asks the provider, using the row's id as the
idempotency key. If the worker dies after the provider refunded but before we committed, the
task runs again, sends the same key and gets the same refund back: the customer is refunded
once and we count it once. Totals (refunded quantities and amounts) are recomputed from the
Refund rows each time, never incremented, so replays and late webhooks change nothing.
"""
from collections.abc import Mapping
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.money import format_cents
from marketplace.core.outbox import enqueue
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent, VendorOrder
from marketplace.orders.services import return_stock, transition_vendor_order
from marketplace.orders.states import VENDOR_ORDER_MACHINE, VendorOrderEvent, VendorOrderStatus

from .errors import PaymentError, PaymentErrorCode
from .gateway import GatewayError, GatewayUnavailable, RefundResult
from .models import Payment, Refund, RefundLine
from .registry import get_gateway
from .services import sync_payment
from .states import (
    ACTIVE_REFUND_STATUSES,
    REFUND_MACHINE,
    PaymentStatus,
    RefundEvent,
    RefundStatus,
)

_REFUNDABLE_PAYMENTS = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED)
#: A partial refund moves a VendorOrder to "partially refunded" only once its goods are
#: delivered: before that, the rest of it must still be shipped or picked up.
_FULFILMENT_OVER = (
    VendorOrderStatus.DELIVERED,
    VendorOrderStatus.COMPLETED,
    VendorOrderStatus.PARTIALLY_REFUNDED,
)
#: Before the goods left the workshop, what is refunded is still on the shelf.
_NOT_SHIPPED = (VendorOrderStatus.PAID, VendorOrderStatus.ACCEPTED)
_TO_EVENT = {
    RefundStatus.SUCCEEDED: RefundEvent.SUCCEED,
    RefundStatus.FAILED: RefundEvent.FAIL,
    RefundStatus.CANCELLED: RefundEvent.CANCEL,
}


# --- What is left to refund --------------------------------------------------------------------


def refunded_or_pending_cents(*, payment: Payment, vendor_order: VendorOrder | None = None) -> int:
    """Money already given back or on its way, for a Payment or one of its VendorOrders."""
    query = select(func.coalesce(func.sum(Refund.amount_cents), 0)).where(
        Refund.payment_id == payment.id, Refund.status.in_(ACTIVE_REFUND_STATUSES)
    )
    if vendor_order is not None:
        query = query.where(Refund.vendor_order_id == vendor_order.id)
    return int(db.session.scalar(query))


def refundable_cents(*, vendor_order: VendorOrder) -> int:
    """Its goods, its shipping and its share of the delivery fee, minus what went back."""
    payment = vendor_order.order.payment
    if payment is None or payment.status not in _REFUNDABLE_PAYMENTS:
        return 0
    left = vendor_order.total_cents - refunded_or_pending_cents(
        payment=payment, vendor_order=vendor_order
    )
    return max(0, min(left, payment_refundable_cents(payment=payment)))


def payment_refundable_cents(*, payment: Payment) -> int:
    if payment.status not in _REFUNDABLE_PAYMENTS:
        return 0
    return max(0, payment.amount_cents - refunded_or_pending_cents(payment=payment))


def refundable_quantities(*, vendor_order: VendorOrder) -> dict[int, int]:
    """OrderLine id -> how many of it can still be refunded."""
    taken = dict(
        db.session.execute(
            select(RefundLine.order_line_id, func.sum(RefundLine.quantity))
            .join(Refund, Refund.id == RefundLine.refund_id)
            .where(Refund.vendor_order_id == vendor_order.id,
                   Refund.status.in_(ACTIVE_REFUND_STATUSES))
            .group_by(RefundLine.order_line_id)
        ).all()
    )
    return {line.id: line.quantity - int(taken.get(line.id, 0)) for line in vendor_order.lines}


def restock_by_default(*, vendor_order: VendorOrder) -> bool:
    """Goods not shipped yet are still at the workshop; after that, only if the admin says so."""
    return VendorOrderStatus(vendor_order.status) in _NOT_SHIPPED


# --- Asking for a refund -----------------------------------------------------------------------


def request_refund(
    *, vendor_order: VendorOrder, actor: User | None, actor_label: str, reason: str = "",
    amount_cents: int | None = None, quantities: Mapping[int, int] | None = None,
    restock: bool = False,
) -> Refund:
    """Record a refund of a VendorOrder and queue it for the provider.

    With `quantities` ({OrderLine id: how many}) the refund covers those items at their unit
    price; with `amount_cents` alone it is a partial amount (a goodwill gesture); with neither,
    everything left on the VendorOrder. `restock` puts the refunded items back on sale.
    Raises `PaymentError` when it would give back more than was paid or bought.
    """
    order = vendor_order.order
    payment = _lock_order_payment(order)
    if payment is None or payment.status not in _REFUNDABLE_PAYMENTS:
        raise PaymentError(PaymentErrorCode.NOT_REFUNDABLE,
                           _("Cette commande n'a pas été payée : il n'y a rien à rembourser."))
    left = refundable_cents(vendor_order=vendor_order)
    quantities = {int(k): int(v) for k, v in (quantities or {}).items() if int(v) > 0}
    if quantities:
        lines = _refund_lines_for(vendor_order, quantities)
        amount = sum(line.amount_cents for line in lines)
    elif amount_cents is not None:
        lines, amount = [], int(amount_cents)
    else:
        lines = _refund_lines_for(vendor_order, refundable_quantities(vendor_order=vendor_order))
        amount = left
    if amount <= 0 or left <= 0:
        raise PaymentError(PaymentErrorCode.NOTHING_TO_REFUND,
                           _("Il n'y a plus rien à rembourser sur cette commande."))
    if amount > left:
        raise PaymentError(
            PaymentErrorCode.AMOUNT_TOO_HIGH,
            _("Vous ne pouvez pas rembourser plus de %(amount)s sur cette commande.",
              amount=format_cents(left)),
        )
    refund = Refund(
        payment=payment, vendor_order=vendor_order, amount_cents=amount, reason=reason.strip(),
        status=RefundStatus.PENDING, requested_by_id=actor.id if actor else None,
        actor_label=actor_label, lines=lines, restocked=bool(restock and lines),
    )
    db.session.add(refund)
    db.session.flush()
    if refund.restocked:
        return_stock(units=((line.order_line.variant_id, line.quantity) for line in lines))
    reason = (" : " + refund.reason) if refund.reason else ""
    _note(order, vendor_order=vendor_order, actor=actor, actor_label=actor_label,
          note=_("Remboursement de %(amount)s demandé%(reason)s%(stock)s",
                 amount=format_cents(amount), reason=reason,
                 stock=_(" (articles remis en stock)") if refund.restocked else ""))
    enqueue("payments.send_refund", dedupe_key=f"send-refund-{refund.id}", refund_id=refund.id)
    return refund


def request_order_refund(
    *, order: Order, actor: User | None, actor_label: str, reason: str = "", restock: bool = False
) -> list[Refund]:
    """Refund everything left on an Order: one Refund per VendorOrder that still has money."""
    refunds = []
    for vendor_order in order.vendor_orders:
        if refundable_cents(vendor_order=vendor_order) > 0:
            refunds.append(request_refund(vendor_order=vendor_order, actor=actor,
                                          actor_label=actor_label, reason=reason, restock=restock))
    if not refunds:
        raise PaymentError(PaymentErrorCode.NOTHING_TO_REFUND,
                           _("Il n'y a plus rien à rembourser sur cette commande."))
    return refunds


def refuse_vendor_order(*, vendor_order: VendorOrder, actor: User | None, reason: str) -> Refund:
    """The Vendor will not fulfil a paid VendorOrder: it is refused, refunded, restocked."""
    transition_vendor_order(vendor_order=vendor_order, event=VendorOrderEvent.REFUSE, actor=actor,
                            actor_label="vendor", note=reason)
    return request_refund(vendor_order=vendor_order, actor=actor, actor_label="vendor",
                          reason=reason, restock=True)


def cancel_vendor_order(
    *, vendor_order: VendorOrder, actor: User | None, actor_label: str, reason: str
) -> Refund:
    """Call off a VendorOrder before it ships (accepted, then out of stock…): refund, restock."""
    transition_vendor_order(vendor_order=vendor_order, event=VendorOrderEvent.CANCEL, actor=actor,
                            actor_label=actor_label, note=reason)
    return request_refund(vendor_order=vendor_order, actor=actor, actor_label=actor_label,
                          reason=reason, restock=True)


def _refund_lines_for(vendor_order: VendorOrder, quantities: Mapping[int, int]) -> list[RefundLine]:
    available = refundable_quantities(vendor_order=vendor_order)
    lines_by_id = {line.id: line for line in vendor_order.lines}
    refund_lines = []
    for line_id, quantity in sorted(quantities.items()):
        line = lines_by_id.get(line_id)
        if line is None:
            raise PaymentError(PaymentErrorCode.UNKNOWN_LINE,
                               _("Cet article ne fait pas partie de cette commande."))
        if quantity <= 0:
            continue
        if quantity > available[line_id]:
            raise PaymentError(
                PaymentErrorCode.QUANTITY_TOO_HIGH,
                _("« %(product)s » : %(count)s au plus peuvent encore être remboursés.",
                  product=line.product_name, count=available[line_id]),
            )
        refund_lines.append(RefundLine(order_line=line, quantity=quantity,
                                       amount_cents=line.unit_price_cents * quantity))
    return refund_lines


# --- Talking to the provider -------------------------------------------------------------------


def send_refund(*, refund: Refund, now: datetime) -> Refund:
    """Ask the provider for a pending refund (the `payments.send_refund` task).

    Safe to run again at any point: the same idempotency key returns the same refund, and a
    refund that has its answer already is only re-read. Raises `GatewayUnavailable` when the
    provider could not be reached (the task retries later with the same key).
    """
    payment = _lock_order_payment(refund.payment.order)
    db.session.refresh(refund, with_for_update=True)
    if refund.status != RefundStatus.PENDING:
        return refund
    if refund.provider_ref is not None:
        reconcile_refunds(payment=payment, now=now)
        return refund
    gateway = get_gateway(payment.gateway)
    vendor_order = refund.vendor_order
    try:
        result = gateway.refund(
            payment_ref=payment.provider_ref,
            amount_cents=refund.amount_cents,
            idempotency_key=refund.idempotency_key,
            metadata={
                "refund_id": str(refund.id),
                "payment_id": str(payment.id),
                "order_number": payment.order.number,
                "vendor_order_number": vendor_order.number if vendor_order else "",
            },
        )
    except GatewayUnavailable:
        raise
    except GatewayError as error:
        _move_refund(refund, RefundStatus.FAILED, now=now, message=error.message)
        return refund
    if apply_refund_result(refund=refund, result=result, now=now):
        # The Payment's refunded state is the provider's total, whoever made the refunds.
        sync_payment(payment=payment, result=gateway.retrieve_payment(payment.provider_ref),
                     actor_label="payment provider")
    return refund


def apply_refund_result(*, refund: Refund, result: RefundResult, now: datetime) -> bool:
    """Bring a Refund to the state the provider reports; a state behind ours changes nothing."""
    if refund.provider_ref is None:
        refund.provider_ref = result.provider_ref
    target = RefundStatus(result.status)
    event = _TO_EVENT.get(target)  # "pending" is where every refund starts: never an event
    if event is None or not REFUND_MACHINE.allows(RefundStatus(refund.status), event):
        return False
    _move_refund(refund, target, now=now, message=result.failure_message)
    return True


def reconcile_refunds(*, payment: Payment, now: datetime) -> int:
    """Re-read every refund of a Payment at the provider and make ours agree.

    Finds our rows by the provider's id, or by the `refund_id` we sent (a crash left the
    provider's id unsaved); a refund someone made directly at the provider is recorded too.
    The Payment takes the provider's state first. Returns how many refunds changed.
    """
    _lock_order_payment(payment.order)
    if payment.provider_ref is None:
        return 0
    gateway = get_gateway(payment.gateway)
    # The payment's own state first: a refund event may come before the payment's success.
    sync_payment(payment=payment, result=gateway.retrieve_payment(payment.provider_ref),
                 actor_label="payment provider")
    changed = 0
    for result in gateway.list_refunds(payment.provider_ref):
        refund = _find_refund(payment, result)
        if refund is None:
            refund = Refund(
                payment=payment, amount_cents=result.amount_cents, status=RefundStatus.PENDING,
                provider_ref=result.provider_ref, actor_label="payment provider",
                reason=_("Remboursement fait directement chez le prestataire de paiement"),
            )
            db.session.add(refund)
            db.session.flush()
        if refund.status == RefundStatus.PENDING or result.status != refund.status:
            changed += apply_refund_result(refund=refund, result=result, now=now)
    return changed


def sync_pending_refunds(*, now: datetime, older_than_seconds: int = 60, limit: int = 100) -> int:
    """Re-send or re-read refunds still pending a while after they were asked for (a task that
    gave up, a webhook that never came). Each one in its own savepoint."""
    refund_ids = db.session.scalars(
        select(Refund.id)
        .where(Refund.status == RefundStatus.PENDING,
               Refund.updated_at <= now - timedelta(seconds=older_than_seconds))
        .order_by(Refund.id).limit(limit)
    ).all()
    changed = 0
    for refund_id in refund_ids:
        try:
            with db.session.begin_nested():
                refund = db.session.get(Refund, refund_id)
                send_refund(refund=refund, now=now)
                changed += refund.status != RefundStatus.PENDING
        except GatewayUnavailable:
            break  # the provider is down: the next run tries again
    return changed


def _find_refund(payment: Payment, result: RefundResult) -> Refund | None:
    refund = db.session.scalar(select(Refund).where(Refund.provider_ref == result.provider_ref))
    if refund is not None:
        return refund
    our_id = result.metadata.get("refund_id", "")
    if not our_id.isdigit():
        return None
    return db.session.scalar(
        select(Refund).where(Refund.id == int(our_id), Refund.payment_id == payment.id,
                             Refund.provider_ref.is_(None))
    )


def _move_refund(refund: Refund, target: RefundStatus, *, now: datetime, message: str = "") -> None:
    REFUND_MACHINE.next_state(RefundStatus(refund.status), _TO_EVENT[target])
    refund.status = target
    order = refund.payment.order
    amount = format_cents(refund.amount_cents)
    if target == RefundStatus.SUCCEEDED:
        refund.completed_at = now
        _settle(refund)
        _note(order, vendor_order=refund.vendor_order, actor=None, actor_label="payment provider",
              note=_("Remboursement de %(amount)s effectué", amount=amount))
        _email_customer(refund)
    else:
        refund.failure_message = message or refund.failure_message
        _settle(refund)
        _note(order, vendor_order=refund.vendor_order, actor=None, actor_label="payment provider",
              note=_("Échec du remboursement de %(amount)s : %(message)s", amount=amount,
                     message=refund.failure_message or "—"))
    db.session.flush()


def _settle(refund: Refund) -> None:
    """Recompute what was refunded from the succeeded refunds, and move the VendorOrder."""
    vendor_order = refund.vendor_order
    if vendor_order is None:
        return
    succeeded = [r for r in _refunds_of(vendor_order) if r.status == RefundStatus.SUCCEEDED]
    vendor_order.refunded_cents = sum(r.amount_cents for r in succeeded)
    quantities: dict[int, int] = {}
    for r in succeeded:
        for refund_line in r.lines:
            quantities[refund_line.order_line_id] = (
                quantities.get(refund_line.order_line_id, 0) + refund_line.quantity
            )
    for line in vendor_order.lines:
        line.refunded_quantity = quantities.get(line.id, 0)
    if refund.status != RefundStatus.SUCCEEDED:
        return
    status = VendorOrderStatus(vendor_order.status)
    if vendor_order.refunded_cents >= vendor_order.total_cents:
        event = VendorOrderEvent.REFUND_ALL
    elif status in _FULFILMENT_OVER:
        event = VendorOrderEvent.REFUND_PART
    else:
        return
    if VENDOR_ORDER_MACHINE.allows(status, event):
        transition_vendor_order(vendor_order=vendor_order, event=event,
                                actor_label="payment provider")


def _refunds_of(vendor_order: VendorOrder) -> list[Refund]:
    return list(db.session.scalars(
        select(Refund).where(Refund.vendor_order_id == vendor_order.id).order_by(Refund.id)
    ))


def _lock_order_payment(order: Order) -> Payment | None:
    """Lock the Order, then its Payment: the order `sync_payment` and expiry lock in."""
    db.session.execute(select(Order.id).where(Order.id == order.id).with_for_update())
    payment = order.payment
    if payment is not None:
        db.session.refresh(payment, with_for_update=True)
    return payment


def _note(order: Order, *, vendor_order: VendorOrder | None, actor: User | None, actor_label: str,
          note: str) -> None:
    """A line in the Order's history that changes no status (money moved, or failed to)."""
    status = vendor_order.status if vendor_order is not None else order.status
    db.session.add(OrderEvent(
        order_id=order.id, vendor_order_id=vendor_order.id if vendor_order else None,
        from_status=status, to_status=status, actor_id=actor.id if actor else None,
        actor_label=actor_label, note=note,
    ))


def _email_customer(refund: Refund) -> None:
    order = refund.payment.order
    with force_locale(order.locale):
        subject = _("Commande %(number)s : remboursement de %(amount)s",
                    number=order.number, amount=format_cents(refund.amount_cents, order.locale))
    enqueue(
        "notifications.send_email",
        dedupe_key=f"refund-succeeded:{refund.id}",
        to=order.email,
        subject=subject,
        template="refund_issued",
        locale=order.locale,
        customer_name=order.address.get("full_name", ""),
        order_number=order.number,
        vendor_name=refund.vendor_order.vendor.name if refund.vendor_order else "",
        amount_cents=refund.amount_cents,
        reason=refund.reason,
        lines=[{"product_name": rl.order_line.product_name,
                "variant_label": rl.order_line.variant_label,
                "quantity": rl.quantity} for rl in refund.lines],
    )
