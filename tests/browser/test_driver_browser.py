"""The driver's page on a phone-sized window: mark a stop delivered, mark another failed."""
import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select

from marketplace.accounts.models import Role
from marketplace.delivery.models import RoundStop
from marketplace.delivery.states import StopStatus
from marketplace.extensions import db
from marketplace.logistics import services as logistics
from marketplace.orders.models import Order
from marketplace.orders.states import OrderStatus
from tests.factories.accounts import TEST_PASSWORD, UserFactory
from tests.live_server import launch_chromium, serve_app
from tests.logistics.conftest import LATER, build_hub

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def closed_round(app, committed_db):
    hub = build_hub()
    driver = UserFactory(email="chauffeur@example.fr", role=Role.HUB_STAFF)
    db.session.commit()
    logistics.close_due(now=LATER)
    for load in logistics.round_loads(delivery_round=hub["round"]):
        for parcel in load.parcels:
            logistics.check_in(vendor_order=parcel.vendor_order, actor=driver)
    db.session.commit()
    return {"round_id": hub["round"].id,
            "orders": {key: order.id for key, order in hub["orders"].items()}}


def test_driver_marks_stops_on_a_phone(app, closed_round):
    with serve_app(app) as base_url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
        try:
            page.goto(f"{base_url}/login")
            page.get_by_label("Adresse email").fill("chauffeur@example.fr")
            page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            page.goto(f"{base_url}/hub/rounds")
            page.get_by_role("link", name="Zone", exact=False).first.click()

            first = page.locator(".stop-card--next")
            expect(first).to_contain_text("Camille Durand")  # Castres: nearest to the hub
            expect(first.get_by_role("link", name="Carte")).to_be_visible()
            expect(first.get_by_role("link", name="Appeler", exact=False)).to_have_attribute(
                "href", "tel:0612345678")
            # Nothing overflows the phone's width.
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            first.get_by_role("button", name="Livré").click()
            expect(page.get_by_text("Arrêt livré.")).to_be_visible()

            second = page.locator(".stop-card--next")
            expect(second).to_contain_text("Inès Roux")  # Saïx next
            second.get_by_label("Raison de l'échec").select_option("Adresse introuvable")
            second.get_by_role("button", name="Échec").click()
            expect(page.get_by_text("Échec enregistré", exact=False)).to_be_visible()
            expect(page.locator(".driver__progress")).to_have_text("2 arrêts faits sur 4")
        finally:
            browser.close()

    db.session.expire_all()
    castres = db.session.get(Order, closed_round["orders"]["castres"])
    saix = db.session.get(Order, closed_round["orders"]["saix"])
    assert castres.status == OrderStatus.COMPLETED
    assert saix.status == OrderStatus.PAID
    stop = db.session.scalar(select(RoundStop).where(RoundStop.order_id == saix.id))
    assert (stop.status, stop.failure_reason) == (StopStatus.FAILED, "Adresse introuvable")
