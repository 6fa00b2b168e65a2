"""A small pager for SQLAlchemy selects: one COUNT, one page of rows, links that keep filters."""
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

#: The highest page number anyone may ask for; beyond it a page number is nonsense, not a page.
MAX_PAGE_NUMBER = 10_000
#: Rows counted at least before a total reads "more than …": counting a whole big catalogue
#: costs more than the page itself. The cap grows with the page asked for (ten pages ahead),
#: so every page stays reachable, one stretch of links at a time.
COUNT_CAP = 1_000
PAGES_COUNTED_AHEAD = 10


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    per_page: int
    total: int
    #: The page number that was asked for, when it had to be brought back into range.
    requested_number: int | None = None
    count_cap: int = COUNT_CAP

    @property
    def total_is_capped(self) -> bool:
        """True when there are more rows than were counted (`total` is then the cap)."""
        return self.total > self.count_cap

    @property
    def page_count(self) -> int:
        return max(1, ceil(min(self.total, self.count_cap) / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def first_index(self) -> int:
        """1-based position of the first item shown (0 when there is nothing)."""
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)

    @property
    def was_out_of_range(self) -> bool:
        return self.requested_number is not None

    def window(self, *, around: int = 2) -> Iterator[int | None]:
        """Page numbers to link: the first, the last and `around` either side of the current one.

        `None` marks a gap, shown as an ellipsis, so the bar stays short for 200 pages.
        """
        last_shown = 0
        for number in range(1, self.page_count + 1):
            near_current = abs(number - self.number) <= around
            if number in (1, self.page_count) or near_current:
                if number - last_shown > 1:
                    yield None
                yield number
                last_shown = number


def parse_page_number(raw: str | None) -> int:
    """A page number from a query string; anything that is not a sensible number means page 1."""
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    if len(text) > len(str(MAX_PAGE_NUMBER)):  # also spares int() a 5,000-digit string
        return MAX_PAGE_NUMBER
    return min(max(int(text), 1), MAX_PAGE_NUMBER)


def count_cap_for(page: int, per_page: int) -> int:
    """Rows counted at most for a listing's total when showing `page`: COUNT_CAP, or up to
    ten pages beyond it."""
    return max(COUNT_CAP, (page + PAGES_COUNTED_AHEAD) * per_page)


def last_page_number(counted: int, *, count_cap: int, per_page: int) -> int:
    return max(1, ceil(min(counted, count_cap) / per_page))


def page_or_last(
    fetch: Callable[[int], tuple[Sequence[Any], int]],
    *,
    page: int,
    per_page: int,
    load: Callable[[Sequence[Any]], Sequence[T]] = list,
) -> Page[T]:
    """Page `page` of a listing, or its last page when `page` is past the end (with
    `requested_number` set), so that a stale link still shows goods rather than an empty list.

    `fetch(number)` gives the rows of page `number` and the listing's total counted up to
    `count_cap_for(page, per_page)` (any total when there are no rows); `load(rows)` turns the
    rows of the page shown into its items. A page past the end costs two fetches more.
    """
    count_cap = count_cap_for(page, per_page)
    found = dict(per_page=per_page, count_cap=count_cap)
    rows, total = fetch(page)
    if rows:
        return Page(items=load(rows), number=page, total=total, **found)
    if page == 1:
        return Page(items=(), number=1, total=0, **found)
    first_rows, counted = fetch(1)
    if not first_rows:
        return Page(items=(), number=1, total=0, requested_number=page, **found)
    last = last_page_number(counted, count_cap=count_cap, per_page=per_page)
    last_rows, last_total = fetch(last) if last > 1 else (first_rows, counted)
    if not last_rows:  # the listing shrank between the two fetches
        last, last_rows, last_total = 1, first_rows, counted
    return Page(
        items=load(last_rows), number=last, total=last_total, requested_number=page, **found
    )


def paginate(session: Session, statement: Select[Any], *, page: int, per_page: int) -> Page[Any]:
    """Run `statement` (one ORM entity) for one page of rows, with the total in the same query.

    The total rides along as an uncorrelated subquery (run once by the database) that stops
    counting past the cap (`count_cap_for`), so a page costs one query and a bounded count,
    while its rows come straight from an index in the sort order.
    """
    bounded = statement.order_by(None).limit(count_cap_for(page, per_page) + 1).subquery()
    total = select(func.count()).select_from(bounded).scalar_subquery().label("full_count")

    def fetch(number: int) -> tuple[list[Any], int]:
        paged = statement.add_columns(total).limit(per_page).offset((number - 1) * per_page)
        rows = session.execute(paged).unique().all()
        return [row[0] for row in rows], rows[0].full_count if rows else 0

    return page_or_last(fetch, page=page, per_page=per_page)
