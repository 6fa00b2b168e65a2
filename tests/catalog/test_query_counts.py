"""Each storefront page runs the same few SQL queries whether it shows 3 products or 30."""
import pytest
from sqlalchemy import event

from marketplace.extensions import db
from tests.factories.accounts import UserFactory
from tests.factories.catalog import CategoryFactory, make_product_for_sale
from tests.factories.vendors import VendorFactory

MAX_QUERIES_PER_PAGE = 8

PAGES = (
    "/",
    "/products",
    "/products?sort=price_asc&in_stock=1&min_price=1&max_price=500",
    "/categories/laine",
    "/search?q=pelote",
    "/vendors",
    "/vendors/filature",
    "/products/pelote-0",
)


def _stock_hub(wool, spinner, numbers: range) -> None:  # noqa: ANN001
    for number in numbers:
        make_product_for_sale(
            name=f"Pelote n°{number}",
            slug=f"pelote-{number}",
            category=wool,
            vendor=spinner if number % 2 == 0 else VendorFactory(featured=number < 8),
            prices=(1200, 1400, 1600),
            stocks=[5, 1, 0],
            images=2,
        )
    db.session.flush()


def _count_queries(client, url: str) -> int:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)

    # Each real request starts with an empty session: nothing (not even the User) is loaded.
    db.session.expunge_all()
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200, url
    return len(statements)


@pytest.fixture
def measure(client, db_session):
    """Queries per page with the hub grown to `product_count` Products (it only grows)."""
    wool = CategoryFactory(slug="laine", name="Laine")
    spinner = VendorFactory(slug="filature", featured=True)
    stocked = 0

    def run(product_count: int) -> dict[str, int]:
        nonlocal stocked
        _stock_hub(wool, spinner, range(stocked, product_count))
        stocked = product_count
        return {url: _count_queries(client, url) for url in PAGES}

    return run


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "customer"])
def test_query_count_does_not_grow_with_the_products_shown(measure, login_as, logged_in):
    if logged_in:
        login_as(UserFactory())
    with_3 = measure(3)
    with_30 = measure(30)

    print(f"\nSQL queries per page, {'customer' if logged_in else 'visitor'} (3 / 30 products):")
    for url in PAGES:
        print(f"  {url}: {with_3[url]} / {with_30[url]}")
    assert with_3 == with_30
    assert max(with_30.values()) <= MAX_QUERIES_PER_PAGE
