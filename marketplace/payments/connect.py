"""Vendors' connected accounts (onboarding, can they be paid?) and the money sent to them.

The provider decides whether a Vendor can receive transfers; we keep its answer on the Vendor
(`payouts_enabled`), refreshed by the `account.updated` webhook and when the Vendor comes back
from onboarding. Transfers and their reversals follow the same rule as refunds: a row first
(pending), then the provider call with an idempotency key from that row.
"""
from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.core.money import format_cents
from marketplace.core.outbox import enqueue
from marketplace.extensions import db
from marketplace.vendors.models import Vendor

from .errors import PaymentError, PaymentErrorCode
from .gateway import AccountResult, GatewayError, GatewayUnavailable, TransferResult
from .models import Refund, Transfer, TransferReversal
from .registry import get_gateway
from .states import TransferStatus

# --- Onboarding --------------------------------------------------------------------------------


def start_vendor_onboarding(*, vendor: Vendor, refresh_url: str, return_url: str) -> str:
    """The provider's onboarding page for the Vendor, creating its account the first time.

    The account is created with the key `vendor-<id>-account`: two clicks, or a retry after a
    timeout, give the same account. Raises `PaymentError` when the provider refuses.
    """
    gateway = get_gateway()
    try:
        if vendor.stripe_account_id is None:
            account = gateway.create_connected_account(
                email=vendor.contact_email, idempotency_key=f"vendor-{vendor.id}-account"
            )
            vendor.stripe_account_id = account.provider_ref
            apply_account_status(vendor=vendor, result=account)
            db.session.flush()
        return gateway.account_onboarding_link(
            account_ref=vendor.stripe_account_id, refresh_url=refresh_url, return_url=return_url
        )
    except GatewayError as error:
        raise PaymentError(
            PaymentErrorCode.PROVIDER,
            _("Le prestataire de paiement ne répond pas, réessayez dans un instant."),
            provider_message=error.message,
        ) from error


def refresh_vendor_account(*, vendor: Vendor) -> bool:
    """Ask the provider whether the Vendor can be paid now; returns the answer."""
    if vendor.stripe_account_id is None:
        return False
    # Locked before asking, as the `account.updated` webhook does: whichever comes second
    # reads the account after the first wrote, so an older answer never has the last word.
    db.session.refresh(vendor, with_for_update=True)
    result = get_gateway().retrieve_account(vendor.stripe_account_id)
    apply_account_status(vendor=vendor, result=result)
    return vendor.payouts_enabled


def apply_account_status(*, vendor: Vendor, result: AccountResult) -> bool:
    """Take the provider's word on the account (its current state, not a change): True if
    it changed anything."""
    if result.provider_ref != vendor.stripe_account_id:
        raise ValueError(f"{result.provider_ref} is not the account of vendor {vendor.id}")
    changed = vendor.payouts_enabled != result.payouts_enabled
    vendor.payouts_enabled = result.payouts_enabled
    db.session.flush()
    return changed


def find_vendor_by_account(account_ref: str, *, lock: bool = False) -> Vendor | None:
    """The Vendor of a connected account; `lock`: locked and re-read, before asking the
    provider about its account."""
    query = select(Vendor).where(Vendor.stripe_account_id == account_ref)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


# --- Transfers ---------------------------------------------------------------------------------


def record_transfer(
    *, vendor: Vendor, amount_cents: int, transfer_group: str, idempotency_key: str,
    source_transaction: str | None = None,
) -> Transfer:
    """Record money to send to a Vendor and queue the sending (the payout run calls this with
    `idempotency_key=f"payout-{payout.id}"`). Raises `PaymentError` if the Vendor cannot be
    paid yet."""
    if not vendor.payouts_enabled or vendor.stripe_account_id is None:
        raise PaymentError(
            PaymentErrorCode.PAYOUTS_DISABLED,
            _("%(vendor)s n'a pas encore terminé son inscription auprès du prestataire de "
              "paiement.", vendor=vendor.name),
        )
    transfer = Transfer(
        vendor=vendor, amount_cents=amount_cents, transfer_group=transfer_group,
        idempotency_key=idempotency_key, source_transaction=source_transaction,
        status=TransferStatus.PENDING,
    )
    db.session.add(transfer)
    db.session.flush()
    enqueue("payments.send_transfer", dedupe_key=f"send-transfer-{transfer.id}",
            transfer_id=transfer.id)
    return transfer


def send_transfer(*, transfer: Transfer) -> Transfer:
    """Send a pending transfer (task). Replays give the same transfer; `GatewayUnavailable`
    propagates so the task retries with the same key."""
    db.session.refresh(transfer, with_for_update=True)
    if transfer.status != TransferStatus.PENDING:
        return transfer
    try:
        result = get_gateway().create_transfer(
            amount_cents=transfer.amount_cents,
            currency=transfer.currency,
            destination=transfer.vendor.stripe_account_id,
            transfer_group=transfer.transfer_group,
            idempotency_key=transfer.idempotency_key,
            metadata={"transfer_id": str(transfer.id), "vendor_id": str(transfer.vendor_id)},
            source_transaction=transfer.source_transaction,
        )
    except GatewayUnavailable:
        raise
    except GatewayError as error:
        transfer.status = TransferStatus.FAILED
        transfer.failure_message = error.message
        db.session.flush()
        return transfer
    transfer.provider_ref = result.provider_ref
    transfer.status = TransferStatus.SUCCEEDED
    apply_transfer_state(transfer=transfer, result=result)
    return transfer


def apply_transfer_state(*, transfer: Transfer, result: TransferResult) -> bool:
    """The provider's reversed amount is the truth (reversals made from its dashboard too)."""
    changed = transfer.amount_reversed_cents != result.amount_reversed_cents
    transfer.amount_reversed_cents = result.amount_reversed_cents
    db.session.flush()
    return changed


def find_transfer(provider_ref: str, *, metadata: dict | None = None,
                  lock: bool = False) -> Transfer | None:
    """Our Transfer for a provider's transfer; before we saved its id (the sending task has
    not committed, or its answer was lost), by the `transfer_id` we put in its metadata.
    `lock`: locked and re-read, before asking the provider about it."""
    query = select(Transfer).where(Transfer.provider_ref == provider_ref)
    our_id = str((metadata or {}).get("transfer_id", ""))
    if our_id.isdigit():
        query = select(Transfer).where(
            (Transfer.provider_ref == provider_ref)
            | ((Transfer.id == int(our_id)) & Transfer.provider_ref.is_(None))
        )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    transfer = db.session.scalar(query.order_by(Transfer.id).limit(1))
    if transfer is not None and transfer.provider_ref is None and lock:
        # The provider made it (its event says so) and the sending task is not done: take
        # its id now; the task, replaying its key, then finds the transfer settled.
        transfer.provider_ref = provider_ref
        transfer.status = TransferStatus.SUCCEEDED
        db.session.flush()
    return transfer if transfer is None or transfer.provider_ref == provider_ref else None


def record_transfer_reversal(
    *, transfer: Transfer, amount_cents: int, refund: Refund | None = None
) -> TransferReversal:
    """Take money back from a Vendor (after a refund of goods it was already paid for)."""
    db.session.refresh(transfer, with_for_update=True)
    taken = db.session.scalar(
        select(func.coalesce(func.sum(TransferReversal.amount_cents), 0)).where(
            TransferReversal.transfer_id == transfer.id,
            TransferReversal.status != TransferStatus.FAILED,
        )
    )
    left = transfer.amount_cents - max(int(taken), transfer.amount_reversed_cents)
    if transfer.status != TransferStatus.SUCCEEDED or not 0 < amount_cents <= left:
        raise PaymentError(
            PaymentErrorCode.REVERSAL_TOO_HIGH,
            _("Au plus %(amount)s peuvent encore être repris sur ce virement.",
              amount=format_cents(max(left, 0))),
        )
    reversal = TransferReversal(transfer=transfer, amount_cents=amount_cents, refund=refund,
                                status=TransferStatus.PENDING)
    db.session.add(reversal)
    db.session.flush()
    enqueue("payments.send_transfer_reversal", dedupe_key=f"send-reversal-{reversal.id}",
            reversal_id=reversal.id)
    return reversal


def send_transfer_reversal(*, reversal: TransferReversal) -> TransferReversal:
    """Ask the provider for a pending reversal (task); safe to replay, like `send_transfer`."""
    db.session.refresh(reversal, with_for_update=True)
    if reversal.status != TransferStatus.PENDING:
        return reversal
    gateway = get_gateway()
    transfer = reversal.transfer
    try:
        result = gateway.reverse_transfer(transfer_ref=transfer.provider_ref,
                                          amount_cents=reversal.amount_cents,
                                          idempotency_key=reversal.idempotency_key)
    except GatewayUnavailable:
        raise
    except GatewayError as error:
        reversal.status = TransferStatus.FAILED
        reversal.failure_message = error.message
        db.session.flush()
        return reversal
    reversal.provider_ref = result.provider_ref
    reversal.status = TransferStatus.SUCCEEDED
    # Locked before re-reading, as the `transfer.reversed` webhook does.
    db.session.refresh(transfer, with_for_update=True)
    apply_transfer_state(transfer=transfer, result=gateway.retrieve_transfer(transfer.provider_ref))
    return reversal
