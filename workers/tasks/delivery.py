"""Delivery tasks: the planner that creates rounds and slots ahead, and the cut-off."""
from celery import shared_task

from marketplace.core.models import utcnow
from marketplace.delivery.services import plan_ahead
from marketplace.logistics.services import close_due


@shared_task(name="delivery.plan_ahead")
def plan_ahead_task() -> list[int]:
    """Create the coming weeks' rounds and slots from the plans; a second run adds nothing."""
    rounds, slots = plan_ahead(now=utcnow())
    return [rounds, slots]


@shared_task(name="delivery.close_due")
def close_due_task() -> list[int]:
    """Close rounds and slots at their cut-off and send pick lists, exactly once each."""
    rounds, slots = close_due(now=utcnow())
    return [rounds, slots]
