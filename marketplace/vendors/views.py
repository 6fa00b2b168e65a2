"""Web entry points of the vendors domain: the list of the hub's Vendors (a Vendor's own
page lists its Products: catalog.views.vendor_detail)."""
from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from jinja2.runtime import Context

from .models import VendorKind
from .services import list_public_vendors

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

