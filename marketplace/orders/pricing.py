"""An Order's money, worked out to the cent: goods per Vendor, delivery, VAT by rate, commission.

Pure arithmetic on integers, no database: checkout's review page and `place_order` both call
`price_order`, so what the customer is shown is exactly what is recorded. Every split uses
largest-remainder rounding, so parts always add up to their whole.
"""
from collections.abc import Sequence
from dataclasses import dataclass

from marketplace.core.money import split_largest_remainder, vat_included

#: VAT the cooperative charges on its commission (a service: standard French rate).
COMMISSION_VAT_RATE_BPS = 2000


@dataclass(frozen=True)
class LineInput:
    variant_id: int
    quantity: int
    #: Tax-inclusive unit price.
    unit_price_cents: int
    vat_rate_bps: int

    @property
    def total_cents(self) -> int:
        return self.unit_price_cents * self.quantity

    @property
    def vat_cents(self) -> int:
        return vat_included(self.total_cents, self.vat_rate_bps)


@dataclass(frozen=True)
class VendorInput:
    vendor_id: int
    commission_rate_bps: int
    lines: tuple[LineInput, ...]
    #: The Vendor's own shipping fee (vendor shipping only), paid to the Vendor.
    shipping_cents: int = 0


@dataclass(frozen=True)
class VendorBreakdown:
    vendor_id: int
    lines: tuple[LineInput, ...]
    goods_cents: int
    shipping_cents: int
    #: This VendorOrder's part of the Order-level fee (pickup or round).
    delivery_share_cents: int
    #: {rate_bps: VAT cents} on goods, own shipping and delivery share together.
    vat_by_rate: dict[int, int]
    commission_rate_bps: int
    commission_cents: int
    commission_vat_cents: int
    vendor_net_cents: int

    @property
    def total_cents(self) -> int:
        return self.goods_cents + self.shipping_cents + self.delivery_share_cents


@dataclass(frozen=True)
class OrderBreakdown:
    vendors: tuple[VendorBreakdown, ...]
    #: One fee for the whole Order (pickup slot or delivery round), 0 with vendor shipping.
    order_fee_cents: int
    goods_cents: int
    #: Everything that is not goods: the Vendors' shipping fees plus the Order-level fee.
    delivery_cents: int
    total_cents: int
    vat_by_rate: dict[int, int]


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator to the nearest integer, halves away from zero (amounts >= 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


def commission_for(*, goods_cents: int, rate_bps: int) -> tuple[int, int]:
    """The cooperative's commission on a VendorOrder, and the VAT on that commission.

    The base is the goods *including VAT*, the price the customer actually paid: Vendors sell
    at different VAT rates and some are not VAT-registered at all, so a base excluding VAT
    would charge two Vendors with the same sales different commissions. Shipping is left out:
    a Vendor's own shipping passes straight through to the carrier, and the cooperative's
    delivery fee is already its own revenue.
    """
    commission = round_half_up(goods_cents * rate_bps, 10000)
    return commission, round_half_up(commission * COMMISSION_VAT_RATE_BPS, 10000)


def _goods_by_rate(lines: Sequence[LineInput]) -> dict[int, int]:
    by_rate: dict[int, int] = {}
    for line in lines:
        by_rate[line.vat_rate_bps] = by_rate.get(line.vat_rate_bps, 0) + line.total_cents
    return dict(sorted(by_rate.items()))


def _vat_by_rate(lines: Sequence[LineInput], delivery_cents: int) -> dict[int, int]:
    """VAT per line, summed by rate, plus the delivery's VAT: a delivery fee follows the
    goods it carries, so it is split across their rates pro rata to the goods."""
    goods = _goods_by_rate(lines)
    vat = {rate: 0 for rate in goods}
    for line in lines:
        vat[line.vat_rate_bps] += line.vat_cents
    if delivery_cents and goods:
        rates = list(goods)
        pieces = split_largest_remainder(delivery_cents, [goods[rate] for rate in rates])
        for rate, piece in zip(rates, pieces, strict=True):
            vat[rate] += vat_included(piece, rate)
    return vat


def price_order(*, vendors: Sequence[VendorInput], order_fee_cents: int) -> OrderBreakdown:
    """The full breakdown of an Order; the Order-level fee is shared pro rata to the goods."""
    goods = [sum(line.total_cents for line in vendor.lines) for vendor in vendors]
    shares = split_largest_remainder(order_fee_cents, goods) if vendors else []
    parts = []
    for vendor, goods_cents, share in zip(vendors, goods, shares, strict=True):
        commission, commission_vat = commission_for(
            goods_cents=goods_cents, rate_bps=vendor.commission_rate_bps
        )
        parts.append(
            VendorBreakdown(
                vendor_id=vendor.vendor_id,
                lines=tuple(vendor.lines),
                goods_cents=goods_cents,
                shipping_cents=vendor.shipping_cents,
                delivery_share_cents=share,
                vat_by_rate=_vat_by_rate(vendor.lines, vendor.shipping_cents + share),
                commission_rate_bps=vendor.commission_rate_bps,
                commission_cents=commission,
                commission_vat_cents=commission_vat,
                vendor_net_cents=goods_cents + vendor.shipping_cents - commission - commission_vat,
            )
        )
    vat: dict[int, int] = {}
    for part in parts:
        for rate, cents in part.vat_by_rate.items():
            vat[rate] = vat.get(rate, 0) + cents
    goods_total = sum(goods)
    delivery = sum(part.shipping_cents for part in parts) + sum(shares)
    return OrderBreakdown(
        vendors=tuple(parts),
        order_fee_cents=sum(shares),
        goods_cents=goods_total,
        delivery_cents=delivery,
        total_cents=goods_total + delivery,
        vat_by_rate=dict(sorted(vat.items())),
    )
