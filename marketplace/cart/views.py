"""The cart pages: see the cart and what delivery would cost, add, change, remove.

An anonymous visitor's cart is found by a random token kept in a signed cookie; at login,
that cart is merged into the account's (`user_logged_in` below).
"""

from flask import (
    Blueprint,
    after_this_request,
    current_app,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, user_logged_in
from itsdangerous import BadSignature, URLSafeSerializer

from marketplace.accounts.views import safe_next_url
from marketplace.core.models import utcnow
from marketplace.core.transactions import errors_redirect_to
from marketplace.core.web import never_stored
from marketplace.delivery.services import customer_postcode, delivery_quote, format_kilograms

from .forms import AddToCartForm, LineActionForm, PostcodeForm, QuantityForm
from .models import Cart
from .services import (
    ANONYMOUS_CART_LIFETIME,
    acknowledge_price_change,
    add_to_cart,
    change_quantity,
    count_cart_items,
    get_cart,
    get_or_create_cart,
    merge_carts,
    remove_line,
    summarize_cart,
)

bp = Blueprint("cart", __name__)
bp.after_request(never_stored)

CART_COOKIE = "cart"
CART_COOKIE_MAX_AGE = ANONYMOUS_CART_LIFETIME


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="cart-token")


def read_cart_token() -> str | None:
    """The anonymous cart token from the cookie, if its signature holds."""
    raw = request.cookies.get(CART_COOKIE)
    if not raw:
        return None
    try:
        token = _serializer().loads(raw)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def _remember_cart_token(token: str) -> None:
    signed = _serializer().dumps(token)

    @after_this_request
    def set_cookie(response):  # noqa: ANN001
        response.set_cookie(
            CART_COOKIE,
            signed,
            max_age=int(CART_COOKIE_MAX_AGE.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
        return response


def _forget_cart_token() -> None:
    @after_this_request
    def delete_cookie(response):  # noqa: ANN001
        response.delete_cookie(CART_COOKIE, httponly=True, samesite="Lax")
        return response


def _visitor():
    return current_user._get_current_object() if current_user.is_authenticated else None


def current_cart(*, create: bool = False) -> Cart | None:
    """The visitor's cart: the account's when logged in, else the one in the cookie."""
    user = _visitor()
    token = read_cart_token()
    if not create:
        return get_cart(user=user, token=token)
    cart = get_or_create_cart(user=user, token=token)
    if user is None and cart.token != token:
        _remember_cart_token(cart.token)
    return cart


@user_logged_in.connect
def merge_visitor_cart(sender, user, **extra) -> None:  # noqa: ANN001
    """At login, the lines put in the cart before logging in join the account's cart."""
    if not has_request_context():
        return
    token = read_cart_token()
    if token is None:
        return
    _forget_cart_token()
    anonymous = get_cart(user=None, token=token)
    if anonymous is None:
        return
    notices: list[str] = []
    merge_carts(
        anonymous=anonymous, into=get_or_create_cart(user=user, token=None), notices=notices
    )
    # The login view commits once after `login_user`; the merge rides in that transaction.
    for notice in notices:
        flash(notice, "warning")


@bp.app_context_processor
def inject_cart_count() -> dict:
    return {"cart_item_count": _cart_item_count}


@bp.app_template_filter("kilograms")
def kilograms_filter(grams: int) -> str:
    return format_kilograms(int(grams or 0), str(get_locale() or "fr"))


def _cart_item_count() -> int:
    """Units in the visitor's cart for the header: one aggregate query when the nav asks."""
    if not has_request_context():
        return 0
    return count_cart_items(user=_visitor(), token=read_cart_token())


@bp.get("/cart")
def show():
    summary = summarize_cart(current_cart())
    form = PostcodeForm(request.args)
    postcode = (form.postcode.data or "").strip()
    if not postcode and current_user.is_authenticated:
        postcode = customer_postcode(user=current_user) or ""
    quote = None
    if not summary.is_empty:
        quote = delivery_quote(summary=summary, postcode=postcode, now=utcnow())
        form.postcode.data = postcode
    return render_template(
        "cart/show.html",
        summary=summary,
        quote=quote,
        postcode_form=form,
        postcode_invalid=bool(postcode) and quote is not None and quote.postcode is None,
        checkout_url=_checkout_url(),
    )


def _checkout_url() -> str:
    # Checkout lives in the orders blueprint; the cart page must not break without it.
    if "orders.checkout" in current_app.view_functions:
        return url_for("orders.checkout")
    return "/checkout"


def _page_before_adding(error: object = None) -> str:
    return safe_next_url(request.form.get("next")) or url_for("cart.show")


@bp.post("/cart/add")
@errors_redirect_to(_page_before_adding)
def add():
    form = AddToCartForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(_page_before_adding())
    add_to_cart(
        cart=current_cart(create=True),
        variant_id=form.variant_id.data,
        quantity=form.quantity.data,
    )
    flash(_("Ajouté au panier"), "success")
    return redirect(_page_before_adding())


def _line_action(line_id: int, form, action) -> object:  # noqa: ANN001
    """Run one change on a line of the visitor's cart, then come back to the cart (a refusal
    comes back there too, with its message: `errors_redirect_to` below)."""
    cart = current_cart()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("cart.show"))
    if cart is None:
        flash(_("Cet article n'est plus dans votre panier."), "error")
        return redirect(url_for("cart.show"))
    flash(action(cart), "success")
    return redirect(url_for("cart.show") + f"#line-{line_id}")


@bp.post("/cart/lines/<int:line_id>/quantity")
@errors_redirect_to("cart.show")
def update_quantity(line_id: int):
    form = QuantityForm()

    def change(cart: Cart) -> str:
        line = change_quantity(cart=cart, line_id=line_id, quantity=form.quantity.data)
        return _("Quantité mise à jour.") if line else _("Article retiré du panier.")

    return _line_action(line_id, form, change)


@bp.post("/cart/lines/<int:line_id>/remove")
@errors_redirect_to("cart.show")
def remove(line_id: int):
    def drop(cart: Cart) -> str:
        remove_line(cart=cart, line_id=line_id)
        return _("Article retiré du panier.")

    return _line_action(line_id, LineActionForm(), drop)


@bp.post("/cart/lines/<int:line_id>/accept-price")
@errors_redirect_to("cart.show")
def accept_price(line_id: int):
    def accept(cart: Cart) -> str:
        acknowledge_price_change(cart=cart, line_id=line_id)
        return _("Nouveau prix accepté.")

    return _line_action(line_id, LineActionForm(), accept)
