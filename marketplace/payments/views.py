"""Web entry points of the payments domain.

The dev gateway's own pages live here: the test card page `/pay/<number>`, its 3-D Secure
step, and the simulated onboarding of a Vendor's connected account. They answer 404 when
another gateway is configured.
"""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from marketplace.core.models import utcnow
from marketplace.extensions import db
from marketplace.orders.errors import OrderError
from marketplace.orders.services import is_order_payable
from marketplace.orders.views import order_url, viewable_order

from . import services
from .forms import AuthenticationForm, CardForm, OnboardingForm
from .gateway import GatewayError
from .registry import get_gateway
from .states import PaymentStatus

bp = Blueprint("payments", __name__)


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
    if result.failure_message:
        flash(result.failure_message, "error")
    return redirect(order_url(order, "pay"))


def _with_token(order, endpoint: str) -> str:  # noqa: ANN001
    token = {"token": order.access_token} if order.customer_id is None else {}
    return url_for(endpoint, number=order.number, **token)


@bp.route("/pay/<number>", methods=["GET", "POST"])
def pay(number: str):
    """The test card page: pay the Order's amount, or retry after a decline."""
    order, payment = _payment_for(number)
    if payment.status == PaymentStatus.SUCCEEDED:
        return redirect(order_url(order, "confirmation"))
    if payment.status == PaymentStatus.REQUIRES_ACTION:
        return redirect(_with_token(order, "payments.authenticate"))
    payable = is_order_payable(order=order, now=utcnow())
    form = CardForm()
    if payable and form.validate_on_submit():
        try:
            result = services.confirm_payment(
                payment=payment, payment_method=form.card_number.data, now=utcnow()
            )
        except (OrderError, GatewayError) as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(order_url(order, "pay"))
        db.session.commit()
        return _after_attempt(order, result)
    return render_template(
        "payments/pay.html", order=order, payment=payment, form=form, payable=payable,
        action=_with_token(order, "payments.pay"),
    )


@bp.route("/pay/<number>/authenticate", methods=["GET", "POST"])
def authenticate(number: str):
    """The test 3-D Secure page: the customer confirms or refuses the payment."""
    order, payment = _payment_for(number)
    if payment.status != PaymentStatus.REQUIRES_ACTION:
        return redirect(order_url(order, "pay"))
    form = AuthenticationForm()
    if form.validate_on_submit():
        approve = request.form.get("decision") == "approve"
        try:
            result = services.answer_authentication(payment=payment, approve=approve, now=utcnow())
        except (OrderError, GatewayError) as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(order_url(order, "pay"))
        db.session.commit()
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


@bp.route("/dev/connect/<account_ref>", methods=["GET", "POST"])
def dev_onboarding(account_ref: str):
    """Stands in for the provider's onboarding form of a Vendor's connected account."""
    _dev_gateway_only()
    gateway = get_gateway("dev")
    try:
        account = gateway.retrieve_account(account_ref)
    except GatewayError:
        abort(404)
    return_url = _safe_return_url(request.args.get("return_url"))
    form = OnboardingForm()
    if form.validate_on_submit():
        gateway.complete_onboarding(account_ref)
        db.session.commit()
        flash(_("Compte de paiement activé (simulation)."), "success")
        return redirect(return_url)
    return render_template(
        "payments/dev_onboarding.html", account=account, form=form, return_url=return_url
    )
