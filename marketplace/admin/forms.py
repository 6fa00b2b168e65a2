"""Admin forms (Flask-WTF, CSRF-protected): the cooperative's Pickup slots, zones and rounds.

Dates and times are typed in Castres time; amounts in euros (read as exact cents by
`EurosField`), weights in kilograms. The views turn them into UTC moments and grams with exact
decimal arithmetic.
"""

from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from marketplace.core.forms import EurosField

REQUIRED = _l("Ce champ est obligatoire.")


def kilograms_to_grams(kilograms: Decimal) -> int:
    return int((kilograms * 1000).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def grams_to_kilograms(grams: int) -> Decimal:
    """12500 -> 12.5 and 400000 -> 400 (never 4E+2, which a form field would show)."""
    kilograms = Decimal(grams) / 1000
    if kilograms == kilograms.to_integral_value():
        return kilograms.quantize(Decimal("1"))
    return kilograms.normalize()


class FrenchDecimalField(DecimalField):
    """Takes "4,50" as well as "4.50": French keyboards type a decimal comma."""

    def process_formdata(self, valuelist: list) -> None:
        if valuelist and isinstance(valuelist[0], str):
            cleaned = valuelist[0].replace(",", ".").replace(" ", "").replace("\u00a0", "")
            valuelist = [cleaned, *valuelist[1:]]
        super().process_formdata(valuelist)


def _fee_field(label: object) -> EurosField:
    return EurosField(
        label,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=0, max=100_000, message=_l("Entre 0 et 1 000 €.")),
        ],
        description=_l("En euros, TTC ; 0 pour gratuit."),
        render_kw={"inputmode": "decimal"},
    )


class PickupSlotForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(REQUIRED)])
    starts_at = TimeField(_l("Début"), validators=[InputRequired(REQUIRED)])
    ends_at = TimeField(_l("Fin"), validators=[InputRequired(REQUIRED)])
    capacity = IntegerField(
        _l("Capacité (commandes)"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=0, max=10_000, message=_l("Entre 0 et 10 000.")),
        ],
        render_kw={"min": "0"},
    )
    fee = _fee_field(_l("Frais de retrait"))
    cutoff_hours = IntegerField(
        _l("Clôture des réservations : heures avant le début"),
        validators=[Optional(), NumberRange(min=0, max=336, message=_l("Entre 0 et 336."))],
        description=_l(
            "Les ateliers reçoivent alors leur liste de préparation ; vide ou 0 : à l'ouverture."
        ),
        render_kw={"min": "0"},
    )


class DeliveryZoneForm(FlaskForm):
    name = StringField(_l("Nom"), validators=[InputRequired(REQUIRED), Length(max=120)])
    postcodes = TextAreaField(
        _l("Codes postaux"),
        validators=[InputRequired(REQUIRED), Length(max=5000)],
        description=_l("Séparés par des virgules ou des espaces, par exemple : 81100, 81290."),
        render_kw={"rows": 3},
    )
    fee = _fee_field(_l("Frais de livraison (par commande)"))
    free_threshold = EurosField(
        _l("Livraison offerte à partir de"),
        validators=[
            Optional(),
            NumberRange(min=0, max=10_000_000, message=_l("Entre 0 et 100 000 €.")),
        ],
        description=_l("Montant des articles, en euros TTC ; vide : jamais offerte."),
        render_kw={"inputmode": "decimal"},
    )


class DeliveryRoundForm(FlaskForm):
    zone_id = SelectField(_l("Zone"), coerce=int, validators=[InputRequired(REQUIRED)])
    delivery_date = DateField(_l("Jour de livraison"), validators=[InputRequired(REQUIRED)])
    cutoff_day = DateField(_l("Clôture des commandes : date"), validators=[InputRequired(REQUIRED)])
    cutoff_time = TimeField(
        _l("Clôture des commandes : heure"), validators=[InputRequired(REQUIRED)]
    )
    capacity_stops = IntegerField(
        _l("Capacité (arrêts)"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=0, max=1000, message=_l("Entre 0 et 1 000.")),
        ],
        render_kw={"min": "0"},
    )
    capacity_kg = FrenchDecimalField(
        _l("Capacité (kg)"),
        places=None,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=0, max=10_000, message=_l("Entre 0 et 10 000 kg.")),
        ],
        render_kw={"inputmode": "decimal", "step": "0.1", "min": "0"},
    )
