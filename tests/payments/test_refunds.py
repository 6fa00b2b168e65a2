"""Refund services against the Stripe gateway on localstripe: limits, stock, states, replays."""
import pytest
from sqlalchemy import select

from marketplace.core.models import utcnow
from marketplace.core.outbox import OutboxMessage
from marketplace.extensions import db
from marketplace.orders.models import OrderEvent
from marketplace.payments.errors import PaymentError, PaymentErrorCode
from marketplace.payments.gateway import GatewayUnavailable
from marketplace.payments.refunds import (
    reconcile_refunds,
    refundable_cents,
    refundable_quantities,
    refuse_vendor_order,
    request_order_refund,
    request_refund,
    send_refund,
)
from tests.factories.accounts import AdminFactory
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.payments import pay_test_order, place_test_order
from tests.factories.vendors import VendorFactory


@pytest.fixture
def two_vendor_order(db_session, stripe_gateway):
    """A paid Order: 2 scarves at 25 € from one workshop (+6,90 € shipping), a 70 € blanket
    from another (free shipping above 60 €)."""
    scarf = VariantFactory(price_cents=2500, stock=10,
                           product=ProductFactory(vendor=VendorFactory(name="Atelier Laine")))
    blanket = VariantFactory(price_cents=7000, stock=5,
                             product=ProductFactory(vendor=VendorFactory(name="Tissage Sud")))
    order = place_test_order((scarf, 2), (blanket, 1))
    pay_test_order(order)
    return order, scarf, blanket


def _sent(refund):
    send_refund(refund=refund, now=utcnow())
    return refund


def test_paid_order_has_each_vendor_order_refundable_up_to_its_total(two_vendor_order):
    order, _, _ = two_vendor_order

    scarves, blanket = order.vendor_orders
    assert order.status == "paid"
    assert refundable_cents(vendor_order=scarves) == 2 * 2500 + 690
    assert refundable_cents(vendor_order=blanket) == 7000


def test_full_vendor_order_refund_reaches_the_provider_and_moves_every_state(
    two_vendor_order, localstripe
):
    order, scarf, _ = two_vendor_order
    scarves = order.vendor_orders[0]
    admin = AdminFactory()

    refund = request_refund(vendor_order=scarves, actor=admin, actor_label="admin",
                            reason="Colis perdu", restock=True)
    assert (refund.status, refund.amount_cents) == ("pending", 5690)
    assert db.session.scalar(select(OutboxMessage.task_name).where(
        OutboxMessage.dedupe_key == f"send-refund-{refund.id}")) == "payments.send_refund"
    assert scarf.stock == 10  # the 2 scarves taken at checkout are back on the shelf

    _sent(refund)

    assert refund.status == "succeeded"
    [at_provider] = localstripe.list("refunds")
    assert (at_provider["id"], at_provider["amount"]) == (refund.provider_ref, 5690)
    assert at_provider["metadata"]["refund_id"] == str(refund.id)
    assert scarves.status == "refunded"
    assert scarves.refunded_cents == 5690
    assert [line.refunded_quantity for line in scarves.lines] == [2]
    assert order.payment.status == "partially_refunded"
    assert order.payment.refunded_cents == 5690
    assert order.status == "paid"  # the blanket is still coming
    assert refundable_cents(vendor_order=scarves) == 0


def test_refund_by_line_takes_unit_price_times_quantity_and_no_more_than_bought(
    two_vendor_order
):
    order, scarf, _ = two_vendor_order
    scarves = order.vendor_orders[0]
    line = scarves.lines[0]

    refund = _sent(request_refund(vendor_order=scarves, actor=None, actor_label="admin",
                                  quantities={line.id: 1}))

    assert refund.amount_cents == 2500
    assert line.refunded_quantity == 1
    assert refundable_quantities(vendor_order=scarves) == {line.id: 1}
    assert scarf.stock == 8  # no restock unless asked
    assert scarves.status == "paid"  # still to be shipped: its fulfilment is not over
    with pytest.raises(PaymentError) as error:
        request_refund(vendor_order=scarves, actor=None, actor_label="admin",
                       quantities={line.id: 2})
    assert error.value.code == PaymentErrorCode.QUANTITY_TOO_HIGH


def test_a_line_of_another_vendor_order_is_refused(two_vendor_order):
    order, _, _ = two_vendor_order
    scarves, blanket = order.vendor_orders

    with pytest.raises(PaymentError) as error:
        request_refund(vendor_order=scarves, actor=None, actor_label="admin",
                       quantities={blanket.lines[0].id: 1})
    assert error.value.code == PaymentErrorCode.UNKNOWN_LINE


def test_never_more_than_was_paid_for_the_vendor_order(two_vendor_order):
    order, _, _ = two_vendor_order
    blanket = order.vendor_orders[1]

    with pytest.raises(PaymentError) as error:
        request_refund(vendor_order=blanket, actor=None, actor_label="admin", amount_cents=7001)
    assert error.value.code == PaymentErrorCode.AMOUNT_TOO_HIGH

    request_refund(vendor_order=blanket, actor=None, actor_label="admin", amount_cents=1500)
    # The first one is still pending: it already counts.
    with pytest.raises(PaymentError):
        request_refund(vendor_order=blanket, actor=None, actor_label="admin", amount_cents=5501)
    request_refund(vendor_order=blanket, actor=None, actor_label="admin", amount_cents=5500)
    with pytest.raises(PaymentError) as error:
        request_refund(vendor_order=blanket, actor=None, actor_label="admin")
    assert error.value.code == PaymentErrorCode.NOTHING_TO_REFUND


def test_unpaid_order_cannot_be_refunded(db_session, stripe_gateway):
    order = place_test_order((VariantFactory(price_cents=1000), 1))

    with pytest.raises(PaymentError) as error:
        request_refund(vendor_order=order.vendor_orders[0], actor=None, actor_label="admin")
    assert error.value.code == PaymentErrorCode.NOT_REFUNDABLE


def test_vendor_refusal_refunds_and_restocks_its_part(two_vendor_order):
    order, _, blanket_variant = two_vendor_order
    blanket = order.vendor_orders[1]

    refund = refuse_vendor_order(vendor_order=blanket, actor=None, reason="Plus en stock")
    assert blanket.status == "refused"
    assert blanket_variant.stock == 5
    _sent(refund)

    assert blanket.status == "refunded"
    assert refund.amount_cents == 7000
    notes = db.session.scalars(select(OrderEvent.note).where(OrderEvent.order_id == order.id))
    assert any("Plus en stock" in note for note in notes)


def test_refunding_everything_refunds_the_payment_and_the_order(two_vendor_order, localstripe):
    order, _, _ = two_vendor_order

    refunds = request_order_refund(order=order, actor=None, actor_label="admin", restock=True)
    for refund in refunds:
        _sent(refund)

    assert sorted(r["amount"] for r in localstripe.list("refunds")) == [5690, 7000]
    assert order.payment.status == "refunded"
    assert order.payment.refunded_cents == order.total_cents
    assert [vo.status for vo in order.vendor_orders] == ["refunded", "refunded"]
    assert order.status == "refunded"


def test_sending_twice_refunds_once(two_vendor_order, localstripe):
    order, _, _ = two_vendor_order
    refund = request_refund(vendor_order=order.vendor_orders[1], actor=None, actor_label="admin",
                            amount_cents=2000)

    _sent(refund)
    _sent(refund)
    refund.status = "pending"  # as if the first answer had been lost before our commit
    refund.provider_ref = None
    _sent(refund)

    assert len(localstripe.list("refunds")) == 1
    assert order.vendor_orders[1].refunded_cents == 2000


def test_provider_refusal_fails_the_refund_and_frees_its_amount(two_vendor_order, localstripe):
    order, _, _ = two_vendor_order
    blanket = order.vendor_orders[1]
    # Someone refunded almost everything directly in Stripe's dashboard meanwhile.
    localstripe._call("POST", "/v1/refunds", data={
        "payment_intent": order.payment.provider_ref, "amount": str(order.total_cents - 100)})

    refund = _sent(request_refund(vendor_order=blanket, actor=None, actor_label="admin"))

    assert refund.status == "failed"
    assert "greater than unrefunded" in refund.failure_message
    assert blanket.refunded_cents == 0
    assert refundable_cents(vendor_order=blanket) == 7000


def test_refund_made_at_the_provider_is_recorded_by_reconciliation(two_vendor_order, localstripe):
    order, _, _ = two_vendor_order
    localstripe._call("POST", "/v1/refunds", data={
        "payment_intent": order.payment.provider_ref, "amount": "1234"})

    assert reconcile_refunds(payment=order.payment, now=utcnow()) == 1
    assert reconcile_refunds(payment=order.payment, now=utcnow()) == 0

    [refund] = order.payment.refunds
    assert (refund.amount_cents, refund.status, refund.vendor_order) == (1234, "succeeded", None)
    assert order.payment.status == "partially_refunded"
    assert order.payment.refunded_cents == 1234


def test_customer_is_emailed_once_per_refund(two_vendor_order):
    order, _, _ = two_vendor_order
    refund = _sent(request_refund(vendor_order=order.vendor_orders[1], actor=None,
                                  actor_label="admin", amount_cents=700))
    _sent(refund)

    emails = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key == f"refund-succeeded:{refund.id}")).all()
    assert len(emails) == 1
    assert emails[0].kwargs["to"] == order.email
    assert emails[0].kwargs["amount_cents"] == 700


def test_refund_answered_too_late_three_times_is_found_again_by_its_key(
    two_vendor_order, localstripe
):
    """Stripe refunds at the first attempt but every answer comes after the client's 1 s
    timeout: the call fails (the task will retry), and the retry gets the same refund."""
    order, _, _ = two_vendor_order
    refund = request_refund(vendor_order=order.vendor_orders[1], actor=None, actor_label="admin",
                            amount_cents=3000)
    localstripe.inject_fault("/v1/refunds", mode="late", delay=1.5, times=3)

    with pytest.raises(GatewayUnavailable):
        send_refund(refund=refund, now=utcnow())
    assert (refund.status, refund.provider_ref) == ("pending", None)
    assert len(localstripe.list("refunds")) == 1

    send_refund(refund=refund, now=utcnow())

    assert refund.status == "succeeded"
    assert [r["id"] for r in localstripe.list("refunds")] == [refund.provider_ref]
    assert localstripe.hits("/v1/refunds") == 4  # 3 timed out, 1 replayed by key
    assert order.vendor_orders[1].refunded_cents == 3000


def test_the_embedded_dev_gateway_refunds_through_the_same_services(db_session, app):
    """`make run` has no Stripe: the same refund path works against the dev gateway."""
    assert app.config["PAYMENT_GATEWAY"] == "dev"
    order = place_test_order((VariantFactory(price_cents=3000, stock=2), 2))
    pay_test_order(order, payment_method="4242 4242 4242 4242")
    vendor_order = order.vendor_orders[0]

    refund = _sent(request_refund(vendor_order=vendor_order, actor=None, actor_label="admin",
                                  quantities={vendor_order.lines[0].id: 1}, restock=True))

    assert (refund.status, refund.amount_cents) == ("succeeded", 3000)
    assert refund.provider_ref.startswith("devre_")
    assert order.payment.status == "partially_refunded"
    assert order.payment.refunded_cents == 3000
