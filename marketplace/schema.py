"""Database objects that models cannot express (PostgreSQL search configuration, triggers).

Migrations and the test suite both install them from here, so there is one definition.
"""
from sqlalchemy.engine import Connection


def database_extras_ddl() -> list[str]:
    from marketplace.catalog.search import SEARCH_DDL

    return list(SEARCH_DDL)


def install_database_extras(connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    for statement in database_extras_ddl():
        connection.exec_driver_sql(statement)
