"""The legal pages and the contact page."""
from flask import Blueprint, render_template, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from . import services
from .models import PageKind

bp = Blueprint("content", __name__)

#: Each page's address and what the Admins' list calls it.
PAGES = {
    PageKind.TERMS_OF_SALE: ("/conditions-generales-de-vente", _l("Conditions générales de vente")),
    PageKind.LEGAL_NOTICE: ("/mentions-legales", _l("Mentions légales")),
    PageKind.PRIVACY: ("/donnees-personnelles", _l("Données personnelles")),
    PageKind.WITHDRAWAL: ("/droit-de-retractation", _l("Droit de rétractation")),
    PageKind.CONTACT: ("/contact", _l("Contact")),
}


def _show(kind: PageKind):  # noqa: ANN202
    locale = str(get_locale() or "fr")
    return render_template(
        "content/page.html",
        page=services.render_page(kind=kind, locale=locale),
        hub=services.hub_details() if kind in (PageKind.LEGAL_NOTICE, PageKind.CONTACT) else None,
        PageKind=PageKind,
    )


def _register_public_pages() -> None:
    for kind, (path, _title) in PAGES.items():
        bp.add_url_rule(path, endpoint=kind.value, view_func=lambda kind=kind: _show(kind))


_register_public_pages()


@bp.app_template_global()
def pickup_hub():  # noqa: ANN201
    """The hub's shop where Customers pick up, for the delivery step, order pages and emails."""
    return services.hub_details()


@bp.app_template_global()
def legal_page_url(kind: str) -> str:
    """The address of a legal page, for links in the footer, the checkout and emails."""
    return url_for(f"content.{PageKind(kind).value}")
