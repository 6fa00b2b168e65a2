"""Who may act for a Vendor: the decorator of the vendor area's views."""
from collections.abc import Callable
from functools import wraps

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.policies import _require_login
from marketplace.extensions import db

from .models import VendorMember


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
