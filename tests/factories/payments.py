"""Orders placed through the real checkout, paid through the configured gateway.

Refund and webhook tests need what a real customer leaves behind (an Order split per Vendor,
stock taken, a Payment at the provider), so these helpers drive `place_order` and the payment
services rather than writing rows by hand.
"""
from datetime import datetime

from marketplace.catalog.models import Variant
from marketplace.orders.models import Order
from marketplace.payments.models import Payment
from marketplace.payments.services import confirm_payment

from .orders import check_out, fill_cart


def place_test_order(
    *items: tuple[Variant, int], email: str = "camille@example.fr", now: datetime | None = None
) -> Order:
    """An Order for these (Variant, quantity) pairs, shipped by each Vendor."""
    return check_out(fill_cart(*items), email=email, now=now)


def pay_test_order(order: Order, *, payment_method: str = "pm_card_visa") -> Payment:
    """Pay as the customer would: the intent is created, then confirmed with this card."""
    payment = order.payment
    confirm_payment(payment=payment, payment_method=payment_method, now=order.placed_at)
    return payment
