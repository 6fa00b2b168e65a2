"""Imports every domain's models so that SQLAlchemy and Alembic see the whole schema."""
from marketplace.accounts.models import Address, User  # noqa: F401
from marketplace.cart.models import Cart, CartLine  # noqa: F401
from marketplace.catalog.models import Category, Product, ProductImage, Variant  # noqa: F401
from marketplace.content.models import HubDetailsRecord, LegalPage  # noqa: F401
from marketplace.core.outbox import OutboxMessage  # noqa: F401
from marketplace.delivery.models import (  # noqa: F401
    DeliveryRound,
    DeliveryZone,
    PickupBooking,
    PickupPlan,
    PickupSlot,
    RoundPlan,
    RoundStop,
)
from marketplace.notifications.models import SentEmail  # noqa: F401
from marketplace.orders.models import (  # noqa: F401
    Order,
    OrderEvent,
    OrderLine,
    OrderNumberSequence,
    VendorOrder,
)
from marketplace.payments.models import (  # noqa: F401
    DevConnectedAccount,
    DevPaymentIntent,
    DevRefund,
    DevTransfer,
    DevTransferReversal,
    Dispute,
    Payment,
    PaymentStatusChange,
    Refund,
    RefundLine,
    Transfer,
    TransferReversal,
    WebhookEvent,
)
from marketplace.vendors.models import Vendor, VendorMember  # noqa: F401
