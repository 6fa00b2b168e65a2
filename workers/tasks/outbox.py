"""Outbox tasks: the relay that re-publishes unsent messages, and the cleanup of sent ones."""
from datetime import timedelta

from celery import shared_task
from flask import current_app

from marketplace.core.models import utcnow
from marketplace.core.outbox import delete_sent_messages, publish_pending, resend_unfinished


@shared_task(name="outbox.relay")
def relay_outbox_task() -> int:
    """Send what the request or task that wrote it could not (broker down, crash), and again
    what was sent long ago but never done (the broker lost it)."""
    config = current_app.config
    now = utcnow()
    resend_unfinished(
        now=now,
        sent_before=now - timedelta(seconds=config["OUTBOX_RESEND_AFTER_SECONDS"]),
        max_resends=config["OUTBOX_MAX_RESENDS"],
    )
    return publish_pending()


@shared_task(name="outbox.clean")
def clean_outbox_task() -> int:
    retention = timedelta(days=current_app.config["OUTBOX_RETENTION_DAYS"])
    deleted = delete_sent_messages(sent_before=utcnow() - retention)
    return deleted
