"""The legal pages a shop in France must show, and the Admins' screens that edit them."""
import html

import pytest
from sqlalchemy import select

from marketplace.content.models import HubDetailsRecord, LegalPage, PageKind
from tests.factories.accounts import AdminFactory, UserFactory

LEGAL_PAGES = (
    ("/conditions-generales-de-vente", "Conditions générales de vente"),
    ("/mentions-legales", "Mentions légales"),
    ("/donnees-personnelles", "Données personnelles"),
    ("/droit-de-retractation", "Droit de rétractation"),
    ("/contact", "Nous contacter"),
)


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(("path", "title"), LEGAL_PAGES)
def test_every_legal_page_is_there_with_its_shipped_text(client, path, title):
    response = client.get(path)

    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in page_text(response)


def test_the_legal_notice_names_the_publisher_its_siret_host_and_director(client):
    text = page_text(client.get("/mentions-legales"))

    for expected in ("SCIC SAS à capital variable", "91234567800019", "OVH SAS",
                     "Directeur de la publication", "Paul Vidal", "Médiateur de la consommation"):
        assert expected in text


def test_the_withdrawal_page_names_the_fresh_food_exception(client):
    text = page_text(client.get("/droit-de-retractation"))

    assert "14 jours" in text
    assert "denrées périssables" in text


def test_the_contact_page_gives_the_shop_address_hours_phone_and_a_map(client):
    text = page_text(client.get("/contact"))

    assert "2 rue de la Filature" in text
    assert "Mercredi 16 h – 19 h" in text
    assert 'href="tel:+33563001234"' in text
    assert "https://www.openstreetmap.org/search?query=2+rue+de+la+Filature" in text


def test_only_admins_reach_the_editing_screens(client, login_as):
    assert client.get("/admin/pages/").status_code == 302  # to the login page
    login_as(UserFactory())
    assert client.get("/admin/pages/").status_code == 403
    assert client.post("/admin/pages/privacy/edit", data={"title_fr": "x"}).status_code == 403


def test_an_admin_edits_a_page_in_both_languages(client, login_as, db_session):
    admin = login_as(AdminFactory())
    form = client.get("/admin/pages/terms_of_sale/edit")
    assert "Conditions générales de vente" in page_text(form)

    response = client.post("/admin/pages/terms_of_sale/edit", data={
        "title_fr": "CGV des Ateliers",
        "body_fr": "## Article 1\n\nTout est **fait main**.",
        "title_en": "Les Ateliers' terms",
        "body_en": "## Article 1\n\nEverything is **handmade**.",
    })

    assert response.status_code == 302
    saved = db_session.scalar(select(LegalPage).where(LegalPage.kind == PageKind.TERMS_OF_SALE))
    assert saved.updated_by_id == admin.id
    shown = page_text(client.get("/conditions-generales-de-vente"))
    assert "<h1>CGV des Ateliers</h1>" in shown
    assert "<h2>Article 1</h2>" in shown
    assert "<strong>fait main</strong>" in shown


def test_html_in_an_edited_page_is_shown_as_text_and_never_run(client, login_as):
    login_as(AdminFactory())
    client.post("/admin/pages/privacy/edit", data={
        "title_fr": "Données",
        "body_fr": '<script>alert(1)</script>\n\n[clic](javascript:alert(1))',
        "title_en": "Data",
        "body_en": "Data",
    })

    body = client.get("/donnees-personnelles").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert 'href="javascript:' not in body


def test_a_page_with_a_missing_title_is_refused_and_nothing_is_saved(client, login_as, db_session):
    login_as(AdminFactory())
    response = client.post("/admin/pages/withdrawal/edit", data={
        "title_fr": "", "body_fr": "x", "title_en": "y", "body_en": "z",
    })

    assert response.status_code == 422
    assert db_session.scalar(select(LegalPage)) is None


def test_an_unknown_page_kind_is_not_found(client, login_as):
    login_as(AdminFactory())
    assert client.get("/admin/pages/cookies/edit").status_code == 404


def test_an_admin_changes_the_shop_hours_and_the_contact_page_follows(client, login_as, db_session):
    login_as(AdminFactory())
    form = {
        "name": "Les Ateliers", "legal_name": "Les Ateliers SCIC", "legal_form": "SCIC SAS",
        "siret": "91234567800019", "vat_number": "FR52912345678", "rcs": "RCS Castres 912",
        "street": "2 rue de la Filature", "postcode": "81100", "city": "Castres",
        "phone": "05 63 00 12 34", "email": "bonjour@lesateliers-castres.fr",
        "opening_hours_fr": "Jeudi 10 h – 18 h", "opening_hours_en": "Thursday 10 am – 6 pm",
        "publication_director": "Paul Vidal", "host": "OVH SAS, Roubaix",
        "mediator": "CM2C, Paris",
    }

    assert client.post("/admin/pages/hub", data=form).status_code == 302
    assert "Jeudi 10 h – 18 h" in page_text(client.get("/contact"))
    assert db_session.scalar(select(HubDetailsRecord)).values["city"] == "Castres"


def test_a_siret_that_is_not_14_digits_is_refused(client, login_as):
    login_as(AdminFactory())
    response = client.post("/admin/pages/hub", data={"siret": "1234"})

    assert response.status_code == 422
    assert "14 chiffres, sans espace." in page_text(response)
