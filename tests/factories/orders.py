"""Carts filled and checked out through the real services, for the orders and payments tests."""
from datetime import UTC, datetime

from marketplace.accounts.models import User
from marketplace.cart.models import Cart
from marketplace.catalog.models import Variant
from marketplace.checkout.services import place_order
from marketplace.extensions import db
from marketplace.orders.models import DeliveryMethod, Order
from marketplace.orders.services import (
    DeliveryChoice,
    new_checkout_key,
    quote_checkout,
)

from .cart import CartFactory, CartLineFactory

CASTRES_ADDRESS = {
    "full_name": "Camille Durand",
    "line1": "3 place Jean Jaurès",
    "line2": "",
    "postcode": "81100",
    "city": "Castres",
    "country": "FR",
    "phone": "06 12 34 56 78",
}

VENDOR_SHIPPING = DeliveryChoice(method=DeliveryMethod.VENDOR_SHIPPING)


def pickup(slot) -> DeliveryChoice:  # noqa: ANN001
    return DeliveryChoice(method=DeliveryMethod.PICKUP, pickup_slot_id=slot.id)


def by_round(delivery_round) -> DeliveryChoice:  # noqa: ANN001
    return DeliveryChoice(method=DeliveryMethod.ROUND, round_id=delivery_round.id)


def fill_cart(*items: tuple[Variant, int], user: User | None = None) -> Cart:
    """A cart holding these (Variant, quantity) pairs, at the prices the customer saw."""
    cart = CartFactory(user_id=user.id if user is not None else None)
    for variant, quantity in items:
        CartLineFactory(cart=cart, variant=variant, quantity=quantity)
    db.session.refresh(cart)
    return cart


def check_out(
    cart: Cart,
    *,
    customer: User | None = None,
    delivery: DeliveryChoice = VENDOR_SHIPPING,
    email: str = "camille@example.fr",
    address: dict[str, str] | None = None,
    checkout_key: str | None = None,
    now: datetime | None = None,
) -> Order:
    """Review then place, as the checkout pages do."""
    now = now or datetime.now(UTC)
    address = address or CASTRES_ADDRESS
    quote = quote_checkout(cart=cart, delivery=delivery, postcode=address["postcode"], now=now)
    return place_order(
        cart=cart,
        customer=customer,
        email=customer.email if customer is not None else email,
        address=address,
        delivery=delivery,
        checkout_key=checkout_key or new_checkout_key(),
        review_digest=quote.digest,
        now=now,
    )
