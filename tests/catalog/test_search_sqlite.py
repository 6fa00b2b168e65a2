"""Search on the embedded SQLite hub (`make run`): folded, plural-tolerant word matching."""
import pytest

from marketplace import create_app
from marketplace.catalog.search import fold_text, normalize_query
from marketplace.catalog.services import ProductFilters, ProductSort, search_catalog
from marketplace.extensions import db
from tests.factories.catalog import CategoryFactory, make_product_for_sale
from tests.factories.vendors import VendorFactory


@pytest.fixture
def sqlite_hub(tmp_path):
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    with app.app_context():
        db.create_all()
        apiary = VendorFactory(name="Rucher de la Montagne Noire")
        make_product_for_sale(name="Miel de châtaignier", vendor=apiary)
        make_product_for_sale(name="Pain d'épices", vendor=apiary, summary="Au miel.")
        make_product_for_sale(
            name="Fromage de chèvre frais", category=CategoryFactory(name="Fromages")
        )
        make_product_for_sale(name="Chaussettes de laine 50%_coton")
        make_product_for_sale(name="Bœuf en daube")
        yield
        db.session.remove()
        db.drop_all()


def _names(text):
    results = search_catalog(
        query=normalize_query(text),
        filters=ProductFilters(sort=ProductSort.RELEVANCE),
        page=1,
        per_page=20,
    )
    return [product.name for product in results.products.items]


def test_fold_text_drops_case_accents_and_ligatures():
    assert fold_text("Chèvre BŒUF Crème") == "chevre boeuf creme"


def test_the_french_cases_also_work_on_sqlite(sqlite_hub):
    assert _names("chaussette") == ["Chaussettes de laine 50%_coton"]
    assert _names("fromage chevre") == ["Fromage de chèvre frais"]
    assert _names("boeuf") == ["Bœuf en daube"]
    assert _names("miel montagne") == ["Miel de châtaignier", "Pain d'épices"]
    assert _names("fromages") == ["Fromage de chèvre frais"]


def test_like_wildcards_typed_by_people_are_taken_literally(sqlite_hub):
    assert _names("%") == []
    assert _names("_coton") == ["Chaussettes de laine 50%_coton"]
    assert _names("'&|!:*") == []
