"""Checkout forms (Flask-WTF, CSRF-protected): contact and address, delivery, placing the Order."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, RadioField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from marketplace.accounts.forms import french_phone, french_postcode

REQUIRED = _l("Ce champ est obligatoire.")

#: The saved-address choice meaning "the address typed below".
NEW_ADDRESS = "new"


class ContactAddressForm(FlaskForm):
    """Who orders and where to: an email for guests, a saved or new address."""

    email = EmailField(
        _l("Adresse email"),
        validators=[Optional(), Length(max=254), Email(_l("Saisissez une adresse email valide."))],
        description=_l("Pour la confirmation et le suivi de votre commande."),
        render_kw={"autocomplete": "email"},
    )
    saved_address = RadioField(_l("Adresse"), choices=[], validate_choice=False)
    full_name = StringField(
        _l("Nom et prénom"), validators=[Length(max=120)], render_kw={"autocomplete": "name"}
    )
    line1 = StringField(
        _l("Adresse"), validators=[Length(max=200)], render_kw={"autocomplete": "address-line1"}
    )
    line2 = StringField(
        _l("Complément d'adresse"),
        validators=[Optional(), Length(max=200)],
        description=_l("Bâtiment, étage, lieu-dit…"),
        render_kw={"autocomplete": "address-line2"},
    )
    postcode = StringField(
        _l("Code postal"),
        validators=[french_postcode],
        render_kw={"autocomplete": "postal-code", "inputmode": "numeric"},
    )
    city = StringField(
        _l("Ville"), validators=[Length(max=100)], render_kw={"autocomplete": "address-level2"}
    )
    phone = StringField(
        _l("Téléphone"),
        validators=[Optional(), Length(max=30), french_phone],
        description=_l("Utile au livreur ou à l'atelier en cas de souci."),
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    save_address = BooleanField(_l("Enregistrer cette adresse dans mon compte"))

    def __init__(self, *args: object, guest: bool, saved_choices: list[tuple[str, str]],
                 **kwargs: object):
        super().__init__(*args, **kwargs)
        self.guest = guest
        self.saved_address.choices = [*saved_choices, (NEW_ADDRESS, _l("Une autre adresse"))]
        if not saved_choices:
            self.saved_address.data = NEW_ADDRESS

    @property
    def uses_new_address(self) -> bool:
        return (self.saved_address.data or NEW_ADDRESS) == NEW_ADDRESS

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        valid = super().validate(extra_validators)
        if self.guest and not (self.email.data or "").strip():
            self.email.errors.append(REQUIRED)
            valid = False
        if self.uses_new_address:
            for field in (self.full_name, self.line1, self.postcode, self.city):
                if not (field.data or "").strip():
                    field.errors.append(REQUIRED)
                    valid = False
        elif self.saved_address.data not in {value for value, _label in self.saved_address.choices}:
            self.saved_address.errors.append(_l("Choisissez une de vos adresses."))
            valid = False
        return valid

    def address_fields(self) -> dict[str, str]:
        return {
            "full_name": self.full_name.data.strip(),
            "line1": self.line1.data.strip(),
            "line2": (self.line2.data or "").strip(),
            "postcode": self.postcode.data.replace(" ", "").strip(),
            "city": self.city.data.strip(),
            "phone": (self.phone.data or "").strip(),
        }


class DeliveryForm(FlaskForm):
    """One choice among those offered: "vendor_shipping", "pickup:<slot id>", "round:<id>"."""

    choice = RadioField(
        _l("Mode de livraison"),
        choices=[],
        validators=[DataRequired(_l("Choisissez un mode de livraison."))],
    )


class AcknowledgeForm(FlaskForm):
    """The customer accepts the new prices shown on the review page."""


class PlaceOrderForm(FlaskForm):
    checkout_key = HiddenField(validators=[DataRequired()])
    review_digest = HiddenField(validators=[DataRequired()])
    accept_terms = BooleanField(
        _l("J'ai lu et j'accepte les conditions générales de vente de la coopérative."),
        validators=[DataRequired(_l("Acceptez les conditions générales de vente pour commander."))],
    )
