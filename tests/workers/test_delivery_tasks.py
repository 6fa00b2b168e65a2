"""The delivery periodic tasks, run as beat would: twice in a row, the second does nothing."""
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from marketplace.delivery.models import DeliveryRound, PickupSlot
from marketplace.delivery.services import create_pickup_plan, create_round_plan
from marketplace.delivery.states import RunStatus
from tests.factories.delivery import DeliveryRoundFactory, DeliveryZoneFactory


def _run(app, *keys: str) -> str:  # noqa: ANN001
    args = ["tasks", "run-periodic"]
    for key in keys:
        args += ["--only", key]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output


def test_planner_task_twice_creates_each_date_once(app, db_session):
    create_round_plan(
        zone=DeliveryZoneFactory(), weekdays=list(range(7)), departure_time=time(9),
        cutoff_days_before=1, cutoff_time=time(12), capacity_stops=10, capacity_grams=100_000,
    )
    create_pickup_plan(
        name="Boutique", weekdays=[2, 5], start_time=time(16), end_time=time(19), capacity=20,
        fee_cents=0, cutoff_hours_before=18,
    )
    db_session.commit()
    first = _run(app, "plan-delivery-ahead")
    rounds = db_session.scalar(select(func.count()).select_from(DeliveryRound))
    slots = db_session.scalar(select(func.count()).select_from(PickupSlot))
    assert rounds >= 19 and slots >= 5  # three weeks ahead, less what has closed already
    assert f"plan-delivery-ahead: [{rounds}, {slots}]" in first
    assert "plan-delivery-ahead: [0, 0]" in _run(app, "plan-delivery-ahead")


def test_cutoff_task_twice_closes_once(app, db_session):
    due = DeliveryRoundFactory(cutoff_at=datetime.now(UTC) - timedelta(minutes=5))
    later = DeliveryRoundFactory(cutoff_at=datetime.now(UTC) + timedelta(hours=5))
    db_session.commit()
    assert "close-due-rounds-and-slots: [1, 0]" in _run(app, "close-due-rounds-and-slots")
    assert "close-due-rounds-and-slots: [0, 0]" in _run(app, "close-due-rounds-and-slots")
    db_session.refresh(due)
    db_session.refresh(later)
    assert (due.status, later.status) == (RunStatus.CLOSED, RunStatus.OPEN)
