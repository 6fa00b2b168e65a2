"""Faults a production worker meets: Redis gone in the middle of a checkout, a worker killed
in the middle of a task. The work is done, and done once."""
import os
import signal
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from sqlalchemy import func, select

from marketplace.cart.models import Cart
from marketplace.core.outbox import OutboxMessage, enqueue, publish_pending
from marketplace.extensions import db
from marketplace.notifications.models import SentEmail
from marketplace.orders.models import Order
from tests.factories.catalog import make_product_for_sale
from tests.factories.orders import check_out, fill_cart
from tests.workers import sample_tasks  # noqa: F401  (registers tests.workers.slow_email)
from tests.workers.worker_process import redelivery_overrides, wait_until


def _emails_sent(session, key: str) -> int:
    return session.scalar(select(func.count(SentEmail.id)).where(SentEmail.dedupe_key == key))


def _mail_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "mail").glob("*.eml"))


def test_redis_down_during_checkout_loses_nothing(
    committed_db, private_redis, make_worker_app, tmp_path
):
    worker_app = make_worker_app(private_redis.url())
    with worker_app.app_context():
        variant = make_product_for_sale(prices=(1800,), stocks=(5,)).variants[0]
        cart_id = fill_cart((variant, 2)).id
        db.session.commit()

    with worker_app.app_context():
        order = check_out(db.session.get(Cart, cart_id), email="camille@example.fr")
        private_redis.stop()  # Redis dies while the customer is checking out
        db.session.commit()
        number = order.number
        boundary_started = time.perf_counter()
    # Leaving the context tried to publish the confirmation email, and gave up at once.
    print(f"\npublish attempt with Redis down: {time.perf_counter() - boundary_started:.4f} s")

    placed = committed_db.scalar(select(Order).where(Order.number == number))
    assert placed is not None and placed.email == "camille@example.fr"
    key = f"order-received:{number}"
    [waiting] = committed_db.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key == key))
    assert waiting.sent_at is None
    assert waiting.attempts == 1
    assert "Connection refused" in waiting.last_error
    committed_db.rollback()

    private_redis.start()  # back on the same port, empty
    with start_worker(worker_app.extensions["celery"], pool="solo", perform_ping_check=False):
        with worker_app.app_context():
            assert publish_pending() == 1  # the relay, as beat runs it every few seconds
            assert publish_pending() == 0
        wait_until(lambda: _emails_sent(committed_db, key), what="the order email")
        time.sleep(0.5)  # a duplicate delivery would show up by now
    assert _emails_sent(committed_db, key) == 1
    [email_file] = _mail_files(tmp_path)
    assert number in email_file.read_text()
    assert committed_db.get(OutboxMessage, waiting.id).sent_at is not None


@pytest.mark.slow
@pytest.mark.parametrize("pool", ["solo", "prefork"])
def test_worker_killed_in_the_middle_of_a_task_redelivers_it_and_acts_once(
    pool, committed_db, broker_url, make_worker_app, start_worker_process, tmp_path
):
    """solo: the whole worker dies (power cut, OOM) and Redis hands the unacknowledged task to
    a fresh worker after the visibility timeout (4 s here). prefork: only the pool process
    dies, and its parent requeues the task at once (task_reject_on_worker_lost), long before
    the visibility timeout (120 s here)."""
    overrides = redelivery_overrides(visibility_timeout=4 if pool == "solo" else 120)
    worker_app = make_worker_app(broker_url, **overrides)
    runs = tmp_path / "runs.txt"
    imports = ["tests.workers.sample_tasks"]
    first = start_worker_process(broker_url, overrides=overrides, imports=imports, pool=pool)
    with worker_app.app_context():
        enqueue(
            "tests.workers.slow_email", dedupe_key="password-changed:42:3",
            runs_file=str(runs), linger=120, to="lucie@example.fr",
            subject="Votre mot de passe a été changé", template="password_changed",
            locale="fr", full_name="Lucie Marty",
            forgot_password_url="http://localhost/account/password/forgot",
        )
        db.session.commit()
    # The email went out and its record committed; the task is still busy, unacknowledged.
    wait_until(lambda: _emails_sent(committed_db, "password-changed:42:3"), what="the email")
    running_pid = int(runs.read_text().split()[1])
    if pool == "solo":
        first.kill()
        killed_at = time.time()
        start_worker_process(broker_url, overrides=overrides, imports=imports, pool=pool)
    else:
        os.kill(running_pid, signal.SIGKILL)
        killed_at = time.time()

    wait_until(lambda: "done" in runs.read_text(), timeout=60, what="the redelivered run")
    notes = runs.read_text().splitlines()
    redelivered_at = float(notes[1].split()[2])
    print(f"\n{pool}: redelivered {redelivered_at - killed_at:.2f} s after kill -9, "
          f"finished {time.time() - killed_at:.2f} s after")
    assert [note.split()[0] for note in notes] == ["start", "start", "done"]
    assert notes[1].split()[1] != str(running_pid)  # another process did it
    assert notes[2].endswith("sent=False")  # and found the email already sent
    assert _emails_sent(committed_db, "password-changed:42:3") == 1
    assert len(_mail_files(tmp_path)) == 1

