"""Celery built from the Flask app factory; tasks run inside an application context.

Start a worker with `celery -A workers.celery_app worker`, beat with `celery -A workers.celery_app beat`.
"""
from celery import Celery, Task
from flask import Flask

TASK_MODULES = ("workers.tasks.notifications",)


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask, include=list(TASK_MODULES))
    redis_url = app.config.get("REDIS_URL") or "memory://"
    celery_app.conf.update(
        broker_url=redis_url,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 3600},
    )
    celery_app.loader.import_default_modules()
    app.extensions["celery"] = celery_app
    return celery_app


def make_celery() -> Celery:
    from marketplace import create_app

    return create_app().extensions["celery"]


