"""French by default, English on request: pages, prices, emails, a complete English catalogue."""
import html
import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask import render_template
from flask_babel import force_locale

from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_product_for_sale

ROOT = Path(__file__).resolve().parents[2]
PO_PATH = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
#: The extraction keywords the catalogue is built with (see `make messages`).
EXTRACT_KEYWORDS = ("_l", "lazy_gettext", "ngettext:1,2", "_n:1,2")


def _read_catalog(path: Path = PO_PATH):
    with path.open("rb") as po_file:
        return read_po(po_file)


@pytest.fixture(scope="module")
def catalog():
    return _read_catalog()


@pytest.fixture(scope="module")
def french_phrases(catalog):
    """French UI phrases (several words, no placeholder) whose English reads differently."""
    phrases = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for french in ids:
            if french and " " in french and "%" not in french and french not in strings:
                phrases.add(french)
    return phrases


def _visible_text(page: str) -> str:
    without_code = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", without_code))


def _assert_no_french_chrome(page: str, french_phrases: set[str]) -> None:
    text = " ".join(_visible_text(page).split())
    left_in_french = sorted(phrase for phrase in french_phrases if phrase in text)
    assert not left_in_french, left_in_french


def _switch_to_english(client) -> None:
    response = client.post("/language", data={"lang": "en", "next": "/"})
    assert response.status_code == 302


def test_visitors_get_french_pages_and_prices_by_default(client, db_session):
    make_product_for_sale(name="Miel de bruyère", slug="miel-de-bruyere", prices=(1250,))

    home = client.get("/").get_data(as_text=True)
    product = client.get("/products/miel-de-bruyere").get_data(as_text=True)

    assert '<html lang="fr">' in home and "Comment ça marche" in home
    assert "Ajouter au panier" in product and "12,50\xa0€" in product
    assert "TVA 20 % incluse" in product


def test_after_choosing_english_the_home_page_speaks_english(client, db_session, french_phrases):
    make_product_for_sale(name="Miel de bruyère", slug="miel-de-bruyere", prices=(1250,))
    _switch_to_english(client)

    home = client.get("/").get_data(as_text=True)

    assert '<html lang="en">' in home
    assert "How it works" in home and "Basket" in home and "Sign in" in home
    assert "€12.50" in home
    _assert_no_french_chrome(home, french_phrases)


def test_product_page_in_english_keeps_the_product_text_in_french(
    client, db_session, french_phrases
):
    make_product_for_sale(name="Miel de bruyère", slug="miel-de-bruyere", prices=(1250,))
    _switch_to_english(client)

    page = client.get("/products/miel-de-bruyere").get_data(as_text=True)

    assert "Add to basket" in page and "€12.50" in page and "Including 20% VAT" in page
    assert "Miel de bruyère" in page  # Vendors write their products in French: data, not UI
    _assert_no_french_chrome(page, french_phrases)


def test_cart_in_english_counts_items_and_prices_in_english(client, db_session, french_phrases):
    product = make_product_for_sale(name="Miel de bruyère", slug="miel-de-bruyere", prices=(1250,))
    _switch_to_english(client)
    client.post(
        "/cart/add",
        data={"variant_id": product.variants[0].id, "quantity": 2, "next": "/cart"},
    )

    page = client.get("/cart").get_data(as_text=True)

    assert "Your basket" in page and "2 items" in page and "from 1 producer" in page
    assert "€12.50 each" in page and "€25.00" in page
    _assert_no_french_chrome(page, french_phrases)


def test_login_page_and_its_errors_in_english(client, db_session, french_phrases):
    _switch_to_english(client)

    page = client.get("/login").get_data(as_text=True)
    refused = client.post(
        "/login", data={"email": "nobody@example.com", "password": "not-the-password"}
    ).get_data(as_text=True)

    assert "Sign in" in page and "Forgotten your password?" in page and "Password" in page
    assert "Incorrect email address or password." in refused
    _assert_no_french_chrome(page, french_phrases)


def test_a_customer_who_chose_english_on_their_account_gets_english(
    client, db_session, login_as
):
    login_as(UserFactory(locale="en"))

    page = client.get("/account").get_data(as_text=True)

    assert '<html lang="en">' in page and "My addresses" in page


def test_emails_are_written_in_the_recipients_language(app):
    context = {"full_name": "Ann", "valid_minutes": 60, "reset_url": "http://localhost/r/x"}
    with app.test_request_context():
        with force_locale("en"):
            english = render_template("emails/password_reset.txt", **context)
        french = render_template("emails/password_reset.txt", **context)

    assert "Hello Ann," in english and "valid for 60 minutes" in english
    assert "Bonjour Ann," in french


def test_every_message_has_an_english_translation(catalog):
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (
            "fuzzy" in message.flags
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
        )
    ]
    assert not untranslated, f"translate these in {PO_PATH.relative_to(ROOT)}: {untranslated}"


def test_translations_keep_every_placeholder(catalog):
    broken = [(message.id, errors) for message, errors in catalog.check()]
    assert not broken, broken


def test_the_catalogue_is_up_to_date_with_the_sources(catalog, tmp_path):
    """Fails when a wrapped string was added or changed in the code but not in the .po:
    run `make messages`, translate the new msgids, then `make translations`."""
    template = tmp_path / "messages.pot"
    arguments = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(template)]
    for keyword in EXTRACT_KEYWORDS:
        arguments += ["-k", keyword]
    CommandLineInterface().run([*arguments, str(ROOT)])

    in_sources = {message.id for message in _read_catalog(template) if message.id}
    in_catalogue = {message.id for message in catalog if message.id}
    assert sorted(map(str, in_sources - in_catalogue)) == [], "not in the English catalogue yet"
    assert sorted(map(str, in_catalogue - in_sources)) == [], "no longer in the sources"
