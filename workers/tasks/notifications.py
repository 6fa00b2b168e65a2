"""Email tasks: one task per email, deduplicated by its business key."""
from celery import shared_task

from marketplace.notifications.services import send_templated_email
from workers.celery_app import retry_transient


@shared_task(name="notifications.send_email", **retry_transient())
def send_email_task(**kwargs: object) -> bool:
    sent = send_templated_email(**kwargs)
    return sent
