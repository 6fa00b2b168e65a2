"""Order and VendorOrder state machines: every status change goes through `transition`."""
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from marketplace.core.states import StateMachine


class OrderStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    PAYMENT_FAILED = "payment_failed"
    EXPIRED = "expired"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class OrderEvent_(StrEnum):  # noqa: N801  (events of the Order machine)
    PAY = "pay"
    FAIL_PAYMENT = "fail_payment"
    RETRY_PAYMENT = "retry_payment"
    EXPIRE = "expire"
    FULFIL_PART = "fulfil_part"
    COMPLETE = "complete"
    CANCEL = "cancel"
    REFUND = "refund"


class VendorOrderStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    ACCEPTED = "accepted"
    SHIPPED = "shipped"
    READY_FOR_PICKUP = "ready_for_pickup"
    AT_HUB = "at_hub"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUSED = "refused"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class VendorOrderEvent(StrEnum):
    PAY = "pay"
    ACCEPT = "accept"
    REFUSE = "refuse"
    SHIP = "ship"
    MAKE_READY_FOR_PICKUP = "make_ready_for_pickup"
    DROP_AT_HUB = "drop_at_hub"
    DELIVER = "deliver"
    #: A round could not hand the goods over: they stay at the hub, with the reason as note.
    RETURN_TO_HUB = "return_to_hub"
    COMPLETE = "complete"
    CANCEL = "cancel"
    REFUND_PART = "refund_part"
    REFUND_ALL = "refund_all"


S, E = OrderStatus, OrderEvent_
ORDER_MACHINE: StateMachine[OrderStatus, OrderEvent_] = StateMachine(
    "Order",
    {
        (S.AWAITING_PAYMENT, E.PAY): S.PAID,
        (S.AWAITING_PAYMENT, E.FAIL_PAYMENT): S.PAYMENT_FAILED,
        (S.PAYMENT_FAILED, E.RETRY_PAYMENT): S.AWAITING_PAYMENT,
        (S.PAYMENT_FAILED, E.PAY): S.PAID,
        (S.AWAITING_PAYMENT, E.EXPIRE): S.EXPIRED,
        (S.PAYMENT_FAILED, E.EXPIRE): S.EXPIRED,
        (S.AWAITING_PAYMENT, E.CANCEL): S.CANCELLED,
        (S.PAID, E.FULFIL_PART): S.PARTIALLY_FULFILLED,
        (S.PAID, E.COMPLETE): S.COMPLETED,
        (S.PARTIALLY_FULFILLED, E.COMPLETE): S.COMPLETED,
        (S.PAID, E.REFUND): S.REFUNDED,
        (S.PARTIALLY_FULFILLED, E.REFUND): S.REFUNDED,
        (S.COMPLETED, E.REFUND): S.REFUNDED,
        (S.PAID, E.CANCEL): S.CANCELLED,
    },
)

VS, VE = VendorOrderStatus, VendorOrderEvent
_REFUNDABLE = (VS.PAID, VS.ACCEPTED, VS.SHIPPED, VS.READY_FOR_PICKUP, VS.AT_HUB, VS.DELIVERED,
               VS.COMPLETED, VS.PARTIALLY_REFUNDED)
VENDOR_ORDER_MACHINE: StateMachine[VendorOrderStatus, VendorOrderEvent] = StateMachine(
    "VendorOrder",
    {
        (VS.AWAITING_PAYMENT, VE.PAY): VS.PAID,
        (VS.AWAITING_PAYMENT, VE.CANCEL): VS.CANCELLED,
        (VS.PAID, VE.ACCEPT): VS.ACCEPTED,
        (VS.PAID, VE.REFUSE): VS.REFUSED,
        (VS.PAID, VE.CANCEL): VS.CANCELLED,
        (VS.ACCEPTED, VE.CANCEL): VS.CANCELLED,
        (VS.ACCEPTED, VE.SHIP): VS.SHIPPED,
        (VS.ACCEPTED, VE.MAKE_READY_FOR_PICKUP): VS.READY_FOR_PICKUP,
        (VS.ACCEPTED, VE.DROP_AT_HUB): VS.AT_HUB,
        # A Vendor's drop-off checked in at the hub accepts a VendorOrder not yet accepted.
        (VS.PAID, VE.DROP_AT_HUB): VS.AT_HUB,
        (VS.PAID, VE.MAKE_READY_FOR_PICKUP): VS.READY_FOR_PICKUP,
        (VS.AT_HUB, VE.RETURN_TO_HUB): VS.AT_HUB,
        (VS.SHIPPED, VE.DELIVER): VS.DELIVERED,
        (VS.READY_FOR_PICKUP, VE.DELIVER): VS.DELIVERED,
        (VS.AT_HUB, VE.DELIVER): VS.DELIVERED,
        (VS.DELIVERED, VE.COMPLETE): VS.COMPLETED,
        **{(state, VE.REFUND_PART): VS.PARTIALLY_REFUNDED for state in _REFUNDABLE},
        **{(state, VE.REFUND_ALL): VS.REFUNDED for state in _REFUNDABLE},
        (VS.REFUSED, VE.REFUND_ALL): VS.REFUNDED,
        (VS.CANCELLED, VE.REFUND_ALL): VS.REFUNDED,
    },
)

#: What customers, Vendors and admins read for each status.
ORDER_STATUS_LABELS = {
    OrderStatus.AWAITING_PAYMENT: _l("En attente de paiement"),
    OrderStatus.PAID: _l("Payée"),
    OrderStatus.PAYMENT_FAILED: _l("Paiement refusé"),
    OrderStatus.EXPIRED: _l("Expirée (non payée)"),
    OrderStatus.PARTIALLY_FULFILLED: _l("En partie livrée"),
    OrderStatus.COMPLETED: _l("Terminée"),
    OrderStatus.CANCELLED: _l("Annulée"),
    OrderStatus.REFUNDED: _l("Remboursée"),
}

VENDOR_ORDER_STATUS_LABELS = {
    VendorOrderStatus.AWAITING_PAYMENT: _l("En attente de paiement"),
    VendorOrderStatus.PAID: _l("Payée, à accepter par l'atelier"),
    VendorOrderStatus.ACCEPTED: _l("En préparation"),
    VendorOrderStatus.SHIPPED: _l("Expédiée"),
    VendorOrderStatus.READY_FOR_PICKUP: _l("Prête au retrait"),
    VendorOrderStatus.AT_HUB: _l("Déposée aux Ateliers pour la tournée"),
    VendorOrderStatus.DELIVERED: _l("Livrée"),
    VendorOrderStatus.COMPLETED: _l("Terminée"),
    VendorOrderStatus.CANCELLED: _l("Annulée"),
    VendorOrderStatus.REFUSED: _l("Refusée par l'atelier"),
    VendorOrderStatus.PARTIALLY_REFUNDED: _l("Remboursée en partie"),
    VendorOrderStatus.REFUNDED: _l("Remboursée"),
}
