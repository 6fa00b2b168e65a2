"""The admin's refund screen `/admin/orders/<number>`: who may use it, what it refunds."""
import pytest
from sqlalchemy import select

from marketplace.catalog.models import Variant
from marketplace.extensions import db
from marketplace.payments.models import Refund
from tests.factories.accounts import AdminFactory, UserFactory
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.payments import pay_test_order, place_test_order
from tests.factories.vendors import VendorFactory, VendorMemberFactory


@pytest.fixture
def paid_order(db_session, stripe_gateway):
    scarf = VariantFactory(price_cents=2500, stock=10,
                           product=ProductFactory(name="Écharpe mérinos",
                                                  vendor=VendorFactory(name="Atelier Laine")))
    blanket = VariantFactory(price_cents=7000, stock=5,
                             product=ProductFactory(name="Plaid en lin",
                                                    vendor=VendorFactory(name="Tissage Sud")))
    order = place_test_order((scarf, 2), (blanket, 1))
    pay_test_order(order)
    db.session.commit()  # a request that rolls back must not take the Order with it
    return order


def admin():
    user = AdminFactory()
    db.session.commit()
    return user


def url(order, *parts):
    return "/".join([f"/admin/orders/{order.number}", *parts])


def test_only_admins_see_the_refund_screen(client, login_as, paid_order):
    assert client.get(url(paid_order)).status_code == 302  # to the login page

    login_as(UserFactory())
    assert client.get(url(paid_order)).status_code == 403
    member = VendorMemberFactory(vendor=paid_order.vendor_orders[0].vendor)
    login_as(member.user)
    assert client.get(url(paid_order)).status_code == 403
    response = client.post(url(paid_order, "refund"), data={"reason": "x"})
    assert response.status_code == 403
    assert db.session.scalars(select(Refund)).all() == []


def test_admin_sees_what_can_be_refunded_per_vendor_order(client, login_as, paid_order):
    login_as(admin())

    page = client.get(url(paid_order)).get_data(as_text=True)

    assert "Atelier Laine" in page and "Tissage Sud" in page
    assert "56,90" in page  # 2 scarves and their shipping
    assert "Rembourser 126,90" in page  # the whole Order


def test_admin_refunds_one_line_and_the_stock_comes_back_when_ticked(
    client, login_as, paid_order, localstripe
):
    login_as(admin())
    scarves = paid_order.vendor_orders[0]
    line = scarves.lines[0]
    prefix = f"vo{scarves.id}-"

    response = client.post(url(paid_order, "vendor-orders", str(scarves.id), "refund"), data={
        prefix + "scope": "lines", f"quantity-{line.id}": "1", prefix + "restock": "y",
        prefix + "reason": "Maille filée",
    })

    assert response.status_code == 302
    [refund] = db.session.scalars(select(Refund)).all()
    assert (refund.amount_cents, refund.status, refund.reason) == (2500, "succeeded",
                                                                   "Maille filée")
    assert [r["amount"] for r in localstripe.list("refunds")] == [2500]
    db.session.refresh(line)
    assert line.refunded_quantity == 1
    assert db.session.get(Variant, line.variant_id).stock == 9  # 10, 2 sold, 1 back
    page = client.get(url(paid_order)).get_data(as_text=True)
    assert "Effectué" in page and "Maille filée" in page


def test_too_much_is_refused_with_a_message_and_nothing_is_refunded(
    client, login_as, paid_order, localstripe
):
    login_as(admin())
    blanket = paid_order.vendor_orders[1]
    prefix = f"vo{blanket.id}-"

    response = client.post(url(paid_order, "vendor-orders", str(blanket.id), "refund"), data={
        prefix + "scope": "amount", prefix + "amount": "70,01",
    })

    assert response.status_code == 400
    assert "plus de 70,00" in response.get_data(as_text=True)
    assert db.session.scalars(select(Refund)).all() == []
    assert localstripe.list("refunds") == []


def test_lines_mode_without_a_quantity_asks_for_one(client, login_as, paid_order):
    login_as(admin())
    blanket = paid_order.vendor_orders[1]

    response = client.post(url(paid_order, "vendor-orders", str(blanket.id), "refund"),
                           data={f"vo{blanket.id}-scope": "lines"})

    assert response.status_code == 400
    assert "au moins une quantité" in response.get_data(as_text=True)


def test_vendor_order_of_another_order_is_not_found(client, login_as, paid_order,
                                                    stripe_gateway):
    login_as(admin())
    other = place_test_order((VariantFactory(price_cents=1000), 1))

    response = client.post(url(paid_order, "vendor-orders", str(other.vendor_orders[0].id),
                               "refund"), data={f"vo{other.vendor_orders[0].id}-scope": "all"})

    assert response.status_code == 404


def test_admin_refunds_the_whole_order(client, login_as, paid_order, localstripe):
    login_as(admin())

    response = client.post(url(paid_order, "refund"), data={"reason": "Commande annulée"})

    assert response.status_code == 302
    db.session.refresh(paid_order)
    assert paid_order.status == "refunded"
    assert paid_order.payment.status == "refunded"
    assert sorted(r["amount"] for r in localstripe.list("refunds")) == [5690, 7000]


def test_admin_finds_an_order_by_its_number_and_sees_what_needs_attention(
    client, login_as, paid_order, localstripe
):
    login_as(admin())
    assert "payments.admin_payments" in client.application.view_functions

    found = client.get(f"/admin/payments?number={paid_order.number.lower()}")
    missing = client.get("/admin/payments?number=LA-1999-000001", follow_redirects=True)

    assert found.headers["Location"] == url(paid_order)
    assert "Aucune commande ne porte le numéro LA-1999-000001" in missing.get_data(as_text=True)
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/payments"' in dashboard


def test_refused_refund_is_listed_for_the_admins(client, login_as, paid_order, localstripe):
    login_as(admin())
    localstripe.post("/v1/refunds", payment_intent=paid_order.payment.provider_ref,
                     amount=paid_order.total_cents)
    blanket = paid_order.vendor_orders[1]
    client.post(url(paid_order, "vendor-orders", str(blanket.id), "refund"),
                data={f"vo{blanket.id}-scope": "all"})

    page = client.get("/admin/payments").get_data(as_text=True)

    assert "Remboursements refusés" in page
    assert paid_order.number in page
    assert "greater than unrefunded" in page
