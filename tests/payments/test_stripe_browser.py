"""Our Stripe page and `static/js/stripe-checkout.js` in Chromium, under the real CSP.

js.stripe.com cannot be reached from here, so the browser is given a small stand-in for
Stripe.js (the calls our script makes: `elements().create("payment").mount()`,
`confirmPayment()`), and its calls to api.stripe.com are answered by localstripe. What is
tested is our side: the keys passed by data attributes, the redirection to the return URL,
the server's own check of the payment there, and the error shown for a declined card.
"""
import pytest
import requests
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.payments.services import start_payment
from tests.factories.catalog import VariantFactory
from tests.factories.payments import place_test_order
from tests.live_server import launch_chromium, serve_app
from tests.stripe_fake.plugin import SECRET_KEY, stripe_settings

pytestmark = pytest.mark.slow

#: Stands in for https://js.stripe.com/v3/: one card field, and a confirmation that posts to
#: api.stripe.com (answered by the test) and redirects like Stripe.js does.
FAKE_STRIPE_JS = """
window.Stripe = function (publishableKey) {
  var clientSecret = null;
  return {
    elements: function (options) {
      clientSecret = options.clientSecret;
      return {
        create: function () {
          return {
            mount: function (selector) {
              var input = document.createElement("input");
              input.id = "fake-card";
              input.setAttribute("aria-label", "Numéro de carte (Stripe)");
              document.querySelector(selector).appendChild(input);
            }
          };
        }
      };
    },
    confirmPayment: function (args) {
      var body = new URLSearchParams({
        key: publishableKey, client_secret: clientSecret,
        card: document.getElementById("fake-card").value
      });
      var id = clientSecret.split("_secret_")[0];
      return fetch("https://api.stripe.com/v1/payment_intents/" + id + "/confirm",
                   { method: "POST", body: body })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (answer.error) { return { error: answer.error }; }
          window.location.assign(args.confirmParams.return_url);
          return new Promise(function () {});
        });
    },
    handleNextAction: function () { return Promise.resolve({}); }
  };
};
"""

#: What the customer types -> the test PaymentMethod Stripe would build from it.
CARDS = {"4242424242424242": "pm_card_visa", "4000000000000002": "pm_card_visa_chargeDeclined"}


@pytest.fixture
def live_server(app, committed_db, localstripe):
    with serve_app(app, **stripe_settings(localstripe)) as base_url:
        yield base_url


@pytest.fixture
def browser_page(localstripe):
    def stripe_api(route):
        """api.stripe.com, as Stripe.js reaches it with the publishable key."""
        form = dict(pair.split("=", 1) for pair in route.request.post_data.split("&"))
        intent_id = route.request.url.rsplit("/", 2)[-2]
        answer = requests.post(
            f"{localstripe.base_url}/v1/payment_intents/{intent_id}/confirm",
            data={"payment_method": CARDS.get(form["card"], "pm_card_visa_chargeDeclined")},
            headers={"Authorization": f"Bearer {SECRET_KEY}"}, timeout=10,
        )
        route.fulfill(status=answer.status_code, body=answer.text,
                      headers={"Content-Type": "application/json",
                               "Access-Control-Allow-Origin": "*"})

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(locale="fr-FR")
        page.route("https://js.stripe.com/v3/", lambda route: route.fulfill(
            body=FAKE_STRIPE_JS, headers={"Content-Type": "application/javascript"}))
        page.route("https://api.stripe.com/**", stripe_api)
        page.csp_errors = []
        page.on("console", lambda message: "Content Security Policy" in message.text
                and page.csp_errors.append(message.text))
        try:
            yield page
        finally:
            browser.close()


@pytest.fixture
def order(committed_db, stripe_gateway):
    order = place_test_order((VariantFactory(price_cents=4500, stock=3), 1))
    db.session.commit()
    start_payment(payment=order.payment)
    db.session.commit()
    return order.number, order.access_token


def test_card_accepted_in_the_stripe_form_pays_the_order(live_server, browser_page, order):
    number, token = order
    page = browser_page
    page.goto(f"{live_server}/pay/{number}?token={token}")

    page.get_by_label("Numéro de carte (Stripe)").fill("4242424242424242")
    page.get_by_role("button", name="Payer 51,90").click()

    expect(page.get_by_role("heading", name="Merci !")).to_be_visible()
    assert page.csp_errors == []
    db.session.expire_all()
    paid = db.session.scalar(select(Order).where(Order.number == number))
    assert (paid.status, paid.payment.status) == ("paid", "succeeded")


def test_declined_card_is_explained_and_another_can_be_tried(live_server, browser_page, order):
    number, token = order
    page = browser_page
    page.goto(f"{live_server}/pay/{number}?token={token}")

    page.get_by_label("Numéro de carte (Stripe)").fill("4000000000000002")
    page.get_by_role("button", name="Payer 51,90").click()

    expect(page.locator("#payment-message")).to_contain_text("declined")
    expect(page.get_by_role("button", name="Payer 51,90")).to_be_enabled()
    page.get_by_label("Numéro de carte (Stripe)").fill("4242424242424242")
    page.get_by_role("button", name="Payer 51,90").click()
    expect(page.get_by_role("heading", name="Merci !")).to_be_visible()
    assert page.csp_errors == []
