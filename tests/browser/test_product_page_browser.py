"""On a product page in a real browser: size and colour chosen apart, a colour shows its
photo, thumbnails open in the page, and on a phone the add-to-cart button stays in reach."""
import pytest
from playwright.sync_api import expect, sync_playwright

from marketplace.extensions import db
from tests.factories.catalog import ProductFactory, ProductImageFactory, VariantFactory
from tests.live_server import launch_chromium, serve_app

pytestmark = pytest.mark.slow


@pytest.fixture
def live_server(app, committed_db):
    with serve_app(app) as base_url:
        yield base_url


def make_jumper() -> str:
    """A jumper in three sizes and two colours, each colour with its photo; M grey sold out."""
    product = ProductFactory(name="Pull en laine du Tarn")
    for position, (size, colour, price, stock) in enumerate([
        ("S", "Écru", 8900, 3), ("M", "Écru", 8900, 2), ("L", "Écru", 9200, 1),
        ("S", "Gris", 8900, 3), ("M", "Gris", 8900, 0), ("L", "Gris", 9200, 4),
    ]):
        VariantFactory(product=product, size=size, colour=colour, price_cents=price,
                       stock=stock, position=position)
    ProductImageFactory(product=product, position=0, colour="Écru", alt="Pull écru")
    ProductImageFactory(product=product, position=1, colour="Gris", alt="Pull gris")
    db.session.commit()
    return product.slug


@pytest.fixture
def jumper(committed_db):
    return make_jumper()


def test_size_and_colour_are_two_choices_and_the_colour_shows_its_photo(live_server, jumper):
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(locale="fr-FR")
        page.goto(f"{live_server}/products/{jumper}")

        expect(page.get_by_role("group", name="Taille")).to_be_visible()
        expect(page.get_by_role("group", name="Couleur")).to_be_visible()
        expect(page.locator("[data-variant-list]")).to_be_hidden()

        colour = page.get_by_role("group", name="Couleur")
        colour.get_by_role("radio", name="Gris", exact=True).check()
        expect(page.locator("[data-product-picture] img")).to_have_attribute("alt", "Pull gris")
        page.get_by_role("group", name="Taille").get_by_role("radio", name="L", exact=True).check()
        expect(page.locator("[data-product-price]")).to_contain_text("92,00")
        page.get_by_role("group", name="Taille").get_by_role("radio", name="M", exact=True).check()
        expect(page.get_by_text("Cette combinaison n'existe pas ou est épuisée.")).to_be_visible()

        page.get_by_role("group", name="Taille").get_by_role("radio", name="S", exact=True).check()
        page.get_by_role("button", name="Ajouter au panier").click()
        expect(page.get_by_text("Ajouté au panier")).to_be_visible()
        page.goto(f"{live_server}/cart")
        expect(page.locator("main")).to_contain_text("S · Gris")

        page.goto(f"{live_server}/products/{jumper}")
        page.get_by_role("link", name="Voir la photo 2").click()
        expect(page.locator("[data-product-picture] img")).to_have_attribute("alt", "Pull gris")
        assert page.url.endswith(f"/products/{jumper}")  # opened in the page
        browser.close()


def test_on_a_phone_the_add_to_cart_button_stays_in_reach(live_server, jumper):
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(locale="fr-FR", viewport={"width": 375, "height": 640})
        page.goto(f"{live_server}/products/{jumper}")
        page.mouse.wheel(0, 300)
        button = page.get_by_role("button", name="Ajouter au panier")
        expect(button).to_be_in_viewport()
        browser.close()


def test_without_javascript_every_combination_is_listed_and_a_thumbnail_opens_in_the_page(
    client, db_session
):
    jumper = make_jumper()
    page = client.get(f"/products/{jumper}").get_data(as_text=True)
    assert page.count('name="variant_id"') == 6
    assert 'data-variant-axes hidden' in page
    link = page.split('aria-label="Autres photos"', 1)[1].split('href="', 2)[2].split('"', 1)[0]
    assert "?image=" in link
    assert 'alt="Pull gris"' in client.get(link.replace("&amp;", "&")).get_data(as_text=True)
