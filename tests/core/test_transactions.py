"""How a request's database work runs: storefront pages in autocommit mode and unable to write;
other requests in a transaction ending with COMMIT when they only read (psycopg then keeps its
prepared statements), ROLLBACK for anything written and not committed, or for a failure."""
from contextlib import contextmanager

import pytest
from sqlalchemy import delete, event, func, select

from marketplace.catalog.models import Category
from marketplace.core.transactions import (
    WriteInReadOnlyRequest,
    end_read_only_transaction,
    start_read_only_request,
)
from marketplace.extensions import db
from tests.factories.accounts import UserFactory
from tests.factories.catalog import ProductFactory


@contextmanager
def transaction_endings():
    """Which way each transaction on the app's engine ended: "commit" or "rollback"."""
    endings: list[str] = []

    def committed(connection):  # noqa: ANN001
        endings.append("commit")

    def rolled_back(connection):  # noqa: ANN001
        endings.append("rollback")

    event.listen(db.engine, "commit", committed)
    event.listen(db.engine, "rollback", rolled_back)
    try:
        yield endings
    finally:
        event.remove(db.engine, "commit", committed)
        event.remove(db.engine, "rollback", rolled_back)


def _categories_in_database() -> int:
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Category))


@pytest.mark.parametrize("signed_in", [False, True])
def test_storefront_pages_read_in_autocommit_mode(app, committed_db, signed_in):
    product = ProductFactory()
    user = UserFactory()
    committed_db.commit()
    user_id = user.get_id()
    name = product.name
    paths = (f"/categories/{product.category.slug}", f"/products/{product.slug}", "/")
    db.session.remove()  # as at the end of each real request's application context
    client = app.test_client()
    if signed_in:  # the account is then read (for the language) before the page itself
        with client.session_transaction() as session:
            session["_user_id"] = user_id
    autocommit_flags: list[bool] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        autocommit_flags.append(conn.connection.driver_connection.autocommit)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200
            assert name in response.get_data(as_text=True)
            db.session.remove()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

    assert autocommit_flags and all(autocommit_flags)


def test_a_storefront_request_cannot_write(app, committed_db):
    with app.test_request_context("/products"):
        start_read_only_request()
        db.session.add(Category(name="Laine", name_en="Wool", slug="laine"))
        with pytest.raises(WriteInReadOnlyRequest):
            db.session.flush()
        with pytest.raises(WriteInReadOnlyRequest):
            db.session.execute(delete(Category))
        end_read_only_transaction()
        db.session.remove()

    assert _categories_in_database() == 0


def test_other_requests_that_only_read_commit_their_transaction(app, committed_db):
    with app.test_request_context("/cart"):
        db.session.scalar(select(func.count()).select_from(Category))
        with transaction_endings() as endings:
            end_read_only_transaction()
            db.session.remove()

    assert endings == ["commit"]


def test_writes_nobody_committed_are_rolled_back_at_the_end(app, committed_db):
    with app.test_request_context("/"):
        db.session.add(Category(name="Laine", name_en="Wool", slug="laine"))
        db.session.flush()
        with transaction_endings() as endings:
            end_read_only_transaction()
            db.session.remove()

    assert endings == ["rollback"]
    assert _categories_in_database() == 0


def test_pending_objects_are_never_committed_by_the_end_of_a_request(app, committed_db):
    with app.test_request_context("/"):
        db.session.scalar(select(func.count()).select_from(Category))  # opens the transaction
        db.session.add(Category(name="Lin", name_en="Linen", slug="lin"))
        end_read_only_transaction()
        db.session.remove()

    assert _categories_in_database() == 0


def test_a_failed_request_is_rolled_back(app, committed_db):
    with app.test_request_context("/"):
        db.session.scalar(select(func.count()).select_from(Category))
        with transaction_endings() as endings:
            end_read_only_transaction(RuntimeError("the view failed"))
            db.session.remove()

    assert endings == ["rollback"]


def test_after_a_commit_a_request_that_only_reads_again_commits(app, committed_db):
    with app.test_request_context("/"):
        db.session.add(Category(name="Miel", name_en="Honey", slug="miel"))
        db.session.commit()
        db.session.scalar(select(func.count()).select_from(Category))
        with transaction_endings() as endings:
            end_read_only_transaction()
            db.session.remove()

    assert endings == ["commit"]
    assert _categories_in_database() == 1
