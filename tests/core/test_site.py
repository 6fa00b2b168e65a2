"""Site-wide behaviour: security headers, error pages, language switch, static assets."""
import re

from tests.factories.catalog import make_product_for_sale


def test_home_page_answers_with_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/nope")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "introuvable" in page
    assert 'action="/search"' in page and 'href="/"' in page


def test_every_page_offers_the_language_switch_with_its_csrf_token(client, db_session):
    page = client.get("/").get_data(as_text=True)

    form = re.search(r'<form method="post" action="/language".*?</form>', page, re.S).group(0)
    assert re.search(r'name="csrf_token" value="[^"]+"', form)
    assert 'name="lang" value="en"' in form


def test_language_switch_keeps_the_page_and_shows_prices_in_english(client, db_session):
    make_product_for_sale(name="Miel", slug="miel", prices=(1250,))

    response = client.post("/language", data={"lang": "en", "next": "/products/miel?ref=1"})

    assert response.status_code == 302 and response.headers["Location"] == "/products/miel?ref=1"
    english = client.get("/products/miel").get_data(as_text=True)
    assert '<html lang="en">' in english and "€12.50" in english


def test_language_switch_never_redirects_elsewhere(client, db_session):
    response = client.post("/language", data={"lang": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_the_stylesheet_script_and_icons_are_served(client, db_session):
    for path in ("/static/css/site.css", "/static/js/storefront.js", "/static/img/favicon.svg",
                 "/static/img/logo.svg"):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()
