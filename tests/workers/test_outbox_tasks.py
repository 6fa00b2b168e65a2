"""Outbox messages through Redis to a real Celery worker: run once, even when published twice."""
import time
from datetime import timedelta
from pathlib import Path

import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from sqlalchemy import func, select, update

from marketplace.core.models import utcnow
from marketplace.core.outbox import OutboxMessage, enqueue, publish_pending, resend_unfinished
from marketplace.extensions import db
from marketplace.notifications.models import SentEmail
from tests.workers.worker_process import wait_until
from workers.tasks.outbox import resend_lost_messages


def _password_changed_email(key: str) -> dict:
    return {
        "dedupe_key": key,
        "to": "lucie@example.fr",
        "subject": "Votre mot de passe a été changé",
        "template": "password_changed",
        "locale": "fr",
        "full_name": "Lucie Marty",
        "forgot_password_url": "http://localhost/account/password/forgot",
    }


def _emails_sent(session, key: str) -> int:
    return session.scalar(select(func.count(SentEmail.id)).where(SentEmail.dedupe_key == key))


def _mail_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "mail").glob("*.eml"))


class TaskRuns:
    """Every task run the in-process worker finishes: (task id, return value)."""

    def __init__(self):
        self.runs: list[tuple[str, object]] = []

    def __call__(self, task_id=None, retval=None, **kwargs):  # noqa: ANN001
        self.runs.append((task_id, retval))


def test_message_committed_by_a_service_is_run_by_the_worker_once(
    committed_db, broker_url, make_worker_app, tmp_path
):
    worker_app = make_worker_app(broker_url)
    with start_worker(worker_app.extensions["celery"], pool="solo", perform_ping_check=False):
        with worker_app.app_context():
            message = enqueue("notifications.send_email", **_password_changed_email("pw:1"))
            db.session.commit()
            message_id = message.id
            committed = time.perf_counter()
        # Leaving the context published the message; the worker sends the email.
        wait_until(lambda: _emails_sent(committed_db, "pw:1"), what="the email")
        print(f"\ncommit -> email sent by the worker: {time.perf_counter() - committed:.3f} s")
        done = wait_until(
            lambda: committed_db.scalar(
                select(OutboxMessage.done_at).where(OutboxMessage.id == message_id)
            ),
            what="the worker's done mark",
        )
        assert done >= committed_db.get(OutboxMessage, message_id).sent_at
        with worker_app.app_context():
            assert publish_pending() == 0
    assert _emails_sent(committed_db, "pw:1") == 1
    [email_file] = _mail_files(tmp_path)
    assert "Lucie Marty" in email_file.read_text()


def test_message_published_twice_acts_once(committed_db, broker_url, make_worker_app, tmp_path):
    worker_app = make_worker_app(broker_url)
    runs = TaskRuns()
    task_postrun.connect(runs, weak=False)
    try:
        with start_worker(worker_app.extensions["celery"], pool="solo", perform_ping_check=False):
            with worker_app.app_context():
                message = enqueue("notifications.send_email", **_password_changed_email("pw:2"))
                db.session.commit()
                message_id = message.id
            # Published when the context ended. Now say the process died before its "sent"
            # mark was committed: the row is unsent again, and the relay publishes it twice.
            # (Once the first run is over: the relay skips a row the worker's done mark
            # holds locked at that instant.)
            wait_until(lambda: runs.runs, what="the first delivery")
            committed_db.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id).values(sent_at=None)
            )
            committed_db.commit()
            with worker_app.app_context():
                assert publish_pending() == 1
            wait_until(lambda: len(runs.runs) == 2, what="both deliveries")
    finally:
        task_postrun.disconnect(runs)
    # Both deliveries carry the outbox row's id; the second one found the email already sent.
    assert runs.runs == [(message_id, True), (message_id, False)]
    assert _emails_sent(committed_db, "pw:2") == 1
    assert len(_mail_files(tmp_path)) == 1


def test_message_lost_by_a_redis_restart_is_sent_again(
    committed_db, private_redis, make_worker_app, tmp_path
):
    worker_app = make_worker_app(private_redis.url())
    with worker_app.app_context():
        message = enqueue("notifications.send_email", **_password_changed_email("pw:3"))
        db.session.commit()
        message_id = message.id
    assert committed_db.get(OutboxMessage, message_id).sent_at is not None
    committed_db.rollback()
    # Redis restarts without its data before any worker took the message.
    private_redis.stop()
    private_redis.start()
    with start_worker(worker_app.extensions["celery"], pool="solo", perform_ping_check=False):
        time.sleep(1)
        assert _emails_sent(committed_db, "pw:3") == 0  # nothing left to consume
        with worker_app.app_context():
            # The relay, once OUTBOX_RESEND_AFTER_SECONDS have passed.
            later = utcnow() + timedelta(seconds=worker_app.config["OUTBOX_RESEND_AFTER_SECONDS"])
            assert resend_unfinished(now=utcnow(), sent_before=later, max_resends=3) == 1
            db.session.commit()
            assert publish_pending() == 1
        wait_until(lambda: _emails_sent(committed_db, "pw:3"), what="the email")
        wait_until(
            lambda: committed_db.scalar(
                select(OutboxMessage.done_at).where(OutboxMessage.id == message_id)
            ),
            what="the worker's done mark",
        )
    assert _emails_sent(committed_db, "pw:3") == 1
    assert len(_mail_files(tmp_path)) == 1


def test_messages_redis_lost_run_exactly_once_within_the_resend_window(
    committed_db, broker_url, make_worker_app, tmp_path
):
    """Redis loses its queue (restart without persistence, failover) after the messages were
    published: within OUTBOX_RESEND_AFTER_SECONDS the relay sends again those Redis no longer
    holds, never those it still holds, and each message runs exactly once."""
    window = 2
    worker_app = make_worker_app(broker_url, OUTBOX_RESEND_AFTER_SECONDS=window)
    runs = TaskRuns()
    task_postrun.connect(runs, weak=False)
    try:
        with worker_app.app_context():
            lost = [enqueue("notifications.send_email", **_password_changed_email(f"lost:{i}")).id
                    for i in range(5)]
            db.session.commit()
        redis.Redis.from_url(broker_url).flushdb()  # published, then lost with Redis's data
        flushed = time.perf_counter()
        with worker_app.app_context():
            kept = [enqueue("notifications.send_email", **_password_changed_email(f"kept:{i}")).id
                    for i in range(3)]
            db.session.commit()
        with worker_app.app_context():
            assert resend_lost_messages() == 0  # too recent: nothing is resent yet
            time.sleep(window + 0.2)
            shown = worker_app.test_cli_runner().invoke(
                args=["tasks", "outbox", "--older-than", str(window)])
            assert shown.output.count("not done") == len(lost + kept) + 1, shown.output
            assert resend_lost_messages() == len(lost)  # not the three Redis still holds
            assert publish_pending() == len(lost)
            assert resend_lost_messages() == 0  # all eight are in Redis now
        with start_worker(worker_app.extensions["celery"], pool="solo", perform_ping_check=False):
            for key in [f"lost:{i}" for i in range(5)] + [f"kept:{i}" for i in range(3)]:
                wait_until(lambda key=key: _emails_sent(committed_db, key), what=key)
            wait_until(lambda: committed_db.scalar(select(func.count(OutboxMessage.id)).where(
                OutboxMessage.done_at.is_not(None))) == 8, what="the done marks")
            elapsed = time.perf_counter() - flushed
            time.sleep(window + 0.2)
            with worker_app.app_context():
                assert resend_lost_messages() == 0  # done: never sent again
    finally:
        task_postrun.disconnect(runs)
    print(f"\nRedis flushed -> all 8 messages done: {elapsed:.2f} s (resend window {window} s)")
    assert sorted(task_id for task_id, _ in runs.runs) == sorted(lost + kept)  # once each
    assert all(sent for _, sent in runs.runs)
    assert len(_mail_files(tmp_path)) == 8


def test_message_running_long_is_not_sent_again(
    committed_db, broker_url, make_worker_app, tmp_path
):
    """Taken by a worker and still running past the window: Redis holds it unacknowledged."""
    import tests.workers.sample_tasks  # noqa: F401  (registers the slow task)

    worker_app = make_worker_app(broker_url, OUTBOX_RESEND_AFTER_SECONDS=1)
    runs_file = tmp_path / "runs.txt"
    with start_worker(worker_app.extensions["celery"], pool="solo", perform_ping_check=False):
        with worker_app.app_context():
            message = enqueue("tests.workers.slow_email", runs_file=str(runs_file), linger=3.0,
                              **_password_changed_email("pw:slow"))
            db.session.commit()
            message_id = message.id
        wait_until(runs_file.exists, what="the task to start")
        time.sleep(1.5)
        with worker_app.app_context():
            assert resend_lost_messages() == 0
        wait_until(lambda: committed_db.scalar(
            select(OutboxMessage.done_at).where(OutboxMessage.id == message_id)),
            what="the done mark")
    assert runs_file.read_text().count("start") == 1
    assert _emails_sent(committed_db, "pw:slow") == 1
