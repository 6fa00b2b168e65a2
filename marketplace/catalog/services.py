"""What the storefront shows: public Products, listings with filters and sorts, search.

Only `active` Products of `approved` Vendors are public. A listing costs two queries however
many Products its page holds: the page of ids in the listing's order (with a bounded count),
then the product cards of those ids, read as plain rows: a card needs a dozen columns, its
Variants' stock and prices summed up and one picture, never whole Products with every Variant
and picture (building those objects cost more than the rest of the page).
"""
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from time import monotonic
from typing import TypeVar

from flask import current_app
from sqlalchemy import Select, and_, bindparam, distinct, exists, func, select
from sqlalchemy.orm import contains_eager, joinedload

from marketplace.core.pagination import Page, paginate
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
from .search import SearchQuery, product_match

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


def load_product_cards(product_ids: Sequence[int]) -> list[ProductCard]:
    """Cards of these Products, in the order given, in one query."""
    if not product_ids:
        return []
    cards = {}
    rows = db.session.execute(_product_cards_statement(), {"product_ids": list(product_ids)})
    for row in rows:
        (id_, slug, name, vendor_name, from_price, hub, stock_left, threshold, prices,
         path, alt, width, height) = row  # fmt: skip
        cards[id_] = ProductCard(
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
    return [cards[product_id] for product_id in product_ids if product_id in cards]


@cache
def _product_cards_statement() -> Select:
    """The card query, built once: the same for every page, only the ids change.

    The active Variants are summed up per Product, and the cover picture (first by position)
    picked, for the Products asked for only.
    """
    product_ids = bindparam("product_ids", expanding=True)
    stock = (
        select(
            Variant.product_id,
            func.sum(Variant.stock).label("available_stock"),
            func.max(Variant.low_stock_threshold).label("low_stock_threshold"),
            func.count(distinct(Variant.price_cents)).label("price_count"),
        )
        .where(Variant.product_id.in_(product_ids), Variant.active.is_(True))
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
        .where(ProductImage.product_id.in_(product_ids))
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
        .where(Product.id.in_(product_ids))
    )


def _paginate_cards(statement: Select[tuple[int]], *, page: int, per_page: int) -> Page:
    ids = paginate(db.session, statement, page=page, per_page=per_page)
    return dataclasses.replace(ids, items=load_product_cards(ids.items))


def _apply_filters(statement: Select, filters: ProductFilters) -> Select:
    if filters.category_ids:
        statement = statement.where(Product.category_id.in_(filters.category_ids))
    if filters.vendor_id is not None:
        statement = statement.where(Product.vendor_id == filters.vendor_id)
    if filters.vendor_kind:
        statement = statement.where(
            Product.vendor_id.in_(select(Vendor.id).where(Vendor.kind == filters.vendor_kind))
        )
    if filters.min_price_cents is not None or filters.max_price_cents is not None:
        priced = [Variant.product_id == Product.id, Variant.active.is_(True)]
        if filters.min_price_cents is not None:
            priced.append(Variant.price_cents >= filters.min_price_cents)
        if filters.max_price_cents is not None:
            priced.append(Variant.price_cents <= filters.max_price_cents)
        statement = statement.where(exists().where(*priced))
    if filters.in_stock_only:
        statement = statement.where(
            exists().where(
                Variant.product_id == Product.id, Variant.active.is_(True), Variant.stock > 0
            )
        )
    return statement


def _apply_sort(statement: Select, sort: ProductSort, relevance=None) -> Select:  # noqa: ANN001
    # Each order is exactly an index read forwards or backwards ((status, published_at) and
    # (status, from_price_cents, id)), so a page of a big catalogue stops after a few rows.
    newest = (Product.published_at.desc(), Product.id.desc())
    if sort == ProductSort.PRICE_ASC:
        return statement.order_by(Product.from_price_cents.asc(), Product.id.asc())
    if sort == ProductSort.PRICE_DESC:
        return statement.order_by(Product.from_price_cents.desc(), Product.id.desc())
    if sort == ProductSort.RELEVANCE and relevance is not None:
        return statement.order_by(relevance.desc(), *newest)
    return statement.order_by(*newest)


def list_products(*, filters: ProductFilters, page: int, per_page: int) -> Page[ProductCard]:
    """One page of public Products as cards, filtered and sorted."""
    statement = _apply_sort(_apply_filters(_public_product_ids(), filters), filters.sort)
    return _paginate_cards(statement, page=page, per_page=per_page)


def search_catalog(
    *, query: SearchQuery, filters: ProductFilters, page: int, per_page: int, vendor_limit: int = 6
) -> SearchResults:
    """Products (paginated, filtered) and Vendors matching what the visitor typed."""
    if query.is_empty:
        return SearchResults(
            products=Page(items=(), number=1, per_page=per_page, total=0), vendors=()
        )
    dialect = db.session.get_bind().dialect.name
    matches, relevance = product_match(query, dialect)
    statement = _apply_filters(_public_product_ids().where(matches), filters)
    statement = _apply_sort(statement, filters.sort, relevance)
    products = _paginate_cards(statement, page=page, per_page=per_page)
    vendors = search_vendors(query=query, limit=vendor_limit) if page == 1 else ()
    return SearchResults(products=products, vendors=vendors)


def list_new_arrivals(*, limit: int) -> list[ProductCard]:
    statement = _apply_sort(_public_product_ids(), ProductSort.NEWEST).limit(limit)
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
    statement = _apply_sort(
        _public_product_ids().where(
            Product.vendor_id == product.vendor_id, Product.id != product.id
        ),
        ProductSort.NEWEST,
    )
    return load_product_cards(db.session.scalars(statement.limit(limit)).all())


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


def _kept(key: tuple, load: Callable[[], T]) -> T:
    """What `load()` gave less than CATALOG_CACHE_SECONDS ago in this process, or `load()`."""
    ttl = current_app.config["CATALOG_CACHE_SECONDS"]
    kept = current_app.extensions.setdefault("catalog.kept", {})
    now = monotonic()
    found = kept.get(key)
    if found is not None and now - found[0] < ttl:
        return found[1]
    value = load()
    if ttl > 0:
        kept[key] = (now, value)
    return value


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
