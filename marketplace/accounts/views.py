"""Web entry points of the accounts domain."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)


def load_user(user_id: str):
    from marketplace.extensions import db

    from .models import User

    raw_id, _, version = user_id.partition(":")
    user = db.session.get(User, int(raw_id)) if raw_id.isdigit() else None
    if user is None or str(user.session_version) != version:
        return None
    return user
