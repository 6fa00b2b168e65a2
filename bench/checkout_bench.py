"""Checkout benchmark: concurrent customers buying from three Vendors at once, on PostgreSQL.

    .venv/bin/python bench/checkout_bench.py                           # 16 clients, 1,200 carts
    .venv/bin/python bench/checkout_bench.py --clients 4 --checkouts 200   # a quick check

It creates its own database on 127.0.0.1 (`bench_checkout`, rebuilt each run), with Vendors
whose Products have little stock, so that demand outruns supply and customers race for the
last units. Each client is a process of its own (as gunicorn workers are: no shared GIL) with
its own app, session and connection, doing what the checkout pages do, through the same
services: fill a cart with one Variant
from each of three Vendors, review it (`quote_checkout`), place it (`place_order`, one
transaction, committed), then pay through the dev gateway (intent created outside the
transaction, test card confirmed, committed). Outbox messages are published to an in-memory
Celery broker, as production publishes to Redis, so no email is rendered in the timings.

It prints checkouts per second, p50 and p99 latency (placing; placing and paying), how many
checkouts were refused as sold out, and the stock audit: for every Variant, the units sold
(order lines) against the units it had; oversold units must be 0.
"""

import argparse
import multiprocessing
import random
import sys
import time
from collections import Counter
from pathlib import Path
from tempfile import TemporaryDirectory

import psycopg
import redis
from sqlalchemy import func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as a plain script from any directory

from marketplace import create_app  # noqa: E402
from marketplace.cart.models import Cart, CartLine  # noqa: E402
from marketplace.cart.services import new_cart_token  # noqa: E402
from marketplace.catalog.models import Category, Product, ProductStatus, Variant  # noqa: E402
from marketplace.checkout.services import place_order  # noqa: E402
from marketplace.core.models import utcnow  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.orders.errors import OrderError  # noqa: E402
from marketplace.orders.models import Order, OrderLine  # noqa: E402
from marketplace.orders.services import (  # noqa: E402
    new_checkout_key,
    quote_checkout,
)
from marketplace.payments.services import confirm_payment, start_payment  # noqa: E402
from marketplace.schema import install_database_extras  # noqa: E402
from marketplace.vendors.models import Vendor, VendorStatus  # noqa: E402
from tests.factories.orders import CASTRES_ADDRESS, VENDOR_SHIPPING  # noqa: E402

HOST = "127.0.0.1"
DATABASE = "bench_checkout"
ADMIN_DSN = f"host={HOST} user=postgres dbname=postgres"
#: A Redis database of the bench's own: the outbox publishes for real (no worker reads it),
#: and its queue is dropped when the run ends.
REDIS_URL = f"redis://{HOST}:6379/15"


def recreate_database() -> str:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    return f"postgresql+psycopg://postgres@{HOST}:5432/{DATABASE}"


def build_app(url: str, connections: int, mail_dir: str):
    return create_app(
        "test",
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": connections + 1, "max_overflow": 0},
        TASK_RUNNER="celery",
        REDIS_URL=REDIS_URL,
        MAIL_DIR=mail_dir,
        MEDIA_DIR=mail_dir,
    )


def create_catalogue(*, vendors: int, products: int, stock: int) -> dict[int, list[int]]:
    """Vendors with `products` one-Variant Products each; {vendor id: [variant ids]}."""
    category = Category(slug="bench", name="Banc d'essai", default_vat_rate_bps=2000)
    db.session.add(category)
    rng = random.Random(7)
    catalogue: dict[int, list[int]] = {}
    for v in range(vendors):
        vendor = Vendor(
            slug=f"atelier-{v}",
            name=f"Atelier {v:02d}",
            status=VendorStatus.APPROVED,
            commission_rate_bps=rng.choice([1000, 1200, 1500]),
            shipping_flat_cents=690,
            free_shipping_threshold_cents=6000,
        )
        db.session.add(vendor)
        db.session.flush()
        variants = []
        for p in range(products):
            product = Product(
                vendor=vendor,
                category=category,
                slug=f"produit-{v}-{p}",
                name=f"Produit {p} de l'atelier {v}",
                status=ProductStatus.ACTIVE,
                vat_rate_bps=rng.choice([550, 2000]),
                published_at=utcnow(),
            )
            variant = Variant(
                product=product,
                vendor_id=vendor.id,
                sku=f"SKU-{v}-{p}",
                price_cents=rng.randrange(390, 9900, 10),
                stock=stock,
                weight_grams=rng.randrange(100, 1500),
            )
            db.session.add_all([product, variant])
            variants.append(variant)
        db.session.flush()
        catalogue[vendor.id] = [variant.id for variant in variants]
    db.session.commit()
    return catalogue


def fill_cart(catalogue: dict[int, list[int]], rng: random.Random) -> int:
    """A visitor's cart: one Variant from each of three Vendors (what they did before paying)."""
    cart = Cart(token=new_cart_token())
    db.session.add(cart)
    for vendor_id in rng.sample(sorted(catalogue), 3):
        variant = db.session.get(Variant, rng.choice(catalogue[vendor_id]))
        db.session.add(
            CartLine(
                cart=cart,
                variant=variant,
                quantity=rng.choice([1, 1, 2]),
                seen_price_cents=variant.price_cents,
            )
        )
    db.session.commit()
    return cart.id


def one_checkout(app, catalogue, rng: random.Random) -> tuple[str, float, float]:
    """(outcome, seconds to place, seconds to place and pay) for one customer."""
    with app.app_context():
        cart_id = fill_cart(catalogue, rng)
        db.session.remove()
    with app.app_context():
        started = time.perf_counter()
        try:
            cart = db.session.get(Cart, cart_id)
            quote = quote_checkout(
                cart=cart, delivery=VENDOR_SHIPPING, postcode="81100", now=utcnow()
            )
            order = place_order(
                cart=cart,
                customer=None,
                email="client@example.fr",
                address=CASTRES_ADDRESS,
                delivery=VENDOR_SHIPPING,
                checkout_key=new_checkout_key(),
                review_digest=quote.digest,
                now=utcnow(),
            )
            db.session.commit()
        except OrderError as error:
            db.session.rollback()
            return str(error.code), time.perf_counter() - started, 0.0
        placed = time.perf_counter()
        start_payment(payment=order.payment)
        db.session.commit()
        confirm_payment(payment=order.payment, payment_method="4242 4242 4242 4242", now=utcnow())
        db.session.commit()
        paid = time.perf_counter()
        db.session.remove()
    return "placed", placed - started, paid - started


_client: dict = {}


def _start_client(url: str, catalogue: dict[int, list[int]], scratch: str) -> None:
    """In each client process: its own app and connection pool (never one forked from ours)."""
    _client["app"] = build_app(url, 1, scratch)
    _client["catalogue"] = catalogue


def _client_checkout(seed: int) -> tuple[str, float, float]:
    return one_checkout(_client["app"], _client["catalogue"], random.Random(seed))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def audit(initial_stock: int) -> dict[str, int]:
    """Units sold per Variant (order lines of every Order) against what each Variant had."""
    sold = dict(
        db.session.execute(
            select(OrderLine.variant_id, func.sum(OrderLine.quantity)).group_by(
                OrderLine.variant_id
            )
        ).all()
    )
    stock = dict(db.session.execute(select(Variant.id, Variant.stock)).all())
    return {
        "units_sold": sum(sold.values()),
        "oversold_units": sum(max(0, units - initial_stock) for units in sold.values()),
        "stock_mismatches": sum(
            1
            for variant_id, left in stock.items()
            if initial_stock - left != sold.get(variant_id, 0)
        ),
        "negative_stock": sum(1 for left in stock.values() if left < 0),
        "sold_out_variants": sum(1 for left in stock.values() if left == 0),
        "orders": db.session.scalar(select(func.count(Order.id))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="client processes")
    parser.add_argument(
        "--checkouts", type=int, default=1200, help="attempts, all clients together"
    )
    parser.add_argument("--vendors", type=int, default=12)
    parser.add_argument("--products", type=int, default=6, help="per Vendor")
    parser.add_argument("--stock", type=int, default=40, help="units of each Variant")
    args = parser.parse_args()

    url = recreate_database()
    with TemporaryDirectory() as scratch:
        app = build_app(url, 1, scratch)
        with app.app_context():
            db.create_all()
            with db.engine.begin() as connection:
                install_database_extras(connection)
            catalogue = create_catalogue(
                vendors=args.vendors, products=args.products, stock=args.stock
            )
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()  # no connection may cross the fork into the clients

        started = time.perf_counter()
        context = multiprocessing.get_context("fork")
        with context.Pool(
            args.clients, initializer=_start_client, initargs=(url, catalogue, scratch)
        ) as pool:
            outcomes = pool.map(_client_checkout, range(args.checkouts), chunksize=1)
        elapsed = time.perf_counter() - started

        with app.app_context():
            figures = audit(args.stock)
            db.session.remove()
            db.engine.dispose()
        redis.Redis.from_url(REDIS_URL).delete("celery")  # the queue no worker read

    kinds = Counter(kind for kind, _place, _pay in outcomes)
    placed = [place for kind, place, _pay in outcomes if kind == "placed"]
    paid = [pay for kind, _place, pay in outcomes if kind == "placed"]
    refused = [place for kind, place, _pay in outcomes if kind != "placed"]
    print(
        f"{args.clients} clients, {len(outcomes)} checkouts of 3-Vendor carts in {elapsed:.1f} s "
        f"({args.vendors} Vendors × {args.products} Products, {args.stock} units each)"
    )
    print(f"  outcomes            {dict(kinds)}")
    print(f"  attempts/s          {len(outcomes) / elapsed:8.1f}")
    print(f"  paid checkouts/s    {len(placed) / elapsed:8.1f}")
    if placed:
        print(
            f"  place  p50 / p99    {percentile(placed, 0.5) * 1000:6.1f} / "
            f"{percentile(placed, 0.99) * 1000:6.1f} ms"
        )
        print(
            f"  place+pay p50 / p99 {percentile(paid, 0.5) * 1000:6.1f} / "
            f"{percentile(paid, 0.99) * 1000:6.1f} ms"
        )
    if refused:
        print(
            f"  refusal p50 / p99   {percentile(refused, 0.5) * 1000:6.1f} / "
            f"{percentile(refused, 0.99) * 1000:6.1f} ms"
        )
    print(f"  stock audit         {figures}")
    if figures["oversold_units"] or figures["stock_mismatches"] or figures["negative_stock"]:
        print("  FAILED: stock oversold or out of step with the order lines")
        sys.exit(1)
    print("  oversold units: 0")


if __name__ == "__main__":
    main()
