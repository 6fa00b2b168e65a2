"""Forms of the payment pages: the dev gateway's (test card, 3-D Secure answer, onboarding),
the Stripe page, the Vendor's Connect page and the admin's refunds."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from marketplace.core.forms import EurosField


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


class PreparePaymentForm(FlaskForm):
    """Stripe page: create the payment again when checkout could not reach the provider."""


class ConnectAccountForm(FlaskForm):
    """Vendor space: one button that opens the provider's onboarding."""


class RefundForm(FlaskForm):
    """Admin: refund part of a VendorOrder. Quantities per line come as `quantity-<line id>`."""

    scope = RadioField(
        _l("Que rembourser ?"),
        choices=[
            SelectChoice("lines", _l("Des articles (quantités ci-dessous)")),
            SelectChoice("amount", _l("Un montant")),
            SelectChoice("all", _l("Tout ce qui reste sur cette partie")),
        ],
        default="lines",
        validators=[InputRequired()],
    )
    amount = EurosField(
        _l("Montant (€)"),
        validators=[Optional()],
        render_kw={"inputmode": "decimal", "placeholder": "12,50"},
    )
    restock = BooleanField(_l("Remettre les articles en stock"))
    reason = TextAreaField(_l("Motif (envoyé au client)"), validators=[Length(max=500)])


class OrderRefundForm(FlaskForm):
    """Admin: refund everything left on the Order."""

    restock = BooleanField(_l("Remettre les articles en stock"))
    reason = TextAreaField(_l("Motif (envoyé au client)"), validators=[Length(max=500)])
