"""Site-wide endpoints: media files, language choice, health check."""
from flask import Blueprint, current_app, redirect, request, send_from_directory, session, url_for

bp = Blueprint("core", __name__)


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
