"""Money as integer cents: formatting, VAT extraction and exact splits."""
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency


@dataclass(frozen=True, slots=True)
class Money:
    cents: int
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if not isinstance(self.cents, int):
            raise TypeError("Money holds integer cents, never floats")

    def __add__(self, other: "Money") -> "Money":
        self._check_currency(other)
        return Money(self.cents + other.cents, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._check_currency(other)
        return Money(self.cents - other.cents, self.currency)

    def _check_currency(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise ValueError(f"Cannot mix {self.currency} and {other.currency}")

    def format(self, locale: str = "fr") -> str:
        # Decimal arithmetic from an integer string keeps the value exact.
        return format_currency(Decimal(self.cents) / 100, self.currency, locale=locale)


@lru_cache(maxsize=8192)
def format_cents(cents: int, locale: str = "fr", currency: str = "EUR") -> str:
    """Cached: a page shows the same few prices many times, and Babel's formatting is costly."""
    return Money(cents, currency).format(locale)


#: Euros as people type them once spaces and the sign are gone: "12", "12,50", "12.5".
_EUROS = re.compile(r"[0-9]{1,9}(?:[.,][0-9]{1,2})?")
_SPACES_AND_SIGN = re.compile(r"[\s\u00a0\u202f€]")


def parse_euros(text: str) -> int:
    """Exact cents from an amount in euros typed by a person ("1 200,50 €" -> 120050).

    Decimal, never float, and never rounded: "12,505" is not an amount in euros, so it raises
    `ValueError` like any other text that is not one, rather than silently becoming 12,50 €.
    """
    cleaned = _SPACES_AND_SIGN.sub("", text)
    if not _EUROS.fullmatch(cleaned):
        raise ValueError(f"not an amount in euros with at most 2 decimals: {text!r}")
    return int(Decimal(cleaned.replace(",", ".")) * 100)


def euros_text(cents: int) -> str:
    """Cents as a person types them back in a form: 1250 -> "12,50" (no sign, no grouping)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def vat_included(total_cents: int, rate_bps: int) -> int:
    """VAT contained in a tax-inclusive amount, rounded half up to the cent."""
    numerator = total_cents * rate_bps
    denominator = 10000 + rate_bps
    return (2 * numerator + denominator) // (2 * denominator)


def split_largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` cents pro rata to `weights` so that the parts add up exactly to `total`.

    Each part gets the floor of its exact share; the cents left over go one by one to the
    parts with the largest remainders (ties to the earliest), the usual fair rounding.
    """
    if total < 0:
        return [-part for part in split_largest_remainder(-total, weights)]
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights)
    if not weights:
        return []
    if weight_sum == 0:
        weights = [1] * len(weights)
        weight_sum = len(weights)
    floors = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    leftover = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:leftover]:
        floors[i] += 1
    return floors
