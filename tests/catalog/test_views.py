"""Storefront pages as a visitor sees them: home, listings, categories, product pages, search."""
import html
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from marketplace.catalog.models import ProductStatus
from marketplace.vendors.models import VendorKind, VendorStatus
from tests.factories.catalog import (
    CategoryFactory,
    ProductImageFactory,
    make_product_for_sale,
)
from tests.factories.vendors import VendorFactory


def _text(response) -> str:
    """The page's text with Babel's no-break spaces made plain, as a reader perceives it."""
    text = html.unescape(response.get_data(as_text=True))
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _card_names(response) -> list[str]:
    return re.findall(r'class="product-card__link" href="[^"]+">([^<]+)</a>', _text(response))


def _links(response, css_class: str) -> list[str]:
    return re.findall(rf'class="{css_class}" href="([^"]+)"', response.get_data(as_text=True))


# ---------- Home ----------


def test_home_shows_categories_featured_vendors_and_new_arrivals(client, db_session):
    CategoryFactory(name="Épicerie fine", slug="epicerie")
    VendorFactory(name="Filature de Mazamet", featured=True)
    make_product_for_sale(name="Pull col roulé")
    make_product_for_sale(name="Pull en brouillon", status=ProductStatus.DRAFT)

    page = _text(client.get("/"))

    assert "Épicerie fine" in page and 'href="/categories/epicerie"' in page
    assert "Filature de Mazamet" in page
    assert "Pull col roulé" in page
    assert "Pull en brouillon" not in page


def test_home_on_an_empty_hub_still_welcomes(client, db_session):
    response = client.get("/")
    assert response.status_code == 200
    assert "revenez très bientôt" in _text(response)


# ---------- Listings ----------


def test_product_list_shows_cards_with_vendor_price_and_stock(client, db_session):
    vendor = VendorFactory(name="Chèvrerie du Sidobre")
    make_product_for_sale(name="Tomme", vendor=vendor, prices=(1250, 1800), stocks=[2, 0])
    make_product_for_sale(name="Pélardon", vendor=vendor, prices=(650,), stocks=[0])
    make_product_for_sale(name="Yaourt", vendor=vendor, prices=(300,), stocks=[40])

    page = _text(client.get("/products"))

    assert "3 produits" in page
    assert "Chèvrerie du Sidobre" in page
    assert "dès 12,50 €" in page and "6,50 €" in page
    assert "Plus que 2" in page and "Épuisé" in page and "En stock" in page


def test_filters_combine_in_the_url(client, db_session):
    farm = VendorFactory(slug="chevrerie", kind=VendorKind.PRODUCER)
    cheese = CategoryFactory(slug="fromages")
    make_product_for_sale(name="Pélardon", vendor=farm, category=cheese, prices=(650,))
    make_product_for_sale(
        name="Tomme épuisée", vendor=farm, category=cheese, prices=(900,), stocks=[0]
    )
    make_product_for_sale(name="Tomme chère", vendor=farm, category=cheese, prices=(3200,))
    make_product_for_sale(name="Pull", category=cheese, prices=(700,))

    response = client.get(
        "/products?category=fromages&vendor=chevrerie&kind=producer&min_price=5&max_price=10,00"
        "&in_stock=1"
    )

    assert response.status_code == 200
    assert _card_names(response) == ["Pélardon"]
    page = _text(response)
    assert 'value="10,00"' in page and '<option value="chevrerie" selected>' in page


def test_sort_orders_the_cards(client, db_session):
    now = datetime.now(UTC)
    make_product_for_sale(name="Ancien", prices=(2000,), published_at=now - timedelta(days=9))
    make_product_for_sale(name="Récent", prices=(3000,), published_at=now - timedelta(days=1))
    make_product_for_sale(name="Moyen", prices=(1000,), published_at=now - timedelta(days=4))

    assert _card_names(client.get("/products")) == ["Récent", "Moyen", "Ancien"]
    assert _card_names(client.get("/products?sort=price_asc")) == ["Moyen", "Ancien", "Récent"]
    assert _card_names(client.get("/products?sort=price_desc")) == ["Récent", "Ancien", "Moyen"]


def test_pagination_links_keep_the_filters(client, app, db_session):
    app.config["PRODUCTS_PER_PAGE"] = 2
    try:
        for number in range(5):
            make_product_for_sale(name=f"Écheveau {number}", prices=(1000 + number,))
        make_product_for_sale(name="Trop cher", prices=(9900,))

        response = client.get("/products?max_price=50&sort=price_asc&page=2")
    finally:
        app.config["PRODUCTS_PER_PAGE"] = 24

    assert _card_names(response) == ["Écheveau 2", "Écheveau 3"]
    next_link = _links(response, "pagination__step")[-1]
    query = parse_qs(urlsplit(next_link.replace("&amp;", "&")).query)
    assert query == {"max_price": ["50"], "sort": ["price_asc"], "page": ["3"]}
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2<' in _text(response)


@pytest.mark.parametrize("query", ["vendor=%00", "min_price=%00", "q=miel%00"])
def test_control_characters_in_filters_are_refused_before_any_query(client, db_session, query):
    assert client.get(f"/products?{query}").status_code == 400
    assert client.get(f"/search?{query}").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "min_price=abc",
        "max_price=12,345",
        "min_price=-5",
        "sort=cheapest",
        "page=99999",
        "page=-1",
        "page=abc",
        "category=nope",
        "kind=robot",
        "in_stock=maybe",
        "min_price=40&max_price=10",
        "page=" + "9" * 5000,
        "sort=%ff",
    ],
)
def test_bad_filter_values_give_a_helpful_page(client, db_session, query):
    make_product_for_sale(name="Pull")

    response = client.get(f"/products?{query}")

    assert response.status_code == 200
    assert "Pull" in _card_names(response) or "Aucun produit" in _text(response)


def test_bad_filter_values_say_what_was_wrong(client, db_session):
    make_product_for_sale(name="Pull")

    page = _text(client.get("/products?min_price=douze&sort=cheapest&page=99999"))

    assert "Certains filtres n'ont pas été appliqués" in page
    assert "« douze » n'est pas un prix" in page
    assert "Ce tri n'existe pas" in page
    assert "Pull" in page


def test_category_page_lists_its_products_and_those_of_its_subcategories(client, db_session):
    textile = CategoryFactory(name="Textile", slug="textile", description="Laine et lin du Tarn.")
    knitwear = CategoryFactory(name="Tricots", slug="tricots", parent=textile)
    make_product_for_sale(name="Écharpe", category=textile)
    make_product_for_sale(name="Pull", category=knitwear)
    make_product_for_sale(name="Miel", category=CategoryFactory())

    response = client.get("/categories/textile?sort=price_asc")

    assert response.status_code == 200
    assert sorted(_card_names(response)) == ["Pull", "Écharpe"]
    page = _text(response)
    assert "<h1>Textile</h1>" in page and "Laine et lin du Tarn." in page
    assert 'href="/categories/tricots"' in page
    assert client.get("/categories/inconnue").status_code == 404
    assert client.get("/categories/%00").status_code == 400


def test_category_and_money_follow_the_chosen_language(client, db_session):
    honey = CategoryFactory(name="Miel", name_en="Honey", slug="miel")
    make_product_for_sale(name="Miel de bruyère", category=honey, prices=(1250,))
    with client.session_transaction() as session:
        session["lang"] = "en"

    page = _text(client.get("/categories/miel"))

    assert "<h1>Honey</h1>" in page
    assert "€12.50" in page


def test_kept_parts_of_listings_follow_each_page_state_and_language(
    client, app, db_session, monkeypatch
):
    # As in production: the Categories and Vendor lists are kept, so the form can be reused.
    monkeypatch.setitem(app.config, "CATALOG_CACHE_SECONDS", 60)
    monkeypatch.setitem(app.extensions, "catalog.kept", {})
    wool = CategoryFactory(slug="laine", name="Laine", name_en="Wool")
    make_product_for_sale(category=wool, prices=(1250,))

    def heading(url: str) -> str:
        return re.search(r"<h1>([^<]+)</h1>", client.get(url).get_data(as_text=True)).group(1)

    def chosen_sort(url: str) -> str:
        page = client.get(url).get_data(as_text=True)
        return re.search(r'<option value="(\w+)" selected>', page).group(1)

    def sort_label(url: str) -> str:
        page = client.get(url).get_data(as_text=True)
        return re.search(r'<label for="filter-sort">([^<]+)</label>', page).group(1)

    # The form is written once per state and reused: each state keeps its own.
    for _ in range(2):
        assert chosen_sort("/categories/laine?sort=price_asc") == "price_asc"
        assert chosen_sort("/categories/laine") == "newest"
        assert sort_label("/categories/laine") == "Trier par"
        assert heading("/categories/laine") == "Laine"
    with client.session_transaction() as session:
        session["lang"] = "en"
    assert sort_label("/categories/laine") == "Sort by"
    assert heading("/categories/laine") == "Wool"
    assert chosen_sort("/categories/laine?sort=price_asc") == "price_asc"


def _vendor_options(response) -> list[str]:
    page = response.get_data(as_text=True)
    select = re.search(r'<select id="filter-vendor".*?</select>', page, re.S)
    return re.findall(r"<option value=[^>]*>([^<]*)</option>", select.group(0))[1:]


def test_the_vendor_filter_of_a_category_offers_those_selling_there(client, db_session):
    wool = CategoryFactory(slug="laine")
    make_product_for_sale(name="Pelote", category=wool, vendor=VendorFactory(name="Filature"))
    make_product_for_sale(category=CategoryFactory(), vendor=VendorFactory(name="Rucher"))

    assert _vendor_options(client.get("/categories/laine")) == ["Filature"]
    assert _vendor_options(client.get("/products")) == ["Filature", "Rucher"]
    assert _vendor_options(client.get("/products?category=laine")) == ["Filature"]


def test_a_shared_link_keeps_its_vendor_where_that_vendor_sells_nothing(client, db_session):
    wool = CategoryFactory(slug="laine")
    make_product_for_sale(name="Pelote", category=wool, vendor=VendorFactory(name="Filature"))
    make_product_for_sale(category=CategoryFactory(), vendor=VendorFactory(slug="rucher"))

    response = client.get("/categories/laine?vendor=rucher")

    page = response.get_data(as_text=True)
    assert '<option value="rucher" selected>' in page
    assert _card_names(response) == []
    assert "Aucun produit ne correspond à ces filtres." in page
    assert "introuvable" not in page


def test_vendor_names_are_escaped_in_the_filter(client, db_session):
    vendor = VendorFactory(name='Ferme "Les <Chênes>" & fils', slug="chenes")
    make_product_for_sale(vendor=vendor)

    page = client.get("/products?vendor=chenes").get_data(as_text=True)

    assert "<Chênes>" not in page
    assert '<option value="chenes" selected>Ferme &quot;Les &lt;Chênes&gt;&quot; &amp; fils' in page


def test_cards_speak_the_chosen_language(client, db_session):
    make_product_for_sale(name="Pull", prices=(5900, 6900), stocks=[2, 0])
    make_product_for_sale(name="Bonnet", prices=(2500,), stocks=[0])
    make_product_for_sale(name="Écharpe", prices=(3500,), stocks=[20])
    with client.session_transaction() as session:
        session["lang"] = "en"

    page = _text(client.get("/products"))

    assert "from €59.00" in page and "Only 2 left" in page
    assert "Sold out" in page and "In stock" in page and "€35.00" in page


# ---------- Product page ----------


@pytest.fixture
def socks(db_session):
    category = CategoryFactory(name="Chaussettes", default_vat_rate_bps=2000)
    vendor = VendorFactory(
        name="Filature de la Montagne Noire",
        slug="filature",
        town="Mazamet",
        kind=VendorKind.TEXTILE_WORKSHOP,
        tagline="Laine des brebis du Tarn",
    )
    product = make_product_for_sale(
        name="Chaussettes de laine",
        slug="chaussettes-laine",
        vendor=vendor,
        category=category,
        prices=(1250, 1450, 1650),
        stocks=[12, 2, 0],
        images=0,
        origin="Mazamet (Tarn)",
        making_details="Filées et tricotées à l'atelier.",
        made_at_hub=True,
        vat_rate_bps=550,
    )
    ProductImageFactory(product=product, path="products/chaussettes.jpg", alt="Chaussettes bleues")
    make_product_for_sale(name="Bonnet torsadé", vendor=vendor)
    return product


def test_product_page_shows_what_a_customer_needs_to_choose(client, socks):
    response = client.get("/products/chaussettes-laine")
    page = _text(response)

    assert response.status_code == 200
    assert '<h1 class="product__name">Chaussettes de laine</h1>' in page
    assert "dès 12,50 €" in page and "14,50 €" in page and "16,50 €" in page
    assert "TVA 5,5 % incluse" in page
    assert "Plus que 2" in page and "Épuisé" in page
    assert "Mazamet (Tarn)" in page and "Filées et tricotées à l'atelier." in page
    assert "Fabriqué à l'atelier de la coopérative" in page
    assert 'src="/media/products/chaussettes.jpg"' in page and 'alt="Chaussettes bleues"' in page
    assert "Filature de la Montagne Noire" in page and 'href="/vendors/filature"' in page
    assert "Bonnet torsadé" in page


def test_product_page_lets_a_variant_be_chosen_without_javascript(client, socks):
    page = _text(client.get("/products/chaussettes-laine"))
    radios = re.findall(r'<input type="radio" name="variant_id" value="(\d+)"([^>]*)>', page)
    variants = sorted(socks.variants, key=lambda variant: variant.position)

    assert [int(value) for value, _ in radios] == [variant.id for variant in variants]
    assert "checked" in radios[0][1]
    assert "disabled" in radios[2][1] and "disabled" not in radios[1][1]


def test_a_product_without_picture_gets_a_placeholder_not_a_broken_image(client, db_session):
    make_product_for_sale(name="Miel de bruyère", slug="miel", images=0)

    page = _text(client.get("/products/miel"))

    assert 'class="picture picture--placeholder' in page and ">MB<" in page
    assert "/media/" not in page


def test_a_sold_out_product_says_so(client, db_session):
    make_product_for_sale(name="Tomme", slug="tomme", prices=(900,), stocks=[0])

    page = _text(client.get("/products/tomme"))

    assert "Épuisé" in page and "revenez bientôt" in page


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": ProductStatus.DRAFT},
        {"status": ProductStatus.ARCHIVED},
        {"vendor": {"status": VendorStatus.SUSPENDED}},
        {"vendor": {"status": VendorStatus.APPLIED}},
    ],
)
def test_hidden_products_are_not_found(client, db_session, hidden):
    fields = dict(hidden)
    if "vendor" in fields:
        fields["vendor"] = VendorFactory(**fields["vendor"])
    make_product_for_sale(slug="cache", name="Produit caché", **fields)

    assert client.get("/products/cache").status_code == 404
    assert "Produit caché" not in _text(client.get("/products"))
    assert "Produit caché" not in _text(client.get("/search?q=produit+cache"))


def test_unknown_or_strange_product_slugs_are_not_found(client, db_session):
    for path in ("/products/inconnu", "/products/" + "a" * 400, "/products/a%20b"):
        assert client.get(path).status_code == 404
    assert client.get("/products/%00").status_code == 400


# ---------- Search ----------


def test_search_finds_products_and_vendors(client, db_session):
    apiary = VendorFactory(name="Rucher de la Montagne Noire", tagline="Miels de montagne")
    make_product_for_sale(name="Miel de châtaignier", vendor=apiary)
    make_product_for_sale(name="Pull")

    response = client.get("/search?q=miel+montagne")
    page = _text(response)

    assert response.status_code == 200
    assert _card_names(response) == ["Miel de châtaignier"]
    assert "Rucher de la Montagne Noire" in page and "Producteurs et ateliers" in page
    assert 'value="miel montagne"' in page


def test_search_results_are_paginated_and_links_keep_the_words_and_filters(client, app, db_session):
    app.config["PRODUCTS_PER_PAGE"] = 2
    try:
        for number in range(5):
            make_product_for_sale(name=f"Miel n°{number}")
        response = client.get("/search?q=miel&in_stock=1")
    finally:
        app.config["PRODUCTS_PER_PAGE"] = 24

    assert len(_card_names(response)) == 2 and "5 produits" in _text(response)
    next_link = _links(response, "pagination__step")[-1].replace("&amp;", "&")
    assert parse_qs(urlsplit(next_link).query) == {"q": ["miel"], "in_stock": ["1"], "page": ["2"]}


def test_empty_search_suggests_categories(client, db_session):
    CategoryFactory(name="Fromages", slug="fromages")

    for url in ("/search", "/search?q=", "/search?q=+++", "/search?q='%26|!:*"):
        page = _text(client.get(url))
        assert "Que cherchez-vous ?" in page and 'href="/categories/fromages"' in page


def test_search_without_results_helps(client, db_session):
    CategoryFactory(name="Fromages", slug="fromages")

    response = client.get("/search?q=ordinateur")

    assert response.status_code == 200
    page = _text(response)
    assert "Rien trouvé pour « ordinateur »" in page and 'href="/categories/fromages"' in page


@pytest.mark.parametrize(
    "query", ["miel+%26+|+!", "%22miel", "miel:*", "a'+OR+1=1;+--", "-", "%ff%fe"]
)
def test_absurd_searches_never_fail(client, db_session, query):
    make_product_for_sale(name="Miel")
    assert client.get(f"/search?q={query}").status_code == 200


def test_a_very_long_search_is_cut_and_says_so(client, db_session):
    make_product_for_sale(name="Miel")

    response = client.get("/search?q=" + "miel+" * 500)

    assert response.status_code == 200
    assert "seuls les" in _text(response)
    assert _card_names(response) == ["Miel"]


# ---------- Every page ----------


def test_no_inline_style_or_script_anywhere(client, socks):
    for url in (
        "/",
        "/products",
        "/products/chaussettes-laine",
        "/search?q=laine",
        "/search",
        "/vendors",
        "/vendors/filature",
        "/categories/" + socks.category.slug,
        "/nope",
    ):
        markup = client.get(url).get_data(as_text=True)
        assert " style=" not in markup, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", markup), url
        assert re.search(r'name="csrf_token" value="[^"]*"', markup), url
