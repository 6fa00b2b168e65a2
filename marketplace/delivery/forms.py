"""Forms of the delivery domain: the recurring round and pickup plans Admins set up.

Times are typed in Castres time; capacities in stops, Orders and kilograms; fees in euros.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.core.forms import EurosField

REQUIRED = _l("Ce champ est obligatoire.")

WEEKDAYS = [
    (0, _l("lundi")),
    (1, _l("mardi")),
    (2, _l("mercredi")),
    (3, _l("jeudi")),
    (4, _l("vendredi")),
    (5, _l("samedi")),
    (6, _l("dimanche")),
]


class WeekdaysField(SelectMultipleField):
    """Days of the week as a list of checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _weekdays() -> WeekdaysField:
    return WeekdaysField(
        _l("Jours de la semaine"),
        coerce=int,
        choices=[SelectChoice(day, label) for day, label in WEEKDAYS],
        validators=[InputRequired(_l("Choisissez au moins un jour."))],
    )


def _count_field(label: object, maximum: int) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=0, max=maximum, message=_l("Entre 0 et %(max)d.", max=maximum)),
        ],
        render_kw={"min": "0"},
    )


class RoundPlanForm(FlaskForm):
    zone_id = SelectField(_l("Zone"), coerce=int, validators=[InputRequired(REQUIRED)])
    weekdays = _weekdays()
    departure_time = TimeField(_l("Départ de la halle"), validators=[InputRequired(REQUIRED)])
    cutoff_days_before = _count_field(_l("Clôture : jours avant la tournée"), 14)
    cutoff_time = TimeField(_l("Clôture : heure"), validators=[InputRequired(REQUIRED)])
    capacity_stops = _count_field(_l("Capacité (arrêts)"), 1000)
    capacity_kg = _count_field(_l("Capacité (kg)"), 10_000)
    active = BooleanField(_l("Active : le planificateur crée ses tournées"), default=True)


class PickupPlanForm(FlaskForm):
    name = StringField(_l("Nom"), validators=[InputRequired(REQUIRED), Length(max=120)])
    weekdays = _weekdays()
    start_time = TimeField(_l("Début"), validators=[InputRequired(REQUIRED)])
    end_time = TimeField(_l("Fin"), validators=[InputRequired(REQUIRED)])
    capacity = _count_field(_l("Capacité (commandes)"), 10_000)
    fee = EurosField(
        _l("Frais de retrait"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=0, max=100_000, message=_l("Entre 0 et 1 000 €.")),
        ],
        description=_l("En euros, TTC ; 0 pour gratuit."),
        render_kw={"inputmode": "decimal"},
    )
    cutoff_hours_before = _count_field(_l("Clôture : heures avant le début"), 24 * 14)
    active = BooleanField(_l("Actif : le planificateur crée ses créneaux"), default=True)
