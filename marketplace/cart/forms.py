"""Cart forms (Flask-WTF, CSRF-protected): adding from a product page, changing a line."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from marketplace.core.models import DATABASE_INTEGER_MAX

#: Most units of one Variant a single form may ask for; stock is the real limit.
MAX_QUANTITY = 99


class AddToCartForm(FlaskForm):
    variant_id = IntegerField(
        _l("Modèle"),
        validators=[
            InputRequired(_l("Choisissez un modèle.")),
            NumberRange(min=1, max=DATABASE_INTEGER_MAX, message=_l("Choisissez un modèle.")),
        ],
    )
    quantity = IntegerField(
        _l("Quantité"),
        default=1,
        validators=[
            InputRequired(_l("Indiquez une quantité.")),
            NumberRange(
                min=1, max=MAX_QUANTITY, message=_l("Entre 1 et %(max)d.", max=MAX_QUANTITY)
            ),
        ],
    )
    #: The product page to come back to.
    next = HiddenField()


class QuantityForm(FlaskForm):
    quantity = IntegerField(
        _l("Quantité"),
        validators=[
            InputRequired(_l("Indiquez une quantité.")),
            NumberRange(
                min=0, max=MAX_QUANTITY, message=_l("Entre 0 et %(max)d.", max=MAX_QUANTITY)
            ),
        ],
    )


class LineActionForm(FlaskForm):
    """Remove a line or accept its new price: nothing to fill in but the CSRF token."""


class PostcodeForm(FlaskForm):
    """The GET form on the cart page that prices delivery rounds for a postcode."""

    class Meta:
        csrf = False

    postcode = StringField(_l("Code postal"), validators=[Optional(), Length(max=10)])
