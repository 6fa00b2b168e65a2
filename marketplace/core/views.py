"""Site-wide endpoints (media files, language choice, health check) and the site header."""
from flask import Blueprint, current_app, redirect, request, send_from_directory, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .fragments import KeptFragments

bp = Blueprint("core", __name__)

_site_headers = KeptFragments()


@bp.app_template_global()
@pass_context
def site_header(context: Context) -> Markup:
    """The header of every page (`_site_header.html`), kept per state (`core.fragments`): the
    language, the page's endpoint and search words, the cart's count, the kind of visitor,
    and for visitors the page to come back to after logging in (for members, their logout
    form's token)."""
    endpoint = request.endpoint or ""
    signed_in = current_user.is_authenticated
    state = {
        "endpoint": endpoint,
        "search_text": request.args.get("q", "") if endpoint == "catalog.search" else "",
        "cart_count": context["cart_item_count"](),
        "is_authenticated": signed_in,
        "is_admin": signed_in and current_user.is_admin,
        "is_vendor": signed_in and current_user.is_vendor,
        "login_next": (
            request.path
            if not signed_in and endpoint and not endpoint.startswith("accounts.")
            and request.path != "/"
            else None
        ),
        "logout_token": generate_csrf() if signed_in else None,
    }
    return _site_headers.render(context, "_site_header.html", tuple(state.items()), **state)


@bp.get("/media/<path:key>")
def media(key: str):
    response = send_from_directory(current_app.config["MEDIA_DIR"], key, max_age=86400 * 30)
    return response


@bp.post("/language")
def set_language():
    language = request.form.get("lang", "fr")
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language
    target = request.form.get("next") or url_for("catalog.home")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("catalog.home")
    return redirect(target)


@bp.get("/healthz")
def health():
    return {"status": "ok"}
