"""The account deletion form: the password again, and a box saying the person means it."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, InputRequired, Length


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Votre mot de passe"),
        validators=[InputRequired(_l("Saisissez votre mot de passe.")), Length(max=200)],
    )
    confirm = BooleanField(
        _l("Je comprends que mon compte, mes adresses et mon panier seront effacés."),
        validators=[DataRequired(_l("Cochez la case pour confirmer."))],
    )
