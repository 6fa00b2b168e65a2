"""Email tasks: one task per email, deduplicated by its business key."""
from celery import shared_task

from marketplace.extensions import db
from marketplace.notifications.services import send_templated_email


@shared_task(name="notifications.send_email", autoretry_for=(OSError,), retry_backoff=5,
             retry_backoff_max=300, retry_jitter=True, max_retries=8)
def send_email_task(**kwargs: object) -> bool:
    sent = send_templated_email(**kwargs)
    db.session.commit()
    return sent
