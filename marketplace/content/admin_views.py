"""The Admins' screens for the legal pages and the cooperative's details."""
from dataclasses import fields

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.policies import admin_required
from marketplace.core.web import never_stored, render_form

from . import services
from .forms import HubDetailsForm, PageForm
from .models import PageKind
from .views import PAGES

bp = Blueprint("content_admin", __name__, url_prefix="/admin/pages")
bp.after_request(never_stored)


@bp.before_request
@admin_required
def require_admin() -> None:
    """Anonymous visitors go to the login page; logged-in non-Admins get a 403."""


@bp.get("/")
def pages():
    return render_template("content/admin_pages.html", pages=PAGES, PageKind=PageKind)


@bp.route("/<kind>/edit", methods=["GET", "POST"])
def edit_page(kind: str):
    try:
        page_kind = PageKind(kind)
    except ValueError:
        abort(404)
    if request.method == "GET":
        form = PageForm(obj=services.page_text(kind=page_kind))
    else:
        form = PageForm()
    if form.validate_on_submit():
        services.save_page(
            kind=page_kind,
            text=services.PageText(form.title_fr.data, form.body_fr.data,
                                   form.title_en.data, form.body_en.data),
            actor_id=current_user.id,
        )
        flash(_("La page « %(title)s » est enregistrée.", title=form.title_fr.data), "success")
        return redirect(url_for("content_admin.pages"))
    return render_form("content/admin_page_form.html", form, kind=page_kind,
                       title=PAGES[page_kind][1])


@bp.route("/hub", methods=["GET", "POST"])
def edit_hub_details():
    if request.method == "GET":
        form = HubDetailsForm(obj=services.hub_details())
    else:
        form = HubDetailsForm()
    if form.validate_on_submit():
        details = services.HubDetails(
            **{field.name: form[field.name].data for field in fields(services.HubDetails)}
        )
        services.save_hub_details(details=details, actor_id=current_user.id)
        flash(_("Les informations de la coopérative sont enregistrées."), "success")
        return redirect(url_for("content_admin.pages"))
    return render_form("content/admin_hub_form.html", form)
