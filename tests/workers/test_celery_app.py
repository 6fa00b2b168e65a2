"""The Celery application: found by the celery CLI, configured to lose nothing, scheduled."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from marketplace import create_app
from workers.celery_app import PERIODIC_TASKS

ROOT = Path(__file__).resolve().parents[2]


def test_every_periodic_task_exists_and_is_scheduled(app):
    celery = app.extensions["celery"]
    for key, (task_name, _schedule) in PERIODIC_TASKS.items():
        assert task_name in celery.tasks, f"{key}: no task named {task_name}"
        assert celery.conf.beat_schedule[key]["task"] == task_name


def test_celery_cli_finds_the_app_only_when_asked(app):
    """`celery -A workers.celery_app` works, and importing our packages creates no app."""
    env = {**os.environ, "MARKETPLACE_ENV": "test", "PYTHONPATH": str(ROOT)}
    imported = subprocess.run(
        [sys.executable, "-c",
         "import marketplace, workers.celery_app as m; print(m.make_celery.cache_info().currsize)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert imported.stdout.strip() == "0", imported.stderr
    report = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "workers.celery_app", "report"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert report.returncode == 0, report.stderr
    for setting in ("task_acks_late: True", "task_reject_on_worker_lost: True",
                    "worker_prefetch_multiplier: 1", "task_ignore_result: True",
                    "'visibility_timeout': 3600"):
        assert setting in report.stdout


def test_countdown_beyond_the_visibility_timeout_is_refused(app):
    """Redis would hand such a waiting task to a second worker: refuse it before publishing."""
    task = app.extensions["celery"].tasks["outbox.clean"]
    with pytest.raises(ValueError, match="visibility timeout"):
        task.apply_async(countdown=app.config["CELERY_VISIBILITY_TIMEOUT"])


def test_retry_backoff_of_every_task_stays_under_the_visibility_timeout(app):
    longest = app.config["CELERY_VISIBILITY_TIMEOUT"] - app.config["CELERY_TASK_TIME_LIMIT"]
    for name, task in app.extensions["celery"].tasks.items():
        if getattr(task, "autoretry_for", ()):
            assert task.retry_backoff_max <= longest, name
            assert task.retry_jitter, name


def test_celery_runner_without_redis_is_refused():
    """Celery would fall back to an in-memory broker that no worker reads."""
    with pytest.raises(RuntimeError, match="needs REDIS_URL"):
        create_app("test", TASK_RUNNER="celery", REDIS_URL=None)
