"""The embedded hub's periodic work: beat's schedule, run by a thread of the web process.

`make run` has no beat and no worker: without this, unpaid Orders would keep their stock and
bookings forever. Production runs `make beat` instead and leaves this off.
"""
import logging
import threading
import time
import uuid
from collections.abc import Callable

from flask import Flask

from marketplace.core.tasks import run_task_here
from workers.celery_app import PERIODIC_TASKS

log = logging.getLogger(__name__)


class EmbeddedScheduler:
    """Runs each periodic task at its interval, the first time as soon as it starts."""

    #: How often the thread looks for due tasks: the shortest interval is 5 s.
    tick_seconds = 1.0

    def __init__(
        self,
        app: Flask,
        schedule: dict[str, tuple[str, float]] = PERIODIC_TASKS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.app = app
        self.schedule = schedule
        self.clock = clock
        self.next_run = {key: 0.0 for key in schedule}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def run_due(self) -> list[str]:
        """Run the tasks whose time has come; a failure is logged and leaves the others be."""
        ran = []
        for key, (task_name, interval) in self.schedule.items():
            now = self.clock()
            if now < self.next_run[key]:
                continue
            self.next_run[key] = now + interval
            try:
                run_task_here(self.app, task_name, {}, task_id=f"embedded-{uuid.uuid4()}")
            except Exception:
                log.exception("periodic task %s failed; next try in %.0f s", task_name, interval)
            ran.append(key)
        return ran

    def start(self) -> None:
        """Start the thread once, whatever the number of callers."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="embedded-periodic-tasks", daemon=True
                )
                self._thread.start()

    def _loop(self) -> None:
        while True:
            self.run_due()
            time.sleep(self.tick_seconds)


def run_periodic_tasks_in_process(app: Flask) -> None:
    """Start the scheduler with the first request, so CLI commands (migrate, seed) never do."""
    scheduler = EmbeddedScheduler(app)
    app.extensions["embedded_scheduler"] = scheduler
    app.before_request(scheduler.start)
