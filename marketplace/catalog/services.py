"""What the storefront shows: public Products, listings with filters and sorts, search.

Only `active` Products of `approved` Vendors are public. Every listing loads its page of
Products with their Vendor, Variants and pictures in a fixed number of queries, however many
Products the page holds.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from marketplace.core.pagination import Page, paginate
from marketplace.extensions import db
from marketplace.vendors.models import Vendor, VendorStatus
from marketplace.vendors.services import search_vendors

from .models import Category, Product, ProductStatus, Variant
from .search import SearchQuery, product_match


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
class SearchResults:
    products: Page[Product]
    vendors: Sequence[Vendor]


def _card_options() -> tuple:
    """What a product card shows: its Vendor (already joined), Variants and pictures."""
    return (
        contains_eager(Product.vendor),
        selectinload(Product.variants),
        selectinload(Product.images),
    )


def public_products_statement() -> Select[tuple[Product]]:
    """Active Products of approved Vendors, joined to their Vendor."""
    return (
        select(Product)
        .join(Product.vendor)
        .where(Product.status == ProductStatus.ACTIVE, Vendor.status == VendorStatus.APPROVED)
    )


def _apply_filters(statement: Select, filters: ProductFilters) -> Select:
    if filters.category_ids:
        statement = statement.where(Product.category_id.in_(filters.category_ids))
    if filters.vendor_id is not None:
        statement = statement.where(Product.vendor_id == filters.vendor_id)
    if filters.vendor_kind:
        statement = statement.where(Vendor.kind == filters.vendor_kind)
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


def list_products(*, filters: ProductFilters, page: int, per_page: int) -> Page[Product]:
    """One page of public Products, filtered and sorted, ready for product cards."""
    statement = _apply_filters(public_products_statement(), filters)
    statement = _apply_sort(statement, filters.sort).options(*_card_options())
    return paginate(db.session, statement, page=page, per_page=per_page)


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
    statement = _apply_filters(public_products_statement().where(matches), filters)
    statement = _apply_sort(statement, filters.sort, relevance).options(*_card_options())
    products = paginate(db.session, statement, page=page, per_page=per_page)
    vendors = search_vendors(query=query, limit=vendor_limit) if page == 1 else ()
    return SearchResults(products=products, vendors=vendors)


def list_new_arrivals(*, limit: int) -> Sequence[Product]:
    statement = _apply_sort(public_products_statement(), ProductSort.NEWEST)
    return db.session.scalars(statement.options(*_card_options()).limit(limit)).all()


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


def list_other_products_of_vendor(*, product: Product, limit: int) -> Sequence[Product]:
    """Some other goods of the same Vendor, newest first, for the product page."""
    statement = _apply_sort(
        public_products_statement().where(
            Product.vendor_id == product.vendor_id, Product.id != product.id
        ),
        ProductSort.NEWEST,
    )
    return db.session.scalars(statement.options(*_card_options()).limit(limit)).all()


def list_categories() -> Sequence[Category]:
    """Every Category, parents before children, in the order the cooperative chose."""
    statement = select(Category).order_by(Category.position, Category.name)
    return db.session.scalars(statement).all()


def top_level_categories(categories: Sequence[Category]) -> list[Category]:
    return [category for category in categories if category.parent_id is None]


def find_category(categories: Sequence[Category], slug: str | None) -> Category | None:
    return next((category for category in categories if category.slug == slug), None)


def category_family_ids(category: Category, categories: Sequence[Category]) -> tuple[int, ...]:
    """The Category's id and those of every Category below it, from an already loaded list."""
    children_of: dict[int | None, list[Category]] = {}
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
