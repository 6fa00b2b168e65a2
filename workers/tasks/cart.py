"""Cart tasks: forgetting anonymous carts nobody came back to."""

from celery import shared_task

from marketplace.cart.services import delete_abandoned_carts
from marketplace.core.models import utcnow


@shared_task(name="cart.purge_abandoned")
def purge_abandoned_carts_task() -> int:
    deleted = delete_abandoned_carts(now=utcnow())
    return deleted
