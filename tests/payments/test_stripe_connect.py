"""Vendors' Stripe accounts: onboarding from the vendor space, payouts enabled only when Stripe
says so, transfers and reversals recorded before they are sent (localstripe + Connect shim)."""
import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.payments.connect import (
    record_transfer,
    record_transfer_reversal,
    send_transfer,
    send_transfer_reversal,
)
from marketplace.payments.errors import PaymentError, PaymentErrorCode
from marketplace.payments.models import Transfer
from tests.factories.accounts import UserFactory
from tests.factories.catalog import VariantFactory
from tests.factories.payments import pay_test_order, place_test_order
from tests.factories.vendors import VendorFactory, VendorMemberFactory


@pytest.fixture
def member(db_session, stripe_gateway):
    member = VendorMemberFactory(vendor=VendorFactory(name="Atelier Laine",
                                                      contact_email="laine@example.fr"))
    db.session.commit()
    return member


def test_vendor_page_is_for_the_vendors_members_only(client, login_as, member):
    assert client.get("/vendor/payments").status_code == 302
    outsider = UserFactory()
    db.session.commit()
    login_as(outsider)
    assert client.get("/vendor/payments").status_code == 403
    assert client.post("/vendor/payments/connect").status_code == 403


def test_connecting_creates_one_account_and_sends_the_vendor_to_onboarding(
    client, login_as, member, localstripe
):
    login_as(member.user)
    assert "Connecter mon compte Stripe" in client.get("/vendor/payments").get_data(as_text=True)

    first = client.post("/vendor/payments/connect")
    second = client.post("/vendor/payments/connect")

    vendor = member.vendor
    db.session.refresh(vendor)
    [account] = localstripe.list("accounts")
    assert vendor.stripe_account_id == account["id"]
    assert account["email"] == "laine@example.fr"
    assert not vendor.payouts_enabled
    for response in (first, second):
        assert response.status_code == 302
        assert response.headers["Location"].startswith(f"{localstripe.base_url}/_onboarding/")
        assert "return_url=http://localhost/vendor/payments/return" in response.headers["Location"]
    page = client.get("/vendor/payments").get_data(as_text=True)
    assert "Reprendre mon inscription Stripe" in page


def test_payouts_are_enabled_only_once_stripe_says_the_account_can_be_paid(
    client, login_as, member, localstripe
):
    login_as(member.user)
    client.post("/vendor/payments/connect")
    vendor = member.vendor
    db.session.refresh(vendor)

    early = client.get("/vendor/payments/return", follow_redirects=True)
    assert "pas encore terminée" in early.get_data(as_text=True)
    db.session.refresh(vendor)
    assert not vendor.payouts_enabled

    localstripe.complete_onboarding(vendor.stripe_account_id)
    done = client.get("/vendor/payments/return", follow_redirects=True)

    assert "vous pouvez recevoir vos virements" in done.get_data(as_text=True)
    db.session.refresh(vendor)
    assert vendor.payouts_enabled


def test_an_expired_onboarding_link_leads_back_to_the_button(client, login_as, member):
    login_as(member.user)

    page = client.get("/vendor/payments?expired=1").get_data(as_text=True)

    assert "Le lien d'inscription a expiré" in page
    assert 'action="/vendor/payments/connect"' in page


@pytest.fixture
def paid_vendor(db_session, stripe_gateway, localstripe):
    """A Vendor who finished onboarding, and a paid Order from it."""
    vendor = VendorFactory()
    account = stripe_gateway.create_connected_account(email="", idempotency_key="vendor-x")
    localstripe.complete_onboarding(account.provider_ref)
    vendor.stripe_account_id = account.provider_ref
    vendor.payouts_enabled = True
    order = place_test_order((VariantFactory(price_cents=8000, product__vendor=vendor), 1))
    pay_test_order(order)
    return vendor, order


def test_transfer_is_refused_while_the_vendor_cannot_be_paid(db_session, stripe_gateway):
    vendor = VendorFactory()

    with pytest.raises(PaymentError) as error:
        record_transfer(vendor=vendor, amount_cents=1000, transfer_group="LA-2026-000001",
                        idempotency_key="payout-1")
    assert error.value.code == PaymentErrorCode.PAYOUTS_DISABLED


def test_transfer_and_partial_reversal_reach_the_vendor_account_once(paid_vendor, localstripe):
    vendor, order = paid_vendor
    charge = localstripe.get("payment_intents", order.payment.provider_ref)["latest_charge"]

    transfer = record_transfer(vendor=vendor, amount_cents=7040, transfer_group=order.number,
                               idempotency_key="payout-7", source_transaction=charge["id"])
    send_transfer(transfer=transfer)
    send_transfer(transfer=transfer)

    [at_provider] = localstripe.list("transfers")
    assert (at_provider["id"], at_provider["amount"], at_provider["destination"]) == (
        transfer.provider_ref, 7040, vendor.stripe_account_id)
    assert at_provider["transfer_group"] == order.number
    assert transfer.status == "succeeded"

    reversal = record_transfer_reversal(transfer=transfer, amount_cents=2000)
    send_transfer_reversal(reversal=reversal)
    send_transfer_reversal(reversal=reversal)
    assert reversal.status == "succeeded"
    assert transfer.amount_reversed_cents == 2000
    assert localstripe.get("transfers", transfer.provider_ref)["amount_reversed"] == 2000
    with pytest.raises(PaymentError) as error:
        record_transfer_reversal(transfer=transfer, amount_cents=5041)
    assert error.value.code == PaymentErrorCode.REVERSAL_TOO_HIGH


def test_transfer_refused_by_the_provider_is_recorded_as_failed(paid_vendor, localstripe):
    vendor, order = paid_vendor
    charge = localstripe.get("payment_intents", order.payment.provider_ref)["latest_charge"]

    transfer = record_transfer(vendor=vendor, amount_cents=9000, transfer_group=order.number,
                               idempotency_key="payout-8", source_transaction=charge["id"])
    send_transfer(transfer=transfer)

    assert transfer.status == "failed"
    assert "exceeds" in transfer.failure_message
    assert db.session.scalar(select(Transfer.provider_ref)) is None
