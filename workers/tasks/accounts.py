"""Account tasks: the password-reset link, looked up away from the request that asked for it."""
from celery import shared_task

from marketplace.accounts.services import send_password_reset


@shared_task(name="accounts.send_password_reset")
def send_password_reset_task(email: str, locale: str) -> bool:
    return send_password_reset(email=email, locale=locale)
