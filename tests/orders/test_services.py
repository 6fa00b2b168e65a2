from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from marketplace.cart.models import CartLine
from marketplace.checkout.services import place_order
from marketplace.core.errors import InvalidTransition
from marketplace.core.outbox import OutboxMessage
from marketplace.delivery.models import PickupBooking, RoundStop
from marketplace.extensions import db
from marketplace.orders.errors import OrderError, OrderErrorCode
from marketplace.orders.models import DeliveryMethod, Order, OrderEvent, VendorOrder
from marketplace.orders.services import (
    new_checkout_key,
    quote_checkout,
    transition_order,
    transition_vendor_order,
)
from marketplace.orders.states import OrderEvent_, OrderStatus, VendorOrderEvent, VendorOrderStatus
from marketplace.payments.services import expire_unpaid_orders
from marketplace.payments.states import PaymentStatus
from tests.factories.accounts import UserFactory
from tests.factories.catalog import CategoryFactory, ProductFactory, VariantFactory
from tests.factories.delivery import DeliveryRoundFactory, DeliveryZoneFactory, PickupSlotFactory
from tests.factories.orders import (
    CASTRES_ADDRESS,
    VENDOR_SHIPPING,
    by_round,
    check_out,
    fill_cart,
    pickup,
)
from tests.factories.vendors import VendorFactory

NOW = datetime(2026, 4, 14, 9, 30, tzinfo=UTC)


def variant_of(vendor, *, price=1000, stock=10, vat=2000, name=None, weight=250):
    product_kwargs = {"vendor": vendor, "vat_rate_bps": vat}
    if name:
        product_kwargs["name"] = name
    return VariantFactory(
        product=ProductFactory(**product_kwargs), price_cents=price, stock=stock,
        weight_grams=weight,
    )


@pytest.fixture
def three_vendors(db_session):
    # Names fix the VendorOrder order (the cart groups Vendors by name).
    return [
        VendorFactory(name="A — Filature du Thoré", commission_rate_bps=1200,
                      shipping_flat_cents=690, free_shipping_threshold_cents=6000),
        VendorFactory(name="B — Ferme de la Montagne", commission_rate_bps=1000,
                      shipping_flat_cents=900, free_shipping_threshold_cents=None),
        VendorFactory(name="C — Confiturerie de Lautrec", commission_rate_bps=1500,
                      shipping_flat_cents=500, free_shipping_threshold_cents=2000),
    ]


def test_one_order_split_into_one_vendor_order_per_vendor(three_vendors):
    wool, cheese, jam = (
        variant_of(three_vendors[0], price=4500, stock=5, name="Écharpe"),
        variant_of(three_vendors[1], price=850, stock=20, vat=550, name="Tomme"),
        variant_of(three_vendors[2], price=590, stock=8, vat=550, name="Confiture"),
    )
    cart = fill_cart((wool, 1), (cheese, 2), (jam, 4))

    order = check_out(cart, now=NOW)

    assert order.number == "LA-2026-000001"
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert [vo.number for vo in order.vendor_orders] == [
        "LA-2026-000001-1", "LA-2026-000001-2", "LA-2026-000001-3"
    ]
    assert [vo.vendor for vo in order.vendor_orders] == three_vendors
    assert [vo.goods_cents for vo in order.vendor_orders] == [4500, 1700, 2360]
    # Vendor shipping: 690 under the threshold, 900 always, 0 above 20 €.
    assert [vo.shipping_cents for vo in order.vendor_orders] == [690, 900, 0]
    assert order.goods_cents == 8560
    assert order.delivery_cents == 1590
    assert order.total_cents == 10150 == sum(vo.total_cents for vo in order.vendor_orders)
    line = order.vendor_orders[1].lines[0]
    assert (line.product_name, line.quantity, line.unit_price_cents, line.total_cents) == (
        "Tomme", 2, 850, 1700
    )
    assert line.vat_rate_bps == 550
    assert line.vat_cents == 89  # 1700 * 550 / 10550 = 88.6
    assert line.weight_grams == 500


def test_checkout_takes_stock_empties_cart_and_creates_payment_and_email(three_vendors):
    wool = variant_of(three_vendors[0], stock=5)
    cart = fill_cart((wool, 2))

    order = check_out(cart, now=NOW)

    db.session.refresh(wool)
    assert wool.stock == 3
    assert db.session.scalars(select(CartLine).where(CartLine.cart_id == cart.id)).all() == []
    assert order.payment.status == PaymentStatus.CREATED
    assert order.payment.amount_cents == order.total_cents
    assert order.payment.gateway == "dev"
    assert order.expires_at == NOW + timedelta(minutes=30)
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == f"order-received:{order.number}")
    )
    assert message.task_name == "notifications.send_email"
    assert message.kwargs["to"] == "camille@example.fr"
    assert message.kwargs["template"] == "order_received"
    assert order.access_token in message.kwargs["follow_url"]


def test_order_numbers_count_per_year_in_the_hubs_calendar(three_vendors):
    wool = variant_of(three_vendors[0], stock=50)
    first = check_out(fill_cart((wool, 1)), now=NOW)
    second = check_out(fill_cart((wool, 1)), now=NOW)
    # 23:30 UTC on 31 December is already 2027 in Castres.
    new_year = check_out(fill_cart((wool, 1)), now=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))

    assert (first.number, second.number) == ("LA-2026-000001", "LA-2026-000002")
    assert new_year.number == "LA-2027-000001"


def test_vat_by_rate_with_the_delivery_fee_split_across_rates(db_session):
    vendor = VendorFactory(commission_rate_bps=1200)
    honey = variant_of(vendor, price=1200, vat=550)    # 12,00 € at 5,5 %
    apron = variant_of(vendor, price=3600, vat=2000)   # 36,00 € at 20 %
    slot = PickupSlotFactory(fee_cents=400, starts_at=NOW + timedelta(days=1),
                             ends_at=NOW + timedelta(days=1, hours=2))

    order = check_out(fill_cart((honey, 1), (apron, 1)), delivery=pickup(slot), now=NOW)

    # The 4 € fee follows the goods: 1 € at 5,5 %, 3 € at 20 %.
    # 5,5 %: 1200*550/10550 = 62.56 -> 63, plus 100*550/10550 = 5.2 -> 5
    # 20 %: 3600*2000/12000 = 600, plus 300*2000/12000 = 50
    assert order.vat_breakdown == {"550": 68, "2000": 650}
    assert order.delivery_cents == 400
    assert order.total_cents == 5200
    assert order.vendor_orders[0].delivery_share_cents == 400


def test_order_level_fee_shared_between_vendors_pro_rata_to_goods(three_vendors):
    slot = PickupSlotFactory(fee_cents=100, starts_at=NOW + timedelta(days=1),
                             ends_at=NOW + timedelta(days=1, hours=2))
    cart = fill_cart(*((variant_of(vendor, price=1000), 1) for vendor in three_vendors))

    order = check_out(cart, delivery=pickup(slot), now=NOW)

    shares = [vo.delivery_share_cents for vo in order.vendor_orders]
    assert shares == [34, 33, 33]  # 100 cents in three equal parts: the first gets the extra
    assert [vo.shipping_cents for vo in order.vendor_orders] == [0, 0, 0]
    assert order.delivery_cents == 100


def test_commission_is_frozen_at_sale_with_vat_on_it(db_session):
    vendor = VendorFactory(commission_rate_bps=1250, shipping_flat_cents=690,
                           free_shipping_threshold_cents=None)
    order = check_out(fill_cart((variant_of(vendor, price=2999), 1)), now=NOW)
    vendor.commission_rate_bps = 3000
    db.session.flush()

    vendor_order = db.session.get(VendorOrder, order.vendor_orders[0].id)
    db.session.refresh(vendor_order)
    assert vendor_order.commission_rate_bps == 1250
    assert vendor_order.commission_cents == 375       # 2999 * 12.5 % = 374.875
    assert vendor_order.commission_vat_cents == 75    # 20 % of 375
    assert vendor_order.vendor_net_cents == 2999 + 690 - 375 - 75


def test_pickup_slot_is_booked_with_the_order(db_session):
    slot = PickupSlotFactory(capacity=2, starts_at=NOW + timedelta(days=1),
                             ends_at=NOW + timedelta(days=1, hours=2))
    order = check_out(fill_cart((variant_of(VendorFactory()), 1)), delivery=pickup(slot), now=NOW)

    db.session.refresh(slot)
    assert slot.booked == 1
    assert order.delivery_method == DeliveryMethod.PICKUP
    assert order.pickup_slot_id == slot.id
    assert db.session.scalar(select(PickupBooking).where(PickupBooking.order_id == order.id))


def test_round_stop_is_booked_with_the_order_weight(db_session):
    delivery_round = DeliveryRoundFactory(
        zone=DeliveryZoneFactory(postcodes=["81100"], fee_cents=650),
        cutoff_at=NOW + timedelta(hours=5), delivery_date=(NOW + timedelta(days=1)).date(),
    )
    cart = fill_cart((variant_of(VendorFactory(), weight=400), 3))

    order = check_out(cart, delivery=by_round(delivery_round), now=NOW)

    stop = db.session.scalar(select(RoundStop).where(RoundStop.order_id == order.id))
    assert stop.round_id == delivery_round.id
    assert stop.weight_grams == 1200
    assert order.delivery_cents == 650


def test_round_not_offered_outside_its_zone(db_session):
    delivery_round = DeliveryRoundFactory(
        zone=DeliveryZoneFactory(postcodes=["81100"]), cutoff_at=NOW + timedelta(hours=5),
        delivery_date=(NOW + timedelta(days=1)).date(),
    )
    cart = fill_cart((variant_of(VendorFactory()), 1))

    with pytest.raises(OrderError) as error:
        quote_checkout(cart=cart, delivery=by_round(delivery_round), postcode="31000", now=NOW)
    assert error.value.code == OrderErrorCode.DELIVERY_UNAVAILABLE


def test_round_not_offered_after_its_cutoff(db_session):
    delivery_round = DeliveryRoundFactory(
        zone=DeliveryZoneFactory(postcodes=["81100"]), cutoff_at=NOW - timedelta(minutes=1),
        delivery_date=(NOW + timedelta(days=1)).date(),
    )
    cart = fill_cart((variant_of(VendorFactory()), 1))

    with pytest.raises(OrderError) as error:
        check_out(cart, delivery=by_round(delivery_round), now=NOW)
    assert error.value.code == OrderErrorCode.DELIVERY_UNAVAILABLE


def test_sold_out_product_is_refused_by_name_and_nothing_is_kept(db_session):
    vendor = VendorFactory()
    socks = variant_of(vendor, stock=1, name="Chaussettes en laine")
    socks.size = ""
    other = variant_of(vendor, stock=5)
    cart = fill_cart((other, 1), (socks, 1))
    socks.stock = 0  # the last pair went to someone else after it was put in this cart
    db.session.flush()

    with pytest.raises(OrderError) as error:
        check_out(cart, now=NOW)

    assert error.value.code == OrderErrorCode.SOLD_OUT
    assert error.value.message.startswith("« Chaussettes en laine » est épuisé")
    db.session.refresh(other)
    assert other.stock == 5
    assert db.session.scalar(select(Order)) is None
    assert len(cart.lines) == 2


def test_the_customer_never_pays_a_price_they_were_not_shown(db_session):
    variant = variant_of(VendorFactory(), price=1000)
    cart = fill_cart((variant, 1))
    shown = quote_checkout(cart=cart, delivery=VENDOR_SHIPPING, postcode="81100", now=NOW)
    variant.price_cents = 1200
    db.session.flush()

    with pytest.raises(OrderError) as flagged:
        place_order(cart=cart, customer=None, email="a@example.fr", address=CASTRES_ADDRESS,
                    delivery=VENDOR_SHIPPING, checkout_key=new_checkout_key(),
                    review_digest=shown.digest, now=NOW)
    assert flagged.value.code == OrderErrorCode.NEEDS_ACKNOWLEDGEMENT

    # Accepting the new price is not enough: the page they submitted showed the old one.
    cart.lines[0].seen_price_cents = 1200
    db.session.flush()
    with pytest.raises(OrderError) as changed:
        place_order(cart=cart, customer=None, email="a@example.fr", address=CASTRES_ADDRESS,
                    delivery=VENDOR_SHIPPING, checkout_key=new_checkout_key(),
                    review_digest=shown.digest, now=NOW)
    assert changed.value.code == OrderErrorCode.CART_CHANGED
    assert db.session.scalar(select(Order)) is None

    reviewed = quote_checkout(cart=cart, delivery=VENDOR_SHIPPING, postcode="81100", now=NOW)
    order = place_order(cart=cart, customer=None, email="a@example.fr", address=CASTRES_ADDRESS,
                        delivery=VENDOR_SHIPPING, checkout_key=new_checkout_key(),
                        review_digest=reviewed.digest, now=NOW)
    assert order.goods_cents == 1200


def test_a_fee_changed_after_review_is_refused(db_session):
    slot = PickupSlotFactory(fee_cents=0, starts_at=NOW + timedelta(days=1),
                             ends_at=NOW + timedelta(days=1, hours=2))
    cart = fill_cart((variant_of(VendorFactory()), 1))
    shown = quote_checkout(cart=cart, delivery=pickup(slot), postcode="81100", now=NOW)
    slot.fee_cents = 300
    db.session.flush()

    with pytest.raises(OrderError) as error:
        place_order(cart=cart, customer=None, email="a@example.fr", address=CASTRES_ADDRESS,
                    delivery=pickup(slot), checkout_key=new_checkout_key(),
                    review_digest=shown.digest, now=NOW)
    assert error.value.code == OrderErrorCode.CART_CHANGED


def test_same_checkout_submitted_twice_gives_one_order(db_session):
    variant = variant_of(VendorFactory(), stock=5)
    cart = fill_cart((variant, 2))
    key = new_checkout_key()
    quote = quote_checkout(cart=cart, delivery=VENDOR_SHIPPING, postcode="81100", now=NOW)
    arguments = dict(cart=cart, customer=None, email="a@example.fr", address=CASTRES_ADDRESS,
                     delivery=VENDOR_SHIPPING, checkout_key=key, review_digest=quote.digest,
                     now=NOW)

    first = place_order(**arguments)
    again = place_order(**arguments)  # the cart is empty by now: the key finds the Order

    assert again.id == first.id
    assert db.session.scalars(select(Order)).all() == [first]
    db.session.refresh(variant)
    assert variant.stock == 3


def test_a_checkout_key_belongs_to_its_customer(db_session):
    variant = variant_of(VendorFactory(), stock=5)
    key = new_checkout_key()
    check_out(fill_cart((variant, 1)), checkout_key=key, now=NOW)
    someone = UserFactory()

    with pytest.raises(OrderError):
        check_out(fill_cart((variant, 1), user=someone), customer=someone, checkout_key=key,
                  now=NOW)


def test_empty_cart_is_refused(db_session):
    cart = fill_cart()
    with pytest.raises(OrderError) as error:
        check_out(cart, now=NOW)
    assert error.value.code == OrderErrorCode.EMPTY_CART


def test_placing_writes_the_first_events(db_session):
    customer = UserFactory()
    order = check_out(fill_cart((variant_of(VendorFactory()), 1), user=customer),
                      customer=customer, now=NOW)
    events = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)).all()
    assert [(e.vendor_order_id, e.from_status, e.to_status, e.actor_label) for e in events] == [
        (None, None, "awaiting_payment", "customer"),
        (order.vendor_orders[0].id, None, "awaiting_payment", "customer"),
    ]
    assert order.customer_id == customer.id
    assert order.email == customer.email


# --- Expiry -----------------------------------------------------------------------------------


def test_unpaid_orders_expire_and_give_stock_and_slot_back(db_session):
    slot = PickupSlotFactory(capacity=3, starts_at=NOW + timedelta(days=1),
                             ends_at=NOW + timedelta(days=1, hours=2))
    variant = variant_of(VendorFactory(), stock=4)
    order = check_out(fill_cart((variant, 3)), delivery=pickup(slot), now=NOW)

    assert expire_unpaid_orders(now=NOW + timedelta(minutes=29)) == 0
    assert expire_unpaid_orders(now=NOW + timedelta(minutes=31)) == 1

    db.session.refresh(variant)
    db.session.refresh(slot)
    db.session.refresh(order)
    assert variant.stock == 4
    assert slot.booked == 0
    assert order.status == OrderStatus.EXPIRED
    assert [vo.status for vo in order.vendor_orders] == [VendorOrderStatus.CANCELLED]
    keys = set(db.session.scalars(select(OutboxMessage.dedupe_key)))
    assert {f"order-expired:{order.number}", f"payment-cancel:{order.payment.id}"} <= keys
    # A second run finds nothing left to do and gives nothing back twice.
    assert expire_unpaid_orders(now=NOW + timedelta(hours=2)) == 0
    db.session.refresh(variant)
    assert variant.stock == 4


def test_expiry_gives_the_round_stop_back(db_session):
    delivery_round = DeliveryRoundFactory(
        zone=DeliveryZoneFactory(postcodes=["81100"]), cutoff_at=NOW + timedelta(hours=5),
        delivery_date=(NOW + timedelta(days=1)).date(),
    )
    check_out(fill_cart((variant_of(VendorFactory(), weight=1000), 2)),
              delivery=by_round(delivery_round), now=NOW)
    db.session.refresh(delivery_round)
    assert (delivery_round.booked_stops, delivery_round.booked_grams) == (1, 2000)

    expire_unpaid_orders(now=NOW + timedelta(hours=1))

    db.session.refresh(delivery_round)
    assert (delivery_round.booked_stops, delivery_round.booked_grams) == (0, 0)


def test_paid_orders_never_expire(db_session):
    from marketplace.payments.services import confirm_payment

    variant = variant_of(VendorFactory(), stock=4)
    order = check_out(fill_cart((variant, 1)), now=NOW)
    confirm_payment(payment=order.payment, payment_method="4242 4242 4242 4242", now=NOW)

    assert expire_unpaid_orders(now=NOW + timedelta(hours=3)) == 0
    assert order.status == OrderStatus.PAID


# --- State machines ---------------------------------------------------------------------------


@pytest.fixture
def placed_order(db_session):
    vendors = [VendorFactory(), VendorFactory()]
    return check_out(fill_cart(*((variant_of(vendor), 1) for vendor in vendors)), now=NOW)


def _events(order):
    return db.session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id)
    ).all()


def test_transition_order_records_who_did_it(placed_order):
    admin = UserFactory(role="admin")
    transition_order(order=placed_order, event=OrderEvent_.CANCEL, actor=admin,
                     actor_label="admin", note="Client injoignable")

    last = _events(placed_order)[-1]
    assert placed_order.status == OrderStatus.CANCELLED
    assert (last.from_status, last.to_status, last.actor_id, last.actor_label, last.note) == (
        "awaiting_payment", "cancelled", admin.id, "admin", "Client injoignable"
    )


def test_illegal_order_transition_is_refused_and_changes_nothing(placed_order):
    before = len(_events(placed_order))
    with pytest.raises(InvalidTransition):
        transition_order(order=placed_order, event=OrderEvent_.COMPLETE, actor_label="admin")
    assert placed_order.status == OrderStatus.AWAITING_PAYMENT
    assert len(_events(placed_order)) == before


def test_illegal_vendor_order_transition_is_refused_and_changes_nothing(placed_order):
    vendor_order = placed_order.vendor_orders[0]
    before = len(_events(placed_order))
    with pytest.raises(InvalidTransition):
        transition_vendor_order(vendor_order=vendor_order, event=VendorOrderEvent.SHIP,
                                actor_label="vendor")
    assert vendor_order.status == VendorOrderStatus.AWAITING_PAYMENT
    assert len(_events(placed_order)) == before


def _walk(vendor_order, *events):
    for event in events:
        transition_vendor_order(vendor_order=vendor_order, event=event, actor_label="vendor")


def test_order_status_follows_its_vendor_orders(placed_order):
    transition_order(order=placed_order, event=OrderEvent_.PAY, actor_label="payment provider")
    first, second = placed_order.vendor_orders
    for vendor_order in (first, second):
        _walk(vendor_order, VendorOrderEvent.PAY, VendorOrderEvent.ACCEPT)

    _walk(first, VendorOrderEvent.SHIP, VendorOrderEvent.DELIVER, VendorOrderEvent.COMPLETE)
    assert placed_order.status == OrderStatus.PARTIALLY_FULFILLED

    _walk(second, VendorOrderEvent.MAKE_READY_FOR_PICKUP, VendorOrderEvent.DELIVER,
          VendorOrderEvent.COMPLETE)
    assert placed_order.status == OrderStatus.COMPLETED
    assert [e.to_status for e in _events(placed_order) if e.vendor_order_id is None][-2:] == [
        "partially_fulfilled", "completed"
    ]


def test_order_is_refunded_when_every_vendor_order_is(placed_order):
    transition_order(order=placed_order, event=OrderEvent_.PAY, actor_label="payment provider")
    first, second = placed_order.vendor_orders
    _walk(first, VendorOrderEvent.PAY, VendorOrderEvent.REFUSE, VendorOrderEvent.REFUND_ALL)
    assert placed_order.status == OrderStatus.PAID
    _walk(second, VendorOrderEvent.PAY, VendorOrderEvent.REFUND_ALL)
    assert placed_order.status == OrderStatus.REFUNDED


def test_quote_flags_lines_whose_price_changed(db_session):
    variant = variant_of(VendorFactory(), price=1000)
    cart = fill_cart((variant, 1))
    variant.price_cents = 900
    db.session.flush()

    quote = quote_checkout(cart=cart, delivery=VENDOR_SHIPPING, postcode="81100", now=NOW)

    assert quote.needs_acknowledgement
    assert [view.variant for view in quote.flagged_lines] == [variant]
    assert quote.breakdown.goods_cents == 900


def test_quote_leaves_withdrawn_products_out_of_the_totals(db_session):
    vendor = VendorFactory()
    kept = variant_of(vendor, price=1000)
    withdrawn = variant_of(vendor, price=500)
    cart = fill_cart((kept, 1), (withdrawn, 1))
    withdrawn.active = False
    db.session.flush()

    quote = quote_checkout(cart=cart, delivery=VENDOR_SHIPPING, postcode="81100", now=NOW)

    assert quote.breakdown.goods_cents == 1000
    assert quote.needs_acknowledgement
    with pytest.raises(OrderError) as error:
        place_order(cart=cart, customer=None, email="a@example.fr", address=CASTRES_ADDRESS,
                    delivery=VENDOR_SHIPPING, checkout_key=new_checkout_key(),
                    review_digest=quote.digest, now=NOW)
    assert error.value.code == OrderErrorCode.NEEDS_ACKNOWLEDGEMENT


def test_category_default_vat_is_not_used_over_the_products_own(db_session):
    food = CategoryFactory(default_vat_rate_bps=550)
    product = ProductFactory(category=food, vat_rate_bps=2000)  # confectionery: 20 %
    variant = VariantFactory(product=product, price_cents=1200)
    order = check_out(fill_cart((variant, 1)), now=NOW)
    assert order.vendor_orders[0].lines[0].vat_rate_bps == 2000
