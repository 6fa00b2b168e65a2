"""The payment gateway interface, implemented by the dev gateway and the Stripe gateway.

Services talk to `get_gateway()` only; which one answers is configuration
(`PAYMENT_GATEWAY = "dev" | "stripe"`), never an `if` in a service.
"""
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

    def create_connected_account(self, *, email: str, idempotency_key: str) -> AccountResult: ...

    def account_onboarding_link(
        self, *, account_ref: str, refresh_url: str, return_url: str
    ) -> str: ...

    def retrieve_account(self, account_ref: str) -> AccountResult: ...

    def parse_event(self, payload: bytes, signature_header: str | None) -> GatewayEvent: ...
