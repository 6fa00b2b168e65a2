"""Outbox tasks: the relay that re-publishes unsent messages, and the cleanup of sent ones."""
import logging
from datetime import timedelta

from celery import shared_task
from flask import current_app

from marketplace.core.models import utcnow
from marketplace.core.outbox import (
    delete_sent_messages,
    may_resend,
    publish_pending,
    resend_unfinished,
)

log = logging.getLogger(__name__)


@shared_task(name="outbox.relay")
def relay_outbox_task() -> int:
    """Send what the request or task that wrote it could not (broker down, crash), and again
    what was sent but never done and that the broker no longer holds (it lost it)."""
    resend_lost_messages()
    return publish_pending()


def resend_lost_messages() -> int:
    """Messages sent a few minutes ago (OUTBOX_RESEND_AFTER_SECONDS), not done, and not in
    Redis any more are sent again. Where the broker cannot be asked which messages it holds,
    only after OUTBOX_RESEND_BLIND_AFTER_SECONDS (longer than any task and its retries)."""
    config = current_app.config
    runner = current_app.extensions["task_runner"]
    now = utcnow()
    in_broker = getattr(runner, "ids_in_broker", None)
    if not may_resend(sent_before=now - timedelta(seconds=config["OUTBOX_RESEND_AFTER_SECONDS"]),
                      max_resends=config["OUTBOX_MAX_RESENDS"]):
        return 0  # the usual case: Redis is not read at all
    try:
        held = in_broker() if in_broker is not None else None
    except Exception as error:
        # Redis is down: nothing can be published anyway; the next run asks again.
        log.warning("outbox: cannot ask the broker what it holds (%s): no resend this time",
                    error)
        return 0
    if held is None:
        after = config["OUTBOX_RESEND_BLIND_AFTER_SECONDS"]
    else:
        after = config["OUTBOX_RESEND_AFTER_SECONDS"]
    # The broker was asked before the database is read (see `resend_unfinished`).
    return resend_unfinished(
        now=now,
        sent_before=now - timedelta(seconds=after),
        max_resends=config["OUTBOX_MAX_RESENDS"],
        in_broker=(lambda: held) if held is not None else None,
    )


@shared_task(name="outbox.clean")
def clean_outbox_task() -> int:
    retention = timedelta(days=current_app.config["OUTBOX_RETENTION_DAYS"])
    deleted = delete_sent_messages(sent_before=utcnow() - retention)
    return deleted
