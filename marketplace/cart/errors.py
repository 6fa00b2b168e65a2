"""Why the cart refused a change, as codes the UI can show or translate."""

from enum import StrEnum

from marketplace.core.errors import DomainError


class CartErrorCode(StrEnum):
    UNAVAILABLE = "unavailable"
    SOLD_OUT = "sold_out"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID_QUANTITY = "invalid_quantity"
    LINE_NOT_FOUND = "line_not_found"


class CartError(DomainError):
    """A cart change the shop cannot honour; `message` is ready to show to the Customer."""

    code: CartErrorCode
