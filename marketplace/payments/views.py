"""Web entry points of the payments domain.

The dev gateway's own pages live here: the test card page `/pay/<number>`, its 3-D Secure
step, and the simulated onboarding of a Vendor's connected account. They answer 404 when
another gateway is configured. With Stripe, `/pay/<number>` shows Stripe's Payment Element
instead, and Stripe sends the customer back to `/pay/<number>/return`. Also here: Stripe's
webhooks, the Vendor's Connect page and the admin's page for an Order's refunds.
"""
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.policies import admin_required, vendor_member_required
from marketplace.core.models import utcnow
from marketplace.core.money import format_cents
from marketplace.core.transactions import errors_redirect_to
from marketplace.core.web import accepts_json, never_stored
from marketplace.extensions import csrf, db
from marketplace.orders.models import Order, VendorOrder
from marketplace.orders.services import is_order_payable
from marketplace.orders.views import order_url, viewable_order

from . import services
from .connect import refresh_vendor_account, start_vendor_onboarding
from .errors import PaymentError
from .forms import (
    AuthenticationForm,
    CardForm,
    ConnectAccountForm,
    OnboardingForm,
    OrderRefundForm,
    PreparePaymentForm,
    RefundForm,
)
from .gateway import GatewayError
from .refunds import (
    payment_refundable_cents,
    refundable_cents,
    refundable_quantities,
    request_order_refund,
    request_refund,
    restock_by_default,
)
from .registry import get_gateway
from .states import PAYMENT_STATUS_LABELS, REFUND_STATUS_LABELS, PaymentStatus
from .webhooks import list_payment_issues, receive_webhook

bp = Blueprint("payments", __name__)
bp.after_request(never_stored)


@bp.context_processor
def inject_payment_statuses() -> dict:
    """Templates compare with `PaymentStatus.FAILED`, never with a status string."""
    return {"PaymentStatus": PaymentStatus}


def _dev_gateway_only() -> None:
    if current_app.config["PAYMENT_GATEWAY"] != "dev":
        abort(404)


def _payment_for(number: str):  # noqa: ANN202
    _dev_gateway_only()
    order = viewable_order(number)
    if order.payment is None:
        abort(404)
    return order, order.payment


def _after_attempt(order, result) -> object:  # noqa: ANN001
    """Where the customer goes once the provider answered."""
    if result.status == PaymentStatus.SUCCEEDED:
        return redirect(order_url(order, "confirmation"))
    if result.status == PaymentStatus.REQUIRES_ACTION:
        return redirect(_with_token(order, "payments.authenticate"))
    # A decline is shown by the payment page itself, from the Payment's failure message.
    return redirect(order_url(order, "pay"))


def _with_token(order, endpoint: str) -> str:  # noqa: ANN001
    token = {"token": order.access_token} if order.customer_id is None else {}
    return url_for(endpoint, number=order.number, **token)


def _pay_page(error: object = None) -> str:
    """The payment page of the Order in the request's address (a refusal comes back to it)."""
    token = request.args.get("token")
    return url_for("payments.pay", number=request.view_args["number"],
                   **({"token": token} if token else {}))


@bp.route("/pay/<number>", methods=["GET", "POST"])
@errors_redirect_to(_pay_page)
def pay(number: str):
    """The test card page: pay the Order's amount, or retry after a decline."""
    if current_app.config["PAYMENT_GATEWAY"] == "stripe":
        return _stripe_pay(number)
    order, payment = _payment_for(number)
    if payment.status == PaymentStatus.SUCCEEDED:
        return redirect(order_url(order, "confirmation"))
    if payment.status == PaymentStatus.REQUIRES_ACTION:
        return redirect(_with_token(order, "payments.authenticate"))
    payable = is_order_payable(order=order, now=utcnow())
    form = CardForm()
    if payable and form.validate_on_submit():
        result = services.confirm_payment(
            payment=payment, payment_method=form.card_number.data, now=utcnow()
        )
        return _after_attempt(order, result)
    return render_template(
        "payments/pay.html", order=order, payment=payment, form=form, payable=payable,
        action=_with_token(order, "payments.pay"),
    )


@bp.route("/pay/<number>/authenticate", methods=["GET", "POST"])
@errors_redirect_to(_pay_page)
def authenticate(number: str):
    """The test 3-D Secure page: the customer confirms or refuses the payment."""
    order, payment = _payment_for(number)
    if payment.status != PaymentStatus.REQUIRES_ACTION:
        return redirect(order_url(order, "pay"))
    form = AuthenticationForm()
    if form.validate_on_submit():
        approve = request.form.get("decision") == "approve"
        result = services.answer_authentication(payment=payment, approve=approve, now=utcnow())
        return _after_attempt(order, result)
    return render_template(
        "payments/authenticate.html", order=order, payment=payment, form=form,
        action=_with_token(order, "payments.authenticate"),
    )


def _safe_return_url(target: str | None) -> str:
    """Back to this site only: a path, or an absolute URL on the host being served."""
    if target:
        parts = urlsplit(target)
        same_host = parts.netloc == request.host and parts.scheme in ("http", "https")
        local_path = not parts.scheme and not parts.netloc and target.startswith("/")
        if (same_host or local_path) and "\\" not in target:
            return target
    return url_for("catalog.home")


def _dev_gateway_pages(view: Callable) -> Callable:
    """The development gateway's own pages: not found with any other gateway, signed in or not."""

    @wraps(view)
    def wrapped(*args: object, **kwargs: object):
        _dev_gateway_only()
        return view(*args, **kwargs)

    return wrapped


@bp.route("/dev/connect/<account_ref>", methods=["GET", "POST"])
@_dev_gateway_pages
@vendor_member_required
def dev_onboarding(account_ref: str):
    """Stands in for the provider's onboarding form of a Vendor's connected account: only a
    member of the Vendor that owns the account may complete it."""
    if g.vendor.stripe_account_id != account_ref:
        abort(404)
    gateway = get_gateway("dev")
    try:
        account = gateway.retrieve_account(account_ref)
    except GatewayError:
        abort(404)
    return_url = _safe_return_url(request.args.get("return_url"))
    form = OnboardingForm()
    if form.validate_on_submit():
        gateway.complete_onboarding(account_ref)
        flash(_("Compte de paiement activé (simulation)."), "success")
        return redirect(return_url)
    return render_template(
        "payments/dev_onboarding.html", account=account, form=form, return_url=return_url
    )


# --- Stripe: the Payment Element page and the return from it -----------------------------------


def _stripe_pay(number: str):
    """Stripe's card form (Payment Element) for the Order; Stripe.js confirms, then comes back
    to `stripe_return`, where the server reads the outcome from Stripe itself."""
    order = viewable_order(number)
    payment = order.payment
    if payment is None:
        abort(404)
    if payment.status == PaymentStatus.SUCCEEDED:
        return redirect(order_url(order, "confirmation"))
    payable = is_order_payable(order=order, now=utcnow())
    form = PreparePaymentForm()
    if payable and payment.provider_ref is None and form.validate_on_submit():
        try:
            services.start_payment(payment=payment)  # writes nothing when the provider refuses
        except GatewayError:
            flash(_("Le service de paiement ne répond pas, réessayez dans un instant."), "error")
        return redirect(order_url(order, "pay"))
    token = {"token": order.access_token} if order.customer_id is None else {}
    return render_template(
        "payments/stripe_pay.html", order=order, payment=payment, form=form, payable=payable,
        publishable_key=current_app.config["STRIPE_PUBLISHABLE_KEY"],
        return_url=url_for("payments.stripe_return", number=order.number, _external=True, **token),
        action=_with_token(order, "payments.pay"),
    )


@bp.get("/pay/<number>/return")
def stripe_return(number: str):
    """Where Stripe sends the customer back: ask Stripe how the payment went, record it."""
    order = viewable_order(number)
    payment = order.payment
    if payment is None or payment.provider_ref is None:
        abort(404)
    try:
        result = get_gateway(payment.gateway).retrieve_payment(payment.provider_ref)
    except GatewayError:
        flash(_("Nous n'avons pas pu vérifier votre paiement pour l'instant : vous recevrez un "
                "email dès qu'il est confirmé."), "info")
        return redirect(order_url(order))
    services.sync_payment(payment=payment, result=result, actor_label="customer")
    status = PaymentStatus(payment.status)
    if status in (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED,
                  PaymentStatus.REFUNDED):
        return redirect(order_url(order, "confirmation"))
    if status == PaymentStatus.PROCESSING:
        flash(_("Votre banque traite le paiement : vous recevrez un email dès qu'il est "
                "confirmé."), "info")
        return redirect(order_url(order))
    if status == PaymentStatus.REQUIRES_ACTION:
        flash(_("Votre banque demande une confirmation (3-D Secure) qui n'a pas été faite : "
                "reprenez le paiement."), "error")
    elif status == PaymentStatus.FAILED:
        flash(payment.failure_message or _("Le paiement n'est pas passé."), "error")
    return redirect(order_url(order, "pay"))


@bp.post("/webhooks/stripe")
@csrf.exempt
@accepts_json
def stripe_webhook():
    """Stripe's events: verified on the raw body, stored once, applied by a task."""
    if not current_app.config.get("STRIPE_WEBHOOK_SECRET"):
        abort(404)
    try:
        receive_webhook(gateway_name="stripe", payload=request.get_data(),
                        signature=request.headers.get("Stripe-Signature"))
    except GatewayError as error:
        return {"error": error.code}, 400
    return {"received": True}


# --- Vendor space: the Vendor's connected account ---------------------------------------------


@bp.get("/vendor/payments")
@vendor_member_required
def vendor_payments():
    return render_template("payments/vendor_payments.html", vendor=g.vendor,
                           form=ConnectAccountForm(), expired="expired" in request.args)


@bp.post("/vendor/payments/connect")
@vendor_member_required
@errors_redirect_to("payments.vendor_payments")
def vendor_connect():
    """Open the provider's onboarding (creating the Vendor's account the first time)."""
    if not ConnectAccountForm().validate_on_submit():
        abort(400)
    onboarding_url = start_vendor_onboarding(
        vendor=g.vendor,
        refresh_url=url_for("payments.vendor_payments", expired=1, _external=True),
        return_url=url_for("payments.vendor_payments_return", _external=True),
    )
    return redirect(onboarding_url)


@bp.get("/vendor/payments/return")
@vendor_member_required
def vendor_payments_return():
    """Back from onboarding: ask the provider at once rather than wait for its webhook."""
    try:
        enabled = refresh_vendor_account(vendor=g.vendor)  # asks before it writes
    except GatewayError:
        flash(_("Le prestataire de paiement ne répond pas : l'état de votre compte sera mis à "
                "jour dans quelques minutes."), "info")
        return redirect(url_for("payments.vendor_payments"))
    if enabled:
        flash(_("Votre compte de paiement est actif : vous pouvez recevoir vos virements."),
              "success")
    else:
        flash(_("Votre inscription n'est pas encore terminée (ou est en cours de vérification)."),
              "info")
    return redirect(url_for("payments.vendor_payments"))


# --- Admin: an Order's payment, refunds and disputes --------------------------------------------


@bp.get("/admin/payments")
@admin_required
def admin_payments():
    """Find an Order to refund by its number; see what needs an admin (disputes, failures)."""
    number = request.args.get("number", "").strip().upper()
    if number:
        if db.session.scalar(select(Order.id).where(Order.number == number)) is not None:
            return redirect(url_for("payments.admin_order", number=number))
        flash(_("Aucune commande ne porte le numéro %(number)s.", number=number), "error")
    return render_template("payments/admin_payments.html", issues=list_payment_issues(),
                           number=number)


def _admin_order(number: str) -> Order:
    order = db.session.scalar(select(Order).where(Order.number == number))
    if order is None:
        abort(404)
    return order


@bp.get("/admin/orders/<number>")
@admin_required
def admin_order(number: str):
    order = _admin_order(number)
    return _render_admin_order(order)


def _render_admin_order(order: Order, refund_forms: dict | None = None, status: int = 200):
    refund_forms = refund_forms or {}
    parts = []
    for vendor_order in order.vendor_orders:
        form = refund_forms.get(vendor_order.id)
        if form is None:
            form = RefundForm(prefix=f"vo{vendor_order.id}", formdata=None)
            form.restock.data = restock_by_default(vendor_order=vendor_order)
        parts.append({
            "vendor_order": vendor_order,
            "refundable_cents": refundable_cents(vendor_order=vendor_order),
            "quantities": refundable_quantities(vendor_order=vendor_order),
            "form": form,
        })
    return render_template(
        "payments/admin_order.html", order=order, payment=order.payment, parts=parts,
        refunds=order.payment.refunds if order.payment else [],
        disputes=order.payment.disputes if order.payment else [],
        order_form=OrderRefundForm(formdata=None),
        payment_refundable_cents=(payment_refundable_cents(payment=order.payment)
                                  if order.payment else 0),
        payment_status_labels=PAYMENT_STATUS_LABELS, refund_status_labels=REFUND_STATUS_LABELS,
    ), status


@bp.post("/admin/orders/<number>/vendor-orders/<int:vendor_order_id>/refund")
@admin_required
def admin_refund_vendor_order(number: str, vendor_order_id: int):
    order = _admin_order(number)
    vendor_order = next((vo for vo in order.vendor_orders if vo.id == vendor_order_id), None)
    if vendor_order is None:
        abort(404)
    form = RefundForm(prefix=f"vo{vendor_order.id}")
    if not form.validate_on_submit():
        return _render_admin_order(order, {vendor_order.id: form}, status=400)
    quantities, amount = None, None
    if form.scope.data == "lines":
        quantities = _posted_quantities(vendor_order)
        if quantities is None or not any(quantities.values()):
            form.scope.errors = [_("Indiquez au moins une quantité à rembourser.")]
            return _render_admin_order(order, {vendor_order.id: form}, status=400)
    elif form.scope.data == "amount":
        if form.amount.data is None:
            form.amount.errors = [_("Indiquez le montant à rembourser.")]
            return _render_admin_order(order, {vendor_order.id: form}, status=400)
        amount = form.amount.data
    try:
        refund = request_refund(
            vendor_order=vendor_order, actor=current_user, actor_label="admin",
            reason=form.reason.data or "", amount_cents=amount, quantities=quantities,
            restock=form.restock.data,
        )
    except PaymentError as error:
        form.scope.errors = [error.message]
        return _render_admin_order(order, {vendor_order.id: form}, status=400)
    flash(_("Remboursement de %(amount)s enregistré ; il part chez le prestataire de paiement.",
            amount=format_cents(refund.amount_cents)), "success")
    return redirect(url_for("payments.admin_order", number=order.number))


def _posted_quantities(vendor_order: VendorOrder) -> dict[int, int] | None:
    quantities = {}
    for line in vendor_order.lines:
        raw = request.form.get(f"quantity-{line.id}", "").strip() or "0"
        if not raw.isdigit():
            return None
        quantities[line.id] = int(raw)
    return quantities


def _admin_order_page(error: object = None) -> str:
    return url_for("payments.admin_order", number=request.view_args["number"])


@bp.post("/admin/orders/<number>/refund")
@admin_required
@errors_redirect_to(_admin_order_page)
def admin_refund_order(number: str):
    order = _admin_order(number)
    form = OrderRefundForm()
    if not form.validate_on_submit():
        abort(400)
    refunds = request_order_refund(order=order, actor=current_user, actor_label="admin",
                                   reason=form.reason.data or "", restock=form.restock.data)
    flash(_("Remboursement de %(amount)s enregistré ; il part chez le prestataire de paiement.",
            amount=format_cents(sum(refund.amount_cents for refund in refunds))), "success")
    return redirect(url_for("payments.admin_order", number=order.number))
