"""States of Pickup slots, Delivery rounds and round stops: status strings live only here."""
from enum import StrEnum

from flask_babel import lazy_gettext as _l


class RunStatus(StrEnum):
    """A Pickup slot or a Delivery round: bookable, closed at its cut-off, or called off."""

    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class StopStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


RUN_STATUS_LABELS = {
    RunStatus.OPEN: _l("Ouverte aux commandes"),
    RunStatus.CLOSED: _l("Close (listes envoyées)"),
    RunStatus.CANCELLED: _l("Annulée"),
}

STOP_STATUS_LABELS = {
    StopStatus.PENDING: _l("À livrer"),
    StopStatus.DELIVERED: _l("Livré"),
    StopStatus.FAILED: _l("Échec"),
}

#: SQL CHECK lists, built from the enums so the database and the code agree.
RUN_STATUS_CHECK = "status IN ({})".format(", ".join(f"'{s}'" for s in RunStatus))
STOP_STATUS_CHECK = "status IN ({})".format(", ".join(f"'{s}'" for s in StopStatus))
