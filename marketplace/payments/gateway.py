"""The payment gateway interface, implemented by the dev gateway and the Stripe gateway.

Services talk to `get_gateway()` only; which one answers is configuration
(`PAYMENT_GATEWAY = "dev" | "stripe"`), never an `if` in a service.
"""
import json
from dataclasses import dataclass, field
from typing import Protocol

from marketplace.core.errors import DomainError


class GatewayError(DomainError):
    """The provider refused a call (unknown object, amount too high, bad signature…)."""

    def __init__(self, message: str, *, code: str = "gateway_error"):
        super().__init__(code, message)


class GatewayUnavailable(GatewayError):
    """The provider could not be reached or failed on its side: the call may or may not have
    happened. Retrying it later with the same idempotency key is safe and finds out."""


@dataclass(frozen=True)
class IntentResult:
    """What the provider says about a payment (a PaymentIntent)."""

    provider_ref: str
    #: One of the PaymentStatus values ("created", "requires_action", "processing",
    #: "succeeded", "failed", "cancelled").
    status: str
    amount_cents: int
    client_secret: str | None = None
    failure_message: str = ""
    amount_refunded_cents: int = 0
    #: Provider's charge id, when one exists (needed for transfers' source_transaction).
    charge_ref: str | None = None


@dataclass(frozen=True)
class RefundResult:
    provider_ref: str
    #: "pending", "succeeded", "failed" or "cancelled".
    status: str
    amount_cents: int
    failure_message: str = ""
    #: Our ids sent with the refund ({"refund_id": "12", ...}), to match it back to our row.
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TransferResult:
    provider_ref: str
    amount_cents: int
    amount_reversed_cents: int = 0


@dataclass(frozen=True)
class ReversalResult:
    """One reversal of a transfer (money taken back from the Vendor's account)."""

    provider_ref: str
    transfer_ref: str
    amount_cents: int


@dataclass(frozen=True)
class DisputeResult:
    """A chargeback as the provider has it now."""

    provider_ref: str
    #: The provider's words, kept as they come ("needs_response", "under_review", "lost"…).
    status: str
    amount_cents: int
    reason: str = ""
    payment_ref: str | None = None


@dataclass(frozen=True)
class AccountResult:
    provider_ref: str
    payouts_enabled: bool
    details_submitted: bool = False
    onboarding_url: str | None = None


@dataclass(frozen=True)
class GatewayEvent:
    """A provider event, already verified, in a provider-neutral shape."""

    event_id: str
    type: str
    object_id: str
    data: dict = field(default_factory=dict)


def read_event(payload: bytes) -> GatewayEvent:
    """The event in a verified body, or `GatewayError` ("bad_payload") when the body is not a
    JSON object with a string `id` and `type` and an object in `data.object`.

    A signature proves who sent the body, not that it is an event we can read: a signed JSON
    array, or an event without its id, must be refused (400) and stored nowhere.
    """
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as error:
        raise GatewayError(f"Unreadable event: {error}", code="bad_payload") from None
    if not isinstance(data, dict):
        raise GatewayError("Unreadable event: not a JSON object", code="bad_payload")
    event_id, event_type = data.get("id"), data.get("type")
    if not isinstance(event_id, str) or not event_id.strip() or len(event_id) > 255:
        raise GatewayError("Unreadable event: no id", code="bad_payload")
    if not isinstance(event_type, str) or not event_type.strip() or len(event_type) > 100:
        raise GatewayError("Unreadable event: no type", code="bad_payload")
    wrapper = data.get("data")
    obj = wrapper.get("object") if isinstance(wrapper, dict) else None
    if not isinstance(obj, dict):
        raise GatewayError("Unreadable event: no data.object", code="bad_payload")
    object_id = obj.get("id", "")
    if not isinstance(object_id, str) or len(object_id) > 255:
        raise GatewayError("Unreadable event: bad object id", code="bad_payload")
    return GatewayEvent(event_id=event_id, type=event_type, object_id=object_id, data=obj)


class PaymentGateway(Protocol):
    name: str

    def create_payment(
        self, *, amount_cents: int, currency: str, order_number: str, metadata: dict[str, str],
        idempotency_key: str,
    ) -> IntentResult: ...

    def retrieve_payment(self, provider_ref: str) -> IntentResult: ...

    def confirm_payment(self, provider_ref: str, *, payment_method: str) -> IntentResult: ...

    def cancel_payment(self, provider_ref: str, *, idempotency_key: str) -> IntentResult: ...

    def refund(
        self, *, payment_ref: str, amount_cents: int, idempotency_key: str, metadata: dict[str, str]
    ) -> RefundResult: ...

    def list_refunds(self, payment_ref: str) -> list[RefundResult]: ...

    def create_transfer(
        self, *, amount_cents: int, currency: str, destination: str, transfer_group: str,
        idempotency_key: str, metadata: dict[str, str], source_transaction: str | None = None,
    ) -> TransferResult: ...

    def retrieve_transfer(self, transfer_ref: str) -> TransferResult: ...

    def reverse_transfer(
        self, *, transfer_ref: str, amount_cents: int, idempotency_key: str
    ) -> ReversalResult: ...

    def retrieve_dispute(self, dispute_ref: str) -> DisputeResult: ...

    def create_connected_account(self, *, email: str, idempotency_key: str) -> AccountResult: ...

    def account_onboarding_link(
        self, *, account_ref: str, refresh_url: str, return_url: str
    ) -> str: ...

    def retrieve_account(self, account_ref: str) -> AccountResult: ...

    def parse_event(self, payload: bytes, signature_header: str | None) -> GatewayEvent: ...
