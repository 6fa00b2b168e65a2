"""Errors the accounts services raise; the views turn each code into a French message."""
from enum import StrEnum

from marketplace.core.errors import DomainError


class AccountErrorCode(StrEnum):
    EMAIL_TAKEN = "email_taken"
    WEAK_PASSWORD = "weak_password"
    #: Long enough, but among the passwords (or patterns) attackers try first.
    COMMON_PASSWORD = "common_password"
    INVALID_CREDENTIALS = "invalid_credentials"
    WRONG_PASSWORD = "wrong_password"
    INVALID_RESET_TOKEN = "invalid_reset_token"
    EXPIRED_RESET_TOKEN = "expired_reset_token"
    INVALID_POSTCODE = "invalid_postcode"
    UNSUPPORTED_LOCALE = "unsupported_locale"


class AccountError(DomainError):
    code: AccountErrorCode
