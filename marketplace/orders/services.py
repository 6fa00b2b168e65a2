"""Order services: checkout (`place_order`), status changes, expiry of unpaid Orders.

Checkout is one transaction: stock is taken with one conditional UPDATE per Variant (in id
order, so concurrent checkouts never deadlock and never sell the same unit twice), the Order
gets its number, one VendorOrder per Vendor with snapshots of its lines, the delivery booking,
the emails to send, and what the caller adds with `on_placed` (checkout: the Payment row).
The payment itself is created at the provider only after that transaction commits
(`checkout.views.place`). Expiry of unpaid Orders is driven by
`payments.services.expire_unpaid_orders`, which knows whether a payment is under way.
"""
import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from hmac import compare_digest
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import force_locale, format_datetime, ngettext
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.cart.models import Cart
from marketplace.cart.services import (
    CartSummary,
    LineProblem,
    LineView,
    clear_cart,
    summarize_cart,
)
from marketplace.catalog.models import Variant
from marketplace.core.outbox import enqueue
from marketplace.delivery.errors import DeliveryError
from marketplace.delivery.models import DeliveryRound, PickupSlot, RoundStop
from marketplace.delivery.services import (
    DeliveryQuote,
    book_pickup_slot,
    book_round_stop,
    delivery_quote,
    release_pickup_slot,
    release_round_stop,
)
from marketplace.extensions import db

from .errors import OrderError, OrderErrorCode
from .models import DeliveryMethod, Order, OrderEvent, OrderLine, OrderNumberSequence, VendorOrder
from .pricing import LineInput, OrderBreakdown, VendorInput, price_order
from .states import (
    ORDER_MACHINE,
    VENDOR_ORDER_MACHINE,
    OrderEvent_,
    OrderStatus,
    VendorOrderEvent,
    VendorOrderStatus,
)

#: Order numbers follow the hub's calendar year, not UTC's.
HUB_TIMEZONE = ZoneInfo("Europe/Paris")

#: Order states in which the customer may still pay.
_AWAITING_PAYMENT = frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.PAYMENT_FAILED})

#: VendorOrder states after which the Vendor has nothing left to do.
_VENDOR_ORDER_CLOSED = frozenset(
    {VendorOrderStatus.CANCELLED, VendorOrderStatus.REFUSED, VendorOrderStatus.REFUNDED}
)


def transition_order(
    *, order: Order, event: OrderEvent_ | str, actor: User | None = None, actor_label: str,
    note: str = "",
) -> OrderStatus:
    """Move an Order through its state machine and record who did it.

    Raises `InvalidTransition` (and changes nothing) when the event makes no sense now.
    """
    return ORDER_MACHINE.apply(
        order,
        event,
        record=lambda current, target: OrderEvent(
            order_id=order.id,
            from_status=current,
            to_status=target,
            actor_id=actor.id if actor else None,
            actor_label=actor_label,
            note=note,
        ),
    )


def transition_vendor_order(
    *, vendor_order: VendorOrder, event: VendorOrderEvent | str, actor: User | None = None,
    actor_label: str, note: str = "",
) -> VendorOrderStatus:
    """Move a VendorOrder through its state machine, then derive its Order's status.

    The Order is completed when every VendorOrder that was not called off is completed, and
    partially fulfilled as soon as one is; it is refunded or cancelled when all of them were.
    Raises `InvalidTransition` (and changes nothing) when the event makes no sense now.
    """
    target = VENDOR_ORDER_MACHINE.apply(
        vendor_order,
        event,
        record=lambda current, target: OrderEvent(
            order_id=vendor_order.order_id,
            vendor_order_id=vendor_order.id,
            from_status=current,
            to_status=target,
            actor_id=actor.id if actor else None,
            actor_label=actor_label,
            note=note,
        ),
    )
    _derive_order_status(order=vendor_order.order, actor=actor, actor_label=actor_label)
    return target


def _derive_order_status(*, order: Order, actor: User | None, actor_label: str) -> None:
    statuses = [VendorOrderStatus(vendor_order.status) for vendor_order in order.vendor_orders]
    completed = statuses.count(VendorOrderStatus.COMPLETED)
    closed = sum(1 for status in statuses if status in _VENDOR_ORDER_CLOSED)
    if closed == len(statuses):
        event = (
            OrderEvent_.REFUND if VendorOrderStatus.REFUNDED in statuses else OrderEvent_.CANCEL
        )
    elif completed and completed + closed == len(statuses):
        event = OrderEvent_.COMPLETE
    elif completed:
        event = OrderEvent_.FULFIL_PART
    else:
        return
    if ORDER_MACHINE.allows(OrderStatus(order.status), event):
        transition_order(order=order, event=event, actor=actor, actor_label=actor_label)


# --- Checkout -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryChoice:
    """How the customer wants the Order: Vendors' shipping, a Pickup slot or a Delivery round."""

    method: DeliveryMethod
    pickup_slot_id: int | None = None
    round_id: int | None = None


@dataclass(frozen=True)
class CheckoutQuote:
    """Everything the review page shows, and the digest that proves the customer saw it."""

    summary: CartSummary
    delivery: DeliveryChoice
    options: DeliveryQuote
    breakdown: OrderBreakdown
    pickup_slot: PickupSlot | None
    delivery_round: DeliveryRound | None
    #: Fingerprint of every price, quantity, rate and fee shown; `place_order` refuses a
    #: checkout whose fingerprint changed since the customer reviewed it.
    digest: str

    @property
    def flagged_lines(self) -> list[LineView]:
        """Lines the customer must look at before paying: new price, or stock problem."""
        return [view for view in self.summary.lines if view.problem or view.price_changed]

    @property
    def needs_acknowledgement(self) -> bool:
        return bool(self.flagged_lines)

    def part_for(self, vendor_id: int):  # noqa: ANN201  (a VendorBreakdown)
        return next(part for part in self.breakdown.vendors if part.vendor_id == vendor_id)


def _review_digest(breakdown: OrderBreakdown, delivery: DeliveryChoice) -> str:
    payload = {
        "delivery": [str(delivery.method), delivery.pickup_slot_id, delivery.round_id],
        "breakdown": asdict(breakdown),
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _offered(
    delivery: DeliveryChoice, options: DeliveryQuote
) -> tuple[PickupSlot | None, DeliveryRound | None]:
    """The slot or round chosen, if it is among those offered now; else a clear refusal."""
    if delivery.method == DeliveryMethod.VENDOR_SHIPPING:
        return None, None
    if delivery.method == DeliveryMethod.PICKUP:
        slot = next((s for s in options.pickup_slots if s.id == delivery.pickup_slot_id), None)
        if slot is None:
            raise OrderError(
                OrderErrorCode.DELIVERY_UNAVAILABLE,
                _("Ce créneau de retrait n'est plus disponible : choisissez-en un autre."),
            )
        return slot, None
    delivery_round = next((r for r in options.rounds if r.id == delivery.round_id), None)
    if delivery_round is None:
        raise OrderError(
            OrderErrorCode.DELIVERY_UNAVAILABLE,
            _("Cette tournée de livraison n'est plus disponible pour votre adresse : "
              "choisissez une autre livraison."),
        )
    return None, delivery_round


def quote_checkout(
    *, cart: Cart | None, delivery: DeliveryChoice, postcode: str | None, now: datetime
) -> CheckoutQuote:
    """Price the cart with the chosen delivery, as the review page shows it.

    Lines that cannot be bought at all (sold out, withdrawn) are left out of the totals and
    flagged; raises `OrderError(DELIVERY_UNAVAILABLE)` when the delivery chosen is not offered.
    """
    summary = summarize_cart(cart)
    options = delivery_quote(summary=summary, postcode=postcode, now=now)
    pickup_slot, delivery_round = _offered(delivery, options)
    shipping = options.vendor_shipping if delivery.method == DeliveryMethod.VENDOR_SHIPPING else {}
    vendors = [
        VendorInput(
            vendor_id=group.vendor.id,
            commission_rate_bps=group.vendor.commission_rate_bps,
            lines=tuple(
                LineInput(
                    variant_id=view.variant.id,
                    quantity=view.quantity,
                    unit_price_cents=view.unit_price_cents,
                    vat_rate_bps=view.product.vat_rate_bps,
                )
                for view in group.lines
                if view.counts_in_totals
            ),
            shipping_cents=shipping.get(group.vendor.id, 0),
        )
        for group in summary.groups
        if any(view.counts_in_totals for view in group.lines)
    ]
    if pickup_slot is not None:
        order_fee = pickup_slot.fee_cents
    elif delivery_round is not None:
        order_fee = delivery_round.zone.fee_for(summary.goods_cents)
    else:
        order_fee = 0
    breakdown = price_order(vendors=vendors, order_fee_cents=order_fee)
    return CheckoutQuote(
        summary=summary,
        delivery=delivery,
        options=options,
        breakdown=breakdown,
        pickup_slot=pickup_slot,
        delivery_round=delivery_round,
        digest=_review_digest(breakdown, delivery),
    )


def new_checkout_key() -> str:
    """A random key for one checkout attempt; the review form carries it to `place_order`."""
    return secrets.token_urlsafe(32)


def find_order_by_checkout_key(*, checkout_key: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.checkout_key == checkout_key))


def place_order(
    *,
    cart: Cart,
    customer: User | None,
    email: str,
    address: dict[str, str],
    delivery: DeliveryChoice,
    checkout_key: str,
    review_digest: str,
    now: datetime,
    locale: str = "fr",
    on_placed: Callable[[Order], None] | None = None,
) -> Order:
    """Turn the cart into an Order split per Vendor, in the caller's transaction.

    `review_digest` is the digest of the review page the customer submitted: if any price,
    quantity, rate or fee changed since, nothing is placed and the customer is shown the new
    figures. Submitting the same `checkout_key` again (double click, second tab) returns the
    Order already placed, even when both submissions race. Each VendorOrder freezes its
    Vendor's commission rate; the commission is taken on the goods including VAT (why:
    `pricing.commission_for`). `on_placed(order)` runs in the same savepoint once the Order
    and its VendorOrders exist (checkout adds the Payment row there; orders knows nothing of
    payments); an Order found again by its key does not run it.
    Raises `OrderError` (sold out, cart changed, delivery gone…) and leaves nothing behind.
    """
    customer_id = customer.id if customer is not None else None
    existing = _existing_order(checkout_key, customer_id)
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            return _place(
                cart=cart, customer=customer, email=email, address=address, delivery=delivery,
                checkout_key=checkout_key, review_digest=review_digest, now=now, locale=locale,
                on_placed=on_placed,
            )
    except (IntegrityError, OrderError):
        # The same checkout submitted twice at once: the twin committed first. Its work
        # stands; ours (stock, booking) was rolled back with the savepoint.
        existing = _existing_order(checkout_key, customer_id)
        if existing is not None:
            return existing
        raise


def _existing_order(checkout_key: str, customer_id: int | None) -> Order | None:
    order = find_order_by_checkout_key(checkout_key=checkout_key)
    if order is not None and order.customer_id != customer_id:
        raise OrderError(OrderErrorCode.CART_CHANGED, _("Cette commande a déjà été passée."))
    return order


def _place(
    *, cart: Cart, customer: User | None, email: str, address: dict[str, str],
    delivery: DeliveryChoice, checkout_key: str, review_digest: str, now: datetime, locale: str,
    on_placed: Callable[[Order], None] | None,
) -> Order:
    quote = quote_checkout(cart=cart, delivery=delivery, postcode=address.get("postcode"), now=now)
    if quote.summary.is_empty:
        raise OrderError(OrderErrorCode.EMPTY_CART, _("Votre panier est vide."))
    _refuse_flagged_lines(quote)
    if not compare_digest(quote.digest, review_digest or ""):
        raise OrderError(
            OrderErrorCode.CART_CHANGED,
            _("Votre commande a changé depuis que vous l'avez vérifiée (prix, stock ou "
              "livraison) : voici le nouveau récapitulatif."),
        )
    if quote.breakdown.total_cents <= 0:
        raise OrderError(OrderErrorCode.EMPTY_CART, _("Il n'y a rien à payer dans ce panier."))
    _take_stock(quote)

    order = Order(
        number=_provisional_number(),
        customer_id=customer.id if customer is not None else None,
        email=email.strip().lower(),
        checkout_key=checkout_key,
        access_token=secrets.token_urlsafe(32),
        locale=locale,
        address=dict(address),
        delivery_method=delivery.method,
        pickup_slot_id=quote.pickup_slot.id if quote.pickup_slot else None,
        delivery_round_id=quote.delivery_round.id if quote.delivery_round else None,
        goods_cents=quote.breakdown.goods_cents,
        delivery_cents=quote.breakdown.delivery_cents,
        total_cents=quote.breakdown.total_cents,
        vat_breakdown=_rates_as_keys(quote.breakdown.vat_by_rate),
        status=OrderStatus.AWAITING_PAYMENT,
        placed_at=now,
        expires_at=now + timedelta(minutes=current_app.config["UNPAID_ORDER_TTL_MINUTES"]),
    )
    db.session.add(order)
    db.session.flush()  # a second submission of this checkout stops here, on the unique key
    _add_vendor_orders(order, quote)
    actor_label = "customer" if customer is not None else "guest"
    db.session.add(
        OrderEvent(order_id=order.id, from_status=None, to_status=order.status,
                   actor_id=order.customer_id, actor_label=actor_label)
    )
    for vendor_order in order.vendor_orders:
        db.session.add(
            OrderEvent(order_id=order.id, vendor_order_id=vendor_order.id, from_status=None,
                       to_status=vendor_order.status, actor_id=order.customer_id,
                       actor_label=actor_label)
        )
    _book_delivery(order, quote, now)

    if on_placed is not None:
        on_placed(order)
    clear_cart(cart=cart)
    # The year's counter stays locked until commit: take it last, so that concurrent
    # checkouts queue behind each other for as short a time as possible.
    _number_order(order, now=now)
    _send_order_email(order, template="order_received", dedupe="order-received")
    db.session.flush()
    return order


def _variant_name(name: str, label: str) -> str:
    return f"{name} ({label})" if label else name


def _refuse_flagged_lines(quote: CheckoutQuote) -> None:
    """Stock problems are refused naming the product; a new price waits for the customer."""
    for view in quote.summary.lines:
        if view.problem in (LineProblem.SOLD_OUT, LineProblem.INSUFFICIENT_STOCK):
            raise OrderError(
                OrderErrorCode.SOLD_OUT,
                _shortage_message(_variant_name(view.product.name, view.variant.label),
                                  view.available),
                variant_id=view.variant.id,
                left=view.available,
            )
    if quote.needs_acknowledgement:
        raise OrderError(
            OrderErrorCode.NEEDS_ACKNOWLEDGEMENT,
            _("Certains articles ont changé de prix ou ne sont plus en vente : vérifiez-les "
              "avant de commander."),
        )


def _shortage_message(name: str, left: int) -> str:
    if left <= 0:
        return _("« %(name)s » est épuisé : retirez-le de votre panier pour commander le reste.",
                 name=name)
    return ngettext(
        "« %(name)s » : il n'en reste que %(num)d, ajustez la quantité.",
        "« %(name)s » : il n'en reste que %(num)d, ajustez la quantité.",
        left,
        name=name,
    )


def _take_stock(quote: CheckoutQuote) -> None:
    """One conditional UPDATE per Variant, in id order: a Variant without enough stock left
    matches no row, and checkout stops with a message naming the product."""
    wanted: dict[int, int] = {}
    for view in quote.summary.lines:
        wanted[view.variant.id] = wanted.get(view.variant.id, 0) + view.quantity
    views = {view.variant.id: view for view in quote.summary.lines}
    for variant_id in sorted(wanted):
        quantity = wanted[variant_id]
        taken = db.session.execute(
            update(Variant)
            .where(Variant.id == variant_id, Variant.stock >= quantity)
            .values(stock=Variant.stock - quantity)
            .execution_options(synchronize_session=False)
        ).rowcount
        view = views[variant_id]
        db.session.expire(view.variant, ["stock"])
        if not taken:
            left = view.variant.stock
            raise OrderError(
                OrderErrorCode.SOLD_OUT,
                _shortage_message(_variant_name(view.product.name, view.variant.label), left),
                variant_id=variant_id,
                left=left,
            )


def _provisional_number() -> str:
    """A unique stand-in, replaced by the real number before the transaction commits."""
    return f"~{secrets.token_hex(9)}"


def _number_order(order: Order, *, now: datetime) -> None:
    order.number = _next_order_number(now=now)
    for vendor_order in order.vendor_orders:
        vendor_order.number = f"{order.number}-{vendor_order.sequence}"
    db.session.flush()


def _next_order_number(*, now: datetime) -> str:
    """LA-<year>-<6 digits>, from a per-year counter row.

    The upsert increments the counter under its row lock, held until commit, so two
    checkouts can never get the same number and the numbers have no gaps.
    """
    year = now.astimezone(HUB_TIMEZONE).year
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(OrderNumberSequence)
        .values(year=year, last_value=1)
        .on_conflict_do_update(
            index_elements=[OrderNumberSequence.year],
            set_={"last_value": OrderNumberSequence.last_value + 1},
        )
        .returning(OrderNumberSequence.last_value)
    )
    value = db.session.execute(statement).scalar_one()
    return f"LA-{year}-{value:06d}"


def _rates_as_keys(vat_by_rate: dict[int, int]) -> dict[str, int]:
    return {str(rate): cents for rate, cents in vat_by_rate.items()}


def _add_vendor_orders(order: Order, quote: CheckoutQuote) -> None:
    views = {view.variant.id: view for view in quote.summary.lines}
    for sequence, part in enumerate(quote.breakdown.vendors, start=1):
        vendor_order = VendorOrder(
            order=order,
            vendor_id=part.vendor_id,
            sequence=sequence,
            number=f"{order.number}-{sequence}",
            status=VendorOrderStatus.AWAITING_PAYMENT,
            goods_cents=part.goods_cents,
            shipping_cents=part.shipping_cents,
            delivery_share_cents=part.delivery_share_cents,
            vat_breakdown=_rates_as_keys(part.vat_by_rate),
            commission_rate_bps=part.commission_rate_bps,
            commission_cents=part.commission_cents,
            commission_vat_cents=part.commission_vat_cents,
            vendor_net_cents=part.vendor_net_cents,
        )
        for line in part.lines:
            view = views[line.variant_id]
            vendor_order.lines.append(
                OrderLine(
                    variant_id=line.variant_id,
                    product_name=view.product.name,
                    variant_label=view.variant.label,
                    sku=view.variant.sku,
                    unit_price_cents=line.unit_price_cents,
                    vat_rate_bps=line.vat_rate_bps,
                    quantity=line.quantity,
                    total_cents=line.total_cents,
                    vat_cents=line.vat_cents,
                    weight_grams=view.weight_grams,
                )
            )
        db.session.add(vendor_order)
    db.session.flush()


def _book_delivery(order: Order, quote: CheckoutQuote, now: datetime) -> None:
    try:
        if quote.pickup_slot is not None:
            book_pickup_slot(slot_id=quote.pickup_slot.id, now=now, order_id=order.id)
        elif quote.delivery_round is not None:
            book_round_stop(
                round_id=quote.delivery_round.id,
                order_id=order.id,
                weight_grams=quote.summary.weight_grams,
                now=now,
                postcode=order.address.get("postcode"),
            )
    except DeliveryError as error:
        raise OrderError(OrderErrorCode.DELIVERY_UNAVAILABLE, error.message) from error


# --- Payment outcomes (called by payments.services.sync_payment) ------------------------------


def order_awaits_payment(*, order: Order) -> bool:
    return OrderStatus(order.status) in _AWAITING_PAYMENT


def is_order_payable(*, order: Order, now: datetime) -> bool:
    """The customer may still pay: the Order awaits payment and its time is not up."""
    if not order_awaits_payment(order=order):
        return False
    expires_at = order.expires_at
    if expires_at is None:
        return True
    if expires_at.tzinfo is None:  # SQLite hands back naive UTC
        expires_at = expires_at.replace(tzinfo=now.tzinfo)
    return now < expires_at


def mark_order_paid(*, order: Order, actor_label: str, now: datetime) -> None:
    """The payment went through: the Order and each VendorOrder are paid, emails go out."""
    transition_order(order=order, event=OrderEvent_.PAY, actor_label=actor_label)
    order.paid_at = now
    for vendor_order in order.vendor_orders:
        status = VendorOrderStatus(vendor_order.status)
        if VENDOR_ORDER_MACHINE.allows(status, VendorOrderEvent.PAY):
            transition_vendor_order(
                vendor_order=vendor_order, event=VendorOrderEvent.PAY, actor_label=actor_label
            )
    _send_order_email(order, template="order_confirmation", dedupe="order-confirmation")
    for vendor_order in order.vendor_orders:
        _send_vendor_order_email(vendor_order)
    db.session.flush()


def mark_order_payment_failed(*, order: Order, message: str, actor_label: str) -> None:
    if ORDER_MACHINE.allows(OrderStatus(order.status), OrderEvent_.FAIL_PAYMENT):
        transition_order(
            order=order, event=OrderEvent_.FAIL_PAYMENT, actor_label=actor_label, note=message
        )


def mark_order_payment_retried(*, order: Order, actor_label: str) -> None:
    if ORDER_MACHINE.allows(OrderStatus(order.status), OrderEvent_.RETRY_PAYMENT):
        transition_order(order=order, event=OrderEvent_.RETRY_PAYMENT, actor_label=actor_label)


def record_late_payment(*, order: Order, actor_label: str) -> None:
    """Money arrived for an Order that no longer awaits it (expired): leave a trace for the
    admins, who refund it; the stock it held was already given back."""
    db.session.add(
        OrderEvent(
            order_id=order.id,
            from_status=order.status,
            to_status=order.status,
            actor_label=actor_label,
            note=_(
                "Paiement reçu alors que la commande n'attendait plus de paiement : à rembourser."
            ),
        )
    )
    db.session.flush()


# --- Expiry ----------------------------------------------------------------------------------


def unpaid_orders_past_deadline(*, now: datetime, limit: int = 200) -> list[Order]:
    """Orders still awaiting payment past their deadline, locked (locked ones skipped, so two
    workers never expire the same Order): `payments.services.expire_unpaid_orders` decides."""
    return db.session.scalars(
        select(Order)
        .where(Order.status.in_(list(_AWAITING_PAYMENT)), Order.expires_at <= now)
        .order_by(Order.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ).all()


def expire_order(*, order: Order) -> None:
    """The Order expires unpaid: its VendorOrders are cancelled, its stock and delivery
    booking go back, the customer is told. (Its payment is the caller's business.)"""
    transition_order(
        order=order, event=OrderEvent_.EXPIRE, actor_label="system",
        note=_("Délai de paiement dépassé"),
    )
    for vendor_order in order.vendor_orders:
        transition_vendor_order(
            vendor_order=vendor_order, event=VendorOrderEvent.CANCEL, actor_label="system"
        )
    return_stock(
        units=(
            (line.variant_id, line.quantity)
            for vendor_order in order.vendor_orders
            for line in vendor_order.lines
        )
    )
    if order.pickup_slot_id is not None:
        release_pickup_slot(slot_id=order.pickup_slot_id, order_id=order.id)
    if order.delivery_round_id is not None:
        release_round_stop(order_id=order.id)
    _send_order_email(order, template="order_expired", dedupe="order-expired")


def return_stock(*, units: Iterable[tuple[int | None, int]]) -> None:
    """Put units back on their Variants' shelves, from (variant id, quantity) pairs: expired
    Orders, refunds. A line whose Variant was deleted since has no shelf and is skipped.

    Locks in id order like checkout's `_take_stock`, so the two can never deadlock; one
    relative UPDATE per Variant, so a checkout running meanwhile loses nothing.
    """
    quantities: dict[int, int] = {}
    for variant_id, quantity in units:
        if variant_id is not None:
            quantities[variant_id] = quantities.get(variant_id, 0) + quantity
    for variant_id in sorted(quantities):
        db.session.execute(
            update(Variant)
            .where(Variant.id == variant_id)
            .values(stock=Variant.stock + quantities[variant_id])
            .execution_options(synchronize_session=False)
        )
        cached = db.session.identity_map.get(db.session.identity_key(Variant, variant_id))
        if cached is not None:
            db.session.expire(cached, ["stock"])


# --- Reading Orders --------------------------------------------------------------------------


def _order_query():  # noqa: ANN202
    return select(Order).options(
        selectinload(Order.vendor_orders).selectinload(VendorOrder.lines),
        selectinload(Order.vendor_orders).joinedload(VendorOrder.vendor),
        selectinload(Order.events),
    )


def find_customer_order(*, customer: User, number: str) -> Order | None:
    """One of the customer's own Orders; another customer's Order is simply not found."""
    return db.session.scalar(
        _order_query().where(Order.number == number, Order.customer_id == customer.id)
    )


def find_order_by_token(*, number: str, token: str | None) -> Order | None:
    """A guest's Order, found with the secret from their email (compared in constant time)."""
    if not token:
        return None
    order = db.session.scalar(_order_query().where(Order.number == number))
    if order is None or not compare_digest(order.access_token.encode(), token.encode()):
        return None
    return order


def customer_orders_query(*, customer: User):  # noqa: ANN201  (a Select, for pagination)
    return (
        select(Order)
        .where(Order.customer_id == customer.id)
        .options(selectinload(Order.vendor_orders).joinedload(VendorOrder.vendor))
        .order_by(Order.placed_at.desc(), Order.id.desc())
    )


def list_round_stops(*, delivery_round: DeliveryRound) -> list[tuple[RoundStop, str]]:
    """The round's stops in route order, each with its Order number."""
    rows = db.session.execute(
        select(RoundStop, Order.number)
        .join(Order, Order.id == RoundStop.order_id)
        .where(RoundStop.round_id == delivery_round.id)
        .order_by(RoundStop.position, RoundStop.id)
    )
    return [(stop, number) for stop, number in rows]


# --- Emails ----------------------------------------------------------------------------------


def _external_url(endpoint: str, **values: object) -> str:
    """An absolute link for an email; without a request or SERVER_NAME, the path alone."""
    try:
        return url_for(endpoint, _external=True, **values)
    except RuntimeError:
        return url_for(endpoint, **values) if current_app.config.get("SERVER_NAME") else ""


def order_links(*, order: Order) -> dict[str, str]:
    """Where the customer follows and pays for an Order: their account, or the secret link."""
    if order.customer_id is not None:
        return {
            "follow_url": _external_url("orders.customer_order", number=order.number),
            "pay_url": _external_url("payments.pay", number=order.number),
        }
    token = order.access_token
    return {
        "follow_url": _external_url("orders.guest_order", number=order.number, token=token),
        "pay_url": _external_url("payments.pay", number=order.number, token=token),
    }


def describe_delivery(*, order: Order) -> str:
    """The delivery booking in words, in the current locale."""
    if order.delivery_method == DeliveryMethod.PICKUP and order.pickup_slot_id:
        slot = db.session.get(PickupSlot, order.pickup_slot_id)
        return _(
            "Retrait à la boutique des Ateliers le %(start)s (jusqu'à %(end)s)",
            start=format_datetime(slot.starts_at, "EEEE d MMMM y, HH:mm"),
            end=format_datetime(slot.ends_at, "HH:mm"),
        )
    if order.delivery_method == DeliveryMethod.ROUND and order.delivery_round_id:
        delivery_round = db.session.get(DeliveryRound, order.delivery_round_id)
        return _(
            "Livraison par la tournée « %(zone)s » le %(date)s",
            zone=delivery_round.zone.name,
            date=format_datetime(
                datetime.combine(delivery_round.delivery_date, datetime.min.time(),
                                 tzinfo=HUB_TIMEZONE),
                "EEEE d MMMM y",
            ),
        )
    return _("Envoi par chaque atelier, à votre adresse")


def _line_context(line: OrderLine) -> dict[str, object]:
    return {
        "product_name": line.product_name,
        "variant_label": line.variant_label,
        "quantity": line.quantity,
        "unit_price_cents": line.unit_price_cents,
        "total_cents": line.total_cents,
    }


def _order_email_context(order: Order) -> dict[str, object]:
    """Everything an Order email shows, as plain JSON (the task reloads nothing)."""
    return {
        "order_number": order.number,
        "customer_name": order.address.get("full_name", ""),
        "is_guest": order.customer_id is None,
        **order_links(order=order),
        "delivery_text": describe_delivery(order=order),
        "vendor_orders": [
            {
                "number": vendor_order.number,
                "vendor_name": vendor_order.vendor.name,
                "lines": [_line_context(line) for line in vendor_order.lines],
                "goods_cents": vendor_order.goods_cents,
                "shipping_cents": vendor_order.shipping_cents,
            }
            for vendor_order in order.vendor_orders
        ],
        "goods_cents": order.goods_cents,
        "delivery_cents": order.delivery_cents,
        "total_cents": order.total_cents,
        "vat": [{"rate_bps": int(rate), "cents": cents}
                for rate, cents in sorted(order.vat_breakdown.items(), key=lambda i: int(i[0]))],
        "expires_at_text": format_datetime(order.expires_at, "d MMMM y, HH:mm")
        if order.expires_at else "",
    }


_ORDER_EMAIL_SUBJECTS = {
    "order_received": lambda number: _("Commande %(number)s enregistrée : en attente de paiement",
                                       number=number),
    "order_confirmation": lambda number: _("Commande %(number)s confirmée", number=number),
    "order_expired": lambda number: _("Commande %(number)s annulée : paiement non reçu",
                                      number=number),
}


def _send_order_email(order: Order, *, template: str, dedupe: str) -> None:
    with force_locale(order.locale):
        context = _order_email_context(order)
        subject = _ORDER_EMAIL_SUBJECTS[template](order.number)
    enqueue(
        "notifications.send_email",
        dedupe_key=f"{dedupe}:{order.number}",
        to=order.email,
        subject=subject,
        template=template,
        locale=order.locale,
        **context,
    )


def _send_vendor_order_email(vendor_order: VendorOrder) -> None:
    """Tell the Vendor what to prepare; the address only when the Vendor ships it."""
    vendor = vendor_order.vendor
    if not vendor.contact_email:
        return
    order = vendor_order.order
    with force_locale("fr"):
        context = {
            "vendor_name": vendor.name,
            "vendor_order_number": vendor_order.number,
            "delivery_method": str(order.delivery_method),
            "delivery_text": describe_delivery(order=order),
            "address": order.address if order.delivery_method == DeliveryMethod.VENDOR_SHIPPING
            else None,
            "lines": [_line_context(line) for line in vendor_order.lines],
            "goods_cents": vendor_order.goods_cents,
            "shipping_cents": vendor_order.shipping_cents,
            "commission_cents": vendor_order.commission_cents,
            "commission_vat_cents": vendor_order.commission_vat_cents,
            "vendor_net_cents": vendor_order.vendor_net_cents,
        }
        subject = _("Nouvelle commande %(number)s à préparer", number=vendor_order.number)
    enqueue(
        "notifications.send_email",
        dedupe_key=f"vendor-order-paid:{vendor_order.number}",
        to=vendor.contact_email,
        subject=subject,
        template="order_vendor_paid",
        locale="fr",
        **context,
    )
