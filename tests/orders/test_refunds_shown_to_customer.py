"""The customer's order page and receipt say what was refunded, when and how much."""
import html

from marketplace.core.models import utcnow
from marketplace.payments.refunds import request_refund, send_refund
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.payments import pay_test_order, place_test_order
from tests.factories.vendors import VendorFactory

NBSP = "\u00a0"


def test_a_partial_refund_shows_on_the_order_page_and_the_receipt(client, db_session):
    vendor = VendorFactory(name="Rucher d'Anglès", shipping_flat_cents=0)
    honey = VariantFactory(price_cents=900, stock=5, product=ProductFactory(vendor=vendor))
    order = place_test_order((honey, 3))
    pay_test_order(order, payment_method="4242 4242 4242 4242")
    vendor_order = order.vendor_orders[0]
    refund = request_refund(vendor_order=vendor_order, actor=None, actor_label="admin",
                            quantities={vendor_order.lines[0].id: 1}, restock=True,
                            reason="Pot arrivé fêlé")
    send_refund(refund=refund, now=utcnow())

    for suffix in ("", "/receipt"):
        response = client.get(f"/orders/{order.number}{suffix}?token={order.access_token}")
        page = html.unescape(response.get_data(as_text=True))
        refunds = page.split('class="totals__refunds"', 1)[1].split("</tbody>", 1)[0]
        assert "Remboursé le" in refunds and "Rucher d'Anglès" in refunds
        assert "Pot arrivé fêlé" in refunds
        assert f"−9,00{NBSP}€" in refunds
        assert f"{(order.total_cents - 900) / 100:.2f}".replace(".", ",") in refunds
