"""Search on PostgreSQL: French stemming, accents folded, Vendors and Categories matched, ranked."""
import pytest

from marketplace.catalog.models import ProductStatus
from marketplace.catalog.search import MAX_QUERY_LENGTH, normalize_query
from marketplace.catalog.services import ProductFilters, ProductSort, search_catalog, search_vendors
from marketplace.vendors.models import VendorStatus
from tests.factories.catalog import CategoryFactory, make_product_for_sale
from tests.factories.vendors import VendorFactory


def _search(text, **filters):
    filters.setdefault("sort", ProductSort.RELEVANCE)
    results = search_catalog(
        query=normalize_query(text), filters=ProductFilters(**filters), page=1, per_page=50
    )
    return [product.name for product in results.products.items], results


@pytest.fixture
def hub(db_session):
    apiary = VendorFactory(
        name="Rucher de la Montagne Noire", town="Labruguière", tagline="Miels de bruyère"
    )
    goat_farm = VendorFactory(name="Chèvrerie du Sidobre", town="Burlats")
    spinner = VendorFactory(name="Filature de Mazamet", town="Mazamet")
    cheese = CategoryFactory(name="Fromages", name_en="Cheese")
    make_product_for_sale(name="Miel de châtaignier", vendor=apiary, summary="Récolte d'été")
    make_product_for_sale(name="Miel de lavande", vendor=VendorFactory(name="Mas de Provence"))
    make_product_for_sale(name="Fromage de chèvre frais", vendor=goat_farm, category=cheese)
    make_product_for_sale(name="Pélardon affiné", vendor=goat_farm, category=cheese)
    make_product_for_sale(name="Chaussettes de laine", vendor=spinner)
    make_product_for_sale(
        name="Pain d'épices",
        vendor=apiary,
        description="Au miel de la maison, cuit au four à bois.",
    )
    return {"apiary": apiary, "goat_farm": goat_farm, "spinner": spinner}


def test_singular_finds_the_plural_without_the_case(hub):
    assert _search("chaussette")[0] == ["Chaussettes de laine"]


def test_accents_are_folded_both_ways(hub):
    assert _search("fromage chevre")[0] == ["Fromage de chèvre frais"]
    assert "Fromage de chèvre frais" in _search("FROMAGE CHÈVRE")[0]


def test_words_can_match_the_vendor_name(hub):
    names, results = _search("miel montagne")

    assert names[0] == "Miel de châtaignier"
    assert "Miel de lavande" not in names
    assert [vendor.name for vendor in results.vendors] == ["Rucher de la Montagne Noire"]
    assert [v.name for v in search_vendors(query=normalize_query("sidobre"), limit=5)] == [
        "Chèvrerie du Sidobre"
    ]


def test_category_names_match_in_french_and_english(hub):
    assert set(_search("fromages")[0]) == {"Fromage de chèvre frais", "Pélardon affiné"}
    assert "Pélardon affiné" in _search("cheese")[0]


def test_a_match_in_the_name_ranks_above_one_in_the_description(hub):
    names, _ = _search("miel")

    assert set(names) == {"Miel de châtaignier", "Miel de lavande", "Pain d'épices"}
    assert names[-1] == "Pain d'épices"


def test_search_combines_with_filters_and_sorts(hub):
    either = _search("fromage or miel", vendor_id=hub["goat_farm"].id)[0]
    assert set(either) == {"Fromage de chèvre frais", "Pélardon affiné"}
    assert _search("miel", vendor_id=hub["apiary"].id, max_price_cents=10_000)[0] == [
        "Miel de châtaignier",
        "Pain d'épices",
    ]
    assert _search("miel", max_price_cents=100)[0] == []


def test_hidden_products_and_vendors_are_never_found(db_session):
    suspended = VendorFactory(name="Ferme suspendue", status=VendorStatus.SUSPENDED)
    make_product_for_sale(name="Confiture cachée", vendor=suspended)
    make_product_for_sale(name="Confiture brouillon", status=ProductStatus.DRAFT)

    names, results = _search("confiture")
    assert names == []
    assert search_vendors(query=normalize_query("ferme suspendue"), limit=5) == []


def test_renaming_a_vendor_or_category_refreshes_its_products_vectors(hub, db_session):
    hub["apiary"].name = "Rucher des Monts de Lacaune"
    db_session.flush()
    assert "Miel de châtaignier" in _search("miel lacaune")[0]
    assert _search("miel montagne")[0] == []

    hub["goat_farm"].town = "Vabre"
    db_session.flush()
    assert "Pélardon affiné" in _search("pelardon vabre")[0]


@pytest.mark.parametrize(
    "text",
    [
        "'&|!:*",
        "miel & | !",
        '"miel',
        "miel:*",
        "-",
        "!!!",
        "(miel",
        "a' OR 1=1; --",
        "miel\x00",
        "le la les de",
        "ç" * 300,
    ],
)
def test_absurd_input_never_fails(hub, text):
    names, results = _search(text)
    assert isinstance(names, list)


def test_a_very_long_query_is_cut_not_refused():
    query = normalize_query("miel " * 100)
    assert len(query.text) <= MAX_QUERY_LENGTH and query.was_truncated
    assert not normalize_query("miel").was_truncated


def test_blank_or_punctuation_only_queries_are_empty(db_session):
    for text in ("", "   ", "'&|!:*", None, "\x00\t"):
        query = normalize_query(text)
        assert query.is_empty
        assert (
            search_catalog(query=query, filters=ProductFilters(), page=1, per_page=5).products.total
            == 0
        )


def test_searches_are_never_prepared_while_listings_are(db_session):
    """A prepared search would settle on one plan whatever the words (slower for most)."""
    from sqlalchemy import text

    from marketplace.catalog.services import list_products

    make_product_for_sale(name="Pelote de laine")
    for _ in range(8):  # psycopg prepares a statement at its sixth run on a connection
        assert _search("laine")[0] == ["Pelote de laine"]
        list_products(filters=ProductFilters(), page=1, per_page=5)

    prepared = db_session.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("full_count" in statement for statement in prepared)  # the listing's
    assert not any("products.search_vector @@" in statement for statement in prepared)
