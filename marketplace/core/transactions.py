"""One transaction per request, task and CLI command: committed once at its end, rolled back on
any failure. Services only flush; nothing else commits.

Requests: the view runs inside the request's transaction. When it returns a response below 400,
the transaction is committed once, after the view (the last `after_request` hook); an exception
or an error response (a 404 after a write, a form shown again with 400 or 422) rolls everything
back. A commit that fails (a unique key taken meanwhile, a serialization failure) becomes a 500:
no page claims that something was saved when it was not.

A domain error (`DomainError`) that the view does not catch rolls the request back, shows its
message and sends the visitor back (303): to where the view declared with `@errors_redirect_to`,
else to the same-site page the form was posted from, else the site's root. Views therefore call a
service and let its refusal through; they catch an error only to put it next to a form field
(and then answer with an error status, which rolls back).

Tasks (`workers.celery_app.FlaskTask`) and CLI commands (`TransactionalGroup`) commit once when
they return, and roll back when they raise.

`commit_now()` ends a transaction early. Exactly one entry point needs it: checkout, where the
Order (stock taken, delivery booked) must be committed before its payment is created at the
provider, so that a provider call never holds row locks and a failed call loses no Order.
"""
from collections.abc import Callable
from functools import wraps
from typing import TypeVar
from urllib.parse import urlsplit

import click
from flask import Flask, current_app, flash, redirect, request, url_for
from flask.cli import AppGroup
from werkzeug.wrappers import Response

from marketplace.extensions import db

from .errors import DomainError

View = TypeVar("View", bound=Callable)

#: Where a view's uncaught domain errors send the visitor: an endpoint, or a callable building
#: the URL from the error.
ErrorTarget = str | Callable[[DomainError], str]


def register_transactions(app: Flask) -> None:
    # Registered before any other hook, so that it runs after every other one (Flask runs
    # `after_request` hooks in reverse order).
    app.after_request(end_request_transaction)
    app.register_error_handler(DomainError, refuse_request)


def end_request_transaction(response: Response) -> Response:
    """Commit the request's work when it succeeded; roll it back otherwise."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def commit_now() -> None:
    """End the current transaction here and start a new one (see the module's docstring for
    the one place that needs it)."""
    db.session.commit()


def errors_redirect_to(target: ErrorTarget) -> Callable[[View], View]:
    """Declare where this view's uncaught domain errors send the visitor."""

    def decorate(view: View) -> View:
        view.domain_error_target = target
        return view

    return decorate


def refuse_request(error: DomainError) -> Response:
    """A service refused: nothing of the request is kept, the visitor reads why."""
    db.session.rollback()
    flash(error.message, "error")
    return redirect(_target_after(error), code=303)


def _target_after(error: DomainError) -> str:
    view = current_app.view_functions.get(request.endpoint or "")
    target = getattr(view, "domain_error_target", None)
    if callable(target):
        return target(error)
    if target:
        return url_for(target)
    return _same_site_referrer() or request.script_root + "/"


def _same_site_referrer() -> str | None:
    """The page the form was posted from, as a path on this site, if it was one of ours."""
    if request.method == "GET" or not request.referrer:
        return None
    parts = urlsplit(request.referrer)
    if parts.netloc != request.host or parts.scheme not in ("http", "https"):
        return None
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


class TransactionalGroup(AppGroup):
    """A `flask` command group whose commands commit once when they return and roll back when
    they fail, like requests and tasks."""

    def command(self, *args: object, **kwargs: object) -> Callable:
        register = super().command(*args, **kwargs)

        def decorate(callback: Callable) -> click.Command:
            @wraps(callback)
            def run_in_transaction(*call_args: object, **call_kwargs: object) -> object:
                try:
                    result = callback(*call_args, **call_kwargs)
                except BaseException:
                    db.session.rollback()
                    raise
                db.session.commit()
                return result

            return register(run_in_transaction)

        return decorate
