"""Who may do what: decorators for views of the admin area (the vendor area's: vendors.policies)."""
from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from marketplace.extensions import login_manager

from .models import Role


def _require_login() -> object | None:
    """The login page for visitors, whatever the method: Flask-Login's `login_required` lets
    OPTIONS requests through unchecked, and these checks must never run for nobody."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def admin_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(*args: object, **kwargs: object):
        if (refused := _require_login()) is not None:
            return refused
        if current_user.role != Role.ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def hub_staff_required(view: Callable) -> Callable:
    """Drivers and counter staff (and Admins): the hub's round and counter pages only."""

    @wraps(view)
    def wrapped(*args: object, **kwargs: object):
        if (refused := _require_login()) is not None:
            return refused
        if current_user.role not in (Role.ADMIN, Role.HUB_STAFF):
            abort(403)
        return view(*args, **kwargs)

    return wrapped

