"""Why an operation on a round, a slot or a hand-over was refused."""

from enum import StrEnum

from marketplace.core.errors import DomainError


class LogisticsErrorCode(StrEnum):
    NOT_BOOKED = "not_booked"
    NOTHING_TO_HAND_OVER = "nothing_to_hand_over"
    NOT_EXPECTED = "not_expected"
    NOT_CLOSED = "not_closed"


class LogisticsError(DomainError):
    """A hub operation the rules refuse; `message` is for people."""

    code: LogisticsErrorCode
