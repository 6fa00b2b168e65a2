"""A reservation that ran out says so on the Order page, before the periodic expiry runs."""
import html
from datetime import timedelta

from marketplace.core.models import utcnow
from marketplace.extensions import db
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.orders import check_out, fill_cart
from tests.factories.vendors import VendorFactory


def order_page(client, order) -> str:
    response = client.get(f"/orders/{order.number}?token={order.access_token}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_the_order_page_stops_offering_to_pay_once_the_reservation_ends(client, db_session):
    variant = VariantFactory(product=ProductFactory(vendor=VendorFactory()), stock=3, size="")
    fresh = check_out(fill_cart((variant, 1)), email="a@example.fr")
    stale = check_out(fill_cart((variant, 1)), email="b@example.fr",
                      now=utcnow() - timedelta(hours=2))
    db.session.commit()

    assert "Cette commande attend votre paiement." in order_page(client, fresh)

    page = order_page(client, stale)
    assert "Cette commande attend votre paiement." not in page
    assert "Le délai de paiement de cette commande est dépassé" in page
    assert f"/pay/{stale.number}" not in page
