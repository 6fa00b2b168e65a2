"""Helpers that views of every domain share (views never import each other's modules)."""
from flask import render_template
from flask_wtf import FlaskForm

#: A form sent back with errors: the request failed, so its transaction is rolled back
#: (core.transactions) and the status says so to browsers, tests and assistive tools alike.
FORM_REFUSED = 422


def render_form(template: str, form: FlaskForm, **context: object) -> tuple[str, int]:
    """A page built around `form`: 200, or 422 when the form came back with errors."""
    return render_template(template, form=form, **context), FORM_REFUSED if form.errors else 200
