"""The outbox with the embedded (in-process) runner: after commit, once, never in the caller's
transaction, never crashing the caller, and kept for a retry when the task fails."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.models import utcnow
from marketplace.core.outbox import (
    OutboxMessage,
    delete_sent_messages,
    enqueue,
    publish_committed,
    publish_pending,
    resend_unfinished,
)
from marketplace.extensions import db
from marketplace.notifications import services as notification_services
from marketplace.notifications.models import SentEmail
from tests.factories.accounts import UserFactory

#: What the test tasks did, in order: (task name, kwargs).
CALLS: list[tuple[str, dict]] = []
#: Set to make `tests.outbox.flaky` fail.
FAILING = {"flaky": True}


@pytest.fixture(autouse=True)
def register_test_tasks(app):
    """Tasks registered on the test app's Celery, recording what they were asked to do."""
    celery = app.extensions["celery"]
    if "tests.outbox.record" not in celery.tasks:

        @celery.task(name="tests.outbox.record")
        def record(**kwargs):
            CALLS.append(("record", kwargs))

        @celery.task(name="tests.outbox.flaky")
        def flaky(**kwargs):
            CALLS.append(("flaky", kwargs))
            if FAILING["flaky"]:
                raise ConnectionError("the mail server hung up")

        @celery.task(name="tests.outbox.remember_email")
        def remember_email(*, dedupe_key):
            db.session.add(
                SentEmail(dedupe_key=dedupe_key, to="a@example.org", subject="s", template="t")
            )
            db.session.commit()

        @celery.task(name="tests.outbox.chain")
        def chain(*, step):
            CALLS.append(("chain", {"step": step}))
            if step < 3:
                enqueue("tests.outbox.chain", step=step + 1)
                db.session.commit()

    CALLS.clear()
    FAILING["flaky"] = True
    yield
    CALLS.clear()


def _message(message_id: str) -> OutboxMessage:
    return db.session.execute(
        select(OutboxMessage).where(OutboxMessage.id == message_id)
        .execution_options(populate_existing=True)
    ).scalar_one()


def test_message_runs_once_after_the_request_that_committed_it(app, db_session):
    with app.test_request_context("/checkout", method="POST"):
        message = enqueue("tests.outbox.record", order_id=12)
        assert CALLS == []  # nothing runs inside the business transaction
        db.session.commit()
        assert CALLS == []  # nor before the request is over
    assert CALLS == [("record", {"order_id": 12})]
    sent = _message(message.id)
    assert sent.sent_at is not None and sent.attempts == 1
    assert sent.done_at == sent.sent_at  # in-process, sent means run
    assert publish_pending() == 0  # the relay finds nothing left to send


def test_rolled_back_message_never_runs(app, db_session):
    with app.test_request_context("/checkout", method="POST"):
        enqueue("tests.outbox.record", order_id=13)
        db.session.rollback()
    assert CALLS == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_same_dedupe_key_is_recorded_once(db_session):
    first = enqueue("tests.outbox.record", dedupe_key="receipt:LA-1", order_id=1)
    db_session.commit()
    again = enqueue("tests.outbox.record", dedupe_key="receipt:LA-1", order_id=1)
    db_session.commit()
    assert again.id == first.id
    assert db_session.scalar(select(func.count(OutboxMessage.id))) == 1
    publish_pending()
    publish_pending()
    assert CALLS == [("record", {"order_id": 1, "dedupe_key": "receipt:LA-1"})]


def test_dedupe_key_reaches_the_tasks_that_take_it(db_session):
    enqueue("tests.outbox.remember_email", dedupe_key="welcome:7")
    db_session.commit()
    assert publish_pending() == 1
    assert db_session.scalar(select(SentEmail.dedupe_key)) == "welcome:7"


def test_unknown_task_is_refused_in_the_transaction(db_session):
    with pytest.raises(LookupError, match="notifications.send_emial"):
        enqueue("notifications.send_emial", to="a@example.org")


def test_failing_task_is_kept_for_a_later_retry_and_spares_the_caller(app, db_session):
    with app.test_request_context("/checkout", method="POST"):
        failing = enqueue("tests.outbox.flaky", order_id=14)
        other = enqueue("tests.outbox.record", order_id=14)
        db.session.commit()
    # The request ended normally; the other message was not held up by the failure.
    assert ("record", {"order_id": 14}) in CALLS
    kept = _message(failing.id)
    assert kept.sent_at is None
    assert kept.attempts == 1
    assert "the mail server hung up" in kept.last_error
    assert kept.available_at > utcnow() + timedelta(seconds=30)
    assert _message(other.id).sent_at is not None

    # Not retried before its time, then retried by the relay once due.
    assert publish_pending() == 0
    FAILING["flaky"] = False
    kept.available_at = utcnow() - timedelta(seconds=1)
    db_session.commit()
    assert publish_pending() == 1
    assert _message(failing.id).sent_at is not None
    assert [name for name, _kwargs in CALLS].count("flaky") == 2


def test_backoff_grows_with_each_failed_attempt(db_session):
    message = enqueue("tests.outbox.flaky", order_id=15)
    db_session.commit()
    delays = []
    for _attempt in range(3):
        before = utcnow()
        publish_pending()
        kept = _message(message.id)
        delays.append(kept.available_at - before)
        kept.available_at = utcnow() - timedelta(seconds=1)
        db_session.commit()
    assert delays[0] < delays[1] < delays[2] <= timedelta(hours=1, seconds=5)


def test_message_left_by_a_crash_before_publishing_is_sent_by_the_relay(db_session):
    enqueue("tests.outbox.record", order_id=16)
    db_session.commit()
    # The process died between its commit and its boundary: nothing published it.
    assert CALLS == []
    assert publish_pending() == 1
    assert CALLS == [("record", {"order_id": 16})]


def test_tasks_enqueued_by_an_in_process_task_run_too(app, db_session):
    with app.test_request_context("/checkout", method="POST"):
        enqueue("tests.outbox.chain", step=1)
        db.session.commit()
    assert CALLS == [("chain", {"step": 1}), ("chain", {"step": 2}), ("chain", {"step": 3})]
    assert db.session.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
    ) == 0


def test_task_commits_in_its_own_transaction_not_the_callers(app, committed_db):
    enqueue("tests.outbox.remember_email", dedupe_key="own-transaction:1")
    committed_db.commit()
    # The caller goes on with work it will not keep, while its boundary publishes.
    committed_db.add(User(email="half-done@example.org", password_hash="x", full_name="Half"))
    committed_db.flush()
    publish_committed()
    committed_db.rollback()
    assert committed_db.scalar(select(SentEmail.dedupe_key)) == "own-transaction:1"
    assert committed_db.scalar(select(func.count(User.id))) == 0


def test_cleanup_deletes_only_old_sent_messages(db_session):
    old_sent = enqueue("tests.outbox.record", order_id=1)
    recent_sent = enqueue("tests.outbox.record", order_id=2)
    old_unsent = enqueue("tests.outbox.flaky", order_id=3)
    db_session.commit()
    publish_pending()
    now = utcnow()
    _message(old_sent.id).sent_at = now - timedelta(days=40)
    _message(old_unsent.id).created_at = now - timedelta(days=40)
    db_session.commit()
    assert delete_sent_messages(sent_before=now - timedelta(days=30)) == 1
    db_session.commit()
    remaining = set(db_session.scalars(select(OutboxMessage.id)))
    assert remaining == {recent_sent.id, old_unsent.id}


def test_message_sent_but_never_done_is_sent_again_a_few_times(db_session):
    """As after Redis restarted without its data: published, never run by any worker."""
    lost = enqueue("tests.outbox.record", order_id=17)
    finished = enqueue("tests.outbox.record", order_id=18)
    db_session.commit()
    long_ago = utcnow() - timedelta(hours=3)
    _message(lost.id).sent_at = long_ago
    done = _message(finished.id)
    done.sent_at = done.done_at = long_ago
    db_session.commit()

    for expected_resends in (1, 2):
        now = utcnow()
        assert resend_unfinished(now=now, sent_before=now - timedelta(hours=2), max_resends=2) == 1
        db_session.commit()
        assert publish_pending() == 1
        resent = _message(lost.id)
        assert resent.resends == expected_resends
        resent.sent_at, resent.done_at = long_ago, None  # lost once more
        db_session.commit()
        if expected_resends == 1:
            # The next resend waits twice as long: 4 hours after this one was sent.
            now = utcnow()
            assert resend_unfinished(now=now, sent_before=now - timedelta(hours=2),
                                     max_resends=2) == 0
            _message(lost.id).sent_at = utcnow() - timedelta(hours=5)
            db_session.commit()
    now = utcnow()
    assert resend_unfinished(now=now, sent_before=now - timedelta(hours=2), max_resends=2) == 0
    assert CALLS == [("record", {"order_id": 17})] * 2


def test_message_the_broker_still_holds_is_not_sent_again(db_session):
    """Queued behind others, waiting for a retry, or running long: not lost, not resent."""
    held = enqueue("tests.outbox.record", order_id=21)
    lost = enqueue("tests.outbox.record", order_id=22)
    db_session.commit()
    for message_id in (held.id, lost.id):
        _message(message_id).done_at = None
        _message(message_id).sent_at = utcnow() - timedelta(minutes=5)
    db_session.commit()
    asked = []

    def in_broker():
        asked.append(True)
        return {held.id}

    now = utcnow()
    assert resend_unfinished(now=now, sent_before=now - timedelta(minutes=2), max_resends=3,
                             in_broker=in_broker) == 1
    db_session.commit()
    assert asked == [True]
    assert _message(lost.id).sent_at is None and _message(lost.id).resends == 1
    assert _message(held.id).sent_at is not None and _message(held.id).resends == 0


def test_page_whose_email_fails_still_answers_and_the_email_goes_later(
    client, db_session, monkeypatch
):
    UserFactory(email="oubli@example.fr")
    db_session.commit()

    def mail_server_down(message):
        raise ConnectionRefusedError("SMTP 127.0.0.1:25 refused the connection")

    monkeypatch.setattr(notification_services, "deliver", mail_server_down)
    response = client.post("/password/forgot", data={"email": "oubli@example.fr"})
    assert response.status_code == 302  # the customer sees the usual answer
    message = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.task_name == "notifications.send_email")
    ).one()  # the reset task looked the account up and queued the email, which failed
    assert message.sent_at is None
    assert "SMTP 127.0.0.1:25 refused" in message.last_error
    assert db_session.scalar(select(func.count(SentEmail.id))) == 0

    monkeypatch.undo()  # the mail server is back; the relay's next run after the delay
    message.available_at = utcnow() - timedelta(seconds=1)
    db_session.commit()
    assert publish_pending() == 1
    assert db_session.scalar(select(SentEmail.to)) == "oubli@example.fr"
