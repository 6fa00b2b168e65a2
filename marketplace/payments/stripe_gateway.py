"""The Stripe gateway: the only module that imports `stripe`.

Separate charges and transfers: the customer pays one PaymentIntent on the platform account
(`transfer_group` = Order number), Vendors are Express connected accounts paid by transfers.
Every call that creates something carries the idempotency key its caller derived from our own
row, so a retry after a timeout or a crash finds the first object instead of making a second.
"""
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import stripe
from flask import Flask
from flask_babel import lazy_gettext as _l

from .gateway import (
    AccountResult,
    DisputeResult,
    GatewayError,
    GatewayEvent,
    GatewayUnavailable,
    IntentResult,
    RefundResult,
    ReversalResult,
    TransferResult,
    read_event,
)
from .states import PaymentStatus, RefundStatus

#: PaymentIntent status -> ours. `requires_payment_method` is "created" until an attempt
#: fails (then the intent carries a `last_payment_error`).
_INTENT_STATUS = {
    "requires_payment_method": PaymentStatus.CREATED,
    "requires_confirmation": PaymentStatus.CREATED,
    "requires_action": PaymentStatus.REQUIRES_ACTION,
    "processing": PaymentStatus.PROCESSING,
    "requires_capture": PaymentStatus.PROCESSING,
    "succeeded": PaymentStatus.SUCCEEDED,
    "canceled": PaymentStatus.CANCELLED,
}

#: What the customer reads when a payment fails, by Stripe's `decline_code` or `code`;
#: Stripe's own message (English) is kept for anything else.
_DECLINE_MESSAGES = {
    "card_declined": _l("Votre carte a été refusée."),
    "generic_decline": _l("Votre carte a été refusée."),
    "insufficient_funds": _l("Votre carte a été refusée : provision insuffisante."),
    "lost_card": _l("Votre carte a été refusée."),
    "stolen_card": _l("Votre carte a été refusée."),
    "expired_card": _l("Votre carte a expiré."),
    "incorrect_cvc": _l("Le cryptogramme de votre carte est incorrect."),
    "incorrect_number": _l("Le numéro de carte est incorrect."),
    "processing_error": _l("Une erreur est survenue pendant le paiement : réessayez."),
    "payment_intent_authentication_failure": _l(
        "La confirmation 3-D Secure n'a pas abouti : le paiement n'a pas été fait."
    ),
}

#: Stripe's refund statuses (keys, Stripe's spelling) in ours.
_REFUND_STATUS = {
    "pending": RefundStatus.PENDING,
    "requires_action": RefundStatus.PENDING,
    "succeeded": RefundStatus.SUCCEEDED,
    "failed": RefundStatus.FAILED,
    "canceled": RefundStatus.CANCELLED,
}


class StripeGateway:
    name = "stripe"

    def __init__(
        self, *, secret_key: str, webhook_secret: str | None, api_base: str | None = None,
        max_network_retries: int = 2, timeout_seconds: float = 20.0,
        webhook_tolerance_seconds: int = 300,
    ):
        # StripeClient does not retry unless told to (measured: 1 attempt by default). Two
        # retries with Stripe's backoff (0.5 s, then 1 s, jittered) cover a dropped connection
        # or a 5xx without holding a web request for long; every retry reuses the same key.
        bases = {"api": api_base, "connect": api_base, "files": api_base} if api_base else {}
        self.client = stripe.StripeClient(
            secret_key,
            base_addresses=bases,  # type: ignore[arg-type]
            max_network_retries=max_network_retries,
            http_client=stripe.RequestsClient(timeout=timeout_seconds),
        )
        self.webhook_secret = webhook_secret
        #: How far a webhook's signature time may be from ours, either way.
        self.webhook_tolerance_seconds = webhook_tolerance_seconds

    @classmethod
    def from_app(cls, app: Flask) -> "StripeGateway":
        config = app.config
        if not config.get("STRIPE_SECRET_KEY"):
            raise RuntimeError("PAYMENT_GATEWAY is 'stripe' but STRIPE_SECRET_KEY is not set")
        return cls(
            secret_key=config["STRIPE_SECRET_KEY"],
            webhook_secret=config.get("STRIPE_WEBHOOK_SECRET"),
            api_base=config.get("STRIPE_API_BASE"),
            max_network_retries=int(config["STRIPE_MAX_NETWORK_RETRIES"]),
            timeout_seconds=float(config["STRIPE_TIMEOUT_SECONDS"]),
            webhook_tolerance_seconds=int(config["STRIPE_WEBHOOK_TOLERANCE_SECONDS"]),
        )

    # --- payments ------------------------------------------------------------------------------

    def create_payment(
        self, *, amount_cents: int, currency: str, order_number: str, metadata: dict[str, str],
        idempotency_key: str,
    ) -> IntentResult:
        with _provider_errors():
            intent = self.client.v1.payment_intents.create(
                params={
                    "amount": amount_cents,
                    "currency": currency.lower(),
                    "transfer_group": order_number,
                    "description": f"Les Ateliers — commande {order_number}",
                    "metadata": dict(metadata),
                },
                options={"idempotency_key": idempotency_key},
            )
        return _intent_result(intent.to_dict())

    def retrieve_payment(self, provider_ref: str) -> IntentResult:
        with _provider_errors():
            intent = self.client.v1.payment_intents.retrieve(
                provider_ref, params={"expand": ["latest_charge"]}
            )
        return _intent_result(intent.to_dict())

    def confirm_payment(self, provider_ref: str, *, payment_method: str) -> IntentResult:
        """Server-side confirmation (tests, saved cards); checkout confirms in Stripe.js."""
        try:
            with _provider_errors():
                self.client.v1.payment_intents.confirm(
                    provider_ref, params={"payment_method": payment_method}
                )
        except GatewayError as error:
            if not isinstance(error.__cause__, stripe.CardError):
                raise
            # A decline (any card error) is an answer, not a failed call: the intent says why.
        return self.retrieve_payment(provider_ref)

    def cancel_payment(self, provider_ref: str, *, idempotency_key: str) -> IntentResult:
        try:
            with _provider_errors():
                self.client.v1.payment_intents.cancel(
                    provider_ref, options={"idempotency_key": idempotency_key}
                )
        except GatewayError as error:
            # A refusal means already cancelled, or succeeded meanwhile: the intent's status
            # is the answer. An unreachable provider must be retried.
            if isinstance(error, GatewayUnavailable):
                raise
        return self.retrieve_payment(provider_ref)

    # --- refunds -------------------------------------------------------------------------------

    def refund(
        self, *, payment_ref: str, amount_cents: int, idempotency_key: str, metadata: dict[str, str]
    ) -> RefundResult:
        with _provider_errors():
            refund = self.client.v1.refunds.create(
                params={
                    "payment_intent": payment_ref,
                    "amount": amount_cents,
                    "metadata": dict(metadata),
                },
                options={"idempotency_key": idempotency_key},
            )
        return _refund_result(refund.to_dict())

    def list_refunds(self, payment_ref: str) -> list[RefundResult]:
        with _provider_errors():
            page = self.client.v1.refunds.list(params={"payment_intent": payment_ref, "limit": 100})
            return [_refund_result(refund.to_dict()) for refund in page.auto_paging_iter()]

    # --- transfers (Connect) -------------------------------------------------------------------

    def create_transfer(
        self, *, amount_cents: int, currency: str, destination: str, transfer_group: str,
        idempotency_key: str, metadata: dict[str, str], source_transaction: str | None = None,
    ) -> TransferResult:
        params: dict[str, Any] = {
            "amount": amount_cents,
            "currency": currency.lower(),
            "destination": destination,
            "transfer_group": transfer_group,
            "metadata": dict(metadata),
        }
        if source_transaction:
            # Ties the transfer to the charge, so it waits for those funds instead of
            # failing on an empty available balance.
            params["source_transaction"] = source_transaction
        with _provider_errors():
            transfer = self.client.v1.transfers.create(
                params=params, options={"idempotency_key": idempotency_key}  # type: ignore[arg-type]
            )
        return _transfer_result(transfer.to_dict())

    def retrieve_transfer(self, transfer_ref: str) -> TransferResult:
        with _provider_errors():
            transfer = self.client.v1.transfers.retrieve(transfer_ref)
        return _transfer_result(transfer.to_dict())

    def reverse_transfer(
        self, *, transfer_ref: str, amount_cents: int, idempotency_key: str
    ) -> ReversalResult:
        with _provider_errors():
            reversal = self.client.v1.transfers.reversals.create(
                transfer_ref, params={"amount": amount_cents},
                options={"idempotency_key": idempotency_key},
            )
        data = reversal.to_dict()
        return ReversalResult(
            provider_ref=data["id"], transfer_ref=_ref(data["transfer"]),
            amount_cents=data["amount"],
        )

    # --- disputes ------------------------------------------------------------------------------

    def retrieve_dispute(self, dispute_ref: str) -> DisputeResult:
        with _provider_errors():
            dispute = self.client.v1.disputes.retrieve(dispute_ref)
        data = dispute.to_dict()
        return DisputeResult(
            provider_ref=data["id"],
            status=str(data.get("status") or ""),
            amount_cents=int(data.get("amount") or 0),
            reason=str(data.get("reason") or ""),
            payment_ref=_ref(data.get("payment_intent")),
        )

    # --- connected accounts --------------------------------------------------------------------

    def create_connected_account(self, *, email: str, idempotency_key: str) -> AccountResult:
        with _provider_errors():
            account = self.client.v1.accounts.create(
                params={
                    "type": "express",
                    "country": "FR",
                    "email": email or None,
                    "default_currency": "eur",
                    "capabilities": {
                        "card_payments": {"requested": True},
                        "transfers": {"requested": True},
                    },
                },  # type: ignore[arg-type]
                options={"idempotency_key": idempotency_key},
            )
        return _account_result(account.to_dict())

    def account_onboarding_link(
        self, *, account_ref: str, refresh_url: str, return_url: str
    ) -> str:
        with _provider_errors():
            link = self.client.v1.account_links.create(
                params={
                    "account": account_ref,
                    "refresh_url": refresh_url,
                    "return_url": return_url,
                    "type": "account_onboarding",
                }
            )
        return link.url

    def retrieve_account(self, account_ref: str) -> AccountResult:
        with _provider_errors():
            account = self.client.v1.accounts.retrieve(account_ref)
        return _account_result(account.to_dict())

    # --- webhooks ------------------------------------------------------------------------------

    def parse_event(self, payload: bytes, signature_header: str | None) -> GatewayEvent:
        """Verify the signature on the raw body and its timestamp (no more than the tolerance
        old, nor ahead of our clock), then read the event; `GatewayError` otherwise."""
        if not self.webhook_secret:
            raise GatewayError("STRIPE_WEBHOOK_SECRET is not configured", code="bad_signature")
        try:
            stripe.WebhookSignature.verify_header(
                payload, signature_header, self.webhook_secret, self.webhook_tolerance_seconds
            )
        except stripe.SignatureVerificationError as error:
            raise GatewayError(str(error), code="bad_signature") from None
        except ValueError as error:  # a body that is not UTF-8
            raise GatewayError(f"Unreadable event: {error}", code="bad_payload") from None
        # Stripe's check only looks back: a signature stamped in the future (a clock far off,
        # or a body signed ahead to be replayed later) is refused as well.
        timestamp = _signature_timestamp(signature_header)
        if timestamp is None or timestamp > time.time() + self.webhook_tolerance_seconds:
            raise GatewayError("Timestamp outside the tolerance zone", code="bad_signature")
        return read_event(payload)


# --- translation of Stripe's answers into ours -------------------------------------------------


@contextmanager
def _provider_errors() -> Iterator[None]:
    """Stripe's exceptions become ours: unavailable (retry later, same key) or refused."""
    try:
        yield
    except (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError) as error:
        raise GatewayUnavailable(_message(error), code="unavailable") from error
    except stripe.IdempotencyError as error:
        if error.http_status == 409:  # the first request with this key is still running
            raise GatewayUnavailable(_message(error), code="in_flight") from error
        raise GatewayError(_message(error), code="idempotency_conflict") from error
    except stripe.CardError as error:
        raise GatewayError(_message(error), code=error.code or "card_declined") from error
    except stripe.StripeError as error:
        code = getattr(error, "code", None) or "refused"
        raise GatewayError(_message(error), code=code) from error


def _signature_timestamp(header: str | None) -> int | None:
    """The `t=` of a `Stripe-Signature` header (already verified to be there)."""
    for item in (header or "").split(","):
        key, _sep, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value)
    return None


def _message(error: "stripe.StripeError") -> str:
    return error.user_message or str(error) or type(error).__name__


def _ref(value: str | Mapping | None) -> str | None:
    """An expandable field: an id, or the expanded object."""
    if value is None or isinstance(value, str):
        return value
    return value.get("id")


def _intent_result(data: dict) -> IntentResult:
    status = _INTENT_STATUS.get(data["status"], PaymentStatus.CREATED)
    error = data.get("last_payment_error") or {}
    if data["status"] == "requires_payment_method" and error:
        status = PaymentStatus.FAILED
    charge = data.get("latest_charge")
    refunded = charge.get("amount_refunded", 0) if isinstance(charge, Mapping) else 0
    return IntentResult(
        provider_ref=data["id"],
        status=str(status),
        amount_cents=data["amount"],
        client_secret=data.get("client_secret"),
        failure_message=_decline_message(error) if status == PaymentStatus.FAILED else "",
        amount_refunded_cents=refunded or 0,
        charge_ref=_ref(charge),
    )


def _decline_message(error: Mapping) -> str:
    for code in (error.get("decline_code"), error.get("code")):
        if code in _DECLINE_MESSAGES:
            return str(_DECLINE_MESSAGES[code])
    return error.get("message") or ""


def _refund_result(data: dict) -> RefundResult:
    return RefundResult(
        provider_ref=data["id"],
        status=_REFUND_STATUS.get(data.get("status") or "pending", RefundStatus.PENDING),
        amount_cents=data["amount"],
        failure_message=data.get("failure_reason") or "",
        metadata={str(k): str(v) for k, v in (data.get("metadata") or {}).items()},
    )


def _transfer_result(data: dict) -> TransferResult:
    return TransferResult(
        provider_ref=data["id"],
        amount_cents=data["amount"],
        amount_reversed_cents=data.get("amount_reversed") or 0,
    )


def _account_result(data: dict) -> AccountResult:
    capabilities = data.get("capabilities") or {}
    # A Vendor can be paid once Stripe lets the account receive transfers and pay them out.
    can_be_paid = capabilities.get("transfers") == "active" and bool(data.get("payouts_enabled"))
    return AccountResult(
        provider_ref=data["id"],
        payouts_enabled=can_be_paid,
        details_submitted=bool(data.get("details_submitted")),
    )
