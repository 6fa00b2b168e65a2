"""Checkout and the customer's Order pages through the test client."""
import html
import re
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.models import utcnow
from marketplace.extensions import db
from marketplace.notifications.models import SentEmail
from marketplace.orders.models import Order
from marketplace.orders.states import OrderStatus
from marketplace.payments.services import expire_unpaid_orders
from tests.factories.accounts import AddressFactory, UserFactory
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.delivery import DeliveryRoundFactory, DeliveryZoneFactory, PickupSlotFactory
from tests.factories.orders import check_out, fill_cart
from tests.factories.vendors import VendorFactory

NBSP = "\u00a0"
GUEST = {
    "email": "Lea.Martin@example.fr",
    "full_name": "Léa Martin",
    "line1": "5 rue de la Platé",
    "line2": "",
    "postcode": "81100",
    "city": "Castres",
    "phone": "",
}


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def euros(text: str) -> str:
    return text.replace(" €", f"{NBSP}€")


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page).group(1)


def add_to_cart(client, variant, quantity=1):
    response = client.post("/cart/add", data={"variant_id": variant.id, "quantity": quantity,
                                              "next": "/cart"})
    assert response.status_code == 302


def variant_of(vendor, *, name, price=1000, stock=10, vat=2000):
    return VariantFactory(product=ProductFactory(vendor=vendor, name=name, vat_rate_bps=vat),
                          price_cents=price, stock=stock, size="")


@pytest.fixture
def goods(db_session):
    """Two Vendors' goods and a Pickup slot tomorrow, committed (a request may roll back)."""
    wool = variant_of(VendorFactory(name="Filature du Thoré"), name="Écharpe", price=4500)
    honey = variant_of(VendorFactory(name="Rucher d'Anglès"), name="Miel de châtaignier",
                       price=900, vat=550)
    slot = PickupSlotFactory(fee_cents=0)
    db.session.commit()
    return {"wool": wool, "honey": honey, "slot": slot}


def fill_visitor_cart(client, goods):
    add_to_cart(client, goods["wool"])
    add_to_cart(client, goods["honey"], 2)


@pytest.fixture
def basket(client, goods):
    """The goods in the visitor's cart."""
    fill_visitor_cart(client, goods)
    return goods


def to_review(client, *, choice, details=GUEST):
    response = client.post("/checkout", data={**details, "saved_address": "new"})
    assert response.status_code == 302, text_of(response)
    assert response.headers["Location"] == "/checkout/delivery"
    response = client.post("/checkout/delivery", data={"choice": choice})
    assert response.status_code == 302, text_of(response)
    assert response.headers["Location"] == "/checkout/review"
    return text_of(client.get("/checkout/review"))


def place(client, review_page):
    return client.post("/checkout/place", data={
        "checkout_key": hidden(review_page, "checkout_key"),
        "review_digest": hidden(review_page, "review_digest"),
        "accept_terms": "y",
    })


def test_guest_checkout_from_cart_to_confirmation(client, basket, app):
    page = text_of(client.get("/checkout"))
    assert "Vos coordonnées" in page
    assert 'name="email"' in page

    review = to_review(client, choice=f"pickup:{basket['slot'].id}")
    assert "Filature du Thoré" in review and "Rucher d'Anglès" in review
    assert euros("63,00 €") in review                      # 45,00 + 2 × 9,00
    assert "dont TVA 20 %" in review and "dont TVA 5,5 %" in review
    assert "Commander avec obligation de paiement" in review

    response = place(client, review)
    order = db.session.scalar(select(Order))
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/pay/{order.number}?token={order.access_token}"
    )
    assert order.email == "lea.martin@example.fr"
    assert order.customer_id is None
    assert [vo.vendor.name for vo in order.vendor_orders] == ["Filature du Thoré",
                                                              "Rucher d'Anglès"]
    assert order.payment.provider_ref.startswith("devpi_")

    pay_page = text_of(client.get(response.headers["Location"]))
    assert euros("63,00 €") in pay_page
    paid = client.post(response.headers["Location"], data={"card_number": "4242 4242 4242 4242"})
    assert paid.status_code == 302
    assert paid.headers["Location"] == (
        f"/orders/{order.number}/confirmation?token={order.access_token}"
    )
    confirmation = text_of(client.get(paid.headers["Location"]))
    assert f"Votre commande {order.number} est confirmée" in confirmation
    assert order.status == OrderStatus.PAID

    # The guest's confirmation email carries the link to follow the Order.
    sent = db.session.scalar(select(SentEmail).where(
        SentEmail.dedupe_key == f"order-confirmation:{order.number}"))
    assert sent.to == "lea.martin@example.fr"
    texts = [
        BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        .get_body(preferencelist=("plain",)).get_content()
        for path in Path(app.config["MAIL_DIR"]).glob("*lea.martin_at_example.fr.eml")
    ]
    follow = f"/orders/{order.number}?token={order.access_token}"
    assert any("est confirmée" in text and follow in text for text in texts)


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(client):
    response = client.get("/checkout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/cart"


def test_guest_must_give_an_email_and_a_full_address(client, basket):
    response = client.post("/checkout", data={"saved_address": "new", "full_name": "Léa"})
    page = text_of(response)
    assert response.status_code == 200
    assert page.count("Ce champ est obligatoire.") == 4  # email, address, postcode, city


def test_a_round_is_offered_only_where_it_delivers(client, basket):
    DeliveryRoundFactory(zone=DeliveryZoneFactory(name="Castres et alentours",
                                                  postcodes=["81100"], fee_cents=450))
    client.post("/checkout", data={**GUEST, "saved_address": "new"})
    served = text_of(client.get("/checkout/delivery"))
    assert "Castres et alentours" in served

    client.post("/checkout", data={**GUEST, "postcode": "31000", "city": "Toulouse",
                                   "saved_address": "new"})
    elsewhere = text_of(client.get("/checkout/delivery"))
    assert "Castres et alentours" not in elsewhere
    assert "ne desservent pas le code postal 31000" in elsewhere


def test_a_full_round_is_not_offered(client, basket):
    DeliveryRoundFactory(zone=DeliveryZoneFactory(name="Mazamet", postcodes=["81100"]),
                         capacity_stops=1, booked_stops=1)
    client.post("/checkout", data={**GUEST, "saved_address": "new"})
    page = text_of(client.get("/checkout/delivery"))
    assert "aucune tournée n'a de place" in page


def test_review_by_delivery_round_shows_one_fee_for_the_order(client, basket):
    delivery_round = DeliveryRoundFactory(zone=DeliveryZoneFactory(postcodes=["81100"],
                                                                   fee_cents=450))
    review = to_review(client, choice=f"round:{delivery_round.id}")
    assert "Tournée de livraison (un seul tarif)" in review
    assert euros("67,50 €") in review  # 63,00 + 4,50


def test_vendor_shipping_shows_each_vendors_fee(client, basket):
    review = to_review(client, choice="vendor_shipping")
    # The wool (45 €) is under its 60 € threshold: 6,90 €; the honey 6,90 € too.
    assert review.count(euros("6,90 €")) == 2
    assert euros("76,80 €") in review


def test_double_submit_places_one_order(client, basket):
    review = to_review(client, choice=f"pickup:{basket['slot'].id}")
    first = place(client, review)
    second = place(client, review)

    assert len(db.session.scalars(select(Order)).all()) == 1
    assert first.headers["Location"] == second.headers["Location"]


def test_a_price_change_after_review_sends_back_to_the_review(client, basket):
    review = to_review(client, choice=f"pickup:{basket['slot'].id}")
    basket["honey"].price_cents = 950
    db.session.commit()

    response = place(client, review)

    assert response.headers["Location"] == "/checkout/review"
    assert db.session.scalar(select(Order)) is None
    again = text_of(client.get("/checkout/review"))
    assert "le prix est passé de 9,00" in again.replace(NBSP, " ")
    assert "disabled" in again

    client.post("/checkout/review/acknowledge")
    accepted = text_of(client.get("/checkout/review"))
    assert "le prix est passé" not in accepted
    assert euros("64,00 €") in accepted
    assert place(client, accepted).status_code == 302
    assert db.session.scalar(select(Order)).goods_cents == 6400


def test_a_product_sold_out_meanwhile_is_named(client, basket):
    review = to_review(client, choice=f"pickup:{basket['slot'].id}")
    basket["wool"].stock = 0
    db.session.commit()

    response = place(client, review)
    page = text_of(client.get(response.headers["Location"]))

    assert "« Écharpe » est épuisé" in page
    assert db.session.scalar(select(Order)) is None


def test_terms_must_be_accepted(client, basket):
    review = to_review(client, choice=f"pickup:{basket['slot'].id}")
    response = client.post("/checkout/place", data={
        "checkout_key": hidden(review, "checkout_key"),
        "review_digest": hidden(review, "review_digest"),
    })
    assert response.headers["Location"] == "/checkout/review"
    assert db.session.scalar(select(Order)) is None


def test_logged_in_customer_picks_a_saved_address(client, login_as, goods):
    customer = login_as(UserFactory(email="sam@example.fr"))
    address = AddressFactory(user=customer, label="Atelier", line1="2 quai des Jacobins")
    db.session.commit()
    fill_visitor_cart(client, goods)
    page = text_of(client.get("/checkout"))
    assert "2 quai des Jacobins" in page
    assert 'name="email"' not in page

    response = client.post("/checkout", data={"saved_address": str(address.id)})
    assert response.headers["Location"] == "/checkout/delivery"
    client.post("/checkout/delivery", data={"choice": f"pickup:{goods['slot'].id}"})
    place(client, text_of(client.get("/checkout/review")))

    order = db.session.scalar(select(Order))
    assert order.customer_id == customer.id
    assert order.email == "sam@example.fr"
    assert order.address["line1"] == "2 quai des Jacobins"


def test_someone_elses_saved_address_cannot_be_used(client, login_as, basket):
    login_as(UserFactory())
    stranger_address = AddressFactory()
    client.post("/checkout", data={"saved_address": str(stranger_address.id)})
    assert client.get("/checkout/review").status_code == 302
    assert db.session.scalar(select(Order)) is None


# --- The customer's Orders ---------------------------------------------------------------------


@pytest.fixture
def customer_order(db_session):
    customer = UserFactory(email="sam@example.fr")
    vendors = [VendorFactory(name="Filature du Thoré"), VendorFactory(name="Rucher d'Anglès")]
    cart = fill_cart(*((variant_of(vendor, name=f"Article {vendor.name}"), 1)
                       for vendor in vendors), user=customer)
    order = check_out(cart, customer=customer)
    db.session.commit()
    return order


def test_my_orders_lists_only_mine(client, login_as, customer_order):
    someone = UserFactory()
    their_order = check_out(fill_cart((variant_of(VendorFactory(), name="Autre"), 1),
                                      user=someone), customer=someone)
    db.session.commit()
    login_as(db.session.get(User, customer_order.customer_id))

    page = text_of(client.get("/account/orders"))

    assert customer_order.number in page
    assert their_order.number not in page


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/account/orders")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_order_page_shows_each_vendor_part_with_its_status(client, login_as, customer_order):
    login_as(db.session.get(User, customer_order.customer_id))

    page = text_of(client.get(f"/account/orders/{customer_order.number}"))

    for vendor_order in customer_order.vendor_orders:
        assert vendor_order.number in page
        assert vendor_order.vendor.name in page
    assert "En attente de paiement" in page
    assert "dont TVA 20 %" in page
    assert "Reçu imprimable" in page
    receipt = client.get(f"/account/orders/{customer_order.number}/receipt")
    assert receipt.status_code == 200
    assert "ce reçu n'est pas une facture" in text_of(receipt)


def test_another_customers_order_is_not_found(client, login_as, customer_order):
    login_as(UserFactory())
    assert client.get(f"/account/orders/{customer_order.number}").status_code == 404
    assert client.get(f"/account/orders/{customer_order.number}/receipt").status_code == 404
    assert client.get(f"/pay/{customer_order.number}").status_code == 404
    assert client.get(f"/orders/{customer_order.number}/confirmation").status_code == 404


def test_guest_follows_an_order_with_the_secret_link_only(client):
    order = check_out(fill_cart((variant_of(VendorFactory(), name="Tomme"), 1)))
    db.session.commit()

    assert client.get(f"/orders/{order.number}").status_code == 404
    assert client.get(f"/orders/{order.number}?token=wrong").status_code == 404
    page = client.get(f"/orders/{order.number}?token={order.access_token}")
    assert page.status_code == 200
    assert "Tomme" in text_of(page)
    receipt = client.get(f"/orders/{order.number}/receipt?token={order.access_token}")
    assert receipt.status_code == 200


def test_order_timeline_shows_payment_and_vendor_steps(client, login_as, customer_order):
    login_as(db.session.get(User, customer_order.customer_id))
    client.post(f"/pay/{customer_order.number}", data={"card_number": "4242424242424242"})

    page = text_of(client.get(f"/account/orders/{customer_order.number}"))

    assert "Payée" in page
    assert "Payée, à accepter par l'atelier" in page
    assert "Suivi de cette partie" in page


def test_an_expired_order_can_no_longer_be_paid_on_its_page(client, login_as, customer_order):
    login_as(db.session.get(User, customer_order.customer_id))
    expire_unpaid_orders(now=utcnow() + timedelta(hours=1))
    db.session.commit()

    page = text_of(client.get(f"/pay/{customer_order.number}"))
    assert "ne peut plus être payée" in page
    response = client.post(f"/pay/{customer_order.number}",
                           data={"card_number": "4242424242424242"})
    assert response.status_code == 200
    assert customer_order.status == OrderStatus.EXPIRED
