"""Why a Pickup slot or Delivery round could not be booked or changed."""

from enum import StrEnum

from marketplace.core.errors import DomainError


class DeliveryErrorCode(StrEnum):
    SLOT_NOT_FOUND = "slot_not_found"
    SLOT_FULL = "slot_full"
    SLOT_PAST = "slot_past"
    ROUND_NOT_FOUND = "round_not_found"
    ROUND_FULL = "round_full"
    ROUND_TOO_HEAVY = "round_too_heavy"
    ROUND_CLOSED = "round_closed"
    POSTCODE_NOT_SERVED = "postcode_not_served"
    ALREADY_BOOKED = "already_booked"
    CAPACITY_BELOW_BOOKED = "capacity_below_booked"
    INVALID_POSTCODE = "invalid_postcode"
    INVALID_SCHEDULE = "invalid_schedule"
    ZONE_NAME_TAKEN = "zone_name_taken"
    ROUND_HAS_BOOKINGS = "round_has_bookings"
    IN_THE_PAST = "in_the_past"
    INVALID_PLAN = "invalid_plan"
    ALREADY_CANCELLED = "already_cancelled"
    CANNOT_MOVE = "cannot_move"
    STOP_ALREADY_DONE = "stop_already_done"


class DeliveryError(DomainError):
    """A booking or an admin change that the delivery rules refuse; `message` is for people."""

    code: DeliveryErrorCode
