"""Base factory writing through the current Flask-SQLAlchemy session."""
import factory

from marketplace.extensions import db


class ModelFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"
