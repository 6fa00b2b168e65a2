"""The dev gateway's pages: test card, declines and retries, 3-D Secure, onboarding."""
import html

import pytest

from marketplace.extensions import db
from marketplace.orders.states import OrderStatus
from marketplace.payments.registry import get_gateway
from marketplace.payments.states import PaymentStatus
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.orders import check_out, fill_cart
from tests.factories.vendors import VendorFactory, VendorMemberFactory


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def order(db_session):
    variant = VariantFactory(product=ProductFactory(vendor=VendorFactory()), price_cents=2750)
    order = check_out(fill_cart((variant, 2)))
    db.session.commit()
    return order


def pay_url(order, suffix=""):
    return f"/pay/{order.number}{suffix}?token={order.access_token}"


def test_pay_page_shows_the_amount_and_the_test_cards(client, order):
    page = text_of(client.get(pay_url(order)))
    assert "61,90\u00a0€" in page  # 2 × 27,50 + 6,90 shipping
    assert "4000 0027 6000 3184" in page
    assert 'autocomplete="cc-number"' in page


def test_a_guest_needs_the_secret_link(client, order):
    assert client.get(f"/pay/{order.number}").status_code == 404
    assert client.get(f"/pay/{order.number}?token=nope").status_code == 404


def test_declined_card_says_why_and_the_customer_retries(client, order):
    declined = client.post(pay_url(order), data={"card_number": "4000 0000 0000 0002"})
    assert declined.headers["Location"] == pay_url(order)
    page = text_of(client.get(pay_url(order)))
    assert "Votre carte a été refusée" in page
    assert "Vous pouvez réessayer avec une autre carte." in page
    assert order.status == OrderStatus.PAYMENT_FAILED

    paid = client.post(pay_url(order), data={"card_number": "4242 4242 4242 4242"})
    assert paid.headers["Location"].startswith(f"/orders/{order.number}/confirmation")
    assert order.status == OrderStatus.PAID


def test_a_second_decline_shows_its_own_reason(client, order):
    client.post(pay_url(order), data={"card_number": "4000 0000 0000 0002"})
    client.post(pay_url(order), data={"card_number": "5555 5555 5555 4444"})

    page = text_of(client.get(pay_url(order)))
    assert "n'est pas une carte de test" in page
    assert "refusée par votre banque" not in page


def test_a_card_number_must_be_digits(client, order):
    page = text_of(client.post(pay_url(order), data={"card_number": "abcd"}))
    assert "ne contient que des chiffres" in page
    assert order.payment.status == PaymentStatus.CREATED


def test_three_d_secure_page_confirms_the_payment(client, order):
    asked = client.post(pay_url(order), data={"card_number": "4000 0027 6000 3184"})
    assert asked.headers["Location"] == pay_url(order, "/authenticate")
    page = text_of(client.get(asked.headers["Location"]))
    assert "Confirmer le paiement (3-D Secure de test)" in page
    # Going back to the card page while the bank waits leads back to the bank's page.
    assert client.get(pay_url(order)).headers["Location"] == pay_url(order, "/authenticate")

    done = client.post(pay_url(order, "/authenticate"), data={"decision": "approve"})

    assert done.headers["Location"].startswith(f"/orders/{order.number}/confirmation")
    assert order.payment.status == PaymentStatus.SUCCEEDED
    assert order.status == OrderStatus.PAID


def test_three_d_secure_refused_lets_the_customer_retry(client, order):
    client.post(pay_url(order), data={"card_number": "4000 0027 6000 3184"})
    refused = client.post(pay_url(order, "/authenticate"), data={"decision": "refuse"})

    assert refused.headers["Location"] == pay_url(order)
    assert "3-D Secure a été refusée" in text_of(client.get(pay_url(order)))
    assert order.payment.status == PaymentStatus.FAILED


def test_a_paid_order_goes_to_its_confirmation(client, order):
    client.post(pay_url(order), data={"card_number": "4242424242424242"})
    response = client.get(pay_url(order))
    assert response.headers["Location"].startswith(f"/orders/{order.number}/confirmation")


def vendor_member_with_account(login_as, key):
    """A signed-in Vendor member whose Vendor holds a new connected account."""
    account = get_gateway("dev").create_connected_account(email="", idempotency_key=key)
    member = VendorMemberFactory(vendor=VendorFactory(stripe_account_id=account.provider_ref))
    db.session.commit()
    login_as(member.user)
    return account


def test_onboarding_page_enables_payouts_and_returns(client, login_as):
    gateway = get_gateway("dev")
    account = vendor_member_with_account(login_as, "v-9")
    url = f"/dev/connect/{account.provider_ref}?return_url=/vendor/payments"

    assert "Compte de paiement (simulation)" in text_of(client.get(url))
    response = client.post(url)

    assert response.headers["Location"] == "/vendor/payments"
    assert gateway.retrieve_account(account.provider_ref).payouts_enabled


def test_onboarding_never_returns_to_another_site(client, login_as):
    account = vendor_member_with_account(login_as, "v-10")
    response = client.post(f"/dev/connect/{account.provider_ref}"
                           "?return_url=https://evil.example/steal")
    assert response.headers["Location"] == "/"


def test_only_a_member_of_the_accounts_vendor_may_complete_its_onboarding(client, login_as):
    account = vendor_member_with_account(login_as, "v-11")
    url = f"/dev/connect/{account.provider_ref}"
    client.post("/logout")
    assert client.post(url).status_code == 302                  # to the sign-in page
    login_as(VendorMemberFactory().user)                        # another Vendor's member
    assert client.post(url).status_code == 404
    assert not get_gateway("dev").retrieve_account(account.provider_ref).payouts_enabled


def test_dev_pages_are_gone_with_another_gateway(client, app, order):
    app.config["PAYMENT_GATEWAY"] = "stripe_elsewhere"
    try:
        assert client.get(pay_url(order, "/authenticate")).status_code == 404
        assert client.get("/dev/connect/devacct_x").status_code == 404
    finally:
        app.config["PAYMENT_GATEWAY"] = "dev"
