"""The listing filter form: euros typed by people become exact cents; bad values are set aside."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from marketplace.catalog.forms import ProductFilterForm, parse_euros_to_cents
from marketplace.catalog.services import SEARCH_SORTS, ProductSort
from tests.factories.catalog import CategoryFactory
from tests.factories.vendors import VendorFactory


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12", 1200),
        ("12,50", 1250),
        ("12.5", 1250),
        ("0,29", 29),
        ("1 200 €", 120000),
        ("7€", 700),
        ("0", 0),
        ("999999,99", 99999999),
    ],
)
def test_euros_become_exact_cents(text, cents):
    assert parse_euros_to_cents(text) == cents


@pytest.mark.parametrize(
    "text", ["abc", "12,345", "-5", "1e3", "12,5,0", "", "€", "1000000", "nan", "inf", "١٢", "0x10"]
)
def test_what_is_not_an_amount_in_euros_is_refused(text):
    with pytest.raises(ValueError):
        parse_euros_to_cents(text)


@given(st.integers(min_value=0, max_value=99_999_999))
def test_any_amount_written_with_a_comma_round_trips_to_the_cent(cents):
    text = f"{Decimal(cents) / 100:.2f}".replace(".", ",")
    assert parse_euros_to_cents(text) == cents


def _form(app, categories=(), vendors=(), sorts=None, **args):
    with app.test_request_context():
        extra = {"sorts": sorts} if sorts else {}
        form = ProductFilterForm(
            MultiDict(args), categories=list(categories), vendors=vendors, **extra
        )
        form.validate()
        return form


def test_valid_filters_become_service_filters_and_query_args(app, db_session):
    parent = CategoryFactory(slug="textile")
    child = CategoryFactory(slug="tricots", parent=parent)
    vendor = VendorFactory(slug="filature")
    form = _form(
        app,
        [parent, child],
        [vendor],
        category="textile",
        vendor="filature",
        kind="producer",
        min_price="5",
        max_price="20,50",
        in_stock="1",
        sort="price_desc",
    )

    filters = form.to_filters()

    assert not form.errors
    assert set(filters.category_ids) == {parent.id, child.id}
    assert filters.vendor_id == vendor.id
    assert (filters.min_price_cents, filters.max_price_cents) == (500, 2050)
    assert filters.in_stock_only and filters.sort == ProductSort.PRICE_DESC
    assert form.query_args() == {
        "category": "textile",
        "vendor": "filature",
        "kind": "producer",
        "min_price": "5",
        "max_price": "20,50",
        "in_stock": "1",
        "sort": "price_desc",
    }


def test_bad_values_get_a_message_and_are_left_out_while_good_ones_apply(app, db_session):
    form = _form(
        app,
        category="inconnue",
        vendor="personne",
        kind="robot",
        min_price="douze",
        max_price="30",
        sort="au-hasard",
        in_stock="0",
    )

    filters = form.to_filters()

    assert set(form.errors) == {"category", "vendor", "kind", "min_price", "sort"}
    assert "douze" in str(form.min_price.errors[0])
    assert filters.category_ids == () and filters.vendor_id is None and filters.vendor_kind is None
    assert (filters.min_price_cents, filters.max_price_cents) == (None, 3000)
    assert filters.sort == ProductSort.NEWEST and not filters.in_stock_only
    assert form.query_args() == {"max_price": "30"}


def test_a_maximum_below_the_minimum_is_pointed_out(app, db_session):
    form = _form(app, min_price="40", max_price="10")

    assert "max_price" in form.errors
    assert form.to_filters().max_price_cents is None
    assert form.to_filters().min_price_cents == 4000


def test_search_sorts_default_to_relevance_and_ignore_the_vendor_choice(app, db_session):
    form = _form(app, vendors=None, sorts=SEARCH_SORTS, vendor="nobody")

    assert form.to_filters().sort == ProductSort.RELEVANCE
    assert not form.errors and form.query_args() == {}
