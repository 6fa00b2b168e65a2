"""Task runners: how outbox messages become work (in-process, or Celery over Redis)."""
import logging

from flask import Flask

log = logging.getLogger(__name__)


class InProcessRunner:
    """Embedded default: run the task right away in this process (no broker needed)."""

    def __init__(self, app: Flask):
        self.app = app

    def send(self, task_name: str, kwargs: dict, *, message_id: str) -> None:
        celery = self.app.extensions["celery"]
        result = celery.tasks[task_name].apply(kwargs=kwargs, task_id=message_id)
        if result.failed():
            log.error("task %s (%s) failed in-process: %s", task_name, message_id, result.result)


class CeleryRunner:
    """Production: publish to the broker; a dead broker raises at once (no blocking retries)."""

    def __init__(self, app: Flask):
        self.app = app

    def send(self, task_name: str, kwargs: dict, *, message_id: str) -> None:
        celery = self.app.extensions["celery"]
        celery.tasks[task_name].apply_async(
            kwargs=kwargs, task_id=message_id, retry=True, retry_policy={"max_retries": 0}
        )


def build_task_runner(app: Flask) -> InProcessRunner | CeleryRunner:
    from workers.celery_app import celery_init_app

    celery_init_app(app)
    if app.config["TASK_RUNNER"] == "celery":
        return CeleryRunner(app)
    return InProcessRunner(app)
