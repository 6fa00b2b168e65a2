"""Why an account cannot be deleted yet; the views turn each code into a message."""
from enum import StrEnum

from marketplace.core.errors import DomainError


class PrivacyErrorCode(StrEnum):
    #: The hub still owes the customer goods, or the customer owes a payment.
    ORDERS_IN_PROGRESS = "orders_in_progress"
    #: Someone must stay to answer for the Vendor: another owner removes the member first.
    ACTS_FOR_A_VENDOR = "acts_for_a_vendor"
    #: The cooperative's back office must not lose its last way in by a click.
    ADMIN_ACCOUNT = "admin_account"


class PrivacyError(DomainError):
    code: PrivacyErrorCode
