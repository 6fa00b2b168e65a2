"""Celery built from the Flask app factory; tasks run inside an application context.

Start a worker with `celery -A workers.celery_app worker`, beat with
`celery -A workers.celery_app beat` (see `make worker` / `make beat`): the CLI asks this module
for `app`, which creates the Flask application (from `MARKETPLACE_ENV`) on first use only.

Delivery is at least once: tasks are acknowledged after they ran (`task_acks_late`), a task
whose worker died is handed to another one (`task_reject_on_worker_lost`, and Redis gives an
unacknowledged message back after `visibility_timeout`). So every task is idempotent.
"""
import functools
import logging
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from celery import Celery, Task
from celery.exceptions import Retry
from flask import Flask
from sqlalchemy.exc import IntegrityError, InterfaceError
from sqlalchemy.exc import OperationalError as DatabaseUnavailable

import workers.tasks
from marketplace import create_app
from marketplace.core.outbox import mark_message_done, record_message_failure
from marketplace.extensions import db

log = logging.getLogger(__name__)

#: Every module of `workers/tasks/`, so a new domain's tasks need no registration here.
TASK_MODULES = tuple(
    f"workers.tasks.{module.name}" for module in pkgutil.iter_modules(workers.tasks.__path__)
)

#: Periodic tasks, in the order `flask tasks run-periodic` runs them (the relay after the
#: jobs that enqueue messages): (task name, seconds between runs).
PERIODIC_TASKS = {
    "expire-unpaid-orders": ("orders.expire_unpaid", 60.0),
    "sync-open-payments": ("payments.sync_open", 300.0),
    "purge-abandoned-carts": ("cart.purge_abandoned", 86400.0),
    "plan-delivery-ahead": ("delivery.plan_ahead", 3600.0),
    "close-due-rounds-and-slots": ("delivery.close_due", 60.0),
    "outbox-relay": ("outbox.relay", 5.0),
    "outbox-cleanup": ("outbox.clean", 3600.0),
}

class ConcurrentChange(Exception):
    """Another transaction wrote the same unique key between our read and our write (two
    workers creating one row): the next attempt finds that row. See `conflicts_retried`."""


#: Errors worth retrying later: the database, mail server or payment provider did not answer
#: (`OSError` covers sockets, SMTP and timeouts; SQLAlchemy's OperationalError covers lost
#: connections, deadlocks and serialization failures), or a concurrent transaction took the
#: unique key we were about to write.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OSError, DatabaseUnavailable, InterfaceError, ConcurrentChange,
)

#: PostgreSQL's unique_violation, and SQLite's "UNIQUE constraint failed" (extended code).
_UNIQUE_VIOLATION = "23505"


@contextmanager
def conflicts_retried() -> Iterator[None]:
    """In a task's body: a unique-key conflict becomes `ConcurrentChange`, retried like a
    network error. Other integrity errors (a check, a foreign key) stay what they are."""
    try:
        yield
    except IntegrityError as error:
        original = error.orig
        unique = getattr(original, "sqlstate", None) == _UNIQUE_VIOLATION or (
            "UNIQUE constraint failed" in str(original)
        )
        if unique:
            raise ConcurrentChange(str(original)) from error
        raise


def retry_transient(*errors: type[BaseException], max_retries: int = 8) -> dict:
    """Task options: retry on transient errors with exponential backoff and full jitter.

    `@shared_task(name="...", **retry_transient(MyProviderTimeout))`. Delays double from 2 s
    and never exceed 10 minutes, well under the visibility timeout (a longer countdown would
    let Redis hand the waiting task to a second worker).
    """
    return {
        "autoretry_for": TRANSIENT_ERRORS + errors,
        "retry_backoff": 2,
        "retry_backoff_max": 600,
        "retry_jitter": True,
        "max_retries": max_retries,
    }


def celery_init_app(app: Flask) -> Celery:
    """The Celery application for this Flask application (Flask docs pattern)."""
    visibility_timeout = int(app.config["CELERY_VISIBILITY_TIMEOUT"])
    time_limit = int(app.config["CELERY_TASK_TIME_LIMIT"])
    if time_limit >= visibility_timeout:
        raise RuntimeError("CELERY_TASK_TIME_LIMIT must be shorter than CELERY_VISIBILITY_TIMEOUT")
    #: The longest countdown or ETA a task may ask for: it must end, and the task run,
    #: before Redis considers the message lost.
    longest_delay = visibility_timeout - time_limit

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            # A fresh context per run: its own session and one transaction, committed once
            # when the task returns (rolled back when it raises, as the context ends); the
            # context's boundary then publishes the outbox messages the task committed.
            with app.app_context():
                try:
                    result = self.run(*args, **kwargs)
                    db.session.commit()
                except Exception as error:
                    db.session.rollback()  # its locks go before the trace is written
                    if not self.request.called_directly:
                        # `flask tasks outbox` and the admin show why it is not done yet.
                        _record_failure(self.request.id, error)
                    raise
                if not self.request.called_directly:
                    _mark_done(self.request.id)
                return result

        def apply_async(self, *args: object, **options: object):  # noqa: ANN201
            _refuse_long_delay(options, longest_delay)
            return super().apply_async(*args, **options)

    extra = dict(app.config["CELERY"])
    transport_options = {
        "visibility_timeout": visibility_timeout,
        # A publish to a Redis that is gone or hung gives up within these (a web request
        # waits on it); a refused connection fails at once (see CeleryRunner).
        "socket_connect_timeout": 2,
        "socket_timeout": 3,
        "socket_keepalive": True,
        **extra.pop("broker_transport_options", {}),
    }
    celery_app = Celery(app.import_name, task_cls=FlaskTask, include=list(TASK_MODULES))
    celery_app.conf.update(
        broker_url=app.config["REDIS_URL"] or "memory://",
        broker_transport_options=transport_options,
        broker_connection_retry_on_startup=True,
        # A worker waits for Redis to come back however long it takes, instead of exiting.
        broker_connection_max_retries=None,
        # No result backend: nothing reads results, and a dead Redis result backend makes
        # every publish block for ~20 s.
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=time_limit,
        task_soft_time_limit=max(time_limit - 30, time_limit // 2),
        task_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        enable_utc=True,
        beat_schedule={
            key: {"task": name, "schedule": seconds, "options": {"expires": seconds}}
            for key, (name, seconds) in PERIODIC_TASKS.items()
        },
        **extra,
    )
    celery_app.loader.import_default_modules()
    app.extensions["celery"] = celery_app
    return celery_app


def _mark_done(task_id: str) -> None:
    """From a worker: the outbox message of this task (same id) is done, not to be resent.

    The task's work is committed: if the mark cannot be written, the message is merely sent
    again later (tasks are idempotent), so the task must not fail for it.
    """
    try:
        mark_message_done(task_id)
    except Exception:
        log.exception("outbox: could not mark message %s done", task_id)


def _record_failure(task_id: str, error: BaseException) -> None:
    """From a worker: why this attempt of the message's task failed (retried or not)."""
    if isinstance(error, Retry):
        error = error.exc or error
    try:
        record_message_failure(task_id, error)
    except Exception:
        log.exception("outbox: could not record the failure of message %s", task_id)


def _refuse_long_delay(options: dict, longest_delay: int) -> None:
    countdown = options.get("countdown")
    eta = options.get("eta")
    if isinstance(eta, datetime):
        countdown = (eta - datetime.now(eta.tzinfo)).total_seconds()
    if countdown is not None and float(countdown) > longest_delay:
        raise ValueError(
            f"A countdown of {timedelta(seconds=float(countdown))} outlives the broker's "
            f"visibility timeout; keep delays under {longest_delay} s (store far-off work "
            "in the database and let a periodic task pick it up)"
        )


@functools.cache
def make_celery() -> Celery:
    """Create the Flask application from the environment and return its Celery app."""
    return create_app().extensions["celery"]


def __getattr__(name: str) -> Celery:
    # `celery -A workers.celery_app` looks up `app` here: build it then, not at import.
    if name == "app":
        return make_celery()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
