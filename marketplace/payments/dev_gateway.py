"""The dev payment gateway: a provider simulated in local tables, for the embedded hub and tests.

It answers like Stripe does (idempotency keys, refunds never above what was paid, Connect
accounts and transfers) without any network. Test cards:
`4242 4242 4242 4242` succeeds, `4000 0000 0000 0002` is declined, `4000 0027 6000 3184` asks
for a 3-D Secure confirmation first (the customer answers on a local page).

Its rows live in the caller's transaction: a request that rolls back also rolls back what the
"provider" did, the one way in which it is kinder than a real provider.
"""
import hashlib
import hmac
import secrets
from collections.abc import Callable
from enum import Enum

from flask import Flask, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.extensions import db

from .gateway import (
    AccountResult,
    DisputeResult,
    GatewayError,
    GatewayEvent,
    IntentResult,
    RefundResult,
    ReversalResult,
    TransferResult,
    read_event,
)
from .models import (
    DevConnectedAccount,
    DevPaymentIntent,
    DevRefund,
    DevTransfer,
    DevTransferReversal,
)
from .states import PaymentStatus, RefundStatus

SIGNATURE_PREFIX = "sha256="


class CardOutcome(Enum):
    SUCCEED = "succeed"
    DECLINE = "decline"
    AUTHENTICATE = "authenticate"
    UNKNOWN = "unknown"


#: Test card numbers, and Stripe's test payment methods so gateway-neutral tests can use them.
TEST_CARDS = {
    "4242424242424242": CardOutcome.SUCCEED,
    "4000000000000002": CardOutcome.DECLINE,
    "4000002760003184": CardOutcome.AUTHENTICATE,
    "pm_card_visa": CardOutcome.SUCCEED,
    "pm_card_chargeDeclined": CardOutcome.DECLINE,
    "pm_card_authenticationRequired": CardOutcome.AUTHENTICATE,
}

#: Intent states from which a new card may be tried.
_CONFIRMABLE = frozenset({PaymentStatus.CREATED, PaymentStatus.FAILED})


def card_outcome(payment_method: str) -> CardOutcome:
    """What the test card (spaces and dashes allowed) or test payment method will do."""
    raw = (payment_method or "").strip()
    key = raw if raw.startswith("pm_") else "".join(ch for ch in raw if ch.isdigit())
    return TEST_CARDS.get(key, CardOutcome.UNKNOWN)


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


class DevGateway:
    name = "dev"

    def __init__(self, *, signing_secret: str):
        self.signing_secret = signing_secret.encode()

    @classmethod
    def from_app(cls, app: Flask) -> "DevGateway":
        return cls(signing_secret=app.config["SECRET_KEY"] or "")

    # --- payments ------------------------------------------------------------------------------

    def create_payment(
        self, *, amount_cents: int, currency: str, order_number: str, metadata: dict[str, str],
        idempotency_key: str,
    ) -> IntentResult:
        def build() -> DevPaymentIntent:
            intent_id = _new_id("devpi")
            return DevPaymentIntent(
                id=intent_id,
                idempotency_key=idempotency_key,
                amount_cents=amount_cents,
                currency=currency.upper(),
                status=PaymentStatus.CREATED,
                client_secret=f"{intent_id}_secret_{secrets.token_hex(12)}",
                order_number=order_number,
                transfer_group=order_number,
                metadata_=dict(metadata),
            )

        if amount_cents <= 0:
            raise GatewayError("Amount must be positive", code="amount_too_small")
        intent = _create_once(DevPaymentIntent, idempotency_key, build)
        _check_same_request(intent, amount_cents=amount_cents, currency=currency.upper())
        return _intent_result(intent)

    def retrieve_payment(self, provider_ref: str) -> IntentResult:
        return _intent_result(_get(DevPaymentIntent, provider_ref))

    def confirm_payment(self, provider_ref: str, *, payment_method: str) -> IntentResult:
        """Try a test card. A decline is an answer (status "failed" with a message), not an
        error; another card may be tried afterwards, as on Stripe."""
        intent = _get(DevPaymentIntent, provider_ref, lock=True)
        if intent.status == PaymentStatus.CANCELLED:
            raise GatewayError("This payment was cancelled", code="payment_intent_unexpected_state")
        if intent.status not in _CONFIRMABLE:
            return _intent_result(intent)
        digits = "".join(ch for ch in payment_method if ch.isdigit())
        intent.card_last4 = digits[-4:] if len(digits) >= 4 else ""
        outcome = card_outcome(payment_method)
        if outcome == CardOutcome.SUCCEED:
            _succeed(intent)
        elif outcome == CardOutcome.AUTHENTICATE:
            intent.status = PaymentStatus.REQUIRES_ACTION
            intent.failure_message = ""
        elif outcome == CardOutcome.DECLINE:
            intent.status = PaymentStatus.FAILED
            intent.failure_message = _(
                "Votre carte a été refusée par votre banque. Essayez une autre carte."
            )
        else:
            intent.status = PaymentStatus.FAILED
            intent.failure_message = _(
                "Ce numéro de carte n'est pas une carte de test : utilisez "
                "4242 4242 4242 4242 pour un paiement accepté."
            )
        db.session.flush()
        return _intent_result(intent)

    def complete_authentication(self, provider_ref: str, *, approve: bool) -> IntentResult:
        """The customer's answer to the test 3-D Secure page (dev gateway only)."""
        intent = _get(DevPaymentIntent, provider_ref, lock=True)
        if intent.status != PaymentStatus.REQUIRES_ACTION:
            return _intent_result(intent)
        if approve:
            _succeed(intent)
        else:
            intent.status = PaymentStatus.FAILED
            intent.failure_message = _(
                "L'authentification 3-D Secure a été refusée : le paiement n'a pas eu lieu."
            )
        db.session.flush()
        return _intent_result(intent)

    def cancel_payment(self, provider_ref: str, *, idempotency_key: str) -> IntentResult:
        """Cancel an intent not yet paid; a paid one is left as it is (its status says so)."""
        intent = _get(DevPaymentIntent, provider_ref, lock=True)
        if intent.status in (
            PaymentStatus.CREATED, PaymentStatus.REQUIRES_ACTION, PaymentStatus.FAILED
        ):
            intent.status = PaymentStatus.CANCELLED
            db.session.flush()
        return _intent_result(intent)

    # --- refunds -------------------------------------------------------------------------------

    def refund(
        self, *, payment_ref: str, amount_cents: int, idempotency_key: str, metadata: dict[str, str]
    ) -> RefundResult:
        existing = _replayed(
            DevRefund, idempotency_key, intent_id=payment_ref, amount_cents=amount_cents
        )
        if existing is not None:
            return _refund_result(existing)
        intent = _get(DevPaymentIntent, payment_ref, lock=True)
        if intent.status != PaymentStatus.SUCCEEDED:
            raise GatewayError("Only a paid payment can be refunded", code="charge_not_paid")
        refundable = intent.amount_cents - intent.amount_refunded_cents
        if amount_cents <= 0 or amount_cents > refundable:
            raise GatewayError(
                f"Refund of {amount_cents} is more than the {refundable} left to refund",
                code="amount_too_large",
            )
        refund = DevRefund(
            id=_new_id("devre"),
            idempotency_key=idempotency_key,
            intent_id=intent.id,
            amount_cents=amount_cents,
            status=RefundStatus.SUCCEEDED,
            metadata_=dict(metadata),
        )
        db.session.add(refund)
        intent.amount_refunded_cents += amount_cents
        db.session.flush()
        return _refund_result(refund)

    def list_refunds(self, payment_ref: str) -> list[RefundResult]:
        refunds = db.session.scalars(
            select(DevRefund)
            .where(DevRefund.intent_id == payment_ref)
            .order_by(DevRefund.created_at, DevRefund.id)
        )
        return [_refund_result(refund) for refund in refunds]

    # --- transfers (Connect) -------------------------------------------------------------------

    def create_transfer(
        self, *, amount_cents: int, currency: str, destination: str, transfer_group: str,
        idempotency_key: str, metadata: dict[str, str], source_transaction: str | None = None,
    ) -> TransferResult:
        existing = _replayed(
            DevTransfer, idempotency_key, destination_id=destination, amount_cents=amount_cents
        )
        if existing is not None:
            return _transfer_result(existing)
        if amount_cents <= 0:
            raise GatewayError("Amount must be positive", code="amount_too_small")
        account = db.session.get(DevConnectedAccount, destination)
        if account is None:
            raise GatewayError(f"No such destination: {destination}", code="resource_missing")
        if not account.payouts_enabled:
            raise GatewayError(
                "The destination account cannot receive transfers yet (onboarding unfinished)",
                code="account_not_ready",
            )
        if source_transaction is not None:
            _check_source(source_transaction, amount_cents)
        transfer = DevTransfer(
            id=_new_id("devtr"),
            idempotency_key=idempotency_key,
            destination_id=destination,
            amount_cents=amount_cents,
            currency=currency.upper(),
            transfer_group=transfer_group,
            source_transaction=source_transaction,
            metadata_=dict(metadata),
        )
        db.session.add(transfer)
        db.session.flush()
        return _transfer_result(transfer)

    def retrieve_transfer(self, transfer_ref: str) -> TransferResult:
        return _transfer_result(_get(DevTransfer, transfer_ref))

    def reverse_transfer(
        self, *, transfer_ref: str, amount_cents: int, idempotency_key: str
    ) -> ReversalResult:
        existing = _replayed(
            DevTransferReversal, idempotency_key,
            transfer_id=transfer_ref, amount_cents=amount_cents,
        )
        if existing is not None:
            return _reversal_result(existing)
        transfer = _get(DevTransfer, transfer_ref, lock=True)
        reversible = transfer.amount_cents - transfer.amount_reversed_cents
        if amount_cents <= 0 or amount_cents > reversible:
            raise GatewayError(
                f"Reversal of {amount_cents} is more than the {reversible} left on the transfer",
                code="amount_too_large",
            )
        reversal = DevTransferReversal(
            id=_new_id("devtrr"),
            idempotency_key=idempotency_key,
            transfer_id=transfer.id,
            amount_cents=amount_cents,
        )
        db.session.add(reversal)
        transfer.amount_reversed_cents += amount_cents
        db.session.flush()
        return _reversal_result(reversal)

    # --- connected accounts --------------------------------------------------------------------

    def create_connected_account(self, *, email: str, idempotency_key: str) -> AccountResult:
        account = _create_once(
            DevConnectedAccount,
            idempotency_key,
            lambda: DevConnectedAccount(
                id=_new_id("devacct"), idempotency_key=idempotency_key, email=email or ""
            ),
        )
        return _account_result(account)

    def account_onboarding_link(
        self, *, account_ref: str, refresh_url: str, return_url: str
    ) -> str:
        """A local page standing in for the provider's onboarding form."""
        _get(DevConnectedAccount, account_ref)
        return url_for("payments.dev_onboarding", account_ref=account_ref, return_url=return_url)

    def complete_onboarding(self, account_ref: str) -> AccountResult:
        """What the onboarding page does when the Vendor submits it (dev gateway only)."""
        account = _get(DevConnectedAccount, account_ref, lock=True)
        account.details_submitted = True
        account.payouts_enabled = True
        db.session.flush()
        return _account_result(account)

    def retrieve_account(self, account_ref: str) -> AccountResult:
        return _account_result(_get(DevConnectedAccount, account_ref))

    def retrieve_dispute(self, dispute_ref: str) -> DisputeResult:
        """No bank ever disputes a test card: the dev gateway knows no disputes."""
        raise GatewayError(f"No such dispute: {dispute_ref}", code="resource_missing")

    # --- events --------------------------------------------------------------------------------

    def sign_event(self, payload: bytes) -> str:
        """The signature header a dev event must carry (for tools and tests that post one)."""
        return SIGNATURE_PREFIX + hmac.new(self.signing_secret, payload, hashlib.sha256).hexdigest()

    def parse_event(self, payload: bytes, signature_header: str | None) -> GatewayEvent:
        """Check the HMAC signature on the raw body, then read the Stripe-shaped event."""
        if not signature_header or not hmac.compare_digest(
            self.sign_event(payload), signature_header
        ):
            raise GatewayError("Bad signature", code="bad_signature")
        return read_event(payload)


# --- the "provider's" bookkeeping ---------------------------------------------------------------


def _get(model: type, object_id: str, *, lock: bool = False):  # noqa: ANN202
    statement = select(model).where(model.id == object_id).execution_options(
        populate_existing=True
    )
    if lock:
        statement = statement.with_for_update()
    found = db.session.scalar(statement)
    if found is None:
        raise GatewayError(f"No such object: {object_id}", code="resource_missing")
    return found


def _by_key(model: type, idempotency_key: str):  # noqa: ANN202
    return db.session.scalar(select(model).where(model.idempotency_key == idempotency_key))


def _check_same_request(existing: object, **expected: object) -> None:
    """A key replayed with other parameters is refused, as Stripe does."""
    if any(getattr(existing, name) != value for name, value in expected.items()):
        raise GatewayError(
            "This idempotency key was already used with other parameters",
            code="idempotency_conflict",
        )


def _replayed(model: type, idempotency_key: str, **expected: object):  # noqa: ANN202
    """The object an earlier call with this key made, or None on a first call."""
    existing = _by_key(model, idempotency_key)
    if existing is not None:
        _check_same_request(existing, **expected)
    return existing


def _create_once(model: type, idempotency_key: str, build: Callable[[], object]):  # noqa: ANN202
    """The object made for this key, made now if it is the first call (races included)."""
    existing = _by_key(model, idempotency_key)
    if existing is not None:
        return existing
    created = build()
    try:
        with db.session.begin_nested():
            db.session.add(created)
    except IntegrityError:
        existing = _by_key(model, idempotency_key)
        if existing is None:
            raise
        return existing
    return created


def _succeed(intent: DevPaymentIntent) -> None:
    intent.status = PaymentStatus.SUCCEEDED
    intent.failure_message = ""
    intent.charge_ref = intent.charge_ref or _new_id("devch")


def _check_source(charge_ref: str, amount_cents: int) -> None:
    """A transfer tied to a charge cannot move more than that charge kept (after refunds)."""
    intent = db.session.scalar(
        select(DevPaymentIntent).where(DevPaymentIntent.charge_ref == charge_ref).with_for_update()
    )
    if intent is None or intent.status != PaymentStatus.SUCCEEDED:
        raise GatewayError(f"No paid charge {charge_ref}", code="resource_missing")
    kept = DevTransfer.amount_cents - DevTransfer.amount_reversed_cents
    already = db.session.scalar(
        select(func.coalesce(func.sum(kept), 0)).where(
            DevTransfer.source_transaction == charge_ref
        )
    )
    if already + amount_cents > intent.amount_cents - intent.amount_refunded_cents:
        raise GatewayError(
            "Transfers would exceed what the source charge has left", code="insufficient_funds"
        )


def _intent_result(intent: DevPaymentIntent) -> IntentResult:
    return IntentResult(
        provider_ref=intent.id,
        status=str(intent.status),
        amount_cents=intent.amount_cents,
        client_secret=intent.client_secret,
        failure_message=intent.failure_message if intent.status == PaymentStatus.FAILED else "",
        amount_refunded_cents=intent.amount_refunded_cents,
        charge_ref=intent.charge_ref,
    )


def _refund_result(refund: DevRefund) -> RefundResult:
    return RefundResult(
        provider_ref=refund.id,
        status=refund.status,
        amount_cents=refund.amount_cents,
        metadata={str(k): str(v) for k, v in (refund.metadata_ or {}).items()},
    )


def _transfer_result(transfer: DevTransfer) -> TransferResult:
    return TransferResult(
        provider_ref=transfer.id,
        amount_cents=transfer.amount_cents,
        amount_reversed_cents=transfer.amount_reversed_cents,
    )


def _reversal_result(reversal: DevTransferReversal) -> ReversalResult:
    return ReversalResult(
        provider_ref=reversal.id,
        transfer_ref=reversal.transfer_id,
        amount_cents=reversal.amount_cents,
    )


def _account_result(account: DevConnectedAccount) -> AccountResult:
    return AccountResult(
        provider_ref=account.id,
        payouts_enabled=account.payouts_enabled,
        details_submitted=account.details_submitted,
    )
