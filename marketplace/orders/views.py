"""The customer's Order pages (the checkout that places Orders: checkout.views)."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from marketplace.core.models import utcnow
from marketplace.core.pagination import paginate, parse_page_number
from marketplace.core.web import never_stored
from marketplace.extensions import db

from . import services
from .models import Order
from .states import ORDER_STATUS_LABELS, VENDOR_ORDER_STATUS_LABELS

bp = Blueprint("orders", __name__)
bp.after_request(never_stored)

ORDERS_PER_PAGE = 20


def _customer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def order_url(order: Order, endpoint: str = "follow") -> str:
    """Links to an Order page that work for its viewer: the account's, or the guest's token."""
    guest = order.customer_id is None
    targets = {
        "follow": ("orders.guest_order", "orders.customer_order"),
        "receipt": ("orders.guest_receipt", "orders.customer_receipt"),
        "confirmation": ("orders.confirmation", "orders.confirmation"),
        "pay": ("payments.pay", "payments.pay"),
    }
    guest_endpoint, customer_endpoint = targets[endpoint]
    if guest:
        return url_for(guest_endpoint, number=order.number, token=order.access_token)
    return url_for(customer_endpoint, number=order.number)


@bp.app_context_processor
def inject_order_helpers() -> dict:
    return {
        "order_url": order_url,
        "order_status_label": lambda status: ORDER_STATUS_LABELS.get(status, status),
        "vendor_order_status_label": lambda status: VENDOR_ORDER_STATUS_LABELS.get(status, status),
    }


# --- The customer's Orders -------------------------------------------------------------------


def viewable_order(number: str) -> Order:
    """The Order if the visitor owns it (logged in) or holds its secret link; else 404."""
    customer = _customer()
    order = None
    if customer is not None:
        order = services.find_customer_order(customer=customer, number=number)
    if order is None:
        order = services.find_order_by_token(number=number, token=request.args.get("token"))
    if order is None:
        abort(404)
    return order


@bp.get("/orders/<number>/confirmation")
def confirmation(number: str):
    """Thanks, after a successful payment; an unpaid Order sends the customer to pay."""
    order = viewable_order(number)
    if services.order_awaits_payment(order=order):
        return redirect(order_url(order, "pay"))
    return render_template("orders/confirmation.html", order=order, **_order_context(order))


def _order_context(order: Order) -> dict:
    vat = sorted(((int(rate), cents) for rate, cents in order.vat_breakdown.items()))
    payable = services.is_order_payable(order=order, now=utcnow())
    return {
        "awaits_payment": payable,
        # Said from the clock, whether or not the periodic expiry has run yet.
        "reservation_ended": not payable and services.order_awaits_payment(order=order),
        "delivery_text": services.describe_delivery(order=order),
        "vat_rows": vat,
        "order_events": [event for event in order.events if event.vendor_order_id is None],
        "vendor_events": {
            vendor_order.id: [e for e in order.events if e.vendor_order_id == vendor_order.id]
            for vendor_order in order.vendor_orders
        },
    }


@bp.get("/account/orders")
@login_required
def customer_orders():
    page = paginate(
        db.session,
        services.customer_orders_query(customer=current_user),
        page=parse_page_number(request.args.get("page")),
        per_page=ORDERS_PER_PAGE,
    )
    return render_template("orders/list.html", page=page)


def _render_order(template: str, order: Order | None) -> str:
    """An Order page, or 404 when the finder (scoped to the customer or the guest's token)
    found nothing."""
    if order is None:
        abort(404)
    return render_template(template, order=order, **_order_context(order))


@bp.get("/account/orders/<number>")
@login_required
def customer_order(number: str):
    order = services.find_customer_order(customer=current_user, number=number)
    return _render_order("orders/detail.html", order)


@bp.get("/account/orders/<number>/receipt")
@login_required
def customer_receipt(number: str):
    order = services.find_customer_order(customer=current_user, number=number)
    return _render_order("orders/receipt.html", order)


@bp.get("/orders/<number>")
def guest_order(number: str):
    """A guest follows their Order with the secret link from their email."""
    order = services.find_order_by_token(number=number, token=request.args.get("token"))
    return _render_order("orders/detail.html", order)


@bp.get("/orders/<number>/receipt")
def guest_receipt(number: str):
    order = services.find_order_by_token(number=number, token=request.args.get("token"))
    return _render_order("orders/receipt.html", order)
