"""Payment state machine, following the provider's PaymentIntent lifecycle."""
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from marketplace.core.states import StateMachine


class PaymentStatus(StrEnum):
    CREATED = "created"
    REQUIRES_ACTION = "requires_action"
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class PaymentEvent(StrEnum):
    REQUIRE_ACTION = "require_action"
    PROCESS = "process"
    SUCCEED = "succeed"
    FAIL = "fail"
    RETRY = "retry"
    CANCEL = "cancel"
    REFUND_PART = "refund_part"
    REFUND_ALL = "refund_all"


P, PE = PaymentStatus, PaymentEvent
PAYMENT_MACHINE: StateMachine[PaymentStatus, PaymentEvent] = StateMachine(
    "Payment",
    {
        (P.CREATED, PE.REQUIRE_ACTION): P.REQUIRES_ACTION,
        (P.CREATED, PE.PROCESS): P.PROCESSING,
        (P.CREATED, PE.SUCCEED): P.SUCCEEDED,
        (P.CREATED, PE.FAIL): P.FAILED,
        (P.CREATED, PE.CANCEL): P.CANCELLED,
        (P.REQUIRES_ACTION, PE.PROCESS): P.PROCESSING,
        (P.REQUIRES_ACTION, PE.SUCCEED): P.SUCCEEDED,
        (P.REQUIRES_ACTION, PE.FAIL): P.FAILED,
        (P.REQUIRES_ACTION, PE.CANCEL): P.CANCELLED,
        (P.PROCESSING, PE.SUCCEED): P.SUCCEEDED,
        (P.PROCESSING, PE.FAIL): P.FAILED,
        (P.FAILED, PE.RETRY): P.CREATED,
        (P.FAILED, PE.CANCEL): P.CANCELLED,
        (P.SUCCEEDED, PE.REFUND_PART): P.PARTIALLY_REFUNDED,
        (P.SUCCEEDED, PE.REFUND_ALL): P.REFUNDED,
        (P.PARTIALLY_REFUNDED, PE.REFUND_PART): P.PARTIALLY_REFUNDED,
        (P.PARTIALLY_REFUNDED, PE.REFUND_ALL): P.REFUNDED,
    },
)


class RefundStatus(StrEnum):
    #: Recorded by us; sent (or about to be) to the provider, who has not finished it.
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class RefundEvent(StrEnum):
    SUCCEED = "succeed"
    FAIL = "fail"
    CANCEL = "cancel"


R, RE = RefundStatus, RefundEvent
REFUND_MACHINE: StateMachine[RefundStatus, RefundEvent] = StateMachine(
    "Refund",
    {
        (R.PENDING, RE.SUCCEED): R.SUCCEEDED,
        (R.PENDING, RE.FAIL): R.FAILED,
        (R.PENDING, RE.CANCEL): R.CANCELLED,
        # The customer's bank can still reject a refund Stripe had accepted.
        (R.SUCCEEDED, RE.FAIL): R.FAILED,
    },
)

#: Refunds that hold money back from further refunds: done, or on their way.
ACTIVE_REFUND_STATUSES = (RefundStatus.PENDING, RefundStatus.SUCCEEDED)


class TransferStatus(StrEnum):
    """A Transfer (or a reversal of one) as far as we know: recorded, done at the provider,
    or refused by it."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


#: What admins read for each status.
PAYMENT_STATUS_LABELS = {
    PaymentStatus.CREATED: _l("En attente du client"),
    PaymentStatus.REQUIRES_ACTION: _l("Confirmation 3-D Secure attendue"),
    PaymentStatus.PROCESSING: _l("En cours de traitement"),
    PaymentStatus.SUCCEEDED: _l("Payé"),
    PaymentStatus.FAILED: _l("Refusé"),
    PaymentStatus.CANCELLED: _l("Annulé"),
    PaymentStatus.PARTIALLY_REFUNDED: _l("Remboursé en partie"),
    PaymentStatus.REFUNDED: _l("Remboursé"),
}

REFUND_STATUS_LABELS = {
    RefundStatus.PENDING: _l("En cours"),
    RefundStatus.SUCCEEDED: _l("Effectué"),
    RefundStatus.FAILED: _l("Échoué"),
    RefundStatus.CANCELLED: _l("Annulé"),
}
