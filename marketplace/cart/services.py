"""The cart: what a visitor means to buy across Vendors, checked against live stock and prices.

Anonymous carts are found by a random token (kept by the web layer in a signed cookie);
account carts by their user. Every change is checked against the live catalogue, and the
summary re-reads prices and stock so the Customer sees what checkout will charge.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from marketplace.catalog.models import Product, ProductImage, ProductStatus, Variant
from marketplace.core.models import utcnow
from marketplace.extensions import db
from marketplace.vendors.models import Vendor, VendorStatus

from .errors import CartError, CartErrorCode
from .models import Cart, CartLine

#: How long an untouched anonymous cart is kept (its cookie lives as long).
ANONYMOUS_CART_LIFETIME = timedelta(days=60)


class LineProblem(StrEnum):
    SOLD_OUT = "sold_out"
    INSUFFICIENT_STOCK = "insufficient_stock"
    UNAVAILABLE = "unavailable"


#: Problems that keep a line out of the totals: nothing of it can be bought.
BLOCKING_PROBLEMS = frozenset({LineProblem.SOLD_OUT, LineProblem.UNAVAILABLE})


@dataclass(frozen=True)
class LineView:
    """One cart line as the Customer should see it now: live price, live stock."""

    line: CartLine
    variant: Variant
    product: Product
    image: ProductImage | None
    quantity: int
    #: The live price, which checkout charges.
    unit_price_cents: int
    #: The price the Customer was shown when adding or last confirming.
    seen_price_cents: int
    #: Live stock of the Variant.
    available: int
    problem: LineProblem | None

    @property
    def price_changed(self) -> bool:
        return self.unit_price_cents != self.seen_price_cents

    @property
    def total_cents(self) -> int:
        return self.unit_price_cents * self.quantity

    @property
    def weight_grams(self) -> int:
        return self.variant.weight_grams * self.quantity

    @property
    def counts_in_totals(self) -> bool:
        return self.problem not in BLOCKING_PROBLEMS


@dataclass(frozen=True)
class VendorGroup:
    """One Vendor's lines; its subtotal decides the Vendor's own shipping fee."""

    vendor: Vendor
    lines: list[LineView]
    subtotal_cents: int
    weight_grams: int


@dataclass(frozen=True)
class CartSummary:
    """The whole cart grouped by Vendor.

    Totals (`subtotal_cents`, `goods_cents`, `weight_grams`) leave out sold-out and
    unavailable lines, which cannot be bought at all; `item_count` counts every unit in the
    cart, as the header does. `has_problems` means checkout must refuse the cart as it is.
    """

    cart: Cart | None
    groups: list[VendorGroup]
    goods_cents: int
    weight_grams: int
    item_count: int
    has_problems: bool
    has_price_changes: bool

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def lines(self) -> list[LineView]:
        return [view for group in self.groups for view in group.lines]


def new_cart_token() -> str:
    return secrets.token_urlsafe(32)


def _is_account(user: object) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def get_cart(*, user, token: str | None) -> Cart | None:
    """The account's cart for a logged-in user, else the anonymous cart holding `token`."""
    if _is_account(user):
        return db.session.scalar(select(Cart).where(Cart.user_id == user.id))
    if token:
        return db.session.scalar(select(Cart).where(Cart.token == token, Cart.user_id.is_(None)))
    return None


def get_or_create_cart(*, user, token: str | None) -> Cart:
    """The visitor's cart, created on first use.

    A new anonymous cart always gets a fresh random token (never one sent by the browser),
    so the caller must store `cart.token` when it differs from the one it passed.
    """
    cart = get_cart(user=user, token=token)
    if cart is not None:
        return cart
    account = _is_account(user)
    cart = Cart(token=new_cart_token(), user_id=user.id if account else None)
    try:
        with db.session.begin_nested():
            db.session.add(cart)
    except IntegrityError:
        # Two requests of the same Customer raced to create the account's cart: use theirs.
        if not account:
            raise
        cart = db.session.scalar(select(Cart).where(Cart.user_id == user.id))
    return cart


def count_cart_items(*, user, token: str | None) -> int:
    """Units in the visitor's cart, in one aggregate query (for the header)."""
    if not _is_account(user) and not token:
        return 0  # most visitors: no query, not even one built, on every page they see
    query = select(func.coalesce(func.sum(CartLine.quantity), 0)).join(Cart)
    if _is_account(user):
        query = query.where(Cart.user_id == user.id)
    else:
        query = query.where(Cart.token == token, Cart.user_id.is_(None))
    return int(db.session.scalar(query) or 0)


def _variant_name(variant: Variant) -> str:
    label = variant.label
    return f"{variant.product.name} ({label})" if label else variant.product.name


def _is_sellable(variant: Variant) -> bool:
    return (
        variant.active
        and variant.product.status == ProductStatus.ACTIVE
        and variant.product.vendor.status == VendorStatus.APPROVED
    )


def _load_variant(variant_id: int) -> Variant | None:
    return db.session.scalar(
        select(Variant)
        .join(Variant.product)
        .join(Product.vendor)
        .where(Variant.id == variant_id)
        .options(contains_eager(Variant.product).contains_eager(Product.vendor))
        .execution_options(populate_existing=True)
    )


def _load_sellable_variant(variant_id: int) -> Variant:
    variant = _load_variant(variant_id)
    if variant is None or not _is_sellable(variant):
        raise CartError(CartErrorCode.UNAVAILABLE, _("Cet article n'est pas ou plus en vente."))
    return variant


def _check_quantity(quantity: int) -> None:
    if quantity < 1:
        raise CartError(CartErrorCode.INVALID_QUANTITY, _("La quantité doit être d'au moins 1."))


def _check_stock(variant: Variant, wanted: int, *, already_in_cart: int = 0) -> None:
    """Refuse more units than the Vendor has; say how many remain."""
    if wanted <= variant.stock:
        return
    name = _variant_name(variant)
    if variant.stock == 0:
        raise CartError(CartErrorCode.SOLD_OUT, _("« %(name)s » est épuisé.", name=name))
    message = ngettext(
        "Il ne reste qu'un exemplaire de « %(name)s ».",
        "Il ne reste que %(num)d exemplaires de « %(name)s ».",
        variant.stock,
        name=name,
    )
    if already_in_cart:
        message += " " + ngettext(
            "Vous en avez déjà %(num)d dans votre panier.",
            "Vous en avez déjà %(num)d dans votre panier.",
            already_in_cart,
        )
    raise CartError(
        CartErrorCode.INSUFFICIENT_STOCK, message, available=variant.stock, wanted=wanted
    )


def _get_line(cart: Cart, line_id: int) -> CartLine:
    line = db.session.scalar(
        select(CartLine).where(CartLine.id == line_id, CartLine.cart_id == cart.id)
    )
    if line is None:
        raise CartError(
            CartErrorCode.LINE_NOT_FOUND, _("Cet article n'est plus dans votre panier.")
        )
    return line


def _touch(cart: Cart) -> None:
    cart.updated_at = utcnow()


def add_to_cart(*, cart: Cart, variant_id: int, quantity: int) -> CartLine:
    """Add units of a Variant, on top of any already in the cart, within the live stock."""
    _check_quantity(quantity)
    variant = _load_sellable_variant(variant_id)
    line = db.session.scalar(
        select(CartLine).where(CartLine.cart_id == cart.id, CartLine.variant_id == variant.id)
    )
    already = line.quantity if line is not None else 0
    _check_stock(variant, already + quantity, already_in_cart=already)
    if line is None:
        line = CartLine(
            cart=cart, variant=variant, quantity=quantity, seen_price_cents=variant.price_cents
        )
        db.session.add(line)
    else:
        line.quantity = already + quantity
        line.seen_price_cents = variant.price_cents
    _touch(cart)
    db.session.flush()
    return line


def change_quantity(*, cart: Cart, line_id: int, quantity: int) -> CartLine | None:
    """Set a line's quantity; 0 removes the line. The Customer sees the live price again."""
    if quantity == 0:
        remove_line(cart=cart, line_id=line_id)
        return None
    _check_quantity(quantity)
    line = _get_line(cart, line_id)
    variant = _load_variant(line.variant_id)
    if not _is_sellable(variant):
        raise CartError(
            CartErrorCode.UNAVAILABLE,
            _(
                "« %(name)s » n'est plus en vente : retirez-le de votre panier.",
                name=_variant_name(variant),
            ),
        )
    _check_stock(variant, quantity)
    line.quantity = quantity
    line.seen_price_cents = variant.price_cents
    _touch(cart)
    db.session.flush()
    return line


def remove_line(*, cart: Cart, line_id: int) -> None:
    line = _get_line(cart, line_id)
    db.session.delete(line)
    _touch(cart)
    db.session.flush()


def acknowledge_price_change(*, cart: Cart, line_id: int) -> CartLine:
    """The Customer accepts the live price of a line whose price changed since they added it."""
    line = _get_line(cart, line_id)
    variant = _load_variant(line.variant_id)
    line.seen_price_cents = variant.price_cents
    _touch(cart)
    db.session.flush()
    return line


def clear_cart(*, cart: Cart) -> None:
    """Empty the cart (after an Order is placed from it)."""
    db.session.execute(
        delete(CartLine).where(CartLine.cart_id == cart.id),
        execution_options={"synchronize_session": False},
    )
    db.session.expire(cart, ["lines"])
    _touch(cart)
    db.session.flush()


def _merge_notice(variant: Variant) -> str:
    name = _variant_name(variant)
    if variant.stock == 0:
        return _("« %(name)s » est épuisé.", name=name)
    return ngettext(
        "« %(name)s » : il ne reste qu'un exemplaire, la quantité a été ajustée.",
        "« %(name)s » : il ne reste que %(num)d exemplaires, la quantité a été ajustée.",
        variant.stock,
        name=name,
    )


def delete_abandoned_carts(*, now: datetime) -> int:
    """Delete anonymous carts untouched for `ANONYMOUS_CART_LIFETIME`; account carts stay."""
    deleted = db.session.execute(
        delete(Cart)
        .where(Cart.user_id.is_(None), Cart.updated_at < now - ANONYMOUS_CART_LIFETIME)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.flush()
    return deleted


def merge_carts(*, anonymous: Cart, into: Cart, notices: list[str] | None = None) -> Cart:
    """Move the visitor's anonymous cart into their account's cart at login, losing no line.

    The same Variant in both adds up, capped at the live stock; each capped line adds a
    sentence for the Customer to `notices`. The anonymous cart is deleted.
    """
    if anonymous.id == into.id:
        return into
    anonymous_lines = db.session.scalars(
        select(CartLine)
        .where(CartLine.cart_id == anonymous.id)
        .options(joinedload(CartLine.variant).joinedload(Variant.product))
        .order_by(CartLine.id)
        .execution_options(populate_existing=True)
    ).all()
    existing = {
        line.variant_id: line
        for line in db.session.scalars(select(CartLine).where(CartLine.cart_id == into.id))
    }
    for line in anonymous_lines:
        target = existing.get(line.variant_id)
        if target is None:
            line.cart_id = into.id
            continue
        wanted = target.quantity + line.quantity
        stock = line.variant.stock
        merged = wanted if wanted <= stock else (stock or max(target.quantity, line.quantity))
        if merged < wanted and notices is not None:
            notices.append(_merge_notice(line.variant))
        target.quantity = merged
        # The price seen most recently is the one the Customer has in mind.
        if line.updated_at >= target.updated_at:
            target.seen_price_cents = line.seen_price_cents
        db.session.delete(line)
    db.session.flush()
    db.session.expire(anonymous, ["lines"])
    db.session.expire(into, ["lines"])
    db.session.delete(anonymous)
    _touch(into)
    db.session.flush()
    return into


def _problem(line: CartLine, variant: Variant) -> LineProblem | None:
    if not _is_sellable(variant):
        return LineProblem.UNAVAILABLE
    if variant.stock == 0:
        return LineProblem.SOLD_OUT
    if line.quantity > variant.stock:
        return LineProblem.INSUFFICIENT_STOCK
    return None


def summarize_cart(cart: Cart | None) -> CartSummary:
    """The cart grouped by Vendor (by name), with live prices, stock and problems.

    Two queries whatever the size of the cart: lines with their Variant, Product and
    Vendor joined, then the Products' images.
    """
    if cart is None:
        return CartSummary(None, [], 0, 0, 0, False, False)
    lines = (
        db.session.scalars(
            select(CartLine)
            .where(CartLine.cart_id == cart.id)
            .options(
                joinedload(CartLine.variant)
                .joinedload(Variant.product)
                .options(joinedload(Product.vendor), selectinload(Product.images))
            )
            .order_by(CartLine.id)
            .execution_options(populate_existing=True)
        )
        .unique()
        .all()
    )
    by_vendor: dict[int, list[LineView]] = {}
    vendors: dict[int, Vendor] = {}
    for line in lines:
        variant = line.variant
        product = variant.product
        vendors[product.vendor_id] = product.vendor
        by_vendor.setdefault(product.vendor_id, []).append(
            LineView(
                line=line,
                variant=variant,
                product=product,
                image=product.images[0] if product.images else None,
                quantity=line.quantity,
                unit_price_cents=variant.price_cents,
                seen_price_cents=line.seen_price_cents,
                available=variant.stock,
                problem=_problem(line, variant),
            )
        )
    groups = [
        VendorGroup(
            vendor=vendors[vendor_id],
            lines=views,
            subtotal_cents=sum(v.total_cents for v in views if v.counts_in_totals),
            weight_grams=sum(v.weight_grams for v in views if v.counts_in_totals),
        )
        for vendor_id, views in sorted(
            by_vendor.items(), key=lambda item: (vendors[item[0]].name.casefold(), item[0])
        )
    ]
    views = [view for group in groups for view in group.lines]
    return CartSummary(
        cart=cart,
        groups=groups,
        goods_cents=sum(group.subtotal_cents for group in groups),
        weight_grams=sum(group.weight_grams for group in groups),
        item_count=sum(view.quantity for view in views),
        has_problems=any(view.problem is not None for view in views),
        has_price_changes=any(view.price_changed for view in views),
    )
