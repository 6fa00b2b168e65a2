"""Checkout (contact and address, delivery, review, place) and the customer's Order pages.

The checkout draft (email, address, delivery choice, checkout key) lives in the session
until the Order is placed; nothing is reserved before the customer presses "Commander".
"""
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.accounts.services import add_address, find_user_address, list_user_addresses
from marketplace.cart.services import acknowledge_price_change, summarize_cart
from marketplace.cart.views import current_cart
from marketplace.core.models import utcnow
from marketplace.core.pagination import paginate, parse_page_number
from marketplace.core.transactions import commit_now, errors_redirect_to
from marketplace.core.web import never_stored
from marketplace.delivery.services import delivery_quote
from marketplace.extensions import db
from marketplace.payments.gateway import GatewayError
from marketplace.payments.services import start_payment

from . import services
from .errors import OrderError, OrderErrorCode
from .forms import AcknowledgeForm, ContactAddressForm, DeliveryForm, PlaceOrderForm
from .models import DeliveryMethod, Order
from .states import ORDER_STATUS_LABELS, VENDOR_ORDER_STATUS_LABELS

bp = Blueprint("orders", __name__)
bp.after_request(never_stored)

DRAFT = "checkout"
ORDERS_PER_PAGE = 20


def _customer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _draft() -> dict:
    return dict(session.get(DRAFT) or {})


def _save_draft(draft: dict) -> None:
    session[DRAFT] = draft


def _delivery_choice(draft: dict) -> services.DeliveryChoice | None:
    raw = draft.get("delivery")
    if not raw:
        return None
    return services.DeliveryChoice(
        method=DeliveryMethod(raw["method"]),
        pickup_slot_id=raw.get("pickup_slot_id"),
        round_id=raw.get("round_id"),
    )


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


# --- Checkout --------------------------------------------------------------------------------


def _non_empty_summary():
    summary = summarize_cart(current_cart())
    return summary if not summary.is_empty else None


def _saved_choices(customer) -> tuple[list, dict]:  # noqa: ANN001
    if customer is None:
        return [], {}
    addresses = list_user_addresses(user=customer)
    choices = [
        (str(a.id), f"{a.label + ' — ' if a.label else ''}{a.full_name}, {a.line1}, "
                    f"{a.postcode} {a.city}")
        for a in addresses
    ]
    return choices, {str(a.id): a for a in addresses}


@bp.route("/checkout", methods=["GET", "POST"])
def checkout():
    """Step 1: who orders and where to (a saved address, or a new one; an email for guests)."""
    summary = _non_empty_summary()
    if summary is None:
        flash(_("Votre panier est vide."), "info")
        return redirect(url_for("cart.show"))
    customer = _customer()
    draft = _draft()
    choices, saved = _saved_choices(customer)
    form = ContactAddressForm(guest=customer is None, saved_choices=choices)
    if request.method == "GET":
        _prefill(form, draft, saved)
    if form.validate_on_submit():
        if form.uses_new_address:
            address = {**form.address_fields(), "country": "FR"}
            if customer is not None and form.save_address.data:
                add_address(user=customer, **form.address_fields())
            address_id = None
        else:
            chosen = find_user_address(user=customer, address_id=int(form.saved_address.data))
            if chosen is None:
                abort(404)
            address, address_id = chosen.as_snapshot(), chosen.id
        email = customer.email if customer is not None else form.email.data.strip().lower()
        previous_postcode = (draft.get("address") or {}).get("postcode")
        draft.update(email=email, address=address, address_id=address_id)
        if previous_postcode != address["postcode"]:
            draft.pop("delivery", None)  # rounds depend on the postcode: choose again
        _save_draft(draft)
        return redirect(url_for("orders.checkout_delivery"))
    return render_template("orders/checkout_details.html", form=form, summary=summary,
                           guest=customer is None, has_saved=bool(choices), step=1)


def _prefill(form: ContactAddressForm, draft: dict, saved: dict) -> None:
    if draft.get("email") and form.guest:
        form.email.data = draft["email"]
    if draft.get("address_id") and str(draft["address_id"]) in saved:
        form.saved_address.data = str(draft["address_id"])
        return
    if draft.get("address"):
        form.saved_address.data = "new"
        for name, value in draft["address"].items():
            if name in form and name != "country":
                form[name].data = value
        return
    if saved:
        form.saved_address.data = next(iter(saved))


def _delivery_choices(options) -> list[tuple[str, str]]:  # noqa: ANN001
    choices = [("vendor_shipping", "vendor_shipping")]
    choices += [(f"pickup:{slot.id}", f"pickup:{slot.id}") for slot in options.pickup_slots]
    choices += [(f"round:{r.id}", f"round:{r.id}") for r in options.rounds]
    return choices


def _parse_delivery(value: str) -> dict:
    method, _sep, object_id = value.partition(":")
    if method == DeliveryMethod.PICKUP:
        return {"method": str(DeliveryMethod.PICKUP), "pickup_slot_id": int(object_id)}
    if method == DeliveryMethod.ROUND:
        return {"method": str(DeliveryMethod.ROUND), "round_id": int(object_id)}
    return {"method": str(DeliveryMethod.VENDOR_SHIPPING)}


def _delivery_value(draft: dict) -> str | None:
    raw = draft.get("delivery")
    if not raw:
        return None
    if raw["method"] == DeliveryMethod.PICKUP:
        return f"pickup:{raw['pickup_slot_id']}"
    if raw["method"] == DeliveryMethod.ROUND:
        return f"round:{raw['round_id']}"
    return "vendor_shipping"


@bp.route("/checkout/delivery", methods=["GET", "POST"])
def checkout_delivery():
    """Step 2: the Vendors ship, a Pickup slot at the hub, or a Delivery round (if served)."""
    summary = _non_empty_summary()
    if summary is None:
        flash(_("Votre panier est vide."), "info")
        return redirect(url_for("cart.show"))
    draft = _draft()
    if not draft.get("address"):
        return redirect(url_for("orders.checkout"))
    options = delivery_quote(summary=summary, postcode=draft["address"]["postcode"], now=utcnow())
    form = DeliveryForm()
    form.choice.choices = _delivery_choices(options)
    if request.method == "GET":
        current = _delivery_value(draft)
        if current in {value for value, _label in form.choice.choices}:
            form.choice.data = current
    if form.validate_on_submit():
        draft["delivery"] = _parse_delivery(form.choice.data)
        draft.setdefault("key", services.new_checkout_key())
        _save_draft(draft)
        return redirect(url_for("orders.checkout_review"))
    return render_template("orders/checkout_delivery.html", form=form, options=options,
                           summary=summary, draft=draft, step=2)


@bp.get("/checkout/review")
def checkout_review():
    """Step 3: the full breakdown; the form carries the checkout key and the review digest."""
    draft = _draft()
    delivery = _delivery_choice(draft)
    if not draft.get("address"):
        return redirect(url_for("orders.checkout"))
    if delivery is None or not draft.get("key"):
        return redirect(url_for("orders.checkout_delivery"))
    cart = current_cart()
    try:
        quote = services.quote_checkout(
            cart=cart, delivery=delivery, postcode=draft["address"]["postcode"], now=utcnow()
        )
    except OrderError as error:
        flash(error.message, "error")
        return redirect(url_for("orders.checkout_delivery"))
    if quote.summary.is_empty:
        flash(_("Votre panier est vide."), "info")
        return redirect(url_for("cart.show"))
    form = PlaceOrderForm(data={"checkout_key": draft["key"], "review_digest": quote.digest})
    return render_template("orders/checkout_review.html", quote=quote, draft=draft, form=form,
                           acknowledge_form=AcknowledgeForm(), step=3)


@bp.post("/checkout/review/acknowledge")
def checkout_acknowledge():
    """The customer accepts every new price flagged on the review page."""
    form = AcknowledgeForm()
    cart = current_cart()
    if form.validate_on_submit() and cart is not None:
        for view in summarize_cart(cart).lines:
            if view.price_changed:
                acknowledge_price_change(cart=cart, line_id=view.line.id)
        flash(_("Nouveaux prix acceptés : vérifiez le récapitulatif."), "success")
    return redirect(url_for("orders.checkout_review"))


def _step_to_fix(error: OrderError) -> str:
    """A refused Order sends the customer back to the step that can mend it."""
    if error.code == OrderErrorCode.DELIVERY_UNAVAILABLE:
        return url_for("orders.checkout_delivery")
    return url_for("orders.checkout_review")


@bp.post("/checkout/place")
@errors_redirect_to(_step_to_fix)
def place():
    """Place the Order (one transaction), then create the payment and go and pay."""
    form = PlaceOrderForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("orders.checkout_review"))
    customer = _customer()
    draft = _draft()
    key = form.checkout_key.data
    delivery = _delivery_choice(draft)
    cart = current_cart()
    if draft.get("key") != key or delivery is None or cart is None:
        # Submitted again from another tab after the Order was placed: show that Order.
        order = services.find_order_by_checkout_key(checkout_key=key)
        if order is not None and order.customer_id == (customer.id if customer else None):
            return redirect(order_url(order, "pay"))
        flash(_("Votre commande a changé : vérifiez-la avant de la passer."), "info")
        return redirect(url_for("orders.checkout"))
    order = services.place_order(
        cart=cart,
        customer=customer,
        email=draft["email"],
        address=draft["address"],
        delivery=delivery,
        checkout_key=key,
        review_digest=form.review_digest.data,
        now=utcnow(),
        locale=str(get_locale() or "fr"),
    )
    # The Order stands on its own before the provider hears of its payment (see
    # core.transactions): a slow or failed provider call then holds no lock and loses nothing.
    commit_now()
    session.pop(DRAFT, None)
    if order.payment.provider_ref is None:
        try:
            start_payment(payment=order.payment)  # writes nothing when the provider refuses
        except GatewayError:
            # The Order stands; the payment page tries again when the customer gets there.
            current_app.logger.exception("payment for %s could not be created", order.number)
    if not services.order_awaits_payment(order=order):
        return redirect(order_url(order, "confirmation"))
    return redirect(order_url(order, "pay"))


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
