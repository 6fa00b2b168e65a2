"""Transactional outbox: side effects are written as rows in the business transaction.

A message is a task name plus keyword arguments. `enqueue` adds the row inside the caller's
transaction. Once that transaction commits, the entry point's boundary (the end of the web
request, of the task, of the CLI command: `register_outbox` hooks them) hands the rows it
committed to the task runner: in the embedded default the task runs in-process in its own
transaction, in production it is published to Celery with the row id as the task id. A row
that could not be handed over stays unsent with its error, and the periodic relay
(`publish_pending`) sends it later, so nothing is lost when the broker is down. A worker
marks the message done when its task finished; one sent a few minutes ago, never done and no
longer held by the broker (Redis restarted without its data, a failover) is sent again by
`resend_unfinished`. Because a
message can be delivered twice (relay after a crash, broker redelivery), every task is
idempotent.
"""
import inspect
import logging
import uuid
from collections.abc import Callable, Collection
from contextlib import closing
from datetime import datetime, timedelta

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import (
    JSON,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from marketplace.extensions import db

from .models import utcnow

log = logging.getLogger(__name__)

#: Where a session keeps the ids it flushed, until its transaction commits or rolls back.
_FLUSHED_IDS = "outbox_flushed_ids"
#: Where an application context keeps the ids committed in it, until its boundary publishes.
_COMMITTED_IDS = "outbox_committed_ids"
#: A message whose task failed in-process waits this long, doubled per attempt, up to an hour.
_FIRST_RETRY_DELAY = timedelta(minutes=1)
_LONGEST_RETRY_DELAY = timedelta(hours=1)


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    #: Also the Celery task id, so a re-published message is recognisable downstream.
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    task_name: Mapped[str] = mapped_column(String(200))
    kwargs: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Optional business key: a second message with the same key is not written twice
    #: (for as long as the sent row is kept, see `delete_sent_messages`).
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Not handed over before this time: pushed back after a task failed in-process.
    available_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    #: When its task finished (the worker says so; in-process, when it was sent).
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Publishing attempts, failed ones included.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: How many times it was sent again because no worker ever finished it.
    resends: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        # The relay only ever reads unsent rows, and sent rows not done yet; done ones pile
        # up until the cleanup.
        Index(
            "ix_outbox_messages_unsent",
            "available_at",
            postgresql_where=sent_at.is_(None),
            sqlite_where=sent_at.is_(None),
        ),
        Index(
            "ix_outbox_messages_unfinished",
            "sent_at",
            postgresql_where=done_at.is_(None),
            sqlite_where=done_at.is_(None),
        ),
    )


def enqueue(task_name: str, *, dedupe_key: str | None = None, **kwargs: object) -> OutboxMessage:
    """Record that `task_name(**kwargs)` must run once the current transaction commits.

    With a `dedupe_key`, a message already recorded under that key is returned instead of a
    new one; the key is also passed to tasks that take a `dedupe_key` argument (the email task
    uses it to never send the same email twice). Raises `LookupError` for an unknown task, so
    a typo fails in the transaction that made it rather than in a worker later.
    """
    task = current_app.extensions["celery"].tasks.get(task_name)
    if task is None:
        raise LookupError(f"No task named {task_name!r} is registered")
    if dedupe_key is not None and _accepts_dedupe_key(task):
        kwargs["dedupe_key"] = dedupe_key
    if dedupe_key is not None:
        existing = _message_with_key(dedupe_key)
        if existing is not None:
            return existing
        message = OutboxMessage(task_name=task_name, kwargs=kwargs, dedupe_key=dedupe_key)
        try:
            # A concurrent transaction may write the same key; only this savepoint fails then.
            with db.session.begin_nested():
                db.session.add(message)
        except IntegrityError:
            existing = _message_with_key(dedupe_key)
            if existing is None:
                raise
            return existing
    else:
        message = OutboxMessage(task_name=task_name, kwargs=kwargs)
        db.session.add(message)
        db.session.flush()
    db.session.info.setdefault(_FLUSHED_IDS, []).append(message.id)
    return message


def _message_with_key(dedupe_key: str) -> OutboxMessage | None:
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))


def _accepts_dedupe_key(task: object) -> bool:
    parameters = inspect.signature(task.run).parameters.values()  # type: ignore[attr-defined]
    return any(
        parameter.name == "dedupe_key" or parameter.kind is inspect.Parameter.VAR_KEYWORD
        for parameter in parameters
    )


def publish_pending(*, limit: int = 500) -> int:
    """The relay: hand every due unsent message to the task runner, oldest first.

    Safe to call at any time and from several processes at once: it works in its own session
    (never commits the caller's changes) and locks the rows it sends (`FOR UPDATE SKIP
    LOCKED` on PostgreSQL). Returns how many messages were handed over.
    """
    return _publish(only_ids=None, limit=limit)


def publish_committed() -> int:
    """Hand over the messages committed in this application context (the boundary's job)."""
    ids = g.pop(_COMMITTED_IDS, None) if has_app_context() else None
    if not ids:
        return 0
    return _publish(only_ids=ids, limit=len(ids))


def _publish(*, only_ids: Collection[str] | None, limit: int) -> int:
    runner = current_app.extensions["task_runner"]
    sent = handled = 0
    with closing(db.session.session_factory()) as session:
        while handled < limit:
            query = (
                select(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None), OutboxMessage.available_at <= utcnow())
                .order_by(OutboxMessage.available_at, OutboxMessage.created_at)
                .limit(min(runner.batch_size, limit - handled))
                .with_for_update(skip_locked=True)
            )
            if only_ids is not None:
                query = query.where(OutboxMessage.id.in_(only_ids))
            batch = session.scalars(query).all()
            if not batch:
                break
            for message in batch:
                handled += 1
                message.attempts += 1
                try:
                    runner.send(message.task_name, message.kwargs, message_id=message.id)
                except runner.unavailable_errors as error:
                    # The broker is down: the next messages would fail the same way.
                    message.last_error = _describe(error)
                    session.commit()
                    log.warning("outbox: broker unavailable, %s left for the relay: %s",
                                message.id, message.last_error)
                    return sent
                except Exception as error:
                    message.last_error = _describe(error)
                    message.available_at = utcnow() + _retry_delay(message.attempts)
                    log.exception("outbox: task %s (%s) failed, retried after %s",
                                  message.task_name, message.id, message.available_at)
                else:
                    message.sent_at = utcnow()
                    if runner.done_when_sent:
                        message.done_at = message.sent_at
                    message.last_error = ""
                    sent += 1
            session.commit()
    return sent


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


def _retry_delay(attempts: int) -> timedelta:
    return min(_FIRST_RETRY_DELAY * 2 ** min(max(attempts - 1, 0), 10), _LONGEST_RETRY_DELAY)


def mark_message_done(message_id: str) -> None:
    """Record that the task of this message finished (a worker calls this after a run).

    In its own session: the task's own transaction is over, and must stay the task's.
    """
    with closing(db.session.session_factory()) as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.done_at.is_(None))
            .values(done_at=utcnow())
        )
        session.commit()


def record_message_failure(message_id: str, error: BaseException) -> None:
    """Record why the task of a sent message failed (a worker calls this; the task may be
    retried). In its own session, like `mark_message_done`."""
    with closing(db.session.session_factory()) as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.done_at.is_(None))
            .values(last_error=_describe(error))
        )
        session.commit()


def may_resend(*, sent_before: datetime, max_resends: int) -> bool:
    """Whether any message sent before `sent_before` is not done and may be sent again (the
    relay asks the broker what it holds only then)."""
    return db.session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.sent_at < sent_before,
            OutboxMessage.done_at.is_(None),
            OutboxMessage.resends < max_resends,
        ).limit(1)
    ) is not None


def resend_unfinished(
    *, now: datetime, sent_before: datetime, max_resends: int,
    in_broker: Callable[[], Collection[str]] | None = None, limit: int = 1000,
) -> int:
    """Make messages sent before `sent_before` and never done unsent again, for the relay.

    The broker lost them (a Redis restarted without its data, a failover), or their task
    kept failing until it gave up: each is sent again at most `max_resends` times, the n-th
    resend waiting 2**n times as long. With `in_broker` (the ids of the messages the broker
    still holds, queued or taken by a worker and not acknowledged), a message the broker
    still holds is never sent again, so `sent_before` can be minutes ago rather than longer
    than any task's time limit and retries: the broker is asked *before* the database, so a
    task that finished in between is seen done. Like the relay, it works in its own session
    and commits, so that the relay finds these messages at once. Returns how many will be
    sent again.
    """
    held = frozenset(in_broker()) if in_broker is not None else frozenset()
    window = now - sent_before
    with closing(db.session.session_factory()) as session:
        candidates = session.execute(
            select(OutboxMessage.id, OutboxMessage.sent_at, OutboxMessage.resends)
            .where(
                OutboxMessage.sent_at < sent_before,
                OutboxMessage.done_at.is_(None),
                OutboxMessage.resends < max_resends,
            )
            .order_by(OutboxMessage.sent_at)
            .limit(limit)
        ).all()
        due = [
            message_id for message_id, sent_at, resends in candidates
            if message_id not in held and sent_at < now - window * 2 ** resends
        ]
        resent = 0
        if due:
            result = session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id.in_(due),
                    OutboxMessage.done_at.is_(None),
                    OutboxMessage.sent_at.is_not(None),
                )
                .values(sent_at=None, available_at=now, resends=OutboxMessage.resends + 1)
                .execution_options(synchronize_session=False)
            )
            resent = result.rowcount
        session.commit()
    if resent:
        log.warning("outbox: %s message(s) sent but never done, sending again", resent)
    return resent


def delete_sent_messages(*, sent_before: datetime) -> int:
    """Delete messages sent before `sent_before`; unsent ones are kept whatever their age."""
    result = db.session.execute(
        delete(OutboxMessage).where(OutboxMessage.sent_at < sent_before),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount


def unfinished_messages(*, sent_before: datetime, limit: int = 50) -> list[OutboxMessage]:
    """For operators (`flask tasks outbox`, the admin dashboard): the oldest messages still
    waiting to be sent, and those sent before `sent_before` that no worker finished yet
    (running late, being retried, or lost by the broker and about to be sent again)."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.sent_at.is_(None)
                | (OutboxMessage.done_at.is_(None) & (OutboxMessage.sent_at < sent_before))
            )
            .order_by(OutboxMessage.created_at)
            .limit(limit)
        )
    )


def count_unfinished(*, sent_before: datetime) -> tuple[int, int]:
    """How many messages wait to be sent, and how many were sent before `sent_before`
    and are not done."""
    waiting = db.session.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
    )
    not_done = db.session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.done_at.is_(None), OutboxMessage.sent_at < sent_before
        )
    )
    return int(waiting), int(not_done)


def register_outbox(app: Flask) -> None:
    """Publish what each request, task or CLI command committed, once it is over.

    A request pushed inside an existing application context (the test client does this)
    shares that context, so the request boundary is hooked as well as the context's.
    """
    if not event.contains(Session, "after_commit", _remember_committed):
        event.listen(Session, "after_commit", _remember_committed)
        event.listen(Session, "after_rollback", _forget_rolled_back)
    app.teardown_request(_publish_at_boundary)
    app.teardown_appcontext(_publish_at_boundary)


def _remember_committed(session: Session) -> None:
    ids = session.info.pop(_FLUSHED_IDS, None)
    if ids and has_app_context():
        g.setdefault(_COMMITTED_IDS, []).extend(ids)


def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_FLUSHED_IDS, None)


def _publish_at_boundary(error: BaseException | None = None) -> None:
    try:
        publish_committed()
    except Exception:
        # The rows are committed: the relay sends them. The request must not fail for it.
        log.exception("outbox: publishing after commit failed; the relay will retry")
