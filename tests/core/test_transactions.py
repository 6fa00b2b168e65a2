"""How a request's transaction ends: COMMIT when it only read (psycopg then keeps its prepared
statements), ROLLBACK for anything written and not committed, or for a failed request."""
from contextlib import contextmanager

from sqlalchemy import event, func, select

from marketplace.catalog.models import Category
from marketplace.core.transactions import end_read_only_transaction
from marketplace.extensions import db
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


def test_a_page_that_only_reads_commits_its_transaction(app, committed_db):
    product = ProductFactory()
    committed_db.commit()
    client = app.test_client()

    with transaction_endings() as endings:
        for _ in range(3):
            response = client.get(f"/categories/{product.category.slug}")
            assert response.status_code == 200
            assert product.name in response.get_data(as_text=True)

    assert endings == ["commit", "commit", "commit"]


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
