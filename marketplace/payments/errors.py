"""Why a refund, transfer or Connect step was refused, as codes the UI can show or translate."""
from enum import StrEnum

from marketplace.core.errors import DomainError


class PaymentErrorCode(StrEnum):
    #: The Order was never paid (or its payment is not settled): there is nothing to give back.
    NOT_REFUNDABLE = "not_refundable"
    NOTHING_TO_REFUND = "nothing_to_refund"
    #: More money than is left on the VendorOrder or the Payment.
    AMOUNT_TOO_HIGH = "amount_too_high"
    #: More items than were bought and not yet refunded.
    QUANTITY_TOO_HIGH = "quantity_too_high"
    #: A line that does not belong to the VendorOrder being refunded.
    UNKNOWN_LINE = "unknown_line"
    #: The Vendor cannot receive transfers yet (Stripe onboarding not finished).
    PAYOUTS_DISABLED = "payouts_disabled"
    #: More than is left on a transfer to take back.
    REVERSAL_TOO_HIGH = "reversal_too_high"
    #: The payment provider refused or could not be reached.
    PROVIDER = "provider"


class PaymentError(DomainError):
    """A refund, transfer or onboarding step the shop cannot do; `message` is ready to show."""

    code: PaymentErrorCode
