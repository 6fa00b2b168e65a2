"""Web entry points of the accounts domain: sign-up, login, password reset, the account page."""
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user, user_logged_in

from marketplace.core.web import never_stored, render_form
from marketplace.extensions import db, limiter

from . import services, throttling
from .errors import AccountError, AccountErrorCode
from .forms import (
    AddressForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
)
from .models import Address, User

bp = Blueprint("accounts", __name__)
bp.after_request(never_stored)

ERROR_MESSAGES = {
    AccountErrorCode.EMAIL_TAKEN: _l(
        "Un compte existe déjà avec cette adresse email. Connectez-vous, ou choisissez "
        "« Mot de passe oublié » si vous ne vous en souvenez plus."
    ),
    AccountErrorCode.WEAK_PASSWORD: _l(
        "Ce mot de passe est trop faible : au moins %(min)d caractères, "
        "et pas votre adresse email.",
        min=services.PASSWORD_MIN_LENGTH,
    ),
    AccountErrorCode.COMMON_PASSWORD: _l(
        "Ce mot de passe est trop courant ou trop facile à deviner : ajoutez des mots qui "
        "n'ont rien à voir entre eux, par exemple « laine-tuile-ciel-81 »."
    ),
    AccountErrorCode.INVALID_CREDENTIALS: _l("Adresse email ou mot de passe incorrect."),
    AccountErrorCode.WRONG_PASSWORD: _l("Le mot de passe actuel est incorrect."),
    AccountErrorCode.INVALID_RESET_TOKEN: _l(
        "Ce lien de réinitialisation n'est pas valide ou a déjà servi."
    ),
    AccountErrorCode.EXPIRED_RESET_TOKEN: _l("Ce lien de réinitialisation a expiré."),
    AccountErrorCode.INVALID_POSTCODE: _l("Le code postal compte 5 chiffres, par exemple 81100."),
    AccountErrorCode.UNSUPPORTED_LOCALE: _l("Choisissez le français ou l'anglais."),
}


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session version, so old sessions find nobody."""
    raw_id, _sep, version = user_id.partition(":")
    user = db.session.get(User, int(raw_id)) if raw_id.isdigit() else None
    if user is None or str(user.session_version) != version:
        return None
    return user


@user_logged_in.connect
def renew_csrf_token(sender, user, **extra) -> None:  # noqa: ANN001
    """A new CSRF token with every sign-in: one read before it (a shared computer, a page
    cached by someone) is no good afterwards."""
    session.pop("csrf_token", None)


def safe_next_url(target: str | None) -> str | None:
    """`target` if it is a path on this site; anything that could leave the site is dropped."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read a backslash as a slash ("/\evil.example"), and control characters are
    # stripped before parsing; both are ways off-site.
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _registration_rate_limit() -> str:
    return current_app.config["REGISTRATION_RATE_LIMIT"]


def _reset_rate_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def _submitted_email() -> str:
    """Rate-limit key: one address flooded from many IPs is still limited."""
    return "email:" + services.normalise_email(request.form.get("email", ""))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_registration_rate_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            user = services.register_user(
                email=form.email.data,
                full_name=form.full_name.data,
                password=form.password.data,
                locale=str(get_locale() or "fr"),
            )
        except AccountError as error:
            field = form.email if error.code == AccountErrorCode.EMAIL_TAKEN else form.password
            field.errors.append(ERROR_MESSAGES[error.code])
        else:
            login_user(user)
            flash(_("Bienvenue, %(name)s ! Votre compte est créé.", name=user.full_name), "success")
            return redirect(safe_next_url(request.args.get("next")) or url_for("accounts.account"))
    return render_form("accounts/register.html", form)


_REFUSALS = {
    throttling.Refusal.SLOW_DOWN: _l(
        "Trop d'essais infructueux : patientez quelques minutes avant de réessayer."
    ),
    throttling.Refusal.ACCOUNT_SUSPENDED: _l(
        "Trop d'essais sur ce compte depuis plusieurs endroits : pour votre sécurité, la "
        "connexion par mot de passe est suspendue. Recevez un lien par email avec « Mot de "
        "passe oublié » pour vous reconnecter."
    ),
}


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next_url(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("accounts.account"))
    form = LoginForm(next=next_url or "")
    if form.validate_on_submit():
        email, ip = services.normalise_email(form.email.data), request.remote_addr or ""
        refusal = throttling.sign_in_refusal(email=email, ip=ip)
        if refusal is not None:
            form.form_errors.append(_REFUSALS[refusal])
            return render_template("accounts/login.html", form=form), 429
        try:
            user = services.authenticate_user(email=email, password=form.password.data)
        except AccountError as error:
            throttling.count_failed_sign_in(email=email, ip=ip)
            form.form_errors.append(ERROR_MESSAGES[error.code])
        else:
            throttling.forget_failed_sign_ins(email=email, ip=ip)
            # Listeners of `user_logged_in` (the cart merge) write in this same transaction.
            login_user(user, remember=form.remember.data)
            flash(_("Bonjour %(name)s, vous êtes connecté.", name=user.full_name), "success")
            return redirect(next_url or url_for("accounts.account"))
    return render_form("accounts/login.html", form)


@bp.post("/logout")
@login_required
def logout():
    """Ends this session and every other one of the user (all devices)."""
    services.end_sessions(user=current_user._get_current_object())
    logout_user()
    # A shared computer (the hub's shop counter) keeps nothing of the previous person
    # but the language they browsed in.
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    flash(_("Vous êtes déconnecté."), "success")
    return redirect(url_for("catalog.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_rate_limit, methods=["POST"])
@limiter.limit(_reset_rate_limit, key_func=_submitted_email, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(email=form.email.data, locale=str(get_locale() or "fr"))
        # The same words whether or not the address has an account.
        flash(
            _(
                "Si un compte existe pour %(email)s, un lien pour choisir un nouveau mot de passe "
                "vient d'y être envoyé. Il reste valable une heure.",
                email=services.normalise_email(form.email.data),
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_form("accounts/forgot_password.html", form)


@bp.route("/password/reset", methods=["GET", "POST"])
def reset_password():
    """The page an emailed reset link opens. The token travels in the query string of that one
    GET, then in the form's body: access logs record paths only (gunicorn.conf.py)."""
    form = ResetPasswordForm(token=request.args.get("token", ""))
    token = form.token.data or ""
    try:
        services.user_for_reset_token(token=token)
    except AccountError as error:
        message = ERROR_MESSAGES[error.code]
        return render_template("accounts/reset_password_invalid.html", message=message), 400
    if form.validate_on_submit():
        try:
            services.reset_password(token=token, new_password=form.password.data)
        except AccountError as error:
            form.password.errors.append(ERROR_MESSAGES[error.code])
        else:
            if current_user.is_authenticated:
                logout_user()
            flash(
                _("Votre mot de passe est changé. Connectez-vous avec le nouveau."), "success"
            )
            return redirect(url_for("accounts.login"))
    return render_form("accounts/reset_password.html", form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user if request.method == "GET" else None)
    if request.method == "GET" and not user.locale:
        form.locale.data = str(get_locale() or "fr")
    if form.validate_on_submit():
        services.update_profile(user=user, full_name=form.full_name.data, locale=form.locale.data)
        # The site follows the language chosen here, even if another was picked in the footer.
        session.pop("lang", None)
        flash(_("Vos informations sont enregistrées."), "success")
        return redirect(url_for("accounts.account"))
    return render_template(
        "accounts/account.html", form=form, addresses=services.list_user_addresses(user=user)
    )


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if throttling.password_checks_exhausted(user_id=user.id):
            form.current_password.errors.append(_REFUSALS[throttling.Refusal.SLOW_DOWN])
            return render_template("accounts/change_password.html", form=form), 429
        try:
            services.change_password(
                user=user,
                current_password=form.current_password.data,
                new_password=form.password.data,
            )
        except AccountError as error:
            if error.code == AccountErrorCode.WRONG_PASSWORD:
                throttling.count_failed_password_check(user_id=user.id)
                form.current_password.errors.append(ERROR_MESSAGES[error.code])
            else:
                form.password.errors.append(ERROR_MESSAGES[error.code])
        else:
            # The version moved on: this session carries the new one, the others are ended.
            login_user(user)
            flash(
                _("Votre mot de passe est changé. Vos autres appareils sont déconnectés."),
                "success",
            )
            return redirect(url_for("accounts.account"))
    return render_form("accounts/change_password.html", form)


def _own_address_or_404(address_id: int) -> Address:
    address = services.find_user_address(user=current_user, address_id=address_id)
    if address is None:
        abort(404)
    return address


@bp.route("/account/addresses/new", methods=["GET", "POST"])
@login_required
def add_address():
    user = current_user._get_current_object()
    form = AddressForm()
    if request.method == "GET":
        form.full_name.data = user.full_name
    if form.validate_on_submit():
        services.add_address(
            user=user, make_default=form.make_default.data, **form.address_fields()
        )
        flash(_("L'adresse est enregistrée."), "success")
        return redirect(url_for("accounts.account") + "#addresses")
    return render_template("accounts/address_form.html", form=form, address=None)


@bp.route("/account/addresses/<int:address_id>/edit", methods=["GET", "POST"])
@login_required
def edit_address(address_id: int):
    address = _own_address_or_404(address_id)
    form = AddressForm(obj=address)
    if form.validate_on_submit():
        services.update_address(
            address=address, make_default=form.make_default.data, **form.address_fields()
        )
        flash(_("L'adresse est modifiée."), "success")
        return redirect(url_for("accounts.account") + "#addresses")
    return render_template("accounts/address_form.html", form=form, address=address)


@bp.post("/account/addresses/<int:address_id>/delete")
@login_required
def delete_address(address_id: int):
    services.delete_address(address=_own_address_or_404(address_id))
    flash(_("L'adresse est supprimée."), "success")
    return redirect(url_for("accounts.account") + "#addresses")


@bp.post("/account/addresses/<int:address_id>/default")
@login_required
def set_default_address(address_id: int):
    services.set_default_address(address=_own_address_or_404(address_id))
    flash(_("C'est désormais votre adresse par défaut."), "success")
    return redirect(url_for("accounts.account") + "#addresses")
