"""Forms of the dev gateway's pages: the test card, the 3-D Secure answer, onboarding."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp


class CardForm(FlaskForm):
    card_number = StringField(
        _l("Numéro de carte"),
        validators=[
            DataRequired(_l("Saisissez un numéro de carte.")),
            Length(max=30),
            Regexp(r"^[\d\s-]+$", message=_l("Un numéro de carte ne contient que des chiffres.")),
        ],
        render_kw={"autocomplete": "cc-number", "inputmode": "numeric",
                   "placeholder": "4242 4242 4242 4242"},
    )


class AuthenticationForm(FlaskForm):
    """Confirm or refuse: which button was pressed is read from `decision`."""


class OnboardingForm(FlaskForm):
    """The simulated provider's onboarding: one button."""
