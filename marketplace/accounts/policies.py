"""Who may do what: decorators for views of the admin and vendor areas."""
from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from .models import Role


def admin_required(view: Callable) -> Callable:
    @wraps(view)
    @login_required
    def wrapped(*args: object, **kwargs: object):
        if current_user.role != Role.ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
