"""Workers benchmark: what publishing costs, how fast it gives up when Redis is gone, how fast
the relay catches up, and how long a committed message takes to be done by a worker.

    .venv/bin/python bench/workers_bench.py                 # 500 messages
    .venv/bin/python bench/workers_bench.py --messages 100  # a quick check

It creates its own database on 127.0.0.1 (`bench_workers`, rebuilt each run) and its own
redis-server on a free loopback port, which it stops, freezes (SIGSTOP) and restarts; a real
Celery worker runs in a subprocess. Every process it starts is stopped before it exits.

Figures printed:
- publish: the boundary's publish of one committed message (enqueue, commit, publish), p50/p99;
- commit -> done: from the commit to the email's record written by the worker, p50/p99;
- Redis stopped: how long a publish takes to fail (first one on a pooled connection, then
  fresh ones), the business commit having succeeded;
- Redis frozen (SIGSTOP: connections accepted, never answered): how long a publish blocks;
- relay: messages per second re-published once Redis is back.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as a plain script from any directory

from marketplace import create_app  # noqa: E402
from marketplace.core.outbox import OutboxMessage, enqueue, publish_pending  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.notifications.models import SentEmail  # noqa: E402
from marketplace.schema import install_database_extras  # noqa: E402
from tests.workers.redis_server import RedisServer  # noqa: E402
from tests.workers.worker_process import WorkerProcess, wait_until  # noqa: E402

HOST = "127.0.0.1"
DATABASE = "bench_workers"
URL = f"postgresql+psycopg://postgres@{HOST}:5432/{DATABASE}"


def recreate_database() -> None:
    with psycopg.connect(f"host={HOST} user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def email(key: str) -> dict:
    return {
        "dedupe_key": key,
        "to": "lucie@example.fr",
        "subject": "Mot de passe changé",
        "template": "password_changed",
        "locale": "fr",
        "full_name": "Lucie Marty",
        "forgot_password_url": "http://localhost/account/password/forgot",
    }


def commit_one(app, key: str) -> float:
    """Enqueue and commit in a context of its own; returns how long its boundary took."""
    with app.app_context():
        enqueue("notifications.send_email", **email(key))
        db.session.commit()
        started = time.perf_counter()
    return time.perf_counter() - started


def sent(app, prefix: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(SentEmail.id)).where(SentEmail.dedupe_key.startswith(prefix))
        )


def unsent(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
        )


def ms(values: list[float], share: float) -> str:
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()

    recreate_database()
    redis_server = RedisServer().start()
    scratch = tempfile.TemporaryDirectory()
    mail_dir = Path(scratch.name) / "mail"
    app = create_app(
        "test",
        TASK_RUNNER="celery",
        REDIS_URL=redis_server.url(),
        SQLALCHEMY_DATABASE_URI=URL,
        MAIL_DIR=mail_dir,
    )
    worker = None
    try:
        with app.app_context():
            db.create_all()
            with db.engine.begin() as connection:
                install_database_extras(connection)

        publish = [commit_one(app, f"publish:{n}") for n in range(args.messages)]
        print(
            f"publish after commit ({args.messages} messages, no worker): "
            f"p50 {ms(publish, 0.5)}, p99 {ms(publish, 0.99)}"
        )

        worker = WorkerProcess(
            redis_url=redis_server.url(),
            database_url=URL,
            log_path=Path(scratch.name) / "w.log",
            overrides={"SQLALCHEMY_DATABASE_URI": URL, "MAIL_DIR": str(mail_dir)},
            pool="prefork",
            concurrency=2,
        ).start()
        wait_until(lambda: sent(app, "publish:") == args.messages, timeout=600, what="backlog")
        done = []
        for n in range(min(args.messages, 100)):
            with app.app_context():
                enqueue("notifications.send_email", **email(f"e2e:{n}"))
                db.session.commit()
                started = time.perf_counter()
            wait_until(lambda n=n: _recorded(app, f"e2e:{n}"), interval=0.002, what="the email")
            done.append(time.perf_counter() - started)
        print(
            f"commit -> email recorded by the worker ({len(done)} sequential): "
            f"p50 {ms(done, 0.5)}, p99 {ms(done, 0.99)}"
        )

        redis_server.stop()
        down = [commit_one(app, f"down:{n}") for n in range(20)]
        print(
            f"publish with Redis stopped (commit kept, message left for the relay): "
            f"first {down[0] * 1000:.2f} ms, then p50 {ms(down[1:], 0.5)}, "
            f"max {max(down[1:]) * 1000:.2f} ms"
        )

        runner = app.extensions["task_runner"]
        refused = []
        for n in range(20):
            started = time.perf_counter()
            try:
                runner.send("outbox.clean", {}, message_id=f"refused-{n}")
            except runner.unavailable_errors:
                refused.append(time.perf_counter() - started)
        print(f"  of which the broker call alone (fails with OperationalError): "
              f"p50 {ms(refused, 0.5)}, max {max(refused) * 1000:.2f} ms")

        redis_server.start()
        commit_one(app, "warm:0")
        redis_server.freeze()
        frozen = [commit_one(app, f"frozen:{n}") for n in range(2)]
        redis_server.thaw()
        print(f"publish with Redis frozen (SIGSTOP): {statistics.mean(frozen):.2f} s each")

        redis_server.stop()
        backlog = [commit_one(app, f"backlog:{n}") for n in range(args.messages)]
        assert len(backlog) == args.messages
        waiting = unsent(app)
        redis_server.start()
        started = time.perf_counter()
        with app.app_context():
            relayed = sum(iter(lambda: publish_pending(limit=500), 0))
        elapsed = time.perf_counter() - started
        print(
            f"relay after Redis came back: {relayed} of {waiting} waiting messages in "
            f"{elapsed:.2f} s ({relayed / elapsed:.0f}/s)"
        )
        wait_until(lambda: sent(app, "backlog:") == args.messages, timeout=600, what="relayed")
        duplicates = sum(1 for _ in mail_dir.glob("*.eml")) - sent(app, "")
        print(f"emails written twice: {duplicates}")
    finally:
        if worker is not None:
            worker.stop()
        redis_server.stop()
        app.extensions["celery"].close()
        with app.app_context():
            db.engine.dispose()
        scratch.cleanup()


def _recorded(app, key: str) -> bool:
    with app.app_context():
        found = db.session.scalar(select(SentEmail.id).where(SentEmail.dedupe_key == key))
    return found is not None


if __name__ == "__main__":
    main()
