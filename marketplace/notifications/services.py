"""Render an email from its .txt/.html template pair and send it once."""
from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from marketplace.extensions import db

from .mail import build_message, deliver
from .models import SentEmail


def send_templated_email(
    *, dedupe_key: str, to: str, subject: str, template: str, locale: str = "fr", **context: object
) -> bool:
    """Send `templates/emails/<template>.txt|.html` unless an email with this key went already.

    Returns False when it had been sent before (a task delivered twice).
    """
    if db.session.scalar(select(SentEmail.id).where(SentEmail.dedupe_key == dedupe_key)):
        return False
    with force_locale(locale):
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", **context)
    db.session.add(SentEmail(dedupe_key=dedupe_key, to=to, subject=subject, template=template))
    # Claim the key before sending: a concurrent duplicate fails on the unique key instead.
    db.session.flush()
    deliver(build_message(to=to, subject=subject, text=text, html=html))
    return True
