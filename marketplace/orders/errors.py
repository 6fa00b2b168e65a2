"""Why checkout or an order change was refused, as codes the UI can show or translate."""
from enum import StrEnum

from marketplace.core.errors import DomainError


class OrderErrorCode(StrEnum):
    EMPTY_CART = "empty_cart"
    #: Prices, stock or delivery changed since the customer saw the review page.
    CART_CHANGED = "cart_changed"
    #: A line is flagged (new price, no longer sold) and the customer has not acknowledged it.
    NEEDS_ACKNOWLEDGEMENT = "needs_acknowledgement"
    SOLD_OUT = "sold_out"
    DELIVERY_UNAVAILABLE = "delivery_unavailable"
    NOT_PAYABLE = "not_payable"


class OrderError(DomainError):
    """A checkout or order change the shop cannot honour; `message` is ready to show."""

    code: OrderErrorCode
