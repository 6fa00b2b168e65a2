"""The cart pages through the test client: add from a product page, change, remove, merge."""

import html
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from marketplace.cart.models import Cart, CartLine
from marketplace.cart.views import CART_COOKIE
from marketplace.extensions import db
from tests.factories.accounts import TEST_PASSWORD, AddressFactory, UserFactory
from tests.factories.cart import CartFactory, CartLineFactory
from tests.factories.catalog import VariantFactory
from tests.factories.delivery import DeliveryRoundFactory, DeliveryZoneFactory, PickupSlotFactory
from tests.factories.vendors import VendorFactory

NBSP = "\u00a0"


def euros(text: str) -> str:
    """How the money filter writes an amount in French: "12,50 €" with a no-break space."""
    return text.replace(" €", f"{NBSP}€")


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def add(client, variant, quantity=1, next_url="/products/x"):
    return client.post(
        "/cart/add", data={"variant_id": variant.id, "quantity": quantity, "next": next_url}
    )


def lines_in_db():
    return {line.variant_id: line.quantity for line in db.session.scalars(select(CartLine))}


def test_empty_cart(client):
    page = page_text(client.get("/cart"))
    assert "Votre panier est vide" in page
    assert 'Panier <span class="site-nav__count">(0)</span>' in page


def test_product_page_form_adds_to_cart_and_comes_back_with_a_message(client):
    variant = VariantFactory(product__name="Écharpe mohair", price_cents=4500, stock=5)
    slug = variant.product.slug

    product_page = page_text(client.get(f"/products/{slug}"))
    assert 'action="/cart/add"' in product_page
    assert "Ajouter au panier" in product_page

    assert f'name="next" value="/products/{slug}"' in product_page
    response = add(client, variant, 2, next_url=f"/products/{slug}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/products/{slug}"
    assert client.get_cookie(CART_COOKIE) is not None

    page = page_text(client.get(f"/products/{slug}"))
    assert "Ajouté au panier" in page
    assert "(2)" in page  # the header count
    assert lines_in_db() == {variant.id: 2}


def test_sold_out_variants_cannot_be_chosen_on_the_product_page(client):
    product = VariantFactory(size="S", stock=0).product
    VariantFactory(product=product, size="M", stock=4)
    page = page_text(client.get(f"/products/{product.slug}"))
    radios = [chunk for chunk in page.split("<input") if 'name="variant_id"' in chunk]
    assert len(radios) == 2
    assert sum("disabled" in radio for radio in radios) == 1


def test_add_refuses_more_than_the_stock_and_says_why(client):
    variant = VariantFactory(stock=2, product__name="Savon au lait d'ânesse", size="")
    add(client, variant, 1)
    response = add(client, variant, 2)
    page = page_text(client.get(response.headers["Location"].split("#")[0]))
    assert "Il ne reste que 2 exemplaires de « Savon au lait d'ânesse »" in page
    assert lines_in_db() == {variant.id: 1}


def test_add_never_redirects_off_site(client):
    response = add(client, VariantFactory(), 1, next_url="//evil.example/")
    assert response.headers["Location"] == "/cart"


def test_cart_page_groups_lines_by_vendor_with_subtotals(client):
    farm = VendorFactory(name="Ferme de la Bascoulette")
    workshop = VendorFactory(name="Atelier Bonnet")
    add(client, VariantFactory(product__vendor=farm, product__name="Miel", price_cents=900), 2)
    add(
        client, VariantFactory(product__vendor=workshop, product__name="Béret", price_cents=3500), 1
    )

    page = page_text(client.get("/cart"))

    assert page.index("Atelier Bonnet") < page.index("Ferme de la Bascoulette")
    assert euros("Sous-total Ferme de la Bascoulette : <strong>18,00 €</strong>") in page
    assert euros("Sous-total Atelier Bonnet : <strong>35,00 €</strong>") in page
    assert '<a class="button button--primary cart__checkout" href="/checkout">Commander</a>' in page


def test_change_quantity_and_remove_a_line(client):
    keep = VariantFactory(stock=10)
    drop = VariantFactory()
    add(client, keep)
    add(client, drop)
    line_ids = {line.variant_id: line.id for line in db.session.scalars(select(CartLine))}

    response = client.post(f"/cart/lines/{line_ids[keep.id]}/quantity", data={"quantity": 4})
    assert response.status_code == 302
    assert "Quantité mise à jour" in page_text(client.get("/cart"))

    client.post(f"/cart/lines/{line_ids[drop.id]}/remove")
    assert "Article retiré du panier" in page_text(client.get("/cart"))
    assert lines_in_db() == {keep.id: 4}


def test_quantity_above_stock_is_refused_on_the_cart_page(client):
    variant = VariantFactory(stock=3)
    add(client, variant)
    line_id = db.session.scalar(select(CartLine.id))
    client.post(f"/cart/lines/{line_id}/quantity", data={"quantity": 7})
    assert "Il ne reste que 3 exemplaires" in page_text(client.get("/cart"))
    assert lines_in_db() == {variant.id: 1}


def test_lines_of_someone_elses_cart_are_out_of_reach(client):
    theirs = CartLineFactory(quantity=2)
    add(client, VariantFactory())
    client.post(f"/cart/lines/{theirs.id}/remove")
    client.post(f"/cart/lines/{theirs.id}/quantity", data={"quantity": 1})
    assert "Cet article n'est plus dans votre panier" in page_text(client.get("/cart"))
    db.session.refresh(theirs)
    assert theirs.quantity == 2


def test_a_tampered_cookie_finds_no_cart(client):
    victim = CartLineFactory().cart
    client.set_cookie(CART_COOKIE, victim.token)  # unsigned: refused
    assert "Votre panier est vide" in page_text(client.get("/cart"))


def test_price_change_is_shown_and_can_be_accepted(client):
    variant = VariantFactory(price_cents=1250)
    add(client, variant)
    variant.price_cents = 1390
    db.session.flush()

    page = page_text(client.get("/cart"))
    assert euros("Le prix a changé : 12,50 € → 13,90 €") in page

    line_id = db.session.scalar(select(CartLine.id))
    client.post(f"/cart/lines/{line_id}/accept-price")
    page = page_text(client.get("/cart"))
    assert "Le prix a changé" not in page
    assert "Nouveau prix accepté" in page


def test_sold_out_and_short_lines_are_flagged_and_block_the_order_button(client):
    gone = VariantFactory(stock=5)
    short = VariantFactory(stock=5)
    add(client, gone, 1)
    add(client, short, 4)
    gone.stock = 0
    short.stock = 2
    db.session.flush()
    page = page_text(client.get("/cart"))
    assert "Épuisé : retirez cet article pour commander." in page
    print(page[page.find("reste que") - 40 : page.find("reste que") + 60])
    assert "Il n'en reste que 2 : réduisez la quantité." in page
    assert "cart__checkout" not in page


def test_delivery_block_prices_each_choice(client):
    now = datetime.now(UTC)
    farm = VendorFactory(name="Ferme", shipping_flat_cents=590, free_shipping_threshold_cents=None)
    workshop = VendorFactory(name="Atelier", free_shipping_threshold_cents=6000)
    add(client, VariantFactory(product__vendor=farm, price_cents=900))
    add(client, VariantFactory(product__vendor=workshop, price_cents=6500))
    PickupSlotFactory(starts_at=now + timedelta(days=1), fee_cents=150)
    zone = DeliveryZoneFactory(postcodes=["81100"], fee_cents=450)
    DeliveryRoundFactory(zone=zone)

    page = page_text(client.get("/cart"))
    assert euros("Ferme : 5,90 €") in page
    assert "Atelier : offerte" in page
    assert euros("Total : 5,90 €") in page
    assert euros("1,50 € pour toute la commande") in page
    assert "Prochaine tournée" not in page  # no postcode yet

    page = page_text(client.get("/cart?postcode=81100"))
    assert euros("4,50 € pour toute la commande") in page
    assert "Prochaine tournée" in page

    page = page_text(client.get("/cart?postcode=75011"))
    assert "Nos tournées ne passent pas encore par 75011." in page
    page = page_text(client.get("/cart?postcode=811"))
    assert "Le code postal compte 5 chiffres" in page


def test_logged_in_customer_sees_rounds_for_their_default_address(client, login_as):
    user = login_as(UserFactory())
    AddressFactory(user=user, postcode="81290", is_default=True)
    DeliveryRoundFactory(zone=DeliveryZoneFactory(postcodes=["81290"], fee_cents=600))
    add(client, VariantFactory())
    page = page_text(client.get("/cart"))
    assert 'value="81290"' in page
    assert euros("6,00 € pour toute la commande") in page


def test_logged_in_customer_cart_belongs_to_the_account(client, login_as):
    user = login_as(UserFactory())
    variant = VariantFactory()
    add(client, variant, 2)
    cart = db.session.scalar(select(Cart).where(Cart.user_id == user.id))
    assert [line.variant_id for line in cart.lines] == [variant.id]
    assert client.get_cookie(CART_COOKIE) is None


@pytest.fixture
def customer_with_cart(db_session):
    user = UserFactory(email="anne@example.fr")
    shared = VariantFactory(stock=3, product__name="Confiture de figues", size="")
    cart = CartFactory(user_id=user.id)
    CartLineFactory(cart=cart, variant=shared, quantity=2)
    return user, shared


def test_login_merges_the_anonymous_cart_into_the_account(client, customer_with_cart):
    user, shared = customer_with_cart
    only_anonymous = VariantFactory()
    add(client, shared, 2)
    add(client, only_anonymous, 1)

    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302

    carts = db.session.scalars(select(Cart)).all()
    assert [cart.user_id for cart in carts] == [user.id]
    assert lines_in_db() == {shared.id: 3, only_anonymous.id: 1}
    assert client.get_cookie(CART_COOKIE) is None
    page = page_text(client.get("/cart"))
    assert "« Confiture de figues » : il ne reste que 3 exemplaires" in page
    assert "(4)" in page
