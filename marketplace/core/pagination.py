"""A small pager for SQLAlchemy selects: one COUNT, one page of rows, links that keep filters."""
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

#: The highest page number anyone may ask for; beyond it a page number is nonsense, not a page.
MAX_PAGE_NUMBER = 10_000


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    per_page: int
    total: int
    #: The page number that was asked for, when it had to be brought back into range.
    requested_number: int | None = None

    @property
    def page_count(self) -> int:
        return max(1, ceil(self.total / self.per_page))

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


def paginate(session: Session, statement: Select[Any], *, page: int, per_page: int) -> Page[Any]:
    """Run `statement` (one ORM entity) for one page of rows, with the total in the same query.

    A window count rides along with the rows, so a page costs one query; only a page past the
    end costs a COUNT more, and gives the last page (with `requested_number` set), so a stale
    link still shows goods rather than an empty list.
    """
    counted = statement.add_columns(func.count().over().label("full_count"))
    rows = session.execute(counted.limit(per_page).offset((page - 1) * per_page)).unique().all()
    if rows:
        items = [row[0] for row in rows]
        return Page(items=items, number=page, per_page=per_page, total=rows[0].full_count)
    if page == 1:
        return Page(items=(), number=1, per_page=per_page, total=0)
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    last_page = max(1, ceil((total or 0) / per_page))
    last = paginate(session, statement, page=last_page, per_page=per_page)
    return Page(
        items=last.items, number=last.number, per_page=per_page, total=last.total,
        requested_number=page,
    )
