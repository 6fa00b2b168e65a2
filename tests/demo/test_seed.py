"""The demo hub seeded on PostgreSQL: what a visitor of `make run` finds in the shop."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import func, select

from marketplace.accounts.models import Role, User
from marketplace.accounts.services import authenticate_user
from marketplace.catalog.models import Category, Product, ProductImage, ProductStatus, Variant
from marketplace.delivery.models import DeliveryRound, DeliveryZone, PickupSlot
from marketplace.demo.data import DEMO_ACCOUNTS, DEMO_VENDOR_SLUG
from marketplace.demo.pictures import draw_product_picture
from marketplace.demo.seed import seed_demo_hub
from marketplace.extensions import db
from marketplace.vendors.models import Vendor, VendorKind, VendorMember, VendorStatus
from tests.sessions import session_bound_to

#: A Monday morning, so that every weekday of the schedule falls inside the two weeks.
SEEDED_AT = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(scope="module")
def hub(app):
    """The hub seeded once for the module, inside a transaction rolled back at the end."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original_session = db.session
        db.session = session_bound_to(connection)
        try:
            assert seed_demo_hub(now=SEEDED_AT) is True
            yield db.session
        finally:
            db.session.remove()
            db.session = original_session
            transaction.rollback()
            connection.close()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def products_by_family(family: str) -> list[Product]:
    parent = db.session.scalar(select(Category).where(Category.slug == family))
    return list(
        db.session.scalars(
            select(Product).join(Product.category).where(Category.parent_id == parent.id)
        )
    )


def test_hub_has_approved_textile_workshops_and_food_producers(hub):
    vendors = list(db.session.scalars(select(Vendor)))
    kinds = Counter(vendor.kind for vendor in vendors)
    assert len(vendors) >= 12
    assert kinds[VendorKind.TEXTILE_WORKSHOP] >= 5
    assert kinds[VendorKind.PRODUCER] + kinds[VendorKind.FOOD_MAKER] >= 6
    assert all(vendor.status == VendorStatus.APPROVED for vendor in vendors)
    assert 2 <= sum(vendor.featured for vendor in vendors) < len(vendors)
    for vendor in vendors:
        assert vendor.story.count(".") >= 3, vendor.name
        assert len(vendor.siret) == 14 and vendor.siret.isdigit()
        assert 1000 <= vendor.commission_rate_bps <= 1500
        assert vendor.free_shipping_threshold_cents > vendor.shipping_flat_cents > 0
        assert "@" in vendor.contact_email


def test_vendor_logos_are_real_pictures(hub, app):
    media = Path(app.config["MEDIA_DIR"])
    vendors = list(db.session.scalars(select(Vendor)))
    assert vendors
    for vendor in vendors:
        assert vendor.logo_path, vendor.name
        with Image.open(media / vendor.logo_path) as logo:
            logo.verify()
            assert logo.width > 1 and logo.height > 1


def test_catalogue_has_enough_active_products_in_leaf_categories(hub):
    products = list(db.session.scalars(select(Product)))
    assert len(products) >= 150
    assert all(product.status == ProductStatus.ACTIVE for product in products)
    assert all(product.category.parent is not None for product in products)
    assert all(len(product.description) > len(product.summary) for product in products)
    assert all(product.origin and product.making_details for product in products)
    assert any(product.made_at_hub for product in products)
    assert not all(product.made_at_hub for product in products)
    published = sorted(product.published_at for product in products)
    assert published[-1] <= SEEDED_AT
    assert published[-1] - published[0] > timedelta(days=60)


def test_categories_have_english_names_and_family_vat(hub):
    for category in db.session.scalars(select(Category)):
        assert category.name and category.name_en
    textile = products_by_family("textile")
    food = products_by_family("epicerie")
    assert textile and food
    assert {product.vat_rate_bps for product in textile} == {2000}
    assert {product.vat_rate_bps for product in food} == {550}
    assert {product.category.default_vat_rate_bps for product in food} == {550}


def test_textiles_come_in_sizes_and_colours_and_food_in_units(hub):
    for product in products_by_family("textile"):
        assert all(variant.colour for variant in product.variants), product.name
        assert not any(variant.unit for variant in product.variants)
    socks = db.session.scalars(
        select(Variant)
        .join(Variant.product)
        .join(Product.category)
        .where(Category.slug == "chaussettes")
    ).all()
    assert {"36-38", "45-46"} <= {variant.size for variant in socks}
    jumpers = db.session.scalars(
        select(Variant)
        .join(Variant.product)
        .join(Product.category)
        .where(Category.slug == "pulls-gilets")
    ).all()
    assert {"XS", "M", "XL"} <= {variant.size for variant in jumpers}
    for product in products_by_family("epicerie"):
        assert all(variant.unit and not variant.size for variant in product.variants), product.name
    assert all(variant.weight_grams > 0 for variant in db.session.scalars(select(Variant)))


def test_prices_are_realistic(hub):
    def variant_prices(category_slug: str, *, leaving_out: str = "") -> list[int]:
        products = db.session.scalars(
            select(Product).join(Product.category).where(Category.slug == category_slug)
        )
        return [
            variant.price_cents
            for product in products
            if not (leaving_out and leaving_out in product.name)
            for variant in product.variants
        ]

    assert all(
        1400 <= price <= 1900 for price in variant_prices("chaussettes", leaving_out="Coffret")
    )
    jumpers = variant_prices("pulls-gilets", leaving_out="enfant")
    assert all(9500 <= price <= 18000 for price in jumpers)
    honey = db.session.scalars(
        select(Variant.price_cents).join(Variant.product).where(Product.name.like("Miel %"))
    ).all()
    assert honey and all(700 <= price <= 2300 for price in honey)


def test_some_products_are_sold_out_and_some_low(hub):
    products = list(db.session.scalars(select(Product)))
    sold_out = [p for p in products if all(v.stock == 0 for v in p.variants)]
    low = [p for p in products if all(1 <= v.stock <= 3 for v in p.variants)]
    assert 6 <= len(sold_out) <= 12
    assert len(low) >= 5
    in_stock = [p for p in products if all(v.stock > 3 for v in p.variants)]
    assert len(in_stock) > len(products) * 3 // 4


def test_skus_are_unique_per_vendor(hub):
    rows = db.session.execute(select(Variant.vendor_id, Variant.sku)).all()
    assert len(rows) == len(set(rows))
    for product in db.session.scalars(select(Product)):
        assert {variant.vendor_id for variant in product.variants} == {product.vendor_id}


def test_from_price_is_the_lowest_active_variant_price(hub):
    for product in db.session.scalars(select(Product)):
        active_prices = [v.price_cents for v in product.variants if v.active]
        assert product.from_price_cents == min(active_prices), product.name


def test_every_product_has_pictures_that_open(hub, app):
    media = Path(app.config["MEDIA_DIR"])
    products = list(db.session.scalars(select(Product)))
    assert all(product.images for product in products)
    assert any(len(product.images) == 2 for product in products)
    for image in db.session.scalars(select(ProductImage)):
        path = media / image.path
        assert image.path.startswith("products/") and image.alt
        assert path.stat().st_size <= 64 * 1024, image.path
        with Image.open(path) as picture:
            assert picture.format == "JPEG"
            assert picture.size == (image.width, image.height) == (800, 800)
            picture.load()


def test_same_product_gets_the_same_picture():
    def draw() -> bytes:
        return draw_product_picture(
            motif="jar", colour=(226, 172, 54), seed="miel-d-acacia", label="Miel d'acacia"
        ).tobytes()

    assert draw() == draw()


def test_search_vectors_are_filled_for_the_shop_search(hub):
    found = db.session.scalars(
        select(Product.name).where(
            Product.search_vector.op("@@")(func.plainto_tsquery("french_unaccent", "chevre"))
        )
    ).all()
    assert any("chèvre" in name.lower() for name in found)


def test_demo_accounts_can_log_in(hub, app):
    for account in DEMO_ACCOUNTS:
        user = authenticate_user(email=account.email, password=account.password)
        assert user.role == account.role
    customer = db.session.scalar(select(User).where(User.role == Role.CUSTOMER))
    [address] = customer.addresses
    assert (address.city, address.postcode, address.is_default) == ("Castres", "81100", True)
    member = db.session.scalar(
        select(VendorMember).join(VendorMember.user).where(User.role == Role.VENDOR)
    )
    assert member.is_owner and member.vendor.slug == DEMO_VENDOR_SLUG


def test_demo_customer_logs_in_through_the_login_page(hub, app):
    account = DEMO_ACCOUNTS[0]
    response = app.test_client().post(
        "/login", data={"email": account.email, "password": account.password}
    )
    assert response.status_code == 302


def test_pickup_slots_follow_the_hub_opening_hours(hub):
    slots = list(db.session.scalars(select(PickupSlot).order_by(PickupSlot.starts_at)))
    assert len(slots) == 4  # two Wednesdays and two Saturdays in the next fortnight
    for slot in slots:
        local = slot.starts_at.astimezone(PARIS)
        assert (local.weekday(), local.hour) in {(2, 16), (5, 9)}
        assert slot.ends_at - slot.starts_at == timedelta(hours=3)
        assert slot.capacity == 20 and slot.fee_cents == 0
        assert SEEDED_AT < slot.starts_at < SEEDED_AT + timedelta(days=14)


def test_delivery_rounds_close_at_noon_the_day_before(hub):
    zones = list(db.session.scalars(select(DeliveryZone)))
    assert len(zones) >= 3
    assert any("81100" in zone.postcodes for zone in zones)
    assert all(400 <= zone.fee_cents <= 600 for zone in zones)
    rounds = list(db.session.scalars(select(DeliveryRound)))
    assert len(rounds) >= 2 * len(zones)
    for delivery_round in rounds:
        cutoff = delivery_round.cutoff_at.astimezone(PARIS)
        assert cutoff.date() == delivery_round.delivery_date - timedelta(days=1)
        assert (cutoff.hour, cutoff.minute) == (12, 0)
        assert delivery_round.cutoff_at > SEEDED_AT
        assert (delivery_round.capacity_stops, delivery_round.capacity_grams) == (25, 400_000)


def test_seeding_again_changes_nothing(hub):
    before = {
        model: count(model) for model in (Vendor, Product, Variant, ProductImage, User, PickupSlot)
    }
    assert seed_demo_hub(now=SEEDED_AT + timedelta(days=1)) is False
    assert {model: count(model) for model in before} == before
