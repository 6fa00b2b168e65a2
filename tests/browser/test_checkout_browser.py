"""A customer buys from three Vendors in a real browser, with a Pickup slot, and pays.

The app runs in a real server on a free loopback port (with CSRF on, as in production),
against PostgreSQL data committed by the factories; Chromium drives it like a person would.
"""
import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.orders.states import OrderStatus, VendorOrderStatus
from tests.factories.accounts import TEST_PASSWORD, AddressFactory, UserFactory
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.delivery import PickupSlotFactory
from tests.factories.vendors import VendorFactory
from tests.live_server import launch_chromium, serve_app

pytestmark = pytest.mark.slow

@pytest.fixture
def live_server(app, committed_db):
    """The app served over HTTP on 127.0.0.1, in a thread, until the test ends."""
    with serve_app(app) as base_url:
        yield base_url


@pytest.fixture
def browser_page():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(locale="fr-FR")
        try:
            yield page
        finally:
            browser.close()


@pytest.fixture
def hub(committed_db):
    """Three Vendors with one product each, a Pickup slot, and a customer with an address."""
    goods = [
        ("Filature du Thoré", "Écharpe en mohair", 4500, 2000),
        ("Ferme de la Montagne Noire", "Tomme de brebis", 1250, 550),
        ("Confiturerie de Lautrec", "Confiture de figues", 690, 550),
    ]
    slugs = []
    for vendor_name, product_name, price, vat in goods:
        product = ProductFactory(vendor=VendorFactory(name=vendor_name), name=product_name,
                                 vat_rate_bps=vat)
        VariantFactory(product=product, size="", price_cents=price, stock=5)
        slugs.append(product.slug)
    PickupSlotFactory(fee_cents=0)
    customer = UserFactory(email="camille@example.fr", full_name="Camille Durand")
    AddressFactory(user=customer, label="Maison", line1="3 place Jean Jaurès")
    db.session.commit()
    return {"slugs": slugs, "customer_id": customer.id}


def test_customer_buys_from_three_vendors_with_a_pickup_slot(live_server, browser_page, hub):
    page = browser_page
    page.goto(f"{live_server}/login")
    page.get_by_label("Adresse email").fill("camille@example.fr")
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    for slug in hub["slugs"]:
        page.goto(f"{live_server}/products/{slug}")
        page.get_by_role("button", name="Ajouter au panier").click()
        expect(page.get_by_text("Ajouté au panier")).to_be_visible()

    page.goto(f"{live_server}/checkout")
    expect(page.get_by_label("Maison — ", exact=False)).to_be_checked()
    page.get_by_role("button", name="Continuer vers la livraison").click()

    page.locator("input[name=choice][value^='pickup:']").first.check()
    page.get_by_role("button", name="Vérifier ma commande").click()

    expect(page.get_by_role("heading", name="Votre commande chez 3 ateliers")).to_be_visible()
    expect(page.locator(".totals__grand")).to_contain_text("64,40")  # pickup is free
    page.get_by_label("J'ai lu et j'accepte").check()
    page.get_by_role("button", name="Commander avec obligation de paiement").click()

    expect(page.get_by_role("heading", name="Paiement de la commande")).to_be_visible()
    page.get_by_label("Numéro de carte").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="Payer").click()

    expect(page.get_by_role("heading", name="Merci !")).to_be_visible()
    page.get_by_role("link", name="Suivre ma commande").click()

    parts = page.locator(".vendor-part")
    expect(parts).to_have_count(3)
    for vendor_name in ("Filature du Thoré", "Ferme de la Montagne Noire",
                        "Confiturerie de Lautrec"):
        expect(page.get_by_role("heading", name=vendor_name)).to_be_visible()
    expect(parts.locator(".vendor-part__meta .status")).to_have_text(
        ["Payée, à accepter par l'atelier"] * 3
    )
    expect(page.get_by_text("Retrait à la boutique des Ateliers le")).to_be_visible()

    db.session.expire_all()
    order = db.session.scalar(select(Order))
    assert order.customer_id == hub["customer_id"]
    assert order.status == OrderStatus.PAID
    assert [vo.status for vo in order.vendor_orders] == [VendorOrderStatus.PAID] * 3
    assert order.pickup_slot_id is not None
