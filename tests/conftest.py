"""Shared fixtures: the app on PostgreSQL, a rolled-back session per test, a client, logins."""
import os

import flask_babel
import psycopg
import pytest
from flask import g, request_started
from sqlalchemy import text
from sqlalchemy.engine import make_url

from marketplace import create_app
from marketplace.extensions import db, limiter
from marketplace.schema import install_database_extras
from tests.sessions import session_bound_to

#: Fixture modules shared by several test folders.
pytest_plugins = ("tests.stripe_fake.plugin", "tests.workers.plugin")


def _ensure_database(url: str) -> None:
    """Create the test database when it does not exist (each checkout may use its own)."""
    parsed = make_url(url)
    admin_dsn = (
        f"host={parsed.host} port={parsed.port or 5432} user={parsed.username} dbname=postgres"
    )
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{parsed.database}"')


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        "test",
        MEDIA_DIR=instance / "media",
        MAIL_DIR=instance / "mail",
    )
    _ensure_database(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        with db.engine.begin() as connection:
            install_database_extras(connection)
    yield app
    with app.app_context():
        # Close the pooled connections now: a worker test makes its own app Celery's current
        # one, and this app may then be collected with connections still open.
        db.engine.dispose()


@pytest.fixture
def db_session(app):
    """Each test runs in a transaction that is rolled back; commits become savepoints."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original_session = db.session
        db.session = session_bound_to(connection)
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original_session
            transaction.rollback()
            connection.close()


@pytest.fixture
def committed_db(app):
    """For tests that need real commits seen by other connections (concurrency, workers).

    Empties every table afterwards.
    """
    with app.app_context():
        yield db.session
        db.session.remove()
        tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def _start_request_as_in_production(sender, **extra):  # noqa: ANN001
    """Requests made in a test share its application context and its session.

    What the test set up is committed first (to the test's savepoint), as it would be before a
    real request: a request that fails then rolls back its own work only. And `g` outlives
    each request: Flask-Login caches the user there, Flask-Babel the language, and each would
    carry them into the next request.
    """
    db.session.commit()
    g.pop("_login_user", None)
    flask_babel.refresh()


@pytest.fixture
def client(app, db_session):
    # Every test client posts from 127.0.0.1: start each test with fresh login-rate counters.
    limiter.reset()
    with request_started.connected_to(_start_request_as_in_production, app):
        yield app.test_client()


@pytest.fixture
def login_as(client):
    """Log the test client in as a user, through the real session machinery."""

    def login(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return login


def pytest_configure(config):
    os.environ.setdefault("MARKETPLACE_ENV", "test")
