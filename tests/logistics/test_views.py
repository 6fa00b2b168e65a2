"""The hub's pages: who may enter, the run sheets and printable lists, the driver's page, the
counter, the plans, and a Customer moving their booking."""
import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.accounts.models import Role
from marketplace.delivery.models import RoundPlan, RoundStop
from marketplace.delivery.states import RunStatus, StopStatus
from marketplace.extensions import db
from marketplace.logistics import services as logistics
from marketplace.orders.states import OrderStatus, VendorOrderStatus
from tests.factories.accounts import AdminFactory, UserFactory
from tests.factories.delivery import DeliveryRoundFactory

from .conftest import LATER, NOW


def text(response) -> str:  # noqa: ANN001
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def closed(hub):
    logistics.close_due(now=LATER)
    db.session.commit()
    return hub


@pytest.fixture
def admin(login_as):
    user = login_as(AdminFactory())
    db.session.commit()
    return user


@pytest.fixture
def driver_user(login_as):
    user = login_as(UserFactory(role=Role.HUB_STAFF))
    db.session.commit()
    return user


def test_hub_staff_reach_driver_and_counter_but_not_the_admin(client, closed, driver_user):
    assert client.get("/hub/rounds").status_code == 200
    assert client.get(f"/hub/rounds/{closed['round'].id}").status_code == 200
    assert client.get("/hub/counter").status_code == 200
    assert client.get(f"/admin/delivery-rounds/{closed['round'].id}/run").status_code == 403
    assert client.get("/admin/plans/").status_code == 403
    assert client.get("/admin/").status_code == 403


def test_customers_reach_no_hub_page(client, closed, login_as):
    login_as(UserFactory())
    db.session.commit()
    assert client.get("/hub/rounds").status_code == 403
    assert client.get("/hub/counter").status_code == 403
    assert client.post(f"/hub/counter/{closed['orders']['pickup'].number}/hand-over"
                       ).status_code == 403


def test_round_run_sheet_and_printable_lists(client, closed, admin):
    round_id = closed["round"].id
    page = text(client.get(f"/admin/delivery-rounds/{round_id}/run"))
    assert "Tissage Azaïs" in page and "Rucher d'Anglès" in page
    assert "3 manquants" in page
    stops = text(client.get(f"/admin/delivery-rounds/{round_id}/print/stops"))
    assert stops.index("Saïx") < stops.index("Mazamet")
    assert "05 63 00 00 01" in stops
    loading = text(client.get(f"/admin/delivery-rounds/{round_id}/print/loading"))
    assert "Liste de chargement" in loading and "Tissage Azaïs" in loading
    pick = text(client.get(
        f"/admin/delivery-rounds/{round_id}/print/pick?vendor={closed['honey'].id}"))
    assert "Miel" in pick and "Écharpe" not in pick
    assert client.get(f"/admin/delivery-rounds/{round_id}/print/nope").status_code == 404
    slot_page = client.get(f"/admin/pickup-slots/{closed['slot'].id}/run")
    assert slot_page.status_code == 200
    assert client.get(f"/admin/pickup-slots/{closed['slot'].id}/print/pick").status_code == 200


def test_admin_checks_in_reminds_reorders_and_cancels(client, closed, admin):
    round_id = closed["round"].id
    vendor_order = closed["orders"]["mazamet"].vendor_orders[0]
    response = client.post(f"/admin/delivery-rounds/{round_id}/check-in/{vendor_order.id}")
    assert response.status_code == 303
    assert vendor_order.status == VendorOrderStatus.AT_HUB
    # A VendorOrder of another round or slot is not found through this round.
    pickup_vo = closed["orders"]["pickup"].vendor_orders[0]
    assert client.post(
        f"/admin/delivery-rounds/{round_id}/check-in/{pickup_vo.id}").status_code == 404
    assert client.post(
        f"/admin/delivery-rounds/{round_id}/remind/{closed['weaver'].id}").status_code == 303
    stop = db.session.scalar(select(RoundStop).where(
        RoundStop.order_id == closed["orders"]["mazamet"].id))
    before = stop.position
    client.post(f"/admin/delivery-rounds/{round_id}/stops/{stop.id}/move",
                data={"direction": "up"})
    db.session.refresh(stop)
    assert stop.position < before
    assert client.post(f"/admin/delivery-rounds/{round_id}/cancel").status_code == 303
    assert closed["round"].status == RunStatus.CANCELLED


def test_driver_marks_delivered_and_failed(client, closed, driver_user):
    logistics.check_in(vendor_order=closed["orders"]["castres"].vendor_orders[0],
                       actor=driver_user)
    db.session.commit()
    round_id = closed["round"].id
    castres = db.session.scalar(select(RoundStop).where(
        RoundStop.order_id == closed["orders"]["castres"].id))
    saix = db.session.scalar(select(RoundStop).where(
        RoundStop.order_id == closed["orders"]["saix"].id))
    page = text(client.get(f"/hub/rounds/{round_id}"))
    assert "Prochain arrêt" in page and "tel:0612345678" in page
    assert client.post(f"/hub/rounds/{round_id}/stops/{castres.id}/delivered").status_code == 303
    assert client.post(f"/hub/rounds/{round_id}/stops/{saix.id}/failed",
                       data={"reason": "Adresse introuvable"}).status_code == 303
    db.session.refresh(castres)
    db.session.refresh(saix)
    assert castres.status == StopStatus.DELIVERED and saix.status == StopStatus.FAILED
    assert closed["orders"]["castres"].status == OrderStatus.COMPLETED
    assert closed["orders"]["saix"].status == OrderStatus.PAID
    # A second tap changes nothing and says so.
    again = client.post(f"/hub/rounds/{round_id}/stops/{castres.id}/delivered",
                        follow_redirects=True)
    assert "déjà été marqué" in text(again)


def test_counter_finds_and_hands_over(client, closed, driver_user):
    order = closed["orders"]["pickup"]
    for vendor_order in order.vendor_orders:
        logistics.check_in(vendor_order=vendor_order, actor=driver_user)
    db.session.commit()
    page = text(client.get("/hub/counter", query_string={"q": "paul@"}))
    assert order.number in page and "Remettre au client" in page
    response = client.post(f"/hub/counter/{order.number}/hand-over", follow_redirects=True)
    assert "2 colis" in text(response)
    assert order.status == OrderStatus.COMPLETED


def test_plans_pages_create_a_round_plan(client, hub, admin):
    assert client.get("/admin/plans/").status_code == 200
    assert client.get("/admin/plans/rounds/new").status_code == 200
    assert client.get("/admin/plans/pickup/new").status_code == 200
    response = client.post("/admin/plans/rounds/new", data={
        "zone_id": hub["zone"].id, "weekdays": ["1", "4"], "departure_time": "09:00",
        "cutoff_days_before": "1", "cutoff_time": "18:00", "capacity_stops": "25",
        "capacity_kg": "300",
    })
    assert response.status_code == 303
    plan = db.session.scalars(select(RoundPlan)).one()
    assert (plan.weekdays, plan.capacity_grams) == ([1, 4], 300_000)
    assert client.get(f"/admin/plans/rounds/{plan.id}").status_code == 200
    assert "mardi, vendredi" in text(client.get("/admin/plans/"))
    response = client.post("/admin/plans/pickup/new", data={
        "name": "Samedi matin", "weekdays": ["5"], "start_time": "09:00", "end_time": "12:00",
        "capacity": "40", "fee": "0", "cutoff_hours_before": "18",
    })
    assert response.status_code == 303
    assert client.post("/admin/plans/run").status_code == 303


def test_customer_moves_their_booking_from_the_order_page(client, hub, login_as):
    from tests.factories.orders import by_round, check_out, fill_cart

    customer = login_as(UserFactory())
    order = check_out(fill_cart((hub["jar"], 1)), customer=customer,
                      delivery=by_round(hub["round"]))
    other = DeliveryRoundFactory(zone=hub["zone"], cutoff_at=NOW + timedelta(days=4),
                                 delivery_date=(NOW + timedelta(days=5)).date())
    db.session.commit()
    detail = text(client.get(f"/account/orders/{order.number}"))
    assert f"/account/orders/{order.number}/delivery" in detail
    page = client.get(f"/account/orders/{order.number}/delivery")
    assert page.status_code == 200
    response = client.post(f"/account/orders/{order.number}/delivery",
                           data={"target": other.id})
    assert response.status_code == 303
    assert order.delivery_round_id == other.id
    # Another customer's Order is not found.
    login_as(UserFactory())
    db.session.commit()
    assert client.get(f"/account/orders/{order.number}/delivery").status_code == 404


def test_guest_moves_with_the_secret_link_only(client, hub):
    order = hub["orders"]["pickup"]
    db.session.commit()
    assert client.get(f"/orders/{order.number}/delivery").status_code == 404
    assert client.get(f"/orders/{order.number}/delivery?token=wrong").status_code == 404
    page = client.get(f"/orders/{order.number}/delivery?token={order.access_token}")
    assert page.status_code == 200


def test_month_report_page(client, closed, admin):
    day = closed["round"].delivery_date
    page = text(client.get(f"/admin/delivery-report?month={day.year}-{day.month:02d}"))
    assert closed["zone"].name in page and "Total du mois" in page
    assert client.get("/admin/delivery-report?month=nonsense").status_code == 200


def test_lists_as_pdf(client, closed, admin):
    round_id = closed["round"].id
    for sheet in ("loading", "stops", "pick"):
        response = client.get(f"/admin/delivery-rounds/{round_id}/print/{sheet}.pdf")
        assert response.status_code == 200, sheet
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.data.startswith(b"%PDF-")
    assert "print/stops.pdf" in text(client.get(f"/admin/delivery-rounds/{round_id}/print/stops"))
    slot_id = closed["slot"].id
    pick = client.get(f"/admin/pickup-slots/{slot_id}/print/pick.pdf?vendor={closed['honey'].id}")
    assert pick.status_code == 200 and pick.data.startswith(b"%PDF-")
    assert client.get(f"/admin/pickup-slots/{slot_id}/print/stops.pdf").status_code == 404
    assert client.get(f"/admin/delivery-rounds/{round_id}/print/nope.pdf").status_code == 404


def _count_queries(client, url: str) -> int:  # noqa: ANN001
    from sqlalchemy import event

    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)

    # A first request runs the emails the test's setup committed (in-process outbox).
    client.get(url)
    db.session.expunge_all()
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200, url
    return len(statements)


def test_hub_pages_run_the_same_queries_for_4_stops_or_10(client, closed, admin):
    from tests.factories.orders import by_round, check_out, fill_cart

    from .conftest import pay

    round_id = closed["round"].id
    urls = [f"/hub/rounds/{round_id}", f"/admin/delivery-rounds/{round_id}/run",
            f"/admin/delivery-rounds/{round_id}/print/stops"]
    before = [_count_queries(client, url) for url in urls]
    delivery_round = db.session.get(type(closed["round"]), round_id)
    delivery_round.cutoff_at = LATER + timedelta(days=1)
    delivery_round.status = RunStatus.OPEN
    scarf = db.session.merge(closed["scarf"])
    scarf.stock = 50
    db.session.flush()
    for number in range(6):
        pay(check_out(fill_cart((scarf, 1)),
                      delivery=by_round(delivery_round), now=NOW, email=f"c{number}@example.fr"))
    delivery_round.status = RunStatus.CLOSED
    db.session.commit()
    after = [_count_queries(client, url) for url in urls]
    assert after == before
    assert max(after) <= 14


def test_vendor_sees_only_its_own_pick_lists(client, closed, login_as):
    from tests.factories.vendors import VendorMemberFactory

    member = VendorMemberFactory(vendor=db.session.merge(closed["honey"]),
                                 user=UserFactory(role=Role.VENDOR))
    login_as(member.user)
    db.session.commit()
    page = text(client.get("/vendor/pick-lists"))
    assert "Miel" in page and "Écharpe" not in page
    parts = {vo.vendor_id: vo.number for vo in closed["orders"]["mazamet"].vendor_orders}
    assert parts[closed["honey"].id] in page
    assert parts[closed["weaver"].id] not in page


def test_vendor_pick_lists_need_a_vendor_member(client, closed, login_as):
    login_as(UserFactory())
    db.session.commit()
    assert client.get("/vendor/pick-lists").status_code == 403


def test_hub_pages_are_never_stored(client, closed, admin):
    for path in ("/hub/counter", f"/hub/rounds/{closed['round'].id}", "/admin/plans/",
                 f"/admin/delivery-rounds/{closed['round'].id}/run"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_checkout_tells_when_a_pickup_slot_stops_taking_bookings(client, hub):
    from tests.factories.accounts import AddressFactory
    from tests.factories.cart import CartFactory, CartLineFactory

    customer = UserFactory()
    AddressFactory(user=customer)
    CartLineFactory(cart=CartFactory(user_id=customer.id), variant=hub["jar"], quantity=1)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = customer.get_id()
        session["_fresh"] = True
    client.post("/checkout", data={"saved_address": str(customer.addresses[0].id)})
    page = text(client.get("/checkout/delivery"))
    assert f'value="pickup:{hub["slot"].id}"' in page
    assert "réservez avant le" in page


def test_admin_sets_a_one_off_slot_cutoff(client, admin):
    from datetime import date as day_type

    from marketplace.delivery.models import PickupSlot

    day = day_type.today() + timedelta(days=10)
    response = client.post("/admin/pickup-slots/new", data={
        "day": day.isoformat(), "starts_at": "16:00", "ends_at": "19:00", "capacity": "20",
        "fee": "0", "cutoff_hours": "18",
    })
    assert response.status_code == 302
    slot = db.session.scalars(select(PickupSlot)).one()
    assert slot.starts_at - slot.cutoff_at == timedelta(hours=18)
    assert 'value="18"' in text(client.get(f"/admin/pickup-slots/{slot.id}/edit"))
    past = client.post("/admin/pickup-slots/new", data={
        "day": "2020-01-01", "starts_at": "16:00", "ends_at": "19:00", "capacity": "20",
        "fee": "0",
    })
    assert past.status_code == 422 and "déjà passé" in text(past)
