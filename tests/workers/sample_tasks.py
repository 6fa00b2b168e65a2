"""Tasks used only by the worker tests: a slow, idempotent email to kill a worker in."""
import os
import time
from pathlib import Path

from celery import shared_task

from marketplace.extensions import db
from marketplace.notifications.services import send_templated_email


@shared_task(name="tests.workers.slow_email")
def slow_email_task(*, runs_file: str, linger: float, **email: object) -> bool:
    """Send the email (once, by its key), then linger on the first run only: the window in
    which the test kills the worker. Every run is noted in `runs_file` (pid, start time)."""
    runs = Path(runs_file)
    first_run = not runs.exists()
    with runs.open("a") as notes:
        notes.write(f"start {os.getpid()} {time.time():.3f}\n")
    sent = send_templated_email(**email)
    db.session.commit()
    if first_run:
        time.sleep(linger)
    with runs.open("a") as notes:
        notes.write(f"done {os.getpid()} sent={sent}\n")
    return sent
