"""Storefront pages: home, listings, category pages, product pages, Vendor pages, search."""
import html
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from marketplace.core.fragments import KeptFragments
from marketplace.core.pagination import Page, parse_page_number
from marketplace.vendors.services import get_public_vendor, list_featured_vendors

from . import cards, services
from .forms import ProductFilterForm
from .search import normalize_query
from .services import SEARCH_SORTS, CategoryEntry, ProductCard, VendorChoice

bp = Blueprint("catalog", __name__)

#: Slugs are short and plain; anything else cannot name a page (and never reaches the database).
SLUG = re.compile(r"[\w-]{1,160}")

HOME_NEW_ARRIVALS = 8
HOME_FEATURED_VENDORS = 6
PRODUCT_PAGE_OTHER_GOODS = 4


bp.add_app_template_filter(cards.initials, "initials")


@bp.app_template_global()
@pass_context
def product_cards(context: Context, products: Sequence[ProductCard], heading: str = "h3") -> Markup:
    """The grid of cards of these Products (`catalog.cards`), in the page's language."""
    return cards.product_grid(
        products,
        heading=heading,
        locale=context.get("current_locale") or str(get_locale()),
        product_path=url_for("catalog.product_detail", slug=""),
        media_path=url_for("core.media", key=""),
    )


_filter_forms = KeptFragments()
_pagination_bars = KeptFragments()
_listing_heads = KeptFragments()


@bp.app_template_global()
@pass_context
def listing_head(
    context: Context,
    category: CategoryEntry | None,
    categories: Sequence[CategoryEntry],
    subcategories: Sequence[CategoryEntry] | None,
) -> Markup:
    """A listing's breadcrumb, title and chips (`catalog/_listing_head.html`), kept per
    language and Category while the kept Categories are the same."""
    return _listing_heads.render(
        context,
        "catalog/_listing_head.html",
        (category.id if category else None, subcategories is not None),
        anchors=(categories,),
        category=category,
        categories=categories,
        subcategories=subcategories,
    )


@bp.app_template_global()
@pass_context
def filter_form(
    context: Context,
    form: ProductFilterForm,
    categories: Sequence,
    *,
    query: object = None,
    fixed_category: bool = False,
    fixed_vendor: bool = False,
) -> Markup:
    """The listing filter form (`catalog/_filters.html`), kept per state (`core.fragments`).

    What it shows follows from the page's language, address and query string (which the form
    reads), the kept Categories and Vendor list, and which filter the page fixes.
    """
    return _filter_forms.render(
        context,
        "catalog/_filters.html",
        (request.path, request.query_string, bool(fixed_category), bool(fixed_vendor)),
        anchors=(categories, form.vendors),
        form=form,
        categories=categories,
        query=query,
        fixed_category=fixed_category,
        fixed_vendor=fixed_vendor,
        request=request,
    )


@bp.app_template_global()
@pass_context
def pagination(context: Context, products: Page, page_url: Callable[[int], str]) -> Markup:
    """The links to a listing's other pages (`catalog/_pagination.html`), kept per state: they
    follow from the language, the first page's address, the page shown and the page count."""
    return _pagination_bars.render(
        context,
        "catalog/_pagination.html",
        (page_url(1), products.number, products.page_count, products.total_is_capped),
        products=products,
        page_url=page_url,
    )


@bp.app_template_global()
def vendor_options(vendors: Iterable[VendorChoice], selected_slug: str | None) -> Markup:
    """The <option>s of the listing's Vendor filter, the chosen one selected."""
    options = _vendor_options_html(tuple(vendors))
    if selected_slug:
        chosen = f'<option value="{html.escape(selected_slug)}">'
        options = options.replace(chosen, f"{chosen[:-1]} selected>", 1)
    return Markup(options)


@lru_cache(maxsize=64)
def _vendor_options_html(vendors: tuple[VendorChoice, ...]) -> str:
    """Written once per Vendor list (the catalogue keeps each list a while), in Python: a
    category can offer hundreds of Vendors, and a Jinja loop over them cost more than the
    product cards of the page."""
    return "".join(
        f'<option value="{html.escape(vendor.slug)}">{html.escape(vendor.name)}</option>'
        for vendor in vendors
    )


def require_slug(slug: str) -> str:
    if not SLUG.fullmatch(slug):
        abort(404)
    return slug


def slug_arg(name: str) -> str | None:
    """A slug from the query string, or None when what is there cannot be one."""
    value = request.args.get(name)
    return value if value and SLUG.fullmatch(value) else None


def page_url_builder(form: ProductFilterForm, **fixed: str):  # noqa: ANN201
    """Links to other pages of a listing keep its valid filters (and the search words).

    The first page's link is built once, when the pagination first asks; the other pages
    add their number at its end.
    """
    endpoint, view_args = request.endpoint, request.view_args or {}

    @cache
    def first_page_url() -> str:
        return url_for(endpoint, **{**view_args, **fixed, **form.query_args()})

    def page_url(number: int) -> str:
        first = first_page_url()
        if number <= 1:
            return first
        return f"{first}{'&' if '?' in first else '?'}page={number}"

    return page_url


@bp.get("/")
def home():
    categories = services.list_categories()
    return render_template(
        "catalog/home.html",
        categories=categories,
        featured_vendors=list_featured_vendors(limit=HOME_FEATURED_VENDORS),
        new_arrivals=services.list_new_arrivals(limit=HOME_NEW_ARRIVALS),
    )


def filtered_products(form: ProductFilterForm, **scope: object):
    """The page of active products that the listing's filter form asks for, within `scope`
    (a Category or a Vendor); invalid filters are reported on the form and left out."""
    form.validate()
    return services.list_products(
        filters=form.to_filters(**scope),
        page=parse_page_number(request.args.get("page")),
        per_page=current_app.config["PRODUCTS_PER_PAGE"],
    )


def _vendor_choices(category, categories):  # noqa: ANN001, ANN202
    return services.list_vendor_choices(
        category_ids=services.category_family_ids(category, categories) if category else (),
        selected_slug=slug_arg("vendor"),
    )


@bp.get("/products")
def product_list():
    categories = services.list_categories()
    chosen = services.find_category(categories, slug_arg("category"))
    form = ProductFilterForm(
        request.args, categories=categories, vendors=_vendor_choices(chosen, categories)
    )
    products = filtered_products(form)
    return render_template(
        "catalog/listing.html",
        form=form,
        products=products,
        categories=categories,
        category=form.selected_category,
        page_url=page_url_builder(form),
    )


@bp.get("/categories/<slug>")
def category(slug: str):
    categories = services.list_categories()
    current = services.find_category(categories, require_slug(slug))
    if current is None:
        abort(404)
    form = ProductFilterForm(
        request.args, categories=categories, vendors=_vendor_choices(current, categories)
    )
    products = filtered_products(form, category=current)
    return render_template(
        "catalog/listing.html",
        form=form,
        products=products,
        categories=categories,
        category=current,
        subcategories=[c for c in categories if c.parent_id == current.id],
        page_url=page_url_builder(form),
    )


@bp.get("/products/<slug>")
def product_detail(slug: str):
    product = services.get_public_product(slug=require_slug(slug))
    if product is None:
        abort(404)
    # A thumbnail links here with its picture's id, so the picture opens in the page even
    # without JavaScript (which only saves the round trip).
    chosen_image = request.args.get("image", type=int)
    main_image = next((i for i in product.images if i.id == chosen_image), product.cover_image)
    return render_template(
        "catalog/product.html",
        product=product,
        main_image=main_image,
        variants=product.active_variants,
        variant_axes=services.variant_axes(product.active_variants),
        other_products=services.list_other_products_of_vendor(
            product=product, limit=PRODUCT_PAGE_OTHER_GOODS
        ),
    )


@bp.get("/search")
def search():
    query = normalize_query(request.args.get("q"))
    categories = services.list_categories()
    form = ProductFilterForm(request.args, categories=categories, vendors=None, sorts=SEARCH_SORTS)
    form.validate()
    results = services.search_catalog(
        query=query,
        filters=form.to_filters(),
        page=parse_page_number(request.args.get("page")),
        per_page=current_app.config["PRODUCTS_PER_PAGE"],
    )
    return render_template(
        "catalog/search.html",
        query=query,
        form=form,
        results=results,
        products=results.products,
        categories=categories,
        suggested_categories=services.top_level_categories(categories),
        page_url=page_url_builder(form, q=query.text),
    )


@bp.get("/vendors/<slug>")
def vendor_detail(slug: str):
    vendor = get_public_vendor(slug=require_slug(slug))
    if vendor is None:
        abort(404)
    categories = services.list_categories()
    form = ProductFilterForm(request.args, categories=categories, vendors=None)
    products = filtered_products(form, vendor=vendor)
    return render_template(
        "vendors/detail.html",
        vendor=vendor,
        form=form,
        products=products,
        categories=categories,
        page_url=page_url_builder(form),
    )
