"""Transactional outbox: side effects are written as rows in the business transaction.

A message is a task name plus keyword arguments. `enqueue` adds the row (the caller commits);
after the commit, `publish_pending` hands each unsent row to the task runner: in the embedded
default the task runs in-process, in production it is published to Celery. A periodic relay
re-publishes anything that could not be sent (broker down), so nothing is lost.
"""
import uuid
from datetime import datetime

from flask import current_app
from sqlalchemy import JSON, DateTime, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db

from .models import utcnow


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    #: Also the Celery task id, so a re-published message is recognisable downstream.
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    task_name: Mapped[str] = mapped_column(String(200))
    kwargs: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Optional business key: a second message with the same key is not written twice.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")


def enqueue(task_name: str, *, dedupe_key: str | None = None, **kwargs: object) -> OutboxMessage:
    """Record that `task_name(**kwargs)` must run once the current transaction commits."""
    if dedupe_key is not None:
        existing = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
        )
        if existing is not None:
            return existing
    message = OutboxMessage(task_name=task_name, kwargs=dict(kwargs), dedupe_key=dedupe_key)
    db.session.add(message)
    db.session.flush()
    return message


def pending_messages(limit: int = 100) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None))
            .order_by(OutboxMessage.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


def publish_pending(limit: int = 100) -> int:
    """Hand unsent messages to the task runner; commits. Returns how many were sent."""
    runner = current_app.extensions["task_runner"]
    sent = 0
    for message in pending_messages(limit):
        try:
            runner.send(message.task_name, message.kwargs, message_id=message.id)
        except Exception as error:  # the broker is down: keep the row for the relay
            message.attempts += 1
            message.last_error = str(error)[:500]
            break
        message.sent_at = utcnow()
        message.attempts += 1
        sent += 1
    db.session.commit()
    return sent
