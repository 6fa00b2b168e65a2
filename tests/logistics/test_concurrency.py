"""Two Customers moving their booking into the last place of a round at the same moment."""
import secrets
import threading
from datetime import UTC, datetime, timedelta

from marketplace.delivery.errors import DeliveryError
from marketplace.delivery.models import DeliveryRound
from marketplace.delivery.services import book_round_stop, move_round_stop
from marketplace.extensions import db
from marketplace.orders.models import DeliveryMethod, Order
from tests.factories.delivery import DeliveryRoundFactory, DeliveryZoneFactory


def _order() -> Order:
    order = Order(number=f"LA-T-{secrets.token_hex(4)}", email="c@example.fr",
                  checkout_key=secrets.token_hex(16), access_token=secrets.token_hex(16),
                  delivery_method=DeliveryMethod.ROUND, goods_cents=1000, delivery_cents=0,
                  total_cents=1000)
    db.session.add(order)
    db.session.flush()
    return order


def test_the_last_place_is_moved_into_once(app, committed_db):
    now = datetime.now(UTC)
    with app.app_context():
        zone = DeliveryZoneFactory()
        first = DeliveryRoundFactory(zone=zone, cutoff_at=now + timedelta(days=1))
        last_place = DeliveryRoundFactory(zone=zone, cutoff_at=now + timedelta(days=2),
                                          capacity_stops=1)
        order_ids = [_order().id for _ in range(2)]
        for order_id in order_ids:
            book_round_stop(round_id=first.id, order_id=order_id, weight_grams=1000, now=now)
        ids = (first.id, last_place.id)
        db.session.commit()
    barrier = threading.Barrier(2)
    outcomes = []

    def move(order_id: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                move_round_stop(order_id=order_id, to_round_id=ids[1], now=now)
                db.session.commit()
                outcomes.append("moved")
            except DeliveryError:
                db.session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=move, args=(order_id,)) for order_id in order_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["moved", "refused"]
    with app.app_context():
        first, last_place = (db.session.get(DeliveryRound, i) for i in ids)
        assert (first.booked_stops, last_place.booked_stops) == (1, 1)
        assert (first.booked_grams, last_place.booked_grams) == (1000, 1000)
