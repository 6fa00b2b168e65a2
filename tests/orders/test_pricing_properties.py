"""Property tests: on any basket, every split adds up to its whole, to the cent."""
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.core.money import split_largest_remainder, vat_included
from marketplace.extensions import db
from marketplace.orders.pricing import LineInput, VendorInput, price_order
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.delivery import PickupSlotFactory
from tests.factories.orders import VENDOR_SHIPPING, check_out, fill_cart, pickup
from tests.factories.vendors import VendorFactory

RATES = st.sampled_from([0, 210, 550, 1000, 2000])

lines = st.builds(
    LineInput,
    variant_id=st.integers(min_value=1, max_value=10**6),
    quantity=st.integers(min_value=1, max_value=12),
    unit_price_cents=st.integers(min_value=0, max_value=50_000),
    vat_rate_bps=RATES,
)
vendors = st.builds(
    VendorInput,
    vendor_id=st.integers(min_value=1, max_value=10**6),
    commission_rate_bps=st.integers(min_value=0, max_value=10_000),
    lines=st.lists(lines, min_size=1, max_size=6).map(tuple),
    shipping_cents=st.integers(min_value=0, max_value=2_000),
)
baskets = st.lists(vendors, min_size=1, max_size=5)
fees = st.integers(min_value=0, max_value=3_000)


@given(total=st.integers(min_value=-10**7, max_value=10**7),
       weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8))
def test_largest_remainder_parts_add_up_and_stay_within_a_cent(total, weights):
    parts = split_largest_remainder(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights) or len(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total * (weight if sum(weights) else 1), weight_sum)
        assert abs(part - exact) < 1


@given(basket=baskets, fee=fees)
def test_order_total_is_the_sum_of_its_vendor_orders(basket, fee):
    breakdown = price_order(vendors=basket, order_fee_cents=fee)

    assert breakdown.total_cents == breakdown.goods_cents + breakdown.delivery_cents
    assert breakdown.total_cents == sum(part.total_cents for part in breakdown.vendors)
    assert breakdown.goods_cents == sum(
        line.total_cents for vendor in basket for line in vendor.lines
    )
    assert sum(part.delivery_share_cents for part in breakdown.vendors) == fee
    assert breakdown.delivery_cents == fee + sum(vendor.shipping_cents for vendor in basket)


@given(basket=baskets, fee=fees)
def test_delivery_shares_follow_the_goods(basket, fee):
    breakdown = price_order(vendors=basket, order_fee_cents=fee)
    goods = breakdown.goods_cents
    for part in breakdown.vendors:
        exact = Fraction(fee * part.goods_cents, goods) if goods else Fraction(
            fee, len(breakdown.vendors))
        assert abs(part.delivery_share_cents - exact) < 1


@given(basket=baskets, fee=fees)
def test_commission_net_and_vat_on_commission_add_up(basket, fee):
    for part in price_order(vendors=basket, order_fee_cents=fee).vendors:
        assert (part.commission_cents + part.commission_vat_cents + part.vendor_net_cents
                == part.goods_cents + part.shipping_cents)
        exact = Fraction(part.goods_cents * part.commission_rate_bps, 10_000)
        assert abs(part.commission_cents - exact) <= Fraction(1, 2)
        assert abs(part.commission_vat_cents - Fraction(part.commission_cents, 5)) <= Fraction(1, 2)


@given(basket=baskets, fee=fees)
def test_vat_by_rate_adds_up_and_matches_the_amounts_taxed(basket, fee):
    breakdown = price_order(vendors=basket, order_fee_cents=fee)

    for rate, vat in breakdown.vat_by_rate.items():
        assert vat == sum(part.vat_by_rate.get(rate, 0) for part in breakdown.vendors)
    taxed_by_rate: dict[int, int] = {}
    for vendor, part in zip(basket, breakdown.vendors, strict=True):
        goods_at_rate: dict[int, int] = {}
        for line in vendor.lines:
            rate = line.vat_rate_bps
            goods_at_rate[rate] = goods_at_rate.get(rate, 0) + line.total_cents
        rates = sorted(goods_at_rate)
        pieces = split_largest_remainder(part.shipping_cents + part.delivery_share_cents,
                                         [goods_at_rate[rate] for rate in rates])
        # The delivery fee is spread across this VendorOrder's rates, parts adding up.
        assert sum(pieces) == part.shipping_cents + part.delivery_share_cents
        for rate, piece in zip(rates, pieces, strict=True):
            taxed_by_rate[rate] = taxed_by_rate.get(rate, 0) + goods_at_rate[rate] + piece
            line_vat = sum(line.vat_cents for line in vendor.lines if line.vat_rate_bps == rate)
            assert part.vat_by_rate[rate] == line_vat + vat_included(piece, rate)
    assert sum(taxed_by_rate.values()) == breakdown.total_cents
    for rate, vat in breakdown.vat_by_rate.items():
        exact = Fraction(taxed_by_rate[rate] * rate, 10_000 + rate)
        pieces_rounded = sum(
            1 for vendor in basket for line in vendor.lines if line.vat_rate_bps == rate
        ) + len(basket)
        assert abs(vat - exact) <= Fraction(pieces_rounded, 2)


# --- The same, through the real checkout and the database --------------------------------------

NOW = datetime(2026, 4, 14, 9, 30, tzinfo=UTC)

db_lines = st.tuples(
    st.integers(min_value=1, max_value=5),  # quantity
    st.integers(min_value=1, max_value=9_999),  # unit price
    RATES,
)
db_baskets = st.lists(
    st.tuples(st.integers(min_value=0, max_value=3_000),  # commission rate
              st.lists(db_lines, min_size=1, max_size=3)),
    min_size=1, max_size=4,
)


@pytest.mark.slow
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(basket=db_baskets, fee=fees, use_pickup=st.booleans())
def test_placed_orders_add_up_to_the_cent(db_session, basket, fee, use_pickup):
    savepoint = db.session.begin_nested()
    try:
        items = []
        for commission, vendor_lines in basket:
            vendor = VendorFactory(commission_rate_bps=commission)
            for quantity, price, rate in vendor_lines:
                product = ProductFactory(vendor=vendor, vat_rate_bps=rate)
                items.append((VariantFactory(product=product, price_cents=price, stock=10),
                              quantity))
        delivery = VENDOR_SHIPPING
        if use_pickup:
            starts = NOW + timedelta(days=1)
            delivery = pickup(PickupSlotFactory(fee_cents=fee, starts_at=starts,
                                                ends_at=starts + timedelta(hours=2)))

        order = check_out(fill_cart(*items), delivery=delivery, now=NOW)

        vendor_orders = order.vendor_orders
        assert order.total_cents == sum(vo.total_cents for vo in vendor_orders)
        assert order.goods_cents == sum(vo.goods_cents for vo in vendor_orders)
        assert order.delivery_cents == sum(vo.shipping_cents + vo.delivery_share_cents
                                           for vo in vendor_orders)
        if use_pickup:
            assert sum(vo.delivery_share_cents for vo in vendor_orders) == fee
        for rate, vat in order.vat_breakdown.items():
            assert vat == sum(vo.vat_breakdown.get(rate, 0) for vo in vendor_orders)
        for vo in vendor_orders:
            assert vo.goods_cents == sum(line.total_cents for line in vo.lines)
            assert (vo.commission_cents + vo.commission_vat_cents + vo.vendor_net_cents
                    == vo.goods_cents + vo.shipping_cents)
        assert order.payment.amount_cents == order.total_cents
    finally:
        savepoint.rollback()
