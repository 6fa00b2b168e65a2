"""The embedded hub runs its periodic work without beat, in the web process."""
from datetime import timedelta

from sqlalchemy import select

from marketplace import create_app
from marketplace.catalog.models import Variant
from marketplace.core.models import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.orders.states import OrderStatus
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.orders import check_out, fill_cart
from tests.factories.vendors import VendorFactory
from workers.embedded import EmbeddedScheduler


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_each_task_runs_at_once_then_at_its_interval(app, monkeypatch):
    ran = []
    monkeypatch.setattr("workers.embedded.run_task_here",
                        lambda app, name, kwargs, task_id: ran.append(name))
    clock = Clock()
    scheduler = EmbeddedScheduler(app, {"fast": ("t.fast", 5), "slow": ("t.slow", 60)}, clock)

    assert scheduler.run_due() == ["fast", "slow"]
    clock.now += 4
    assert scheduler.run_due() == []
    clock.now += 1
    assert scheduler.run_due() == ["fast"]
    clock.now += 60
    assert scheduler.run_due() == ["fast", "slow"]
    assert ran == ["t.fast", "t.slow", "t.fast", "t.fast", "t.slow"]


def test_a_failing_task_leaves_the_others_running(app, monkeypatch):
    ran = []

    def run(app, name, kwargs, task_id):
        if name == "t.broken":
            raise ConnectionRefusedError("mail server down")
        ran.append(name)

    monkeypatch.setattr("workers.embedded.run_task_here", run)
    scheduler = EmbeddedScheduler(app, {"broken": ("t.broken", 5), "fine": ("t.fine", 5)}, Clock())
    assert scheduler.run_due() == ["broken", "fine"]
    assert ran == ["t.fine"]


def test_an_unpaid_order_gives_its_stock_back_with_no_beat_and_no_worker(app, db_session):
    variant = VariantFactory(product=ProductFactory(vendor=VendorFactory()), stock=1, size="")
    order = check_out(fill_cart((variant, 1)), now=utcnow() - timedelta(hours=2))
    db.session.commit()
    assert db.session.get(Variant, variant.id).stock == 0

    EmbeddedScheduler(app, {"expire": ("orders.expire_unpaid", 60)}).run_due()

    db.session.expire_all()
    status = db.session.scalar(select(Order.status).where(Order.id == order.id))
    assert status == OrderStatus.EXPIRED
    assert db.session.get(Variant, variant.id).stock == 1


def test_only_the_embedded_configuration_starts_it():
    assert "embedded_scheduler" in create_app("development").extensions
    assert "embedded_scheduler" not in create_app("test").extensions
