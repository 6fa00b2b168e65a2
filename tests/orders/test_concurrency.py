"""Real concurrent checkouts against PostgreSQL: stock never oversells, a checkout key never
makes two Orders. Each thread has its own application context, session and connection."""
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from marketplace.cart.models import Cart
from marketplace.catalog.models import Variant
from marketplace.checkout.services import place_order
from marketplace.extensions import db
from marketplace.orders.errors import OrderError
from marketplace.orders.models import Order, OrderLine
from marketplace.orders.services import new_checkout_key, quote_checkout
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.orders import CASTRES_ADDRESS, VENDOR_SHIPPING, fill_cart
from tests.factories.vendors import VendorFactory

NOW = datetime(2026, 4, 14, 9, 30, tzinfo=UTC)

pytestmark = pytest.mark.slow


def _checkout_in_own_context(app, cart_id: int, checkout_key: str, start: threading.Barrier):
    """One customer's browser: wait for the others, then review and place, then commit."""
    start.wait()
    with app.app_context():
        try:
            cart = db.session.get(Cart, cart_id)
            quote = quote_checkout(cart=cart, delivery=VENDOR_SHIPPING, postcode="81100", now=NOW)
            order = place_order(
                cart=cart, customer=None, email=f"client{cart_id}@example.fr",
                address=CASTRES_ADDRESS, delivery=VENDOR_SHIPPING, checkout_key=checkout_key,
                review_digest=quote.digest, now=NOW,
            )
            order_id = order.id
            db.session.commit()
            return ("placed", order_id)
        except OrderError as error:
            db.session.rollback()
            return (str(error.code), error.message)
        finally:
            db.session.remove()


def _run_all(app, jobs):
    start = threading.Barrier(len(jobs))
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(_checkout_in_own_context, app, cart_id, key, start)
                   for cart_id, key in jobs]
        return [future.result(timeout=120) for future in futures]


def test_ten_units_and_two_hundred_concurrent_checkouts_sell_exactly_ten(app, committed_db):
    vendor = VendorFactory()
    socks = VariantFactory(product=ProductFactory(vendor=vendor, name="Chaussettes en laine"),
                           size="", stock=10, price_cents=1800)
    carts = [fill_cart((socks, 1)) for _ in range(200)]
    socks_id = socks.id
    db.session.commit()

    outcomes = _run_all(app, [(cart.id, new_checkout_key()) for cart in carts])

    kinds = Counter(kind for kind, _detail in outcomes)
    assert kinds == {"placed": 10, "sold_out": 190}
    messages = {detail for kind, detail in outcomes if kind == "sold_out"}
    assert all(message.startswith("« Chaussettes en laine » est épuisé") for message in messages)
    db.session.expire_all()
    assert db.session.get(Variant, socks_id).stock == 0
    assert db.session.scalar(select(func.count(Order.id))) == 10
    assert db.session.scalar(select(func.sum(OrderLine.quantity))) == 10
    numbers = db.session.scalars(select(Order.number)).all()
    assert sorted(numbers) == [f"LA-2026-{n:06d}" for n in range(1, 11)]


def test_the_same_checkout_submitted_at_once_makes_one_order(app, committed_db):
    variant = VariantFactory(product=ProductFactory(vendor=VendorFactory()), stock=5)
    cart = fill_cart((variant, 2))
    variant_id = variant.id
    db.session.commit()
    key = new_checkout_key()

    outcomes = _run_all(app, [(cart.id, key)] * 6)

    assert {kind for kind, _detail in outcomes} == {"placed"}
    assert len({order_id for _kind, order_id in outcomes}) == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Order.id))) == 1
    assert db.session.get(Variant, variant_id).stock == 3
