"""Web entry points of the vendors domain: the public pages of the hub's Vendors."""
from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from jinja2.runtime import Context

from marketplace.catalog import services as catalog
from marketplace.catalog.forms import ProductFilterForm
from marketplace.catalog.views import filtered_products, page_url_builder, require_slug

from .models import VendorKind
from .services import get_public_vendor, list_public_vendors

bp = Blueprint("vendors", __name__)

VENDOR_KIND_LABELS = {
    VendorKind.TEXTILE_WORKSHOP: _l("Atelier textile"),
    VendorKind.PRODUCER: _l("Producteur"),
    VendorKind.FOOD_MAKER: _l("Artisan de bouche"),
    VendorKind.OTHER: _l("Autre savoir-faire"),
}


#: (language, kind) -> label, translated once: listings show every kind in their filter.
_translated_kind_labels: dict[tuple[str, str], str] = {}


@bp.app_template_filter("vendor_kind")
@pass_context
def vendor_kind_label(context: Context, kind: str) -> str:
    label = VENDOR_KIND_LABELS.get(kind)
    if label is None:
        return kind
    locale = context.get("current_locale")
    if locale is None:
        return str(label)
    key = (locale, kind)
    if key not in _translated_kind_labels:
        _translated_kind_labels[key] = str(label)
    return _translated_kind_labels[key]


@bp.get("/vendors")
def vendor_list():
    kind = request.args.get("kind")
    if kind not in tuple(VendorKind):
        kind = None
    vendors = list_public_vendors(kind=kind)
    return render_template(
        "vendors/index.html", vendors=vendors, kind=kind, kinds=tuple(VendorKind)
    )


@bp.get("/vendors/<slug>")
def vendor_detail(slug: str):
    vendor = get_public_vendor(slug=require_slug(slug))
    if vendor is None:
        abort(404)
    categories = catalog.list_categories()
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
