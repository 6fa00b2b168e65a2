"""Orders placed through the real checkout, paid through the configured gateway.

Refund and webhook tests need what a real customer leaves behind (an Order split per Vendor,
stock taken, a Payment at the provider), so these helpers drive `place_order` and the payment
services rather than writing rows by hand.
"""
from datetime import UTC, datetime

from marketplace.cart.models import Cart
from marketplace.catalog.models import Variant
from marketplace.extensions import db
from marketplace.orders.models import DeliveryMethod, Order
from marketplace.orders.services import (
    DeliveryChoice,
    new_checkout_key,
    place_order,
    quote_checkout,
)
from marketplace.payments.models import Payment
from marketplace.payments.services import confirm_payment

from .cart import CartFactory, CartLineFactory

ADDRESS = {
    "full_name": "Camille Durand",
    "line1": "3 place Jean Jaurès",
    "line2": "",
    "postcode": "81100",
    "city": "Castres",
    "country": "FR",
    "phone": "",
}


def place_test_order(
    *items: tuple[Variant, int], email: str = "camille@example.fr", now: datetime | None = None
) -> Order:
    """An Order for these (Variant, quantity) pairs, shipped by each Vendor."""
    now = now or datetime.now(UTC)
    cart: Cart = CartFactory()
    for variant, quantity in items:
        CartLineFactory(cart=cart, variant=variant, quantity=quantity)
    db.session.refresh(cart)
    delivery = DeliveryChoice(method=DeliveryMethod.VENDOR_SHIPPING)
    quote = quote_checkout(cart=cart, delivery=delivery, postcode=ADDRESS["postcode"], now=now)
    return place_order(
        cart=cart, customer=None, email=email, address=ADDRESS, delivery=delivery,
        checkout_key=new_checkout_key(), review_digest=quote.digest, now=now,
    )


def pay_test_order(order: Order, *, payment_method: str = "pm_card_visa") -> Payment:
    """Pay as the customer would: the intent is created, then confirmed with this card."""
    payment = order.payment
    confirm_payment(payment=payment, payment_method=payment_method, now=order.placed_at)
    return payment
