"""`/account/data`: download what is kept about you, or delete your account."""
import json

from flask import Blueprint, Response, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user

from marketplace.accounts import throttling
from marketplace.accounts.errors import AccountError
from marketplace.accounts.services import check_current_password
from marketplace.core.models import utcnow
from marketplace.core.web import never_stored, render_form

from . import services
from .errors import PrivacyError, PrivacyErrorCode
from .forms import DeleteAccountForm

bp = Blueprint("privacy", __name__)
bp.after_request(never_stored)


def _refusal(error: PrivacyError) -> str:
    if error.code == PrivacyErrorCode.ORDERS_IN_PROGRESS:
        numbers = error.details["numbers"]
        return ngettext(
            "La commande %(numbers)s est en cours : votre compte pourra être supprimé une fois "
            "qu'elle sera livrée, annulée ou expirée.",
            "Les commandes %(numbers)s sont en cours : votre compte pourra être supprimé une "
            "fois qu'elles seront livrées, annulées ou expirées.",
            len(numbers), numbers=", ".join(numbers),
        )
    if error.code == PrivacyErrorCode.ACTS_FOR_A_VENDOR:
        return _("Vous agissez pour un atelier : demandez à son responsable de vous retirer de "
                 "l'équipe, puis supprimez votre compte.")
    return _("Un compte administrateur ne se supprime pas ici : demandez à un autre "
             "administrateur de vous retirer ce rôle.")


@bp.route("/account/data", methods=["GET", "POST"])
@login_required
def account_data():
    """The export link, and the deletion form (sent back here)."""
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    status = None
    if form.validate_on_submit():
        if throttling.password_checks_exhausted(user_id=user.id):
            form.password.errors.append(_("Trop d'essais infructueux : patientez quelques "
                                          "minutes avant de réessayer."))
            status = 429
        else:
            try:
                check_current_password(user=user, password=form.password.data)
                services.delete_account(user=user)
            except AccountError:
                throttling.count_failed_password_check(user_id=user.id)
                form.password.errors.append(_("Le mot de passe actuel est incorrect."))
            except PrivacyError as error:
                form.form_errors.append(_refusal(error))
            else:
                logout_user()
                flash(_("Votre compte est supprimé. Vos commandes passées restent dans notre "
                        "comptabilité, sans lien avec un compte."), "success")
                return redirect(url_for("catalog.home"))
    page, form_status = render_form("privacy/account_data.html", form,
                                    in_progress=services.orders_in_progress(user=user))
    return page, status or form_status


@bp.get("/account/data/export")
@login_required
def export():
    """Everything kept about the signed-in person, as a JSON file to download."""
    now = utcnow()
    data = services.export_personal_data(user=current_user, now=now)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition":
                 f'attachment; filename="les-ateliers-mes-donnees-{now:%Y-%m-%d}.json"'},
    )
