"""Public Vendor pages: the list of producers and workshops, and each one's page."""
import html
import re

from marketplace.vendors.models import VendorKind, VendorStatus
from tests.factories.catalog import make_product_for_sale
from tests.factories.vendors import VendorFactory


def _text(response) -> str:
    return (
        html.unescape(response.get_data(as_text=True)).replace("\u00a0", " ").replace("\u202f", " ")
    )


def test_vendor_list_shows_approved_vendors_by_kind(client, db_session):
    VendorFactory(name="Filature de Mazamet", kind=VendorKind.TEXTILE_WORKSHOP, town="Mazamet")
    VendorFactory(name="Chèvrerie du Sidobre", kind=VendorKind.PRODUCER, town="Burlats")
    VendorFactory(name="Atelier en attente", status=VendorStatus.APPLIED)
    VendorFactory(name="Ferme suspendue", status=VendorStatus.SUSPENDED)

    everyone = _text(client.get("/vendors"))
    producers = _text(client.get("/vendors?kind=producer"))

    assert "Filature de Mazamet" in everyone and "Chèvrerie du Sidobre" in everyone
    assert "Atelier textile · Mazamet" in everyone
    assert "Atelier en attente" not in everyone and "Ferme suspendue" not in everyone
    assert "Chèvrerie du Sidobre" in producers and "Filature de Mazamet" not in producers
    assert client.get("/vendors?kind=robot").status_code == 200


def test_vendor_page_tells_its_story_and_shows_its_goods(client, db_session):
    vendor = VendorFactory(
        name="Rucher de la Montagne Noire",
        slug="rucher",
        kind=VendorKind.PRODUCER,
        town="Labruguière",
        tagline="Miels de bruyère",
        story="Trois cents ruches sur les pentes.",
    )
    make_product_for_sale(name="Miel de châtaignier", vendor=vendor, prices=(1250,))
    make_product_for_sale(name="Miel en brouillon", vendor=vendor, status="draft")
    make_product_for_sale(name="Pull d'un autre atelier")

    response = client.get("/vendors/rucher")
    page = _text(response)

    assert response.status_code == 200
    assert "<h1>Rucher de la Montagne Noire</h1>" in page
    assert "Producteur · Labruguière" in page and "Miels de bruyère" in page
    assert "Trois cents ruches sur les pentes." in page
    assert "Miel de châtaignier" in page and "12,50 €" in page
    assert "Miel en brouillon" not in page and "Pull d'un autre atelier" not in page


def test_vendor_page_filters_sorts_and_paginates_its_goods(client, app, db_session):
    vendor = VendorFactory(slug="filature")
    for number in range(5):
        make_product_for_sale(name=f"Pelote {number}", vendor=vendor, prices=(500 + number,))
    app.config["PRODUCTS_PER_PAGE"] = 2
    try:
        response = client.get("/vendors/filature?sort=price_desc&page=2")
    finally:
        app.config["PRODUCTS_PER_PAGE"] = 24

    names = re.findall(r'class="product-card__link" href="[^"]+">([^<]+)<', _text(response))
    assert names == ["Pelote 2", "Pelote 1"]
    assert "/vendors/filature?sort=price_desc&amp;page=3" in response.get_data(as_text=True)


def test_suspended_applied_or_unknown_vendors_are_not_found(client, db_session):
    VendorFactory(slug="suspendu", status=VendorStatus.SUSPENDED)
    VendorFactory(slug="candidat", status=VendorStatus.APPLIED)

    for slug in ("suspendu", "candidat", "inconnu"):
        assert client.get(f"/vendors/{slug}").status_code == 404
    assert client.get("/vendors/%00").status_code == 400
