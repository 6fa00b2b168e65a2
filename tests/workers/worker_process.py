"""A real Celery worker in a subprocess, to kill it (`kill -9`) in the middle of a task.

    worker = WorkerProcess(redis_url=..., database_url=..., log_path=tmp_path / "w1.log",
                           overrides={"MAIL_DIR": str(tmp_path / "mail")},
                           imports=["tests.workers.sample_tasks"])
    worker.start()            # returns once the worker logged "ready"
    worker.wait_for("Task tests.workers.slow_email[")
    worker.kill()             # SIGKILL: no cleanup, the message stays unacknowledged
    WorkerProcess(...).start()  # a fresh worker gets it back after the visibility timeout

The `start_worker_process` fixture (tests/workers/plugin.py) builds these with the test's
Redis and database and kills every one it started when the test ends, passed or failed.
`redelivery_overrides(visibility_timeout)` gives the broker settings that make Redis hand an
unacknowledged message back within seconds instead of an hour.
"""
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def redelivery_overrides(visibility_timeout: int = 4) -> dict:
    """Config overrides: a short visibility timeout, swept every second.

    The task time limit (prefork pools only) must stay under it: a slow task in a test with
    a short timeout is killed by that limit, and counted as failed, not redelivered.
    """
    return {
        "CELERY_VISIBILITY_TIMEOUT": visibility_timeout,
        "CELERY_TASK_TIME_LIMIT": visibility_timeout - 1,
        "CELERY": {
            "broker_transport_options": {
                "unacked_restore_interval": 1,
                "unacked_restore_throttle": 1,
            }
        },
    }


def wait_until(condition, *, timeout: float = 30, interval: float = 0.05, what: str = "condition"):
    """Poll `condition()` until it is truthy and return its value; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout} s")
        time.sleep(interval)


class WorkerProcess:
    def __init__(
        self, *, redis_url: str, database_url: str, log_path: Path, overrides: dict | None = None,
        imports: list[str] | tuple[str, ...] = (), pool: str = "solo", concurrency: int = 1,
    ):
        self.redis_url = redis_url
        self.database_url = database_url
        self.log_path = Path(log_path)
        self.overrides = {"REDIS_URL": redis_url, **(overrides or {})}
        self.imports = list(imports)
        self.pool = pool
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "WorkerProcess":
        env = {
            **os.environ,
            "MARKETPLACE_ENV": "test",
            "TEST_DATABASE_URL": self.database_url,
            "TEST_REDIS_URL": self.redis_url,
            "MARKETPLACE_TEST_OVERRIDES": json.dumps(self.overrides),
            "MARKETPLACE_TEST_IMPORTS": json.dumps(self.imports),
            "PYTHONPATH": str(ROOT),
        }
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "tests.workers.worker_entry", "worker",
                 "--pool", self.pool, "--concurrency", str(self.concurrency),
                 "--hostname", f"test-{uuid.uuid4().hex[:8]}@localhost",
                 "--without-gossip", "--without-mingle", "--without-heartbeat",
                 "--loglevel", "INFO"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        self.wait_for(" ready.", timeout=timeout)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_for(self, text: str, *, timeout: float = 30) -> None:
        """Wait until the worker's log contains `text` (fails early if the worker died)."""
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"worker exited before logging {text!r}:\n{self.log()[-3000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"worker did not log {text!r}:\n{self.log()[-3000:]}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL, as the OOM killer or a power cut would: the task is not acknowledged."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown (SIGTERM), falling back to SIGKILL."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
