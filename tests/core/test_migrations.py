"""The migrations alone build the schema that the models describe."""
import flask_migrate
import psycopg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import make_url

from marketplace import create_app
from marketplace.extensions import db


def _recreate_database(url) -> None:
    admin_dsn = f"host={url.host} port={url.port or 5432} user={url.username} dbname=postgres"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{url.database}"')


def test_upgrade_from_empty_database_matches_the_models(app):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    url = url.set(database=f"{url.database}_migrations")
    _recreate_database(url)
    migrated_app = create_app("test", SQLALCHEMY_DATABASE_URI=url.render_as_string(False))

    with migrated_app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
            trigger = connection.execute(
                text("SELECT 1 FROM pg_trigger WHERE tgname = 'products_search_vector_trigger'")
            ).scalar()
        db.engine.dispose()

    assert differences == []
    assert trigger == 1, "the search trigger comes with the migrations"
