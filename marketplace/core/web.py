"""Helpers that views of every domain share (views never import each other's modules)."""
import re
from collections.abc import Callable

from flask import abort, current_app, render_template, request
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

from .models import DATABASE_INTEGER_MAX

#: A form sent back with errors: the request failed, so its transaction is rolled back
#: (core.transactions) and the status says so to browsers, tests and assistive tools alike.
FORM_REFUSED = 422


def render_form(template: str, form: FlaskForm, **context: object) -> tuple[str, int]:
    """A page built around `form`: 200, or 422 when the form came back with errors."""
    return render_template(template, form=form, **context), FORM_REFUSED if form.errors else 200


def accepts_json(view: Callable) -> Callable:
    """Mark a view that reads a JSON body (a provider's webhook). Every other view reads forms
    only: Flask-WTF would otherwise fill a form from a JSON body too, past what the view
    expects (a rate limit keyed on a form field, for one)."""
    view.accepts_json = True
    return view


#: C0 control characters but tab, line feed and carriage return: no name, address, number or
#: token has them, and PostgreSQL refuses NUL in text (a 500 otherwise).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters() -> None:
    """`before_request`: a URL, query or form value holding a control character is refused
    (400) before any view reads it, so none is stored, emailed or sent to the database."""
    values = [request.path, *request.args.keys(), *request.args.values()]
    if request.method not in ("GET", "HEAD", "OPTIONS") and not request.is_json:
        values += [*request.form.keys(), *request.form.values()]
        values += [upload.filename or "" for upload in request.files.values()]
    if any(_CONTROL_CHARACTERS.search(value) for value in values):
        abort(400)


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:…>` in a URL: beyond PostgreSQL's integer column range, the page is not found
    rather than a database error."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002, ANN002, ANN003
        kwargs.setdefault("max", DATABASE_INTEGER_MAX)
        super().__init__(map, *args, **kwargs)


def never_stored(response: Response) -> Response:
    """`after_request` of the blueprints whose pages hold personal data (account, cart,
    checkout, orders, payment, back office): no browser or proxy keeps a copy, so Back on a
    shared computer after signing out shows nothing."""
    response.headers["Cache-Control"] = "no-store"
    return response


def refuse_unexpected_json() -> Response | None:
    """`before_request`: a JSON body sent to a form's address is refused (415)."""
    if request.is_json and request.method not in ("GET", "HEAD", "OPTIONS"):
        view = current_app.view_functions.get(request.endpoint or "")
        if not getattr(view, "accepts_json", False):
            abort(415)
    return None
