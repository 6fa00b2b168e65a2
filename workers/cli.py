"""`flask tasks ...`: run the periodic tasks without beat (embedded hub, cron), watch the outbox."""
import time
import uuid
from datetime import timedelta

import click
from flask import current_app

from marketplace.core.models import utcnow
from marketplace.core.outbox import count_unfinished, unfinished_messages
from marketplace.core.tasks import run_task_here
from marketplace.core.transactions import TransactionalGroup

from .celery_app import PERIODIC_TASKS

tasks_cli = TransactionalGroup("tasks", help="Background tasks and the outbox.")


@tasks_cli.command("run-periodic")
@click.option("--only", "only", multiple=True, type=click.Choice(list(PERIODIC_TASKS)),
              help="Run only this periodic task (repeatable).")
@click.option("--every", type=click.FloatRange(min=1), default=None,
              help="Run them again every this many seconds, until interrupted.")
def run_periodic_command(only: tuple[str, ...], every: float | None) -> None:
    """Run the periodic tasks here, once each, as beat would schedule them.

    The embedded hub has no beat: run this from cron every minute (or with --every 60).
    A failing task is reported and the others still run; the exit status is 1 then.
    """
    keys = [key for key in PERIODIC_TASKS if not only or key in only]
    while True:
        failed = _run_periodic_once(keys)
        if every is None:
            raise SystemExit(1 if failed else 0)
        time.sleep(every)


def _run_periodic_once(keys: list[str]) -> int:
    failed = 0
    for key in keys:
        task_name = PERIODIC_TASKS[key][0]
        started = time.perf_counter()
        try:
            result = run_task_here(current_app, task_name, {}, task_id=f"cli-{uuid.uuid4()}")
        except Exception as error:
            failed += 1
            current_app.logger.exception("periodic task %s failed", task_name)
            click.echo(f"{key}: failed: {type(error).__name__}: {error}", err=True)
        else:
            elapsed = time.perf_counter() - started
            click.echo(f"{key}: {result} ({elapsed:.2f} s)")
    return failed


@tasks_cli.command("outbox")
@click.option("--limit", default=20, show_default=True, help="How many waiting messages to show.")
@click.option("--older-than", "older_than", default=None, type=click.IntRange(min=0),
              help="Show sent messages not done this many seconds after they were sent "
                   "(default: OUTBOX_LATE_AFTER_SECONDS).")
def outbox_command(limit: int, older_than: int | None) -> None:
    """Show the messages still waiting to be sent, and those sent a while ago that no worker
    finished yet (running late, being retried, or lost by the broker: those are sent again
    after OUTBOX_RESEND_AFTER_SECONDS), oldest first, with their last error."""
    if older_than is None:
        older_than = current_app.config["OUTBOX_LATE_AFTER_SECONDS"]
    now = utcnow()
    sent_before = now - timedelta(seconds=older_than)
    stuck = unfinished_messages(sent_before=sent_before, limit=limit)
    if not stuck:
        click.echo("Outbox clear: every message was sent, and every one sent "
                   f"more than {older_than} s ago is done.")
        return
    waiting, not_done = count_unfinished(sent_before=sent_before)
    click.echo(f"{waiting} waiting to be sent, {not_done} sent more than {older_than} s ago "
               "and not done:")
    for message in stuck:
        if message.sent_at is None:
            state = f"waiting next={message.available_at:%H:%M:%S}"
        else:
            age = int((now - message.sent_at).total_seconds())
            state = f"sent {message.sent_at:%Y-%m-%d %H:%M:%S} not done ({age} s ago)"
        click.echo(
            f"{message.created_at:%Y-%m-%d %H:%M:%S} {message.task_name} {message.id} {state} "
            f"attempts={message.attempts} resends={message.resends} "
            f"{message.last_error or ''}".rstrip()
        )
