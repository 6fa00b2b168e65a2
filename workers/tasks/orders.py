"""Order tasks: the periodic expiry of Orders left unpaid."""
from celery import shared_task

from marketplace.core.models import utcnow
from marketplace.payments.services import expire_unpaid_orders


@shared_task(name="orders.expire_unpaid")
def expire_unpaid_orders_task() -> int:
    expired = expire_unpaid_orders(now=utcnow())
    return expired
