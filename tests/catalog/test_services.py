"""Catalogue services: what is public, filters, sorts, pages, the from-price."""
from datetime import UTC, datetime, timedelta

import pytest

from marketplace.catalog.models import ProductStatus, StockState
from marketplace.catalog.services import (
    ProductFilters,
    ProductSort,
    category_family_ids,
    find_category,
    get_public_product,
    list_categories,
    list_new_arrivals,
    list_other_products_of_vendor,
    list_products,
    list_vendor_choices,
    refresh_from_price,
)
from marketplace.vendors.models import VendorKind, VendorStatus
from tests.factories.catalog import (
    CategoryFactory,
    ProductImageFactory,
    VariantFactory,
    make_product_for_sale,
)
from tests.factories.vendors import VendorFactory


def _names(page):
    return [product.name for product in page.items]


def _list(**filters):
    return list_products(filters=ProductFilters(**filters), page=1, per_page=50)


def test_only_active_products_of_approved_vendors_are_listed(db_session):
    shown = make_product_for_sale(name="Pull marin")
    make_product_for_sale(name="Brouillon", status=ProductStatus.DRAFT)
    make_product_for_sale(name="Archivé", status=ProductStatus.ARCHIVED)
    make_product_for_sale(
        name="Vendeur suspendu", vendor=VendorFactory(status=VendorStatus.SUSPENDED)
    )
    make_product_for_sale(
        name="Vendeur en attente", vendor=VendorFactory(status=VendorStatus.APPLIED)
    )

    assert _names(_list()) == [shown.name]


def test_public_product_lookup_hides_draft_archived_and_suspended(db_session):
    make_product_for_sale(slug="en-vente")
    make_product_for_sale(slug="brouillon", status=ProductStatus.DRAFT)
    make_product_for_sale(slug="archive", status=ProductStatus.ARCHIVED)
    make_product_for_sale(slug="suspendu", vendor=VendorFactory(status=VendorStatus.SUSPENDED))

    assert get_public_product(slug="en-vente").slug == "en-vente"
    for slug in ("brouillon", "archive", "suspendu", "inconnu"):
        assert get_public_product(slug=slug) is None


def test_category_filter_includes_the_categories_below(db_session):
    textile = CategoryFactory(name="Textile")
    knitwear = CategoryFactory(name="Tricots", parent=textile)
    socks = CategoryFactory(name="Chaussettes", parent=knitwear)
    food = CategoryFactory(name="Épicerie")
    make_product_for_sale(name="Pull", category=knitwear)
    make_product_for_sale(name="Chaussettes", category=socks)
    make_product_for_sale(name="Miel", category=food)

    family = category_family_ids(textile, list_categories())
    assert sorted(_names(_list(category_ids=family))) == ["Chaussettes", "Pull"]
    assert _names(_list(category_ids=category_family_ids(socks, list_categories()))) == [
        "Chaussettes"
    ]


def test_vendor_and_vendor_kind_filters(db_session):
    workshop = VendorFactory(kind=VendorKind.TEXTILE_WORKSHOP)
    farm = VendorFactory(kind=VendorKind.PRODUCER)
    make_product_for_sale(name="Écharpe", vendor=workshop)
    make_product_for_sale(name="Tomme", vendor=farm)

    assert _names(_list(vendor_id=farm.id)) == ["Tomme"]
    assert _names(_list(vendor_kind=VendorKind.TEXTILE_WORKSHOP)) == ["Écharpe"]
    assert _names(_list(vendor_kind=VendorKind.FOOD_MAKER)) == []


def test_price_range_matches_any_active_variant_within_bounds(db_session):
    make_product_for_sale(name="Chaussettes", prices=(1250, 5000))
    make_product_for_sale(name="Pull", prices=(9000,))
    cheap_inactive = make_product_for_sale(name="Bonnet", prices=(2000,))
    VariantFactory(product=cheap_inactive, price_cents=800, active=False)

    assert sorted(_names(_list(min_price_cents=4000))) == ["Chaussettes", "Pull"]
    assert sorted(_names(_list(max_price_cents=1250))) == ["Chaussettes"]
    assert _names(_list(min_price_cents=3000, max_price_cents=6000)) == ["Chaussettes"]
    assert _names(_list(min_price_cents=9001)) == []


def test_in_stock_only_leaves_out_sold_out_products(db_session):
    make_product_for_sale(name="Dernier pot", stocks=[1])
    make_product_for_sale(name="Épuisé", prices=(1000, 2000), stocks=[0, 0])
    hidden_stock = make_product_for_sale(name="Stock inactif", stocks=[0])
    VariantFactory(product=hidden_stock, stock=5, active=False)

    assert _names(_list(in_stock_only=True)) == ["Dernier pot"]
    assert len(_list().items) == 3


def test_filters_combine(db_session):
    farm = VendorFactory(kind=VendorKind.PRODUCER)
    cheese = CategoryFactory(name="Fromages")
    make_product_for_sale(name="Pélardon", vendor=farm, category=cheese, prices=(650,))
    make_product_for_sale(
        name="Tomme épuisée", vendor=farm, category=cheese, prices=(900,), stocks=[0]
    )
    make_product_for_sale(name="Tomme chère", vendor=farm, category=cheese, prices=(3200,))
    make_product_for_sale(name="Pull", category=cheese, prices=(700,))

    page = _list(
        category_ids=(cheese.id,),
        vendor_kind=VendorKind.PRODUCER,
        max_price_cents=1000,
        in_stock_only=True,
    )
    assert _names(page) == ["Pélardon"]


def test_sorts_by_newest_and_by_price_both_ways(db_session):
    now = datetime.now(UTC)
    make_product_for_sale(name="Ancien", prices=(2000,), published_at=now - timedelta(days=9))
    make_product_for_sale(name="Récent", prices=(3000,), published_at=now - timedelta(days=1))
    make_product_for_sale(name="Moyen", prices=(1000,), published_at=now - timedelta(days=4))

    assert _names(_list(sort=ProductSort.NEWEST)) == ["Récent", "Moyen", "Ancien"]
    assert _names(_list(sort=ProductSort.PRICE_ASC)) == ["Moyen", "Ancien", "Récent"]
    assert _names(_list(sort=ProductSort.PRICE_DESC)) == ["Récent", "Ancien", "Moyen"]


def test_pages_split_the_listing_and_a_page_past_the_end_gives_the_last(db_session):
    for number in range(7):
        make_product_for_sale(name=f"Produit {number}")

    first = list_products(filters=ProductFilters(), page=1, per_page=3)
    last = list_products(filters=ProductFilters(), page=3, per_page=3)
    beyond = list_products(filters=ProductFilters(), page=99, per_page=3)

    assert (first.total, first.page_count, len(first.items)) == (7, 3, 3)
    assert len(last.items) == 1 and not last.has_next
    assert beyond.number == 3 and beyond.requested_number == 99
    assert [p.id for p in beyond.items] == [p.id for p in last.items]
    seen = {
        p.id
        for n in (1, 2, 3)
        for p in list_products(filters=ProductFilters(), page=n, per_page=3).items
    }
    assert len(seen) == 7


def test_new_arrivals_and_other_goods_of_the_vendor(db_session):
    now = datetime.now(UTC)
    vendor = VendorFactory()
    shown = make_product_for_sale(vendor=vendor, published_at=now)
    older = make_product_for_sale(vendor=vendor, published_at=now - timedelta(days=2))
    make_product_for_sale(vendor=vendor, status=ProductStatus.DRAFT)
    elsewhere = make_product_for_sale(published_at=now - timedelta(days=1))

    assert [p.id for p in list_new_arrivals(limit=2)] == [shown.id, elsewhere.id]
    assert [p.id for p in list_other_products_of_vendor(product=shown, limit=4)] == [older.id]


def test_new_arrivals_leave_out_what_is_sold_out(db_session):
    now = datetime.now(UTC)
    make_product_for_sale(name="Épuisé", published_at=now, stocks=[0])
    in_stock = make_product_for_sale(name="En stock", published_at=now - timedelta(days=1))

    assert [p.id for p in list_new_arrivals(limit=2)] == [in_stock.id]


def test_refresh_from_price_takes_the_cheapest_active_variant(db_session):
    product = make_product_for_sale(prices=(4500, 3900))
    VariantFactory(product=product, price_cents=1000, active=False)
    product.from_price_cents = 0

    refresh_from_price(product=product)

    assert product.from_price_cents == 3900


@pytest.mark.parametrize(
    ("stocks", "state", "available"),
    [
        ([10, 0], StockState.IN_STOCK, 10),
        ([2, 0], StockState.LOW, 2),
        ([1, 1], StockState.LOW, 2),
        ([0, 0], StockState.SOLD_OUT, 0),
    ],
)
def test_stock_state_of_a_product_follows_its_active_variants(db_session, stocks, state, available):
    product = make_product_for_sale(prices=(1000, 1200), stocks=stocks)

    assert product.stock_state == state
    assert product.available_stock == available


def test_a_big_listing_counts_only_so_far_yet_every_page_stays_reachable(db_session, monkeypatch):
    from marketplace.core import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    monkeypatch.setattr(pagination, "PAGES_COUNTED_AHEAD", 1)
    for number in range(12):
        make_product_for_sale(name=f"Pelote {number}")

    first = list_products(filters=ProductFilters(), page=1, per_page=2)
    further = list_products(filters=ProductFilters(), page=4, per_page=2)
    near_the_end = list_products(filters=ProductFilters(), page=5, per_page=2)

    assert first.total_is_capped and first.page_count == 3 and first.has_next
    assert further.total_is_capped and further.page_count == 5 and len(further.items) == 2
    assert not near_the_end.total_is_capped and near_the_end.total == 12
    assert near_the_end.page_count == 6


# ---------- Product cards ----------


def test_a_card_shows_the_first_picture_and_sums_up_the_active_variants(db_session):
    product = make_product_for_sale(
        name="Pull marin", prices=(5900, 6900), stocks=[1, 1], images=0
    )
    VariantFactory(product=product, price_cents=1000, stock=30, active=False)
    ProductImageFactory(product=product, path="products/dos.jpg", position=2)
    ProductImageFactory(product=product, path="products/face.jpg", alt="De face", position=0)
    make_product_for_sale(name="Sans photo", images=0, stocks=[0])

    cards = {card.name: card for card in _list().items}

    pull = cards["Pull marin"]
    assert pull.cover_image.path == "products/face.jpg" and pull.cover_image.alt == "De face"
    assert pull.vendor_name == product.vendor.name
    assert pull.available_stock == 2 and pull.stock_state == StockState.LOW
    assert pull.has_active_variants and pull.has_several_prices
    bare = cards["Sans photo"]
    assert bare.cover_image is None and bare.stock_state == StockState.SOLD_OUT
    assert not bare.has_several_prices


def test_a_product_whose_variants_are_all_withdrawn_is_not_priced(db_session):
    product = make_product_for_sale(name="Bientôt", prices=(1500,))
    for variant in product.variants:
        variant.active = False
    db_session.flush()

    (card,) = _list().items

    assert not card.has_active_variants and card.stock_state == StockState.SOLD_OUT


# ---------- Vendor filter and the lists kept between requests ----------


def test_the_vendor_filter_offers_the_vendors_selling_in_the_category(db_session):
    wool = CategoryFactory(name="Laine")
    honey = CategoryFactory(name="Miel")
    spinner = VendorFactory(name="Filature")
    knitter = VendorFactory(name="Atelier tricot")
    apiary = VendorFactory(name="Rucher")
    VendorFactory(name="Sans produit")
    make_product_for_sale(category=wool, vendor=spinner)
    make_product_for_sale(category=wool, vendor=knitter)
    make_product_for_sale(category=honey, vendor=apiary)
    make_product_for_sale(category=wool, vendor=apiary, status=ProductStatus.DRAFT)
    make_product_for_sale(
        category=wool, vendor=VendorFactory(name="Suspendu", status=VendorStatus.SUSPENDED)
    )

    in_wool = list_vendor_choices(category_ids=(wool.id,))
    anywhere = list_vendor_choices()

    assert [choice.name for choice in in_wool] == ["Atelier tricot", "Filature"]
    assert [choice.name for choice in anywhere] == ["Atelier tricot", "Filature", "Rucher"]


def test_a_chosen_vendor_stays_offered_where_it_sells_nothing(db_session):
    wool = CategoryFactory(name="Laine")
    make_product_for_sale(category=wool, vendor=VendorFactory(name="Filature"))
    apiary = VendorFactory(name="Rucher", slug="rucher")
    VendorFactory(name="Parti", slug="parti", status=VendorStatus.SUSPENDED)

    with_apiary = list_vendor_choices(category_ids=(wool.id,), selected_slug="rucher")
    with_suspended = list_vendor_choices(category_ids=(wool.id,), selected_slug="parti")

    assert [choice.name for choice in with_apiary] == ["Filature", "Rucher"]
    assert with_apiary[1].id == apiary.id
    assert [choice.name for choice in with_suspended] == ["Filature"]


@pytest.fixture
def kept_for_a_minute(app, monkeypatch):
    """The production setting (lists kept 60 s), with a clock the test moves."""
    from marketplace.catalog import services

    clock = {"now": 1000.0}
    monkeypatch.setitem(app.config, "CATALOG_CACHE_SECONDS", 60)
    monkeypatch.setitem(app.extensions, "catalog.kept", {})
    monkeypatch.setattr(services, "monotonic", lambda: clock["now"])

    def wait(seconds: float) -> None:
        clock["now"] += seconds

    return wait


def test_categories_and_vendor_choices_are_kept_a_minute_but_products_never(
    db_session, kept_for_a_minute
):
    wool = CategoryFactory(name="Laine")
    make_product_for_sale(name="Pelote", category=wool, vendor=VendorFactory(name="Filature"))
    assert [c.name for c in list_categories()] == ["Laine"]
    assert [v.name for v in list_vendor_choices(category_ids=(wool.id,))] == ["Filature"]

    CategoryFactory(name="Miel")
    make_product_for_sale(name="Écheveau", category=wool, vendor=VendorFactory(name="Tissage"))
    kept_for_a_minute(59)

    assert [c.name for c in list_categories()] == ["Laine"]
    assert [v.name for v in list_vendor_choices(category_ids=(wool.id,))] == ["Filature"]
    assert sorted(_names(_list(category_ids=(wool.id,)))) == ["Pelote", "Écheveau"]

    kept_for_a_minute(2)

    assert sorted(c.name for c in list_categories()) == ["Laine", "Miel"]
    assert [v.name for v in list_vendor_choices(category_ids=(wool.id,))] == [
        "Filature",
        "Tissage",
    ]


def test_kept_categories_know_their_parent(db_session):
    textile = CategoryFactory(name="Textile", slug="textile")
    CategoryFactory(name="Tricots", slug="tricots", parent=textile)

    categories = list_categories()
    knitwear = find_category(categories, "tricots")

    assert knitwear.parent is find_category(categories, "textile")
    assert knitwear.parent.parent is None
    assert category_family_ids(knitwear.parent, categories) == (textile.id, knitwear.id)


def test_a_listing_total_is_kept_a_minute_but_its_products_are_read_every_time(
    db_session, kept_for_a_minute
):
    wool = CategoryFactory(name="Laine")
    make_product_for_sale(name="Pelote", category=wool)

    def listing(per_page: int, **filters):
        return list_products(
            filters=ProductFilters(category_ids=(wool.id,), **filters), page=1, per_page=per_page
        )

    assert (listing(1).total, listing(10).total) == (1, 1)
    make_product_for_sale(name="Écheveau", category=wool)
    kept_for_a_minute(59)

    one_a_page = listing(1)
    assert one_a_page.total == 1 and _names(one_a_page) == ["Écheveau"]  # newest, read now
    assert listing(1, in_stock_only=True).total == 2  # other filters: counted now
    # A page that holds more than its kept total promises is counted again.
    assert listing(10).total == 2 and sorted(_names(listing(10))) == ["Pelote", "Écheveau"]
    kept_for_a_minute(2)
    assert listing(1).total == 2


def test_the_kept_values_of_a_process_are_bounded(db_session, kept_for_a_minute, monkeypatch):
    from marketplace.catalog import services

    monkeypatch.setattr(services, "KEPT_VALUES", 3)
    make_product_for_sale(name="Pelote", prices=(1000,))
    for low in range(1, 8):
        list_products(filters=ProductFilters(min_price_cents=low), page=1, per_page=10)

    assert len(services.current_app.extensions["catalog.kept"]) <= 3
