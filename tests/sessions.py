"""Sessions bound to one test connection, so that a commit only releases a savepoint."""
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from sqlalchemy.engine import Connection
from sqlalchemy.orm import scoped_session

from marketplace.extensions import db


class ConnectionBoundSession(FlaskSQLAlchemySession):
    """Flask-SQLAlchemy's session picks the app's engine and ignores `bind`: without this,
    a commit in a test would really commit instead of releasing a savepoint."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):  # noqa: ANN001,ANN201
        return bind or self.bind


def session_bound_to(connection: Connection) -> scoped_session:
    """A replacement for `db.session` whose every session joins `connection`'s transaction."""
    return db._make_scoped_session(
        {
            "bind": connection,
            "join_transaction_mode": "create_savepoint",
            "class_": ConnectionBoundSession,
        }
    )
