"""Task runners: how outbox messages become work (in-process, or Celery over Redis)."""
import json
import time

from flask import Flask
from kombu.exceptions import OperationalError


def run_task_here(app: Flask, task_name: str, kwargs: dict, *, task_id: str) -> object:
    """Run a registered task in this process, once, in its own application context.

    The task's class enters a fresh application context, so it gets its own session and
    transaction, never the caller's. The task is called directly rather than through
    `apply()`: Celery retries eager tasks inline, which would loop inside the caller. A
    failure is raised to the caller instead.
    """
    task = app.extensions["celery"].tasks[task_name]
    task.push_request(id=task_id, kwargs=kwargs)
    try:
        return task(**kwargs)
    finally:
        task.pop_request()


class InProcessRunner:
    """Embedded default: run the task here, right after the commit (no broker needed).

    A failing task is raised to the outbox, which logs it and keeps the message for a later
    attempt (`flask tasks run-periodic`).
    """

    #: One message per transaction: the row is marked sent before the next task writes,
    #: which SQLite (one writer at a time) needs.
    batch_size = 1
    #: Nothing stops the other messages: a failure belongs to one task.
    unavailable_errors: tuple[type[Exception], ...] = ()
    #: A message counts as sent once its task ran without error.
    done_when_sent = True

    def __init__(self, app: Flask):
        self.app = app

    def send(self, task_name: str, kwargs: dict, *, message_id: str) -> None:
        run_task_here(self.app, task_name, kwargs, task_id=message_id)

    #: Sent means done here: there is no broker to lose anything.
    ids_in_broker = None


class CeleryRunner:
    """Production: publish to the broker, with the outbox row id as the task id.

    No publishing retries: with Redis down it raises at once (kombu's OperationalError),
    and the outbox relay sends the message later.
    """

    batch_size = 100
    unavailable_errors: tuple[type[Exception], ...] = (OperationalError,)
    #: The worker marks it done when the task finished (see `mark_message_done`).
    done_when_sent = False

    def __init__(self, app: Flask):
        self.app = app

    def send(self, task_name: str, kwargs: dict, *, message_id: str) -> None:
        celery = self.app.extensions["celery"]
        with celery.producer_or_acquire() as producer:
            # One connection attempt: kombu would otherwise keep reconnecting for seconds.
            producer.connection.ensure_connection(max_retries=0)
            celery.tasks[task_name].apply_async(
                kwargs=kwargs, task_id=message_id, producer=producer, retry=False
            )


    def ids_in_broker(self) -> set[str] | None:
        """The ids of the messages Redis holds: waiting in a queue (retries' countdowns
        included: a worker holds those unacknowledged), or taken by a worker and not
        acknowledged yet (running). None when the broker is not Redis.

        Read twice, a moment apart, and merged: a worker moves a message from its queue to
        the unacknowledged ones in two steps, and a message between them is in neither.
        Raises the broker's errors when Redis cannot be reached.
        """
        celery = self.app.extensions["celery"]
        with celery.connection_for_read() as connection:
            connection.ensure_connection(max_retries=0)
            channel = connection.default_channel
            if not hasattr(channel, "unacked_key"):
                return None
            queues = {celery.conf.task_default_queue}
            queues.update(queue.name for queue in celery.conf.task_queues or ())
            held: set[str] = set()
            for attempt in range(2):
                if attempt:
                    time.sleep(0.05)
                held |= _held_ids(channel, queues)
            return held


def _held_ids(channel: object, queues: set[str]) -> set[str]:
    client = channel.client  # type: ignore[attr-defined]
    raw: list[bytes] = []
    for queue in queues:
        for priority in channel.priority_steps:  # type: ignore[attr-defined]
            raw.extend(client.lrange(channel._q_for_pri(queue, priority), 0, -1))  # type: ignore[attr-defined]
    ids = {_message_id(item) for item in raw}
    for item in client.hvals(channel.unacked_key):  # type: ignore[attr-defined]
        try:
            message = json.loads(item)[0]
        except (ValueError, IndexError, KeyError, TypeError):
            continue
        ids.add(_message_id(message))
    ids.discard(None)
    return ids  # type: ignore[return-value]


def _message_id(message: bytes | str | dict) -> str | None:
    """The task id of a queued Celery message (protocol 2 keeps it in the headers)."""
    try:
        data = json.loads(message) if isinstance(message, bytes | str) else message
        return data["headers"]["id"]
    except (ValueError, KeyError, TypeError):
        return None


RUNNERS = {"in_process": InProcessRunner, "celery": CeleryRunner}


def build_task_runner(app: Flask) -> InProcessRunner | CeleryRunner:
    """The runner TASK_RUNNER names; the app's Celery application must be set up already."""
    runner_name = app.config["TASK_RUNNER"]
    if runner_name not in RUNNERS:
        raise RuntimeError(f"TASK_RUNNER must be one of {', '.join(RUNNERS)}, not {runner_name!r}")
    if runner_name == "celery" and not app.config["REDIS_URL"]:
        # Celery would fall back to an in-memory broker no worker reads: silent loss.
        raise RuntimeError("TASK_RUNNER 'celery' needs REDIS_URL")
    return RUNNERS[runner_name](app)
