"""Accounts forms (Flask-WTF, CSRF-protected); messages in French, translated by Babel."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from .services import FRENCH_POSTCODE, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

REQUIRED = _l("Ce champ est obligatoire.")
EMAIL_INVALID = _l("Saisissez une adresse email valide, par exemple prenom@exemple.fr.")
PASSWORD_TOO_SHORT = _l(
    "Choisissez un mot de passe d'au moins %(min)d caractères.", min=PASSWORD_MIN_LENGTH
)
PASSWORD_TOO_LONG = _l(
    "Choisissez un mot de passe de %(max)d caractères au plus.", max=PASSWORD_MAX_LENGTH
)
PASSWORDS_DIFFER = _l("Les deux mots de passe ne correspondent pas.")
#: Each language named in itself, so a visitor finds theirs whatever the page's language.
LANGUAGE_CHOICES = [
    SelectChoice("fr", "Français", render_kw={"lang": "fr"}),
    SelectChoice("en", "English", render_kw={"lang": "en"}),
]


def _email_field(label: object) -> EmailField:
    return EmailField(
        label,
        validators=[DataRequired(REQUIRED), Length(max=254), Email(EMAIL_INVALID)],
        render_kw={"autocomplete": "email"},
    )


def _account_email_field(label: object) -> EmailField:
    """An email that only has to match an existing account, so no format check: the strict
    validator refuses reserved domains such as the demo hub's @lesateliers.test accounts."""
    return EmailField(
        label,
        validators=[DataRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        _l("Mot de passe"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=PASSWORD_MIN_LENGTH, message=PASSWORD_TOO_SHORT),
            Length(max=PASSWORD_MAX_LENGTH, message=PASSWORD_TOO_LONG),
        ],
        description=_l("Au moins %(min)d caractères.", min=PASSWORD_MIN_LENGTH),
        render_kw={"autocomplete": "new-password", "minlength": PASSWORD_MIN_LENGTH},
    )
    confirmation = PasswordField(
        _l("Confirmez le mot de passe"),
        validators=[DataRequired(REQUIRED), EqualTo("password", message=PASSWORDS_DIFFER)],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirmation


class RegistrationForm(FlaskForm):
    full_name = StringField(
        _l("Nom complet"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = _email_field(_l("Adresse email"))
    password, password_confirmation = _new_password_fields()


class LoginForm(FlaskForm):
    email = _account_email_field(_l("Adresse email"))
    password = PasswordField(
        _l("Mot de passe"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Rester connecté sur cet appareil"))
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = _account_email_field(_l("Adresse email de votre compte"))


class ResetPasswordForm(FlaskForm):
    #: The emailed token, carried from the link's query string in the form's body.
    token = HiddenField(validators=[Length(max=500)])
    password, password_confirmation = _new_password_fields()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Mot de passe actuel"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    password, password_confirmation = _new_password_fields()


class ProfileForm(FlaskForm):
    full_name = StringField(
        _l("Nom complet"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    locale = SelectField(_l("Langue des emails et du site"), choices=LANGUAGE_CHOICES)


def french_postcode(form: FlaskForm, field: StringField) -> None:
    """Validator shared by every address form; an empty field is left to DataRequired."""
    if field.data and not FRENCH_POSTCODE.match(field.data.replace(" ", "").strip()):
        raise ValidationError(_l("Le code postal compte 5 chiffres, par exemple 81100."))


def french_phone(form: FlaskForm, field: StringField) -> None:
    digits = "".join(ch for ch in field.data or "" if ch.isdigit())
    if field.data and not (9 <= len(digits) <= 15):
        raise ValidationError(_l("Saisissez un numéro de téléphone, par exemple 06 12 34 56 78."))


class AddressForm(FlaskForm):
    label = StringField(
        _l("Nom de l'adresse"),
        validators=[Optional(), Length(max=60)],
        description=_l("Par exemple « Maison » ou « Bureau »."),
    )
    full_name = StringField(
        _l("Destinataire"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    line1 = StringField(
        _l("Adresse"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        render_kw={"autocomplete": "address-line1"},
    )
    line2 = StringField(
        _l("Complément d'adresse"),
        validators=[Optional(), Length(max=200)],
        description=_l("Bâtiment, étage, lieu-dit…"),
        render_kw={"autocomplete": "address-line2"},
    )
    postcode = StringField(
        _l("Code postal"),
        validators=[DataRequired(REQUIRED), french_postcode],
        render_kw={"autocomplete": "postal-code", "inputmode": "numeric"},
    )
    city = StringField(
        _l("Ville"),
        validators=[DataRequired(REQUIRED), Length(max=100)],
        render_kw={"autocomplete": "address-level2"},
    )
    phone = StringField(
        _l("Téléphone"),
        validators=[Optional(), Length(max=30), french_phone],
        description=_l("Pour le livreur, si besoin."),
        render_kw={"autocomplete": "tel", "type": "tel"},
    )
    make_default = BooleanField(_l("Utiliser comme adresse par défaut"))

    def address_fields(self) -> dict[str, str]:
        return {
            "label": self.label.data or "",
            "full_name": self.full_name.data,
            "line1": self.line1.data,
            "line2": self.line2.data or "",
            "postcode": self.postcode.data,
            "city": self.city.data,
            "phone": self.phone.data or "",
        }
