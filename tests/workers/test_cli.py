"""`flask tasks ...`: the periodic tasks without beat, and a look at the outbox."""
from datetime import timedelta

from sqlalchemy import select

import workers.tasks.orders
from marketplace.core.models import utcnow
from marketplace.core.outbox import OutboxMessage, enqueue
from marketplace.notifications.models import SentEmail

EMAIL = {
    "to": "lucie@example.fr",
    "subject": "Votre mot de passe a été changé",
    "template": "password_changed",
    "locale": "fr",
    "full_name": "Lucie Marty",
    "forgot_password_url": "http://localhost/account/password/forgot",
}


def test_run_periodic_runs_each_task_and_the_relay_sends_what_waits(app, db_session):
    enqueue("notifications.send_email", dedupe_key="pw:cli", **EMAIL)
    db_session.commit()  # no boundary ran: as after a crash, the relay must send it
    result = app.test_cli_runner().invoke(args=["tasks", "run-periodic"])
    assert result.exit_code == 0, result.output
    for key in ("expire-unpaid-orders", "sync-open-payments", "outbox-relay", "outbox-cleanup"):
        assert f"{key}: " in result.output
    assert "outbox-relay: 1 " in result.output
    assert db_session.scalar(select(SentEmail.dedupe_key)) == "pw:cli"


def test_run_periodic_reports_a_failure_and_runs_the_others(app, db_session, monkeypatch):
    def database_gone(**kwargs):
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(workers.tasks.orders, "expire_unpaid_orders", database_gone)
    result = app.test_cli_runner().invoke(
        args=["tasks", "run-periodic", "--only", "expire-unpaid-orders", "--only", "outbox-relay"]
    )
    assert result.exit_code == 1
    assert "expire-unpaid-orders: failed: ConnectionError: database unreachable" in result.output
    assert "outbox-relay: 0 " in result.output


def test_outbox_command_shows_what_is_waiting_and_why(app, db_session):
    message = enqueue("notifications.send_email", dedupe_key="pw:waiting", **EMAIL)
    message.attempts = 3
    message.last_error = "OperationalError: Error 111 connecting to 127.0.0.1:6379."
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["tasks", "outbox"])
    assert result.exit_code == 0
    assert f"notifications.send_email {message.id} waiting" in result.output
    assert "attempts=3" in result.output and "Error 111" in result.output
    db_session.delete(db_session.get(OutboxMessage, message.id))
    db_session.commit()
    assert "Outbox clear" in app.test_cli_runner().invoke(args=["tasks", "outbox"]).output


def test_outbox_command_shows_messages_sent_and_not_done_with_why(app, db_session):
    message = enqueue("notifications.send_email", dedupe_key="pw:failing", **EMAIL)
    db_session.commit()
    message.sent_at, message.done_at = utcnow() - timedelta(minutes=3), None
    message.last_error = "RuntimeError: handler bug"
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["tasks", "outbox"])
    assert "Outbox clear" not in result.output
    assert "0 waiting to be sent, 1 sent more than 60 s ago and not done" in result.output
    assert f"notifications.send_email {message.id} sent " in result.output
    assert "not done (180 s ago)" in result.output or "not done (181 s ago)" in result.output
    assert "RuntimeError: handler bug" in result.output
    # Sent a moment ago: running, not late.
    message.sent_at = utcnow()
    db_session.commit()
    assert "Outbox clear" in app.test_cli_runner().invoke(args=["tasks", "outbox"]).output
