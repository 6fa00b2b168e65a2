"""A search with a typo finds nothing, and offers the words the shop knows."""
import html

import pytest

from marketplace.catalog.search import SearchQuery, spelling_suggestion
from marketplace.extensions import db
from tests.factories.catalog import make_product_for_sale


@pytest.fixture
def shop(db_session):
    make_product_for_sale(name="Chaussettes en laine", summary="Laine du Tarn")
    make_product_for_sale(name="Miel de montagne", summary="Pot de 500 g")
    make_product_for_sale(name="Fromage de chèvre", summary="Affiné")
    db.session.commit()


@pytest.mark.parametrize(("typed", "suggested"), [
    ("chausette", "chaussettes"),
    ("mile", "miel"),
    ("fromgae de chevre", "fromage de chèvre"),
])
def test_typos_are_mended_with_the_shops_own_words(app, shop, typed, suggested):
    assert spelling_suggestion(db.session, SearchQuery(typed), "postgresql") == suggested


@pytest.mark.parametrize(("typed", "suggested"), [
    ("chausette", "chaussettes"), ("mile", "miel"), ("fromgae", "fromage"),
])
def test_the_embedded_hub_mends_them_too(app, shop, typed, suggested):
    assert spelling_suggestion(db.session, SearchQuery(typed), "sqlite") == suggested


def test_nothing_is_suggested_for_words_the_shop_knows_or_nothing_like_them(app, shop):
    assert spelling_suggestion(db.session, SearchQuery("miel"), "postgresql") is None
    assert spelling_suggestion(db.session, SearchQuery("xylophone"), "postgresql") is None


def test_the_search_page_asks_did_you_mean(client, shop):
    page = html.unescape(client.get("/search?q=chausette").get_data(as_text=True))
    assert "Rien trouvé pour « chausette »." in page
    assert 'Vouliez-vous dire <a href="/search?q=chaussettes">« chaussettes »</a> ?' in page
