"""Fixtures for tests that need a real broker and real workers (registered in tests/conftest.py).

- `broker_url`: the test Redis database (TEST_REDIS_URL), emptied before and after the test.
- `private_redis`: a redis-server of the test's own on a free port, which the test may stop
  and start again (fault tests); always shut down at the end.
- `make_worker_app(broker_url, **overrides)`: a Flask app whose tasks go through Celery (the
  production runner) to that broker, mail written under the test's tmp_path. Run a worker
  for it in the test process with `celery.contrib.testing.worker.start_worker(
  app.extensions["celery"], pool="solo", perform_ping_check=False)`.
- `start_worker_process(broker_url, **kwargs)`: a worker in a subprocess (see
  `tests/workers/worker_process.py`), to kill -9; every one is killed when the test ends.
Pair them with `committed_db`: a worker sees only what was really committed.
"""
import pytest
import redis

from marketplace import create_app
from marketplace.extensions import db

from .redis_server import RedisServer
from .worker_process import WorkerProcess


@pytest.fixture
def broker_url(app):
    url = app.config["REDIS_URL"]
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def private_redis():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def make_worker_app(tmp_path):
    apps = []

    def make(broker_url: str, **overrides: object):
        worker_app = create_app(
            "test",
            TASK_RUNNER="celery",
            REDIS_URL=broker_url,
            MEDIA_DIR=tmp_path / "media",
            MAIL_DIR=tmp_path / "mail",
            **overrides,
        )
        apps.append(worker_app)
        return worker_app

    yield make
    for worker_app in apps:
        worker_app.extensions["celery"].close()  # the broker connections it pooled
        with worker_app.app_context():
            db.engine.dispose()


@pytest.fixture
def start_worker_process(app, tmp_path):
    started: list[WorkerProcess] = []

    def start(broker_url: str, **kwargs: object) -> WorkerProcess:
        kwargs.setdefault("log_path", tmp_path / f"worker-{len(started) + 1}.log")
        overrides = {
            "MEDIA_DIR": str(tmp_path / "media"),
            "MAIL_DIR": str(tmp_path / "mail"),
            **kwargs.pop("overrides", {}),
        }
        worker = WorkerProcess(
            redis_url=broker_url,
            database_url=app.config["SQLALCHEMY_DATABASE_URI"],
            overrides=overrides,
            **kwargs,
        )
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.kill()
