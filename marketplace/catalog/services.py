"""What the storefront shows: public Products, listings with filters and sorts, search.

Only `active` Products of `approved` Vendors are public. A listing costs two queries however
many Products its page holds: the page of ids in the listing's order (with a bounded count),
then the product cards of those ids, read as plain rows: a card needs a dozen columns, its
Variants' stock and prices summed up and one picture, never whole Products with every Variant
and picture (building those objects cost more than the rest of the page). Both statements are
built once per process (per shape of filters) and run on the session's connection as plain
Core statements: building, compiling and running them through the ORM cost more than running
them.
"""
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from threading import Lock
from time import monotonic
from typing import TypeVar

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    Select,
    and_,
    any_,
    bindparam,
    distinct,
    exists,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import contains_eager, joinedload

from marketplace.core.pagination import Page, count_cap_for, page_or_last
from marketplace.extensions import db
from marketplace.vendors.models import Vendor, VendorStatus
from marketplace.vendors.services import search_vendors

from .models import (
    Category,
    Product,
    ProductImage,
    ProductStatus,
    StockState,
    Variant,
    product_stock_state,
)
from .search import SearchQuery, product_match, spelling_suggestion

T = TypeVar("T")


class ProductSort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"


#: Sorts offered on listings; a search adds RELEVANCE in front.
LISTING_SORTS = (ProductSort.NEWEST, ProductSort.PRICE_ASC, ProductSort.PRICE_DESC)
SEARCH_SORTS = (ProductSort.RELEVANCE, *LISTING_SORTS)


@dataclass(frozen=True, slots=True)
class ProductFilters:
    """Narrowing a listing; every field combines with the others (AND)."""

    #: A Category and all the Categories below it.
    category_ids: tuple[int, ...] = ()
    vendor_id: int | None = None
    vendor_kind: str | None = None
    #: Inclusive bounds on the price of at least one active Variant.
    min_price_cents: int | None = None
    max_price_cents: int | None = None
    in_stock_only: bool = False
    sort: ProductSort = ProductSort.NEWEST


@dataclass(frozen=True, slots=True)
class CoverImage:
    """The first picture of a Product (by position), as a card shows it."""

    path: str
    alt: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class ProductCard:
    """What a product card shows; names match Product's so one template serves both."""

    id: int
    slug: str
    name: str
    vendor_name: str
    from_price_cents: int
    made_at_hub: bool
    #: Stock of the active Variants, and the largest of their low-stock thresholds.
    available_stock: int
    low_stock_threshold: int
    #: Different prices among the active Variants (0: nothing can be bought yet).
    price_count: int
    cover_image: CoverImage | None

    @property
    def stock_state(self) -> StockState:
        return product_stock_state(
            available=self.available_stock, low_stock_threshold=self.low_stock_threshold
        )

    @property
    def has_active_variants(self) -> bool:
        return self.price_count > 0

    @property
    def has_several_prices(self) -> bool:
        return self.price_count > 1


@dataclass(frozen=True, slots=True)
class VendorChoice:
    """A Vendor as the listing filter offers it: no story, no settings, just a name."""

    id: int
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class SearchResults:
    products: Page[ProductCard]
    vendors: Sequence[Vendor]
    #: "Did you mean …", when nothing was found: the query with its typos mended.
    suggestion: str | None = None


def public_products_statement() -> Select[tuple[Product]]:
    """Active Products of approved Vendors, joined to their Vendor."""
    return (
        select(Product)
        .join(Product.vendor)
        .where(Product.status == ProductStatus.ACTIVE, Vendor.status == VendorStatus.APPROVED)
    )


def _public_product_ids() -> Select[tuple[int]]:
    """Ids of the public Products: enough to sort and count, straight from the indexes.

    "Its Vendor is approved" is written as "no Vendor of it is anything else": the database
    then hashes the few Vendors that are not approved once and checks each Product against
    them, where a join looked up the Vendor of each of the thousand Products a bounded count
    reads (three times as long on a big catalogue).
    """
    vendor_not_approved = exists().where(
        Vendor.id == Product.vendor_id, Vendor.status != VendorStatus.APPROVED
    )
    return select(Product.id).where(Product.status == ProductStatus.ACTIVE, ~vendor_not_approved)


@dataclass(frozen=True, slots=True)
class _ListingShape:
    """Which filters and sort a listing uses, not their values.

    A listing's statement is built once per shape and process: SQLAlchemy then finds its
    compiled SQL without walking the statement again, psycopg prepares it after a few runs,
    and a request only binds its values (`_filter_values`). Building and compiling the
    statement anew cost more than running it.
    """

    by_category: bool
    by_vendor: bool
    by_kind: bool
    by_min_price: bool
    by_max_price: bool
    in_stock_only: bool
    sort: ProductSort

    @classmethod
    def of(cls, filters: ProductFilters) -> "_ListingShape":
        return cls(
            by_category=bool(filters.category_ids),
            by_vendor=filters.vendor_id is not None,
            by_kind=bool(filters.vendor_kind),
            by_min_price=filters.min_price_cents is not None,
            by_max_price=filters.max_price_cents is not None,
            in_stock_only=filters.in_stock_only,
            sort=filters.sort,
        )


def _filter_values(filters: ProductFilters) -> dict[str, object]:
    """The values bound into a listing's statement (those its shape does not use are ignored)."""
    return {
        "category_ids": list(filters.category_ids),
        "vendor_id": filters.vendor_id,
        "vendor_kind": filters.vendor_kind,
        "min_price_cents": filters.min_price_cents,
        "max_price_cents": filters.max_price_cents,
    }


def _one_of(column: ColumnElement[int], name: str, dialect: str) -> ColumnElement[bool]:
    """`column` equals one of the ids bound as `name`: a single array parameter on PostgreSQL,
    so that the SQL (and the plan psycopg prepares for it) is the same however many ids there
    are, and SQLAlchemy rewrites nothing per request; an IN list elsewhere. For lookups by
    key only: the planner reads no index in order for an array."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(Integer)))
    return column.in_(bindparam(name, expanding=True))


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _apply_filters(statement: Select, shape: _ListingShape, dialect: str) -> Select:
    if shape.by_category:
        # An IN list, even on PostgreSQL: for a single Category (most listings) the planner
        # reads the listing index in its order, which it does not do for an array.
        statement = statement.where(
            Product.category_id.in_(bindparam("category_ids", expanding=True))
        )
    if shape.by_vendor:
        statement = statement.where(Product.vendor_id == bindparam("vendor_id"))
    if shape.by_kind:
        statement = statement.where(
            Product.vendor_id.in_(select(Vendor.id).where(Vendor.kind == bindparam("vendor_kind")))
        )
    if shape.by_min_price or shape.by_max_price:
        priced = [Variant.product_id == Product.id, Variant.active.is_(True)]
        if shape.by_min_price:
            priced.append(Variant.price_cents >= bindparam("min_price_cents"))
        if shape.by_max_price:
            priced.append(Variant.price_cents <= bindparam("max_price_cents"))
        statement = statement.where(exists().where(*priced))
    if shape.in_stock_only:
        statement = statement.where(_has_stock())
    return statement


def _has_stock() -> ColumnElement[bool]:
    """The Product has at least one active Variant in stock."""
    return exists().where(
        Variant.product_id == Product.id, Variant.active.is_(True), Variant.stock > 0
    )


def _sort_order(sort: ProductSort, relevance=None) -> tuple:  # noqa: ANN001
    # Each order is exactly an index read forwards or backwards ((status, published_at) and
    # (status, from_price_cents, id)), so a page of a big catalogue stops after a few rows.
    newest = (Product.published_at.desc(), Product.id.desc())
    if sort == ProductSort.PRICE_ASC:
        return (Product.from_price_cents.asc(), Product.id.asc())
    if sort == ProductSort.PRICE_DESC:
        return (Product.from_price_cents.desc(), Product.id.desc())
    if sort == ProductSort.RELEVANCE and relevance is not None:
        return (relevance.desc(), *newest)
    return newest


def _card(row: Row) -> ProductCard:
    (id_, slug, name, vendor_name, from_price, hub, stock_left, threshold, prices,
     path, alt, width, height) = row  # fmt: skip
    return ProductCard(
        id=id_,
        slug=slug,
        name=name,
        vendor_name=vendor_name,
        from_price_cents=from_price,
        made_at_hub=hub,
        available_stock=stock_left or 0,
        low_stock_threshold=threshold or 0,
        price_count=prices or 0,
        cover_image=None if path is None else CoverImage(path, alt, width, height),
    )


def _read(statement: Select, values: dict[str, object], *, prepare: bool = True) -> list[Row]:
    """Rows of `statement`, straight on the session's connection: these statements return
    plain rows, and the ORM's execution layer cost more than the query on a listing page.

    With `prepare=False` psycopg never prepares it: PostgreSQL would then settle on one plan
    for all values after a few runs, which suits listings but not searches, whose best plan
    depends on the words searched (a "laine" search took a third longer with the shared plan).
    """
    connection = db.session.connection()
    if prepare:
        return connection.execute(statement, values).all()
    driver = connection.connection.driver_connection
    threshold = getattr(driver, "prepare_threshold", None)
    if threshold is not None:
        driver.prepare_threshold = None
    try:
        return connection.execute(statement, values).all()
    finally:
        if threshold is not None:
            driver.prepare_threshold = threshold


def load_product_cards(product_ids: Sequence[int]) -> list[ProductCard]:
    """Cards of these Products, in the order given, in one query."""
    if not product_ids:
        return []
    rows = _read(_cards_by_id_statement(_dialect()), {"product_ids": list(product_ids)})
    cards = {row[0]: _card(row) for row in rows}
    return [cards[product_id] for product_id in product_ids if product_id in cards]


@cache
def _cards_by_id_statement(dialect: str) -> Select:
    """The card query: a dozen columns, the active Variants summed up per Product, and the
    cover picture (first by position), for the Products asked for only."""
    stock = (
        select(
            Variant.product_id,
            func.sum(Variant.stock).label("available_stock"),
            func.max(Variant.low_stock_threshold).label("low_stock_threshold"),
            func.count(distinct(Variant.price_cents)).label("price_count"),
        )
        .where(_one_of(Variant.product_id, "product_ids", dialect), Variant.active.is_(True))
        .group_by(Variant.product_id)
        .subquery()
    )
    pictures = (
        select(
            ProductImage.product_id,
            ProductImage.path,
            ProductImage.alt,
            ProductImage.width,
            ProductImage.height,
            func.row_number()
            .over(
                partition_by=ProductImage.product_id,
                order_by=(ProductImage.position, ProductImage.id),
            )
            .label("rank"),
        )
        .where(_one_of(ProductImage.product_id, "product_ids", dialect))
        .subquery()
    )
    return (
        select(
            Product.id,
            Product.slug,
            Product.name,
            Vendor.name,
            Product.from_price_cents,
            Product.made_at_hub,
            stock.c.available_stock,
            stock.c.low_stock_threshold,
            stock.c.price_count,
            pictures.c.path,
            pictures.c.alt,
            pictures.c.width,
            pictures.c.height,
        )
        .join(Vendor, Vendor.id == Product.vendor_id)
        .outerjoin(stock, stock.c.product_id == Product.id)
        .outerjoin(pictures, and_(pictures.c.product_id == Product.id, pictures.c.rank == 1))
        .where(_one_of(Product.id, "product_ids", dialect))
    )


def _page_statement(ids: Select[tuple[int]], order: tuple, *, counted: bool = True) -> Select:
    """One page of the Product ids that `ids` selects, in `order`; when `counted`, each row
    also carries the bounded count of all of them (`full_count`, an uncorrelated subquery run
    once)."""
    if counted:
        bounded = ids.limit(bindparam("count_limit")).subquery()
        full_count = select(func.count()).select_from(bounded).scalar_subquery()
        ids = ids.add_columns(full_count.label("full_count"))
    return ids.order_by(*order).limit(bindparam("page_size")).offset(bindparam("page_offset"))


@cache
def _listing_statement(shape: _ListingShape, dialect: str, *, counted: bool = True) -> Select:
    ids = _apply_filters(_public_product_ids(), shape, dialect)
    return _page_statement(ids, _sort_order(shape.sort), counted=counted)


def _card_page(
    statement: Select,
    values: dict[str, object],
    *,
    page: int,
    per_page: int,
    prepare: bool = True,
) -> Page[ProductCard]:
    """Run a `_page_statement` for `page` (or the last page, past the end), then load the
    cards of the page shown: two queries."""
    count_limit = count_cap_for(page, per_page) + 1

    def fetch(number: int) -> tuple[list[Row], int]:
        bounds = {
            "count_limit": count_limit,
            "page_size": per_page,
            "page_offset": (number - 1) * per_page,
        }
        rows = _read(statement, {**values, **bounds}, prepare=prepare)
        return rows, rows[0].full_count if rows else 0

    return page_or_last(
        fetch,
        page=page,
        per_page=per_page,
        load=lambda rows: load_product_cards([row[0] for row in rows]),
    )


def list_products(*, filters: ProductFilters, page: int, per_page: int) -> Page[ProductCard]:
    """One page of public Products as cards, filtered and sorted.

    The listing's total (a count bounded to ten pages ahead) is kept per filters for
    CATALOG_CACHE_SECONDS, like the Vendor lists: counting was a third of a listing's time in
    the database, and a total a minute old is good enough to say "more than 1,000 products"
    and link the next pages (a link past the end still gives the last page). The Products
    shown, their prices and their stock are read for every page.
    """
    shape, dialect, values = _ListingShape.of(filters), _dialect(), _filter_values(filters)
    count_cap = count_cap_for(page, per_page)
    total_key = ("listing_total", filters, count_cap)
    total = _recently_kept(total_key)
    if total is not None:
        offset = (page - 1) * per_page
        bounds = {"page_size": per_page, "page_offset": offset}
        rows = _read(_listing_statement(shape, dialect, counted=False), {**values, **bounds})
        # A page that does not hold what the kept total promises is counted again: no page
        # says "3 products" while showing 4.
        if rows and len(rows) == min(per_page, min(total, count_cap + 1) - offset):
            cards = load_product_cards([row[0] for row in rows])
            return Page(cards, number=page, per_page=per_page, total=total, count_cap=count_cap)
    listed = _card_page(_listing_statement(shape, dialect), values, page=page, per_page=per_page)
    _keep(total_key, listed.total)
    return listed


def search_catalog(
    *, query: SearchQuery, filters: ProductFilters, page: int, per_page: int, vendor_limit: int = 6
) -> SearchResults:
    """Products (paginated, filtered) and Vendors matching what the visitor typed."""
    if query.is_empty:
        return SearchResults(
            products=Page(items=(), number=1, per_page=per_page, total=0), vendors=()
        )
    dialect = _dialect()
    matches, relevance = product_match(query, dialect)
    ids = _apply_filters(_public_product_ids().where(matches), _ListingShape.of(filters), dialect)
    statement = _page_statement(ids, _sort_order(filters.sort, relevance))
    products = _card_page(
        statement, _filter_values(filters), page=page, per_page=per_page, prepare=False
    )
    vendors = search_vendors(query=query, limit=vendor_limit) if page == 1 else ()
    suggestion = None
    if not products.total and not vendors:
        suggestion = spelling_suggestion(db.session, query, dialect)
    return SearchResults(products=products, vendors=vendors, suggestion=suggestion)


def list_new_arrivals(*, limit: int) -> list[ProductCard]:
    """The newest Products a visitor can buy today: a sold-out one is no news."""
    statement = (
        _public_product_ids()
        .where(_has_stock())
        .order_by(*_sort_order(ProductSort.NEWEST))
        .limit(limit)
    )
    return load_product_cards(db.session.scalars(statement).all())


def list_vendor_choices(
    *, category_ids: Sequence[int] = (), selected_slug: str | None = None
) -> tuple[VendorChoice, ...]:
    """Approved Vendors with public Products in these Categories (in any when none), by name.

    The Vendor a link chose (`selected_slug`) is offered too when it is approved but has
    nothing here (sold everything, moved its goods): the visitor sees their filter kept and an
    empty result, not a "no such Vendor" message.

    Each process keeps the list per set of Categories for CATALOG_CACHE_SECONDS: finding
    which Vendors sell in a Category reads thousands of index entries (several ms on a big
    catalogue) on every listing page, for a list that only changes when a Vendor is approved,
    renamed, leaves, or lists its first Product in a Category. A newcomer appears in the filter
    that much later; a Vendor that left stays in it as long, and choosing it lists nothing,
    since the listing itself is never cached.
    """
    key = tuple(sorted(category_ids))
    choices = _kept(("vendor_choices", key), lambda: _query_vendor_choices(key))
    if not selected_slug or any(choice.slug == selected_slug for choice in choices):
        return choices
    chosen = db.session.execute(
        _vendor_choice_columns().where(
            Vendor.status == VendorStatus.APPROVED, Vendor.slug == selected_slug
        )
    ).first()
    if chosen is None:
        return choices
    with_chosen = [*choices, VendorChoice(*chosen)]
    return tuple(sorted(with_chosen, key=lambda choice: choice.name.casefold()))


def _vendor_choice_columns() -> Select:
    return select(Vendor.id, Vendor.slug, Vendor.name)


def _query_vendor_choices(category_ids: tuple[int, ...]) -> tuple[VendorChoice, ...]:
    selling = [
        Product.vendor_id == Vendor.id,
        Product.status == ProductStatus.ACTIVE,
    ]
    if category_ids:
        selling.append(Product.category_id.in_(category_ids))
    statement = (
        _vendor_choice_columns()
        .where(Vendor.status == VendorStatus.APPROVED, exists().where(*selling))
        .order_by(Vendor.name)
    )
    return tuple(VendorChoice(*row) for row in db.session.execute(statement))


def get_public_product(*, slug: str) -> Product | None:
    """The Product behind a public page, or None when it is not (or no longer) for sale."""
    statement = (
        public_products_statement()
        .where(Product.slug == slug)
        .options(
            contains_eager(Product.vendor),
            joinedload(Product.category).joinedload(Category.parent),
            # One product: joining its few Variants and pictures costs less than two queries.
            joinedload(Product.variants),
            joinedload(Product.images),
        )
    )
    return db.session.scalars(statement).unique().first()


def list_other_products_of_vendor(*, product: Product, limit: int) -> list[ProductCard]:
    """Some other goods of the same Vendor, newest first, for the product page."""
    statement = (
        _public_product_ids()
        .where(Product.vendor_id == product.vendor_id, Product.id != product.id)
        .order_by(*_sort_order(ProductSort.NEWEST))
        .limit(limit)
    )
    return load_product_cards(db.session.scalars(statement).all())


@dataclass(frozen=True, slots=True, eq=False)
class CategoryEntry:
    """A Category as menus, filters and breadcrumbs show it: plain data, shared by requests."""

    id: int
    slug: str
    name: str
    name_en: str
    description: str
    parent_id: int | None
    parent: "CategoryEntry | None"

    name_for = Category.name_for


def list_categories() -> Sequence[CategoryEntry]:
    """Every Category, in the order the cooperative chose.

    Each process keeps them for CATALOG_CACHE_SECONDS: every storefront page needs them, and
    they change only when the hub's catalogue is set up (seed, migrations), so a new or renamed
    Category shows that much later.
    """
    return _kept(("categories",), _load_categories)


def _load_categories() -> tuple[CategoryEntry, ...]:
    statement = select(
        Category.id,
        Category.slug,
        Category.name,
        Category.name_en,
        Category.description,
        Category.parent_id,
    ).order_by(Category.position, Category.name)
    rows = db.session.execute(statement).all()
    by_id = {row.id: row for row in rows}
    entries: dict[int, CategoryEntry] = {}

    def entry(category_id: int, below: tuple[int, ...] = ()) -> CategoryEntry:
        if category_id not in entries:
            row = by_id[category_id]
            has_parent = row.parent_id in by_id and row.parent_id not in below
            parent = entry(row.parent_id, (*below, category_id)) if has_parent else None
            entries[category_id] = CategoryEntry(*row, parent=parent)
        return entries[category_id]

    return tuple(entry(row.id) for row in rows)


#: Most values a process keeps (`_kept`); the oldest are dropped first.
KEPT_VALUES = 4096
_keeping = Lock()


def _kept(key: tuple, load: Callable[[], T]) -> T:
    """What `load()` gave less than CATALOG_CACHE_SECONDS ago in this process, or `load()`."""
    value = _recently_kept(key)
    if value is None:
        value = load()
        _keep(key, value)
    return value


def _recently_kept(key: tuple) -> object | None:
    found = current_app.extensions.setdefault("catalog.kept", {}).get(key)
    if found is not None and monotonic() - found[0] < current_app.config["CATALOG_CACHE_SECONDS"]:
        return found[1]
    return None


def _keep(key: tuple, value: object) -> None:
    if current_app.config["CATALOG_CACHE_SECONDS"] <= 0:
        return
    kept = current_app.extensions.setdefault("catalog.kept", {})
    with _keeping:  # threads of one process may keep values at once
        if key not in kept and len(kept) >= KEPT_VALUES:
            kept.pop(next(iter(kept)), None)
        kept[key] = (monotonic(), value)


def top_level_categories(categories: Sequence[CategoryEntry]) -> list[CategoryEntry]:
    return [category for category in categories if category.parent_id is None]


def find_category(categories: Sequence[CategoryEntry], slug: str | None) -> CategoryEntry | None:
    return next((category for category in categories if category.slug == slug), None)


def category_family_ids(
    category: Category | CategoryEntry, categories: Sequence[Category | CategoryEntry]
) -> tuple[int, ...]:
    """The Category's id and those of every Category below it, from an already loaded list."""
    children_of: dict[int | None, list] = {}
    for candidate in categories:
        children_of.setdefault(candidate.parent_id, []).append(candidate)
    family, pending = [], [category]
    while pending:
        current = pending.pop()
        if current.id in family:
            continue
        family.append(current.id)
        pending.extend(children_of.get(current.id, []))
    return tuple(family)


def refresh_from_price(*, product: Product) -> None:
    """Keep `from_price_cents` (listing sorts and "dès …") equal to the cheapest active Variant.

    Call after creating or changing a Product's Variants; a Product with no active Variant
    keeps 0.
    """
    prices = [variant.price_cents for variant in product.variants if variant.active]
    product.from_price_cents = min(prices, default=0)
    db.session.flush()
