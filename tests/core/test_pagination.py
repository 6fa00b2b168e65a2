"""The pager: page numbers from query strings, the window of links, counts."""
import pytest

from marketplace.core.pagination import MAX_PAGE_NUMBER, Page, page_or_last, parse_page_number


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        (None, 1),
        ("", 1),
        ("3", 3),
        (" 4 ", 4),
        ("0", 1),
        ("-2", 1),
        ("abc", 1),
        ("2.5", 1),
        ("١٢", 1),
        ("99999", MAX_PAGE_NUMBER),
        ("9" * 5000, MAX_PAGE_NUMBER),
    ],
)
def test_page_number_from_a_query_string_never_fails(raw, number):
    assert parse_page_number(raw) == number


def _page(number, total, per_page=10):
    return Page(
        items=list(range(min(per_page, total))), number=number, per_page=per_page, total=total
    )


def test_window_shows_first_last_and_neighbours_with_gaps():
    assert list(_page(10, 200).window()) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert list(_page(1, 200).window()) == [1, 2, 3, None, 20]
    assert list(_page(2, 40).window()) == [1, 2, 3, 4]


def test_page_count_and_positions():
    page = Page(items=[1, 2, 3], number=3, per_page=10, total=23)
    assert page.page_count == 3
    assert (page.first_index, page.last_index) == (21, 23)
    assert page.has_previous and not page.has_next
    empty = Page(items=[], number=1, per_page=10, total=0)
    assert empty.page_count == 1 and empty.first_index == 0 and not empty.has_next


def test_a_capped_total_says_more_and_keeps_the_pages_it_counted():
    page = Page(items=[0] * 24, number=1, per_page=24, total=1001, count_cap=1000)
    assert page.total_is_capped
    assert page.page_count == 42  # 1,000 rows counted, in pages of 24
    assert not Page(items=[], number=1, per_page=24, total=1000, count_cap=1000).total_is_capped


def _listing(rows: list[int], *, per_page: int, shrinks_after: int | None = None):
    """A fetch over `rows`; after `shrinks_after` fetches only two rows are left."""
    fetched: list[int] = []

    def fetch(number: int) -> tuple[list[int], int]:
        shrunk = shrinks_after is not None and len(fetched) >= shrinks_after
        current = rows[:2] if shrunk else rows
        fetched.append(number)
        return current[(number - 1) * per_page : number * per_page], len(current)

    return fetch, fetched


def test_a_page_past_the_end_gives_the_last_page_and_says_so():
    fetch, fetched = _listing(list(range(7)), per_page=3)

    page = page_or_last(fetch, page=9, per_page=3, load=lambda rows: [f"#{r}" for r in rows])

    assert (page.number, page.items, page.total, page.requested_number) == (3, ["#6"], 7, 9)
    assert fetched == [9, 1, 3]


def test_an_empty_listing_and_one_that_shrinks_meanwhile_still_give_a_page():
    empty, _ = _listing([], per_page=3)
    shrinking, fetched = _listing(list(range(7)), per_page=3, shrinks_after=2)

    nothing = page_or_last(empty, page=4, per_page=3)
    shrunk = page_or_last(shrinking, page=9, per_page=3)

    assert (nothing.items, nothing.number, nothing.requested_number) == ((), 1, 4)
    assert fetched == [9, 1, 3]  # page 3 was gone by the time it was read
    assert (shrunk.items, shrunk.number, shrunk.requested_number) == ([0, 1, 2], 1, 9)
