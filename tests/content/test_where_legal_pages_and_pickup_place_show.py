"""The legal pages and the pickup place are found where a Customer needs them."""
import html
import re

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.delivery import PickupSlotFactory
from tests.factories.vendors import VendorFactory

GUEST = {"email": "lea@example.fr", "full_name": "Léa Martin", "line1": "5 rue de la Platé",
         "line2": "", "postcode": "81100", "city": "Castres", "phone": "", "saved_address": "new"}


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page).group(1)


def test_every_page_footer_links_to_the_legal_pages_and_contact(client):
    footer = text_of(client.get("/")).split('class="site-footer"', 1)[1]
    for path in ("/conditions-generales-de-vente", "/droit-de-retractation",
                 "/donnees-personnelles", "/mentions-legales", "/contact"):
        assert f'href="{path}"' in footer


def test_a_pickup_customer_sees_the_shop_address_up_to_the_order_page(client, db_session):
    variant = VariantFactory(product=ProductFactory(vendor=VendorFactory()), stock=5, size="")
    slot = PickupSlotFactory(fee_cents=0)
    db.session.commit()
    client.post("/cart/add", data={"variant_id": variant.id, "quantity": 1, "next": "/cart"})
    client.post("/checkout", data=GUEST)

    delivery_step = text_of(client.get("/checkout/delivery"))
    assert "L'adresse de la boutique" in delivery_step
    assert "Voir sur la carte" in delivery_step

    client.post("/checkout/delivery", data={"choice": f"pickup:{slot.id}"})
    review = text_of(client.get("/checkout/review"))
    terms_hint = review.split('id="terms-links"', 1)[1].split("</p>", 1)[0]
    assert 'href="/conditions-generales-de-vente"' in terms_hint
    assert 'href="/droit-de-retractation"' in terms_hint

    client.post("/checkout/place", data={"checkout_key": hidden(review, "checkout_key"),
                                         "review_digest": hidden(review, "review_digest"),
                                         "accept_terms": "y"})
    order = db.session.scalar(select(Order))
    order_page = text_of(client.get(f"/orders/{order.number}?token={order.access_token}"))
    assert "Où retirer votre commande" in order_page
    assert "Horaires :" in order_page
