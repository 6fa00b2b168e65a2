"""Les Ateliers marketplace: the application factory."""
import ipaddress
import logging
import os
import secrets
from collections.abc import Callable
from functools import lru_cache
from importlib import import_module
from pathlib import Path

from babel.numbers import format_decimal
from babel.support import Translations
from flask import (
    Flask,
    current_app,
    has_request_context,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, get_translations, lazy_gettext
from flask_wtf.csrf import CSRFError
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS

from .core.forms import share_form_translations
from .core.transactions import register_transactions
from .core.web import DatabaseIntegerConverter
from .extensions import babel, csrf, db, limiter, login_manager, migrate

#: Every domain's blueprint, in the order their URL rules are matched.
BLUEPRINTS = (
    "marketplace.catalog.views",
    "marketplace.vendors.views",
    "marketplace.accounts.views",
    "marketplace.cart.views",
    "marketplace.checkout.views",
    "marketplace.orders.views",
    "marketplace.payments.views",
    "marketplace.delivery.views",
    "marketplace.logistics.views",
    "marketplace.ledger.views",
    "marketplace.admin.views",
    "marketplace.content.views",
    "marketplace.content.admin_views",
    "marketplace.privacy.views",
    "marketplace.core.views",
)


def create_app(config_name: str | None = None, **overrides: object) -> Flask:
    config_name = config_name or os.environ.get("MARKETPLACE_ENV", "development")
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(CONFIGS["development"].INSTANCE_DIR),
    )
    config_class = CONFIGS[config_name]
    app.config.from_object(config_class() if config_name == "production" else config_class)
    app.config.update(overrides)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.config["INSTANCE_DIR"]))

    register_extensions(app)
    app.url_map.converters["int"] = DatabaseIntegerConverter  # before any route is added
    register_blueprints(app)
    register_template_helpers(app)
    register_error_pages(app)
    register_request_guards(app)
    register_security_headers(app)
    register_proxy_headers(app)
    register_commands(app)
    register_task_runner(app)
    logging.basicConfig(level=logging.INFO)
    return app


def instance_secret_key(instance_dir: Path) -> str:
    """This installation's own random key, made on first run and kept (owner-only) under the
    instance folder: sessions survive restarts, and no other installation can forge them."""
    path = instance_dir / "secret_key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process of this first run made it meanwhile
            pass
        else:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_hex(32))
    return path.read_text().strip()


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    # First of the request hooks: a storefront request must start reading in autocommit
    # mode before anything (the visitor's account, for their language) reads the database.
    register_transactions(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(__file__), "..", "migrations"),
        render_as_batch=True,  # SQLite can only ALTER tables by copying them
        compare_type=True,
    )
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = lazy_gettext("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = str  # the session stores text, not a lazy string
    from .accounts.views import load_user

    login_manager.user_loader(load_user)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Paris")
    limiter.init_app(app)
    share_form_translations(app)
    import_module("marketplace.models")  # every model, so relationships and migrations see them


def select_locale() -> str:
    """French unless the visitor chose English (kept in the session, or on their account)."""
    from flask_login import current_user

    languages = CONFIGS["development"].LANGUAGES
    if request and session.get("lang") in languages:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return "fr"


def register_blueprints(app: Flask) -> None:
    for module_path in BLUEPRINTS:
        app.register_blueprint(import_module(module_path).bp)


def register_template_helpers(app: Flask) -> None:
    from .core.grammar import of_name
    from .core.money import format_cents

    # Flask-Babel looks the translations up anew for each string (a dozen context look-ups),
    # and a page translates fifty: templates take those of the locale they are rendered in
    # (`current_locale`, set by inject_locale below), found once per locale.
    translations_by_locale: dict[str, Translations] = {}

    def translations(context: Context) -> Translations:
        locale = context.get("current_locale")
        if locale is None:  # a template rendered on its own, or a macro imported bare
            return get_translations()
        found = translations_by_locale.get(locale)
        if found is None:
            found = get_translations()
            # Kept only when they are that locale's (not the stand-in given outside an app).
            if isinstance(found, Translations) and str(get_locale()) == locale:
                translations_by_locale[locale] = found
        return found

    app.jinja_env.install_gettext_callables(
        gettext=pass_context(lambda context, string: translations(context).ugettext(string)),
        ngettext=pass_context(
            lambda context, singular, plural, n: translations(context).ungettext(
                singular, plural, n
            )
        ),
        newstyle=True,
        pgettext=pass_context(
            lambda context, msgctxt, string: translations(context).upgettext(msgctxt, string)
        ),
        npgettext=pass_context(
            lambda context, msgctxt, singular, plural, n: translations(context).unpgettext(
                msgctxt, singular, plural, n
            )
        ),
    )

    # Jinja's newstyle `_` resolves `gettext`, which calls the callable above, each step
    # through Context.call: ~20 Python calls a string, and the layout alone translates 25.
    # Same semantics (escaped when autoescaping, then always %-formatted), one call.
    @pass_context
    def gettext(context: Context, string: str, **variables: object) -> str:
        if not variables:
            return _fixed_text(context, string)
        translated = translations(context).ugettext(string)
        if context.eval_ctx.autoescape:
            translated = Markup(translated)
        return translated % variables

    # Most strings of a page have no placeholders: each is translated and formatted once per
    # language and kept (the catalogue does not change while the application runs).
    fixed_texts: dict[tuple[str, bool, str], str] = {}

    def _fixed_text(context: Context, string: str) -> str:
        locale, autoescape = context.get("current_locale"), context.eval_ctx.autoescape
        key = (locale, autoescape, string)
        found = fixed_texts.get(key)
        if found is None:
            found = translations(context).ugettext(string)
            found = (Markup(found) if autoescape else found) % {}
            if locale is not None and locale in translations_by_locale:
                fixed_texts[key] = found
        return found

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, n: int, **variables: object) -> str:
        variables.setdefault("num", n)
        translated = translations(context).ungettext(singular, plural, n)
        if context.eval_ctx.autoescape:
            translated = Markup(translated)
        return translated % variables

    app.jinja_env.globals.update(
        _=gettext, gettext=gettext, ngettext=ngettext, url_for=_kept_url_for(app)
    )

    @app.template_filter("money")
    @pass_context
    def money_filter(context: Context, cents: int | None) -> str:
        if cents is None:
            return ""
        # The locale the page is rendered in, read once rather than looked up per price.
        locale = context.get("current_locale") or str(get_locale() or "fr")
        return format_cents(int(cents), locale=locale)

    @app.template_filter("numberformat")  # Flask-Babel's, kept per number and language
    @pass_context
    def numberformat_filter(context: Context, number: int) -> str:
        return _formatted_number(number, context.get("current_locale") or str(get_locale()))

    @app.template_filter("of_name")  # "Logo {{ name|of_name }}": "du Tissage", "d'Anglès"
    def of_name_filter(name: str) -> str:
        return of_name(name, str(get_locale() or "fr"))

    @app.template_filter("percent_bps")
    def percent_bps_filter(bps: int) -> str:
        from decimal import Decimal

        locale = str(get_locale() or "fr")
        # Decimal keeps 5.5 % exact; a rate in basis points is never a float.
        number = format_decimal(Decimal(bps) / 100, format="#,##0.##", locale=locale)
        return f"{number} %" if locale == "fr" else f"{number}%"  # French spaces the sign

    @app.context_processor
    def inject_locale() -> dict:
        return {"current_locale": str(get_locale() or "fr")}


@lru_cache(maxsize=1024)
def _formatted_number(number: int, locale: str) -> str:
    # Babel reads the locale's number pattern on every call: a listing's total costs as much
    # as a card.
    return format_decimal(number, locale=locale)


def _kept_url_for(app: Flask) -> Callable[..., str]:
    """`url_for` for templates, keeping what it built: a page asks for the same links on every
    request (the layout alone for a dozen), each built through Werkzeug's URL map.

    A link depends on its endpoint, its arguments and the application's root (SCRIPT_NAME),
    and on the current blueprint for a relative endpoint; external links, links built outside
    a request and arguments that cannot be a key are built anew. The app registers no
    `url_defaults` callbacks, which kept links would not see.
    """

    @lru_cache(maxsize=4096)
    def built(script_root: str, blueprint: str | None, endpoint: str, arguments: tuple) -> str:
        return url_for(endpoint, **dict(arguments))

    def template_url_for(endpoint: str, **arguments: object) -> str:
        if not has_request_context() or arguments.get("_external"):
            return url_for(endpoint, **arguments)
        blueprint = request.blueprint if endpoint.startswith(".") else None
        try:
            return built(request.script_root, blueprint, endpoint, tuple(sorted(arguments.items())))
        except TypeError:  # an argument that is not hashable (a list of values)
            return url_for(endpoint, **arguments)

    return template_url_for


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(403)
    def forbidden(error):  # noqa: ANN001
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    def not_found(error):  # noqa: ANN001
        return render_template("errors/404.html"), 404

    @app.errorhandler(500)
    def server_error(error):  # noqa: ANN001
        # The failed transaction must end before the error page reads anything (the header).
        db.session.rollback()
        return render_template("errors/500.html"), 500

    @app.errorhandler(429)
    def too_many_requests(error):  # noqa: ANN001
        return render_template("errors/429.html"), 429

    @app.errorhandler(CSRFError)
    def csrf_refused(error):  # noqa: ANN001
        # Mostly a form left open past its token's life: say so, in the visitor's language.
        return render_template("errors/csrf.html"), 400


def register_request_guards(app: Flask) -> None:
    from .core.web import refuse_control_characters, refuse_unexpected_json

    app.before_request(refuse_control_characters)
    app.before_request(refuse_unexpected_json)


def register_security_headers(app: Flask) -> None:
    csp = "; ".join(
        (
            "default-src 'self'",
            "img-src 'self' data:",
            "style-src 'self'",
            "script-src 'self' https://js.stripe.com",
            "frame-src https://js.stripe.com https://hooks.stripe.com",
            "connect-src 'self' https://api.stripe.com",
            "form-action 'self'",
            "base-uri 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        )
    )

    @app.after_request
    def set_security_headers(response):  # noqa: ANN001
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config.get("SECURE_HEADERS_HSTS"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=63072000; includeSubDomains"
            )
        return response


def register_proxy_headers(app: Flask) -> None:
    """Behind a reverse proxy, take the client IP (rate limits) and scheme (https links)
    from the X-Forwarded-* headers that proxy sets, and from nobody else."""
    hops = app.config["TRUSTED_PROXY_COUNT"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.before_request(warn_about_proxy_mismatch)


def warn_about_proxy_mismatch() -> None:
    """Log (once per process) the obvious TRUSTED_PROXY_COUNT mistakes, seen on live requests:
    a request with no X-Forwarded-For although proxies are trusted (then clients can set the
    header themselves and choose their IP), or a loopback or private peer sending one although
    none is trusted (then every customer shares the proxy's IP in the rate limits)."""
    app = current_app._get_current_object()
    if app.extensions.get("proxy_mismatch_logged"):
        return
    hops = app.config["TRUSTED_PROXY_COUNT"]
    forwarded = "X-Forwarded-For" in request.headers
    original = request.environ.get("werkzeug.proxy_fix.orig", {})
    peer = original.get("REMOTE_ADDR", request.remote_addr) or ""
    if hops and not forwarded and not original:
        problem = (f"TRUSTED_PROXY_COUNT={hops} but a request from {peer} came without "
                   "X-Forwarded-For: is there really a proxy in front?")
    elif not hops and forwarded and _is_private(peer):
        problem = (f"TRUSTED_PROXY_COUNT=0 but {peer} forwards requests (X-Forwarded-For): "
                   "set TRUSTED_PROXY_COUNT to the number of proxies")
    else:
        return
    app.extensions["proxy_mismatch_logged"] = True
    app.logger.warning("proxy configuration: %s", problem)


def _is_private(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private


def register_commands(app: Flask) -> None:
    from workers.cli import tasks_cli

    from .accounts.cli import accounts_cli
    from .demo.cli import demo_cli

    for group in (accounts_cli, demo_cli, tasks_cli):
        app.cli.add_command(group)


def register_task_runner(app: Flask) -> None:
    from workers.celery_app import celery_init_app

    from .core.outbox import register_outbox
    from .core.tasks import build_task_runner

    celery_init_app(app)
    app.extensions["task_runner"] = build_task_runner(app)
    register_outbox(app)
    if app.config["PERIODIC_TASKS_IN_PROCESS"]:
        from workers.embedded import run_periodic_tasks_in_process

        run_periodic_tasks_in_process(app)


__all__ = ["create_app"]
