"""Placing an Order with its Payment: orders and payments, joined in one transaction."""
from typing import Any

from marketplace.orders import services as orders
from marketplace.orders.models import Order
from marketplace.payments.services import add_payment


def place_order(**details: Any) -> Order:
    """`orders.services.place_order` (same arguments), the Order's Payment row added in the
    same transaction. The provider hears of the payment only after commit: `views.place`."""
    return orders.place_order(**details, on_placed=add_payment)
