"""The Stripe payment page and the return from Stripe: the server reads the outcome itself."""
import re

import pytest

from marketplace.extensions import db
from marketplace.payments.services import start_payment
from tests.factories.catalog import VariantFactory
from tests.factories.payments import place_test_order


@pytest.fixture
def order(db_session, stripe_gateway):
    order = place_test_order((VariantFactory(price_cents=4500, stock=3), 1))
    start_payment(payment=order.payment)
    db.session.commit()
    return order


def page(order, suffix=""):
    return f"/pay/{order.number}{suffix}?token={order.access_token}"


def confirm_in_browser(localstripe, order, payment_method):
    """What Stripe.js does when the customer presses "Payer"."""
    return localstripe.post(f"/v1/payment_intents/{order.payment.provider_ref}/confirm",
                            payment_method=payment_method, check=False)


def test_pay_page_hands_stripe_js_its_keys_through_data_attributes(client, order):
    response = client.get(page(order))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-publishable-key="pk_test_lesateliers"' in html
    assert f'data-client-secret="{order.payment.client_secret}"' in html
    assert f"/pay/{order.number}/return?token={order.access_token}" in html
    assert '<script src="https://js.stripe.com/v3/"></script>' in html
    assert "/static/js/stripe-checkout.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' https://js.stripe.com" in csp


def test_a_stranger_without_the_link_gets_nothing(client, order):
    assert client.get(f"/pay/{order.number}").status_code == 404
    assert client.get(f"/pay/{order.number}/return").status_code == 404


def test_return_after_payment_marks_the_order_paid(client, order, localstripe):
    confirm_in_browser(localstripe, order, "pm_card_visa")

    response = client.get(page(order, "/return"))

    assert response.status_code == 302
    assert f"/orders/{order.number}/confirmation" in response.headers["Location"]
    db.session.refresh(order)
    assert (order.status, order.payment.status) == ("paid", "succeeded")
    assert client.get(page(order)).status_code == 302  # nothing left to pay


def test_declined_card_sends_the_customer_back_with_the_reason(client, order, localstripe):
    confirm_in_browser(localstripe, order, "pm_card_visa_chargeDeclined")

    response = client.get(page(order, "/return"), follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "Le paiement n'est pas passé." in html
    assert "Votre carte a été refusée." in html
    assert 'id="payment-element"' in html  # another card can be tried at once
    db.session.refresh(order)
    assert (order.status, order.payment.status) == ("payment_failed", "failed")


def test_three_d_secure_left_unfinished_is_explained_then_completed(client, order, localstripe):
    intent = confirm_in_browser(localstripe, order, localstripe.card("4000002760003184"))
    assert intent["status"] == "requires_action"

    html = client.get(page(order, "/return"), follow_redirects=True).get_data(as_text=True)
    assert "3-D Secure" in html
    assert 'data-requires-action="true"' in html

    localstripe.authenticate(intent)
    client.get(page(order, "/return"))
    db.session.refresh(order)
    assert order.status == "paid"


def test_payment_not_prepared_at_checkout_is_prepared_on_request(
    client, db_session, stripe_gateway, localstripe
):
    order = place_test_order((VariantFactory(price_cents=4500, stock=3), 1))
    db.session.commit()

    html = client.get(page(order)).get_data(as_text=True)
    assert "Préparer le paiement" in html
    assert 'id="payment-element"' not in html

    assert client.post(page(order)).status_code == 302
    db.session.refresh(order)
    assert order.payment.client_secret
    assert [pi["id"] for pi in localstripe.list("payment_intents")] == [order.payment.provider_ref]
