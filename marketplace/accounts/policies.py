"""Who may do what: decorators for views of the admin and vendor areas."""
from collections.abc import Callable
from functools import wraps

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select

from marketplace.extensions import db, login_manager
from marketplace.vendors.models import VendorMember

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


def vendor_member_required(view: Callable) -> Callable:
    """Only people acting for a Vendor; the view finds that Vendor in `g.vendor`.

    Membership (VendorMember), not the role column, decides: removing a member locks them
    out at once. Every vendor-area query must then filter on `g.vendor`.
    """

    @wraps(view)
    def wrapped(*args: object, **kwargs: object):
        if (refused := _require_login()) is not None:
            return refused
        membership = db.session.scalar(
            select(VendorMember)
            .where(VendorMember.user_id == current_user.id)
            # A person acting for several Vendors gets the oldest membership, every time.
            .order_by(VendorMember.id)
            .limit(1)
        )
        if membership is None:
            abort(403)
        g.vendor_member = membership
        g.vendor = membership.vendor
        return view(*args, **kwargs)

    return wrapped
